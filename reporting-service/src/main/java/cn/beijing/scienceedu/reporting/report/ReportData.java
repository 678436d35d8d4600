package cn.beijing.scienceedu.reporting.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Everything the read models hold about one policy, loaded once per report. */
public record ReportData(
        List<Change> changes,
        List<Progress> progress,
        List<KpiRow> kpiValues,
        Map<String, String> schoolDistricts,
        Map<String, String> districtNames,
        List<String> districtOrder) {

    /** One task event with the task's snapshot at that version. */
    public record Change(String eventId, String taskId, String kind, long version, String historyId, String actor,
            String fromStatus, String toStatus, String reason, Instant at, Instant receivedAt, String messageLogId,
            Integer actionNo, int measureNo, String unitCode, String leadUnitCode, String role, String status,
            String deliveryStatus, LocalDate deadline, Integer percentComplete, String rating, String urgingKind,
            Integer urgingLevel, String extensionId, String extensionState) {
    }

    public record Progress(String reportId, String eventId, String taskId, int measureNo, String unitCode,
            String period, String status, int percentComplete, String narrative, String messageLogId,
            String historyId, Instant reportedAt, Instant receivedAt) {
    }

    public record Parked(String deliveryId, String messageKind, String reason, String messageLogId, Instant at) {
    }

    public record KpiRow(String reportId, String taskId, String kpiCode, double value, String unit, String level,
            String districtCode, String schoolCode, String period, Instant reportedAt, String messageLogId,
            String eventId, String historyId) {
    }
}
