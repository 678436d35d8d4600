package cn.beijing.scienceedu.adapters.mapping;

import java.util.List;
import java.util.Map;

/**
 * What a bureau sends the hub, whatever the protocol: sign-for (签收), progress (进展报送), submission
 * (成果报送) or extension request (延期申请).
 */
public record InboundReport(String messageId, Kind kind, String taskId, String unitCode, String signedBy,
        String period, Integer percentComplete, String narrative, String summary, String requestedDeadline,
        String reason, List<Map<String, Object>> kpiValues) {

    public enum Kind {
        SIGN_FOR("sign-for"), PROGRESS("progress-reports"), SUBMISSION("submission"),
        EXTENSION_REQUEST("extension-requests");

        private final String path;

        Kind(String path) {
            this.path = path;
        }

        /** The task-service path segment ({@code /api/v1/tasks/{id}/<path>}). */
        public String path() {
            return path;
        }
    }
}
