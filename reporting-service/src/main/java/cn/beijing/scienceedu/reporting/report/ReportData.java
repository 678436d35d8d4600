package cn.beijing.scienceedu.reporting.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import cn.beijing.scienceedu.contracts.reporting.model.Evidence;

/**
 * What the read models hold about one policy for one report, loaded once per report;
 * {@code reportEventsAfterClose}: the events carrying a progress report received after the previous period's close
 * (such an event is a correction as a report, not as a task change).
 */
record ReportData(
        List<Change> changes,
        List<Progress> progress,
        List<KpiRow> kpiValues,
        Map<String, String> districtNames,
        Map<String, String> districtNamesEn,
        List<String> districtOrder,
        java.util.Set<String> reportEventsAfterClose) {

    /** One task event with the task's snapshot at that version. */
    public record Change(String eventId, String taskId, String kind, long version, String historyId, String actor,
            String fromStatus, String toStatus, String reason, Instant at, Instant receivedAt, String messageLogId,
            Integer actionNo, int measureNo, String unitCode, String leadUnitCode, String role, String status,
            String deliveryStatus, LocalDate deadline, Integer percentComplete, String rating, String urgingKind,
            Integer urgingLevel, String extensionId, String extensionState, String ratingReason, String bureauStatus,
            Boolean calendarKnown, String signedBy, Instant signedAt, String lastReportPeriod, Instant lastReportAt,
            String extensionReporter, Instant extensionRequestedAt) {
    }

    public record Progress(String reportId, String eventId, String taskId, int measureNo, String unitCode,
            String period, String status, int percentComplete, String narrative, String messageLogId,
            String historyId, Instant reportedAt, Instant receivedAt, String problems, String nextSteps,
            String reporter, Instant sentAt, List<Evidence> evidence) {
    }

    /** A KPI value with its report; {@code districtCode} of a school-level value falls back to its school's. */
    public record KpiRow(String reportId, String taskId, String kpiCode, double value, String unit, String level,
            String districtCode, String schoolCode, String period, Instant reportedAt, String messageLogId,
            String eventId, String historyId) {
    }
}
