package cn.beijing.scienceedu.adapters.inbound;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.server.ResponseStatusException;

import cn.beijing.scienceedu.adapters.mapping.InboundReport;
import cn.beijing.scienceedu.adapters.registry.Protocol;
import cn.beijing.scienceedu.contracts.bureau.api.BureauInboundApi;
import cn.beijing.scienceedu.contracts.bureau.model.ExtensionRequest;
import cn.beijing.scienceedu.contracts.bureau.model.ProgressReport;
import cn.beijing.scienceedu.contracts.bureau.model.Receipt;
import cn.beijing.scienceedu.contracts.bureau.model.SignFor;
import cn.beijing.scienceedu.contracts.bureau.model.Submission;
import tools.jackson.databind.json.JsonMapper;

/** REST bureaus call these (through the gateway) with a BUREAU token carrying their {@code unit}. */
@RestController
public class BureauRestController implements BureauInboundApi {

    private final InboundPipeline pipeline;
    private final JsonMapper json;

    public BureauRestController(InboundPipeline pipeline, JsonMapper json) {
        this.pipeline = pipeline;
        this.json = json;
    }

    @Override
    public ResponseEntity<Receipt> signFor(String taskId, SignFor body, String idempotencyKey) {
        return run(new InboundReport(key(body.getMessageId(), idempotencyKey), InboundReport.Kind.SIGN_FOR, taskId, null,
                body.getSignedBy(), null, null, body.getNote(), null, null, null, List.of()), body);
    }

    @Override
    public ResponseEntity<Receipt> reportProgress(String taskId, ProgressReport body, String idempotencyKey) {
        List<Map<String, Object>> kpis = body.getKpiValues() == null ? List.of()
                : body.getKpiValues().stream().map(k -> {
                    Map<String, Object> m = new java.util.HashMap<>();
                    m.put("code", k.getCode());
                    m.put("value", k.getValue());
                    m.put("level", k.getLevel() == null ? null : k.getLevel().getValue());
                    m.put("districtCode", k.getDistrictCode());
                    m.put("schoolCode", k.getSchoolCode());
                    return m;
                })
                        .toList();
        return run(new InboundReport(key(body.getMessageId(), idempotencyKey), InboundReport.Kind.PROGRESS, taskId, null,
                null, body.getPeriod(), body.getPercentComplete(), body.getNarrative(), null, null, null, kpis), body);
    }

    @Override
    public ResponseEntity<Receipt> submit(String taskId, Submission body, String idempotencyKey) {
        return run(new InboundReport(key(body.getMessageId(), idempotencyKey), InboundReport.Kind.SUBMISSION, taskId, null,
                null, body.getPeriod(), null, null, body.getSummary(), null, null, List.of()), body);
    }

    @Override
    public ResponseEntity<Receipt> requestExtension(String taskId, ExtensionRequest body, String idempotencyKey) {
        return run(new InboundReport(key(body.getMessageId(), idempotencyKey), InboundReport.Kind.EXTENSION_REQUEST,
                taskId, null, null, null, null, null, null,
                body.getRequestedDeadline() == null ? null : body.getRequestedDeadline().toString(), body.getReason(),
                List.of()), body);
    }

    private static String key(String messageId, String idempotencyKey) {
        return messageId != null ? messageId : idempotencyKey;
    }

    private ResponseEntity<Receipt> run(InboundReport report, Object body) {
        String unit = callerUnit();
        String traceparent = null;
        var attrs = RequestContextHolder.getRequestAttributes();
        if (attrs instanceof ServletRequestAttributes sra) {
            traceparent = sra.getRequest().getHeader("traceparent");
        }
        InboundPipeline.Result r;
        try {
            r = pipeline.handle(unit, Protocol.REST, report, json.writeValueAsBytes(body), traceparent);
        } catch (InboundTransientException e) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "task-service unavailable, try again");
        }
        if (r.httpStatus() == 404) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "task " + report.taskId() + " not found");
        }
        if (r.httpStatus() == 400) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, String.join("; ", r.receipt().getReasons()));
        }
        if (r.httpStatus() >= 400) {
            // refused by the task-service (409 lifecycle conflict, 422 …): a problem detail, the receipt riding along
            HttpStatus status = HttpStatus.resolve(r.httpStatus());
            ProblemDetail p = ProblemDetail.forStatusAndDetail(status == null ? HttpStatus.CONFLICT : status,
                    String.join("; ", r.receipt().getReasons()));
            p.setTitle(status == null ? "Refused" : status.getReasonPhrase());
            if (r.receipt().getTaskStatus() != null) {
                p.setProperty("currentState", r.receipt().getTaskStatus());
            }
            p.setProperty("receiptId", r.receipt().getReceiptId());
            p.setProperty("messageId", r.receipt().getMessageId());
            p.setProperty("outcome", r.receipt().getOutcome().getValue());
            throw new ErrorResponseException(status == null ? HttpStatus.CONFLICT : status, p, null);
        }
        return ResponseEntity.status(r.httpStatus()).body(r.receipt());
    }

    static String callerUnit() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken jwt) {
            String unit = jwt.getToken().getClaimAsString("unit");
            if (unit != null && !unit.isBlank()) {
                return unit;
            }
        }
        throw new ResponseStatusException(HttpStatus.FORBIDDEN, "token carries no unit");
    }
}
