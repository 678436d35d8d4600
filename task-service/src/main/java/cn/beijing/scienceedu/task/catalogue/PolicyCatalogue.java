package cn.beijing.scienceedu.task.catalogue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.beijing.scienceedu.contracts.catalogue.CatalogueImportException;
import cn.beijing.scienceedu.contracts.catalogue.CatalogueOverlay;
import cn.beijing.scienceedu.contracts.catalogue.CatalogueSchema;
import cn.beijing.scienceedu.contracts.catalogue.NoticeImporter;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.contracts.events.PolicyImportedData;
import cn.beijing.scienceedu.contracts.task.model.PolicySummary;
import cn.beijing.scienceedu.task.outbox.OutboxWriter;
import cn.beijing.scienceedu.task.web.ApiException;
import tools.jackson.databind.json.JsonMapper;

/** The policies the hub holds: imported, validated against the catalogue schema, stored whole. */
@Service
public class PolicyCatalogue {

    private static final Logger log = LoggerFactory.getLogger(PolicyCatalogue.class);

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final OutboxWriter outbox;
    private final Map<String, Policy> cache = new ConcurrentHashMap<>();

    public PolicyCatalogue(JdbcTemplate jdbc, JsonMapper json, OutboxWriter outbox) {
        this.jdbc = jdbc;
        this.json = json;
        this.outbox = outbox;
    }

    /** The catalogue of a policy (immutable once imported, so cached). */
    public Optional<Policy> find(String policyId) {
        Policy p = cache.get(policyId);
        if (p != null) {
            return Optional.of(p);
        }
        List<String> rows = jdbc.queryForList("select catalogue::text from policy where id = ?", String.class, policyId);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Policy parsed = json.readValue(rows.get(0), Policy.class);
        cache.put(policyId, parsed);
        return Optional.of(parsed);
    }

    public Policy require(String policyId) {
        return find(policyId).orElseThrow(() -> ApiException.notFound("policy " + policyId));
    }

    /** The stored catalogue JSON of a policy, for the API. */
    public String json(String policyId) {
        List<String> rows = jdbc.queryForList("select catalogue::text from policy where id = ?", String.class, policyId);
        if (rows.isEmpty()) {
            throw ApiException.notFound("policy " + policyId);
        }
        return rows.get(0);
    }

    public List<PolicySummary> list() {
        return jdbc.query("select p.id, p.title, p.title_en, p.issued_on, p.measure_count, p.unit_count, p.kpi_count, "
                + "p.planned_at, p.imported_at, (select count(*) from task t where t.policy_id = p.id) as tasks "
                + "from policy p order by p.imported_at, p.id", (rs, i) -> {
                    PolicySummary s = new PolicySummary();
                    s.setId(rs.getString("id"));
                    s.setTitle(rs.getString("title"));
                    s.setTitleEn(rs.getString("title_en"));
                    s.setIssuedOn(rs.getObject("issued_on", LocalDate.class));
                    s.setMeasureCount(rs.getInt("measure_count"));
                    s.setUnitCount(rs.getInt("unit_count"));
                    s.setKpiCount(rs.getInt("kpi_count"));
                    s.setPlanned(rs.getTimestamp("planned_at") != null);
                    s.setTaskCount(rs.getInt("tasks"));
                    s.setImportedAt(time(rs.getTimestamp("imported_at")));
                    return s;
                });
    }

    public PolicySummary summary(String policyId) {
        return list().stream().filter(s -> s.getId().equals(policyId)).findFirst()
                .orElseThrow(() -> ApiException.notFound("policy " + policyId));
    }

