package cn.beijing.scienceedu.reporting.report;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import cn.beijing.scienceedu.contracts.reporting.model.LineageSource;
import cn.beijing.scienceedu.reporting.report.ReportData.Change;
import cn.beijing.scienceedu.reporting.report.ReportData.KpiRow;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;

/**
 * Every figure a report shows, by figure id: its value and its sources (lineage). The sources are turned into
 * {@link LineageSource} objects only when asked for (a lineage request, a period close): for a period with thousands
 * of progress reports every report is a source of ~6 figures.
 */
final class FigureSources {

    private final Map<String, Supplier<List<LineageSource>>> lineage = new LinkedHashMap<>();
    private final Map<String, Double> values = new HashMap<>();

    Map<String, Supplier<List<LineageSource>>> lineage() {
        return lineage;
    }

    Map<String, Double> values() {
        return values;
    }

    /** A figure computed from tasks: their latest change and their progress reports in the period. */
    void tasks(String figure, List<TaskAsOf> tasks, Number value) {
        lineage.put(figure, () -> {
            List<LineageSource> sources = new ArrayList<>();
            for (TaskAsOf t : tasks) {
                sources.add(source(t.state()));
                for (Progress p : t.reportsInPeriod()) {
                    sources.add(source(p));
                }
            }
            return sources;
        });
        values.put(figure, value == null ? null : value.doubleValue());
    }

    /** A figure counting task changes (sign-fors, returns, urgings). */
    void changes(String figure, List<Change> changes, Number value) {
        lineage.put(figure, () -> changes.stream().map(FigureSources::source).toList());
        values.put(figure, value.doubleValue());
    }

    /** A figure counting progress reports. */
    void reports(String figure, List<Progress> reports, Number value) {
        lineage.put(figure, () -> reports.stream().map(FigureSources::source).toList());
        values.put(figure, value.doubleValue());
    }

    /** A KPI figure: the values it was taken from. */
    void kpis(String figure, List<KpiRow> rows, Double value) {
        lineage.put(figure, () -> rows.stream().map(FigureSources::source).toList());
        values.put(figure, value);
    }

    static LineageSource source(Change c) {
        LineageSource s = new LineageSource();
        s.setTaskId(c.taskId());
        s.setEventId(c.eventId());
        s.setEventType(c.kind());
        s.setHistoryId(c.historyId());
        s.setMessageLogId(c.messageLogId());
        s.setAt(c.at().atOffset(ZoneOffset.UTC));
        return s;
    }

    static LineageSource source(Progress p) {
        LineageSource s = new LineageSource();
        s.setTaskId(p.taskId());
        s.setEventId(p.eventId());
        s.setEventType("task.progress-reported");
        s.setProgressReportId(p.reportId());
        s.setHistoryId(p.historyId());
        s.setMessageLogId(p.messageLogId());
        s.setAt(p.reportedAt().atOffset(ZoneOffset.UTC));
        return s;
    }

    static LineageSource source(KpiRow k) {
        LineageSource s = new LineageSource();
        s.setTaskId(k.taskId());
        s.setEventId(k.eventId());
        s.setEventType("task.progress-reported");
        s.setProgressReportId(k.reportId());
        s.setHistoryId(k.historyId());
        s.setMessageLogId(k.messageLogId());
        s.setAt(k.reportedAt().atOffset(ZoneOffset.UTC));
        return s;
    }
}
