package cn.beijing.scienceedu.task.catalogue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import cn.beijing.scienceedu.contracts.task.api.CatalogueApi;
import cn.beijing.scienceedu.contracts.task.model.Policy;
import cn.beijing.scienceedu.contracts.task.model.PolicyImportRequest;
import cn.beijing.scienceedu.contracts.task.model.PolicySummary;
import cn.beijing.scienceedu.contracts.task.model.Unit;
import cn.beijing.scienceedu.task.security.Callers;
import cn.beijing.scienceedu.task.web.ApiException;
import cn.beijing.scienceedu.task.web.Idempotency;
import tools.jackson.databind.json.JsonMapper;

@RestController
class CatalogueController implements CatalogueApi {

    private final PolicyCatalogue catalogue;
    private final Callers callers;
    private final Idempotency idempotency;
    private final JsonMapper json;

    CatalogueController(PolicyCatalogue catalogue, Callers callers, Idempotency idempotency, JsonMapper json) {
        this.catalogue = catalogue;
        this.callers = callers;
        this.idempotency = idempotency;
        this.json = json;
    }

    @Override
    public ResponseEntity<Policy> getPolicy(String policyId) {
        callers.reader();
        return ResponseEntity.ok(json.readValue(catalogue.json(policyId), Policy.class));
    }

    @Override
    public ResponseEntity<PolicySummary> importPolicy(PolicyImportRequest request, String idempotencyKey) {
        callers.liaison();
        boolean hasCatalogue = request.getCatalogue() != null;
        boolean hasNotice = request.getNoticeText() != null;
        if (hasCatalogue == hasNotice) {
            throw ApiException.badField(hasCatalogue ? "noticeText" : "catalogue",
                    "give exactly one of catalogue or noticeText");
        }
        if (hasCatalogue && request.getOverlay() != null && !request.getOverlay().isEmpty()) {
            throw ApiException.badField("overlay", "an overlay applies only to noticeText");
        }
        return idempotency.run("import-policy", idempotencyKey, PolicySummary.class, () -> {
            cn.beijing.scienceedu.contracts.catalogue.model.Policy policy;
            String prefix;
            if (hasCatalogue) {
                policy = json.convertValue(request.getCatalogue(), cn.beijing.scienceedu.contracts.catalogue.model.Policy.class);
                prefix = "catalogue";
            } else {
                policy = catalogue.fromNotice(request.getNoticeText(), request.getOverlay());
                prefix = "noticeText";
            }
            PolicySummary s = catalogue.importPolicy(policy, prefix);
            return ResponseEntity.created(URI.create("/api/v1/policies/" + s.getId())).body(s);
        });
    }

    @Override
    public ResponseEntity<List<PolicySummary>> listPolicies() {
        callers.reader();
        return ResponseEntity.ok(catalogue.list());
    }

    @Override
    public ResponseEntity<List<Unit>> listUnits(String policyId) {
        callers.reader();
        List<String> ids = policyId == null ? catalogue.list().stream().map(PolicySummary::getId).toList()
                : List.of(catalogue.require(policyId).getId());
        Map<String, Unit> units = new LinkedHashMap<>();
        for (String id : ids) {
            catalogue.require(id).getUnits()
                    .forEach(u -> units.putIfAbsent(u.getCode(), json.convertValue(u, Unit.class)));
        }
        return ResponseEntity.ok(List.copyOf(units.values()));
    }
}