    /** Parses a notice with an optional overlay (JSON object of the overlay's shape). */
    public Policy fromNotice(String noticeText, Map<String, Object> overlay) {
        CatalogueOverlay o;
        try {
            o = overlay == null || overlay.isEmpty() ? CatalogueOverlay.empty()
                    : CatalogueOverlay.read(new ByteArrayInputStream(
                            json.writeValueAsString(overlay).getBytes(StandardCharsets.UTF_8)));
        } catch (CatalogueImportException e) {
            throw ApiException.badField("overlay", e.getMessage());
        }
        try {
            return new NoticeImporter().importNotice(noticeText, o);
        } catch (CatalogueImportException e) {
            throw ApiException.badField("noticeText", e.getMessage());
        } catch (RuntimeException e) {
            throw ApiException.badField("noticeText", "the notice could not be read: " + e.getMessage());
        }
    }

    /** Validates and stores a catalogue; 409 when the id exists; publishes policy.imported. */
    @Transactional
    public PolicySummary importPolicy(Policy policy, String fieldPrefix) {
        String text = CatalogueSchema.toJson(policy);
        List<String> violations = CatalogueSchema.validate(text);
        List<Map<String, String>> errors = new ArrayList<>();
        violations.forEach(v -> errors.add(error(fieldPrefix, v)));
        checkConsistency(policy, fieldPrefix, errors);
        if (!errors.isEmpty()) {
            throw ApiException.badFields(errors);
        }
        int inserted = jdbc.update("insert into policy (id, title, title_en, issued_on, catalogue, measure_count, unit_count, "
                + "kpi_count) values (?,?,?,?,?::jsonb,?,?,?) on conflict (id) do nothing", policy.getId(),
                policy.getTitle(), policy.getTitleEn(), policy.getIssuedOn(), text, policy.getMeasures().size(),
                policy.getUnits().size(), policy.getKpis() == null ? 0 : policy.getKpis().size());
        if (inserted == 0) {
            throw ApiException.conflict("IMPORTED", "policy " + policy.getId() + " exists already");
        }
        PolicyImportedData data = new PolicyImportedData();
        data.setPolicyId(policy.getId());
        data.setTitle(policy.getTitle());
        data.setMeasureCount(policy.getMeasures().size());
        data.setUnitCount(policy.getUnits().size());
        data.setTaskCount(policy.getMeasures().stream().mapToInt(m -> m.getUnitCodes().size()).sum());
        outbox.append("policy.imported", policy.getId(), null, data, null);
        log.info("imported policy {} ({} measures)", policy.getId(), policy.getMeasures().size());
        return summary(policy.getId());
    }

    /**
     * Cross-checks the schema cannot express: every unit code named by a measure exists, lead = first. It runs beside
     * the schema's checks, so a null where the schema wants a unit, a measure or a code (reported by the schema) is
     * passed over here, not dereferenced (it was a 500).
     */
    private static void checkConsistency(Policy p, String prefix, List<Map<String, String>> errors) {
        if (p.getUnits() == null || p.getMeasures() == null) {
            return;
        }
        var codes = p.getUnits().stream().filter(java.util.Objects::nonNull).map(u -> u.getCode()).toList();
        for (int i = 0; i < p.getMeasures().size(); i++) {
            var m = p.getMeasures().get(i);
            if (m == null || m.getUnitCodes() == null) {
                continue;
            }
            for (int j = 0; j < m.getUnitCodes().size(); j++) {
                if (m.getUnitCodes().get(j) != null && !codes.contains(m.getUnitCodes().get(j))) {
                    errors.add(error(prefix + ".measures[" + i + "].unitCodes[" + j + "]",
                            "unknown unit " + m.getUnitCodes().get(j)));
                }
            }
            if (!m.getUnitCodes().isEmpty() && m.getUnitCodes().get(0) != null
                    && !m.getUnitCodes().get(0).equals(m.getLeadUnitCode())) {
                errors.add(error(prefix + ".measures[" + i + "].leadUnitCode", "must be the first of unitCodes"));
            }
        }
    }

    private static Map<String, String> error(String field, String message) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("field", field);
        m.put("message", message);
        return m;
    }

    static OffsetDateTime time(Timestamp ts) {
        return ts == null ? null : ts.toInstant().atOffset(ZoneOffset.UTC);
    }
}
