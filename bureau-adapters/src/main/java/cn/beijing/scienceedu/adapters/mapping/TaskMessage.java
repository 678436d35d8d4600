package cn.beijing.scienceedu.adapters.mapping;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The hub's canonical message to a bureau (field names as in {@code BureauTaskMessage} of bureau-api.yaml):
 * assignment (任务下发), urging (督办), return (退回), extension decision (延期批复), cancellation (撤销)
 * or receipt (回执). Per-bureau mappings turn it into the bureau's own shape.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskMessage(String messageId, String kind, String taskId, String unitCode, String policyId,
        Integer measureNo, String measureTitle, String role, String leadUnitCode, String status, String deadline,
        List<String> workItems, String reason, Integer urgingLevel, String extensionDecision, Long version,
        String issuedAt) {

    /** Field name to value, in declaration order, nulls left out. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "messageId", messageId);
        put(m, "kind", kind);
        put(m, "taskId", taskId);
        put(m, "unitCode", unitCode);
        put(m, "policyId", policyId);
        put(m, "measureNo", measureNo);
        put(m, "measureTitle", measureTitle);
        put(m, "role", role);
        put(m, "leadUnitCode", leadUnitCode);
        put(m, "status", status);
        put(m, "deadline", deadline);
        put(m, "workItems", workItems);
        put(m, "reason", reason);
        put(m, "urgingLevel", urgingLevel);
        put(m, "extensionDecision", extensionDecision);
        put(m, "version", version);
        put(m, "issuedAt", issuedAt);
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
