package cn.beijing.scienceedu.reporting.report;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import cn.beijing.scienceedu.contracts.reporting.api.ReportsApi;
import cn.beijing.scienceedu.contracts.reporting.model.ActionRow;
import cn.beijing.scienceedu.contracts.reporting.model.GoalRow;
import cn.beijing.scienceedu.contracts.reporting.model.JointReport;
import cn.beijing.scienceedu.contracts.reporting.model.KpiRollup;
import cn.beijing.scienceedu.contracts.reporting.model.Lineage;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureDetail;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureRow;
import cn.beijing.scienceedu.contracts.reporting.model.OverdueItem;
import cn.beijing.scienceedu.contracts.reporting.model.TaskView;
import cn.beijing.scienceedu.contracts.reporting.model.UnitRow;
import cn.beijing.scienceedu.reporting.export.ReportExporter;
import cn.beijing.scienceedu.reporting.web.Caller;
import tools.jackson.databind.json.JsonMapper;

/** {@code /api/v1/reports/*}: the joint report and its views, in JSON and the export formats. */
@RestController
class ReportsController implements ReportsApi {

    private final JointReportService reports;
    private final ReportExporter exporter;
    private final JsonMapper json;

    /** {@code json}: the mapper Spring MVC answers with, so a pre-serialised report is byte for byte the same. */
    public ReportsController(JointReportService reports, ReportExporter exporter, JsonMapper json) {
        this.reports = reports;
        this.exporter = exporter;
        this.json = json;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public ResponseEntity<JointReport> getJointReport(String policy, String period, String format, String lang) {
        String f = format != null ? format : fromAccept();
        if ("json".equals(f)) {
            byte[] open = reports.openReportJson(policy, period, Caller.token(), json);
            if (open != null) {
                return (ResponseEntity) ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(open);
            }
        }
        JointReport r = reports.report(policy, period, Caller.token());
        boolean en = "en".equals(lang);
        HttpHeaders headers = new HttpHeaders();
        if (r.getContentHash() != null) {
            headers.add("X-Content-Hash", r.getContentHash());
        }
        String file = "joint-report-" + policy + "-" + period;
        return switch (f) {
            case "csv" -> (ResponseEntity) bytes(headers, new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8),
                    file + ".csv", exporter.csv(r, en));
            case "xlsx" -> (ResponseEntity) bytes(headers, MediaType.parseMediaType(ReportExporter.XLSX), file + ".xlsx",
                    exporter.xlsx(r, en));
            case "pdf" -> (ResponseEntity) bytes(headers, MediaType.APPLICATION_PDF, file + ".pdf", exporter.pdf(r, en));
            default -> ResponseEntity.ok().headers(headers).contentType(MediaType.APPLICATION_JSON).body(r);
        };
    }

    static ResponseEntity<byte[]> bytes(HttpHeaders headers, MediaType type, String fileName, byte[] body) {
        return ResponseEntity.ok().headers(headers).contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"")
                .body(body);
    }

    private static String fromAccept() {
        var attrs = (ServletRequestAttributes) RequestContextHolder.getRequestAttributes();
        String accept = attrs == null ? null : attrs.getRequest().getHeader(HttpHeaders.ACCEPT);
        if (accept == null) {
            return "json";
        }
        if (accept.contains("text/csv")) {
            return "csv";
        }
        if (accept.contains("spreadsheetml")) {
            return "xlsx";
        }
        if (accept.contains("application/pdf")) {
            return "pdf";
        }
        return "json";
    }

    @Override
    public ResponseEntity<List<MeasureRow>> getMeasureView(String policy, String period) {
        return ResponseEntity.ok(reports.report(policy, period, Caller.token()).getMeasures());
    }

    @Override
    public ResponseEntity<MeasureDetail> getMeasureDetail(Integer measureNo, String policy, String period) {
        return ResponseEntity.ok(reports.measure(policy, period, measureNo, Caller.token()));
    }

    @Override
    public ResponseEntity<TaskView> getTaskView(String taskId) {
        return ResponseEntity.ok(reports.task(taskId));
    }

    @Override
    public ResponseEntity<List<ActionRow>> getActionView(String policy, String period) {
        return ResponseEntity.ok(reports.report(policy, period, Caller.token()).getActions());
    }

    @Override
    public ResponseEntity<List<UnitRow>> getUnitView(String policy, String period) {
        return ResponseEntity.ok(reports.report(policy, period, Caller.token()).getUnits());
    }

    @Override
    public ResponseEntity<List<GoalRow>> getGoalView(String policy, String period) {
        return ResponseEntity.ok(reports.report(policy, period, Caller.token()).getGoals());
    }

    @Override
    public ResponseEntity<List<OverdueItem>> getOverdueList(String policy, String period) {
        return ResponseEntity.ok(reports.report(policy, period, Caller.token()).getOverdue());
    }

    @Override
    public ResponseEntity<List<KpiRollup>> getKpiRollups(String policy, String period) {
        return ResponseEntity.ok(reports.report(policy, period, Caller.token()).getKpis());
    }

    @Override
    public ResponseEntity<Lineage> getLineage(String policy, String period, String figure) {
        return ResponseEntity.ok(reports.lineage(policy, period, figure, Caller.token()));
    }
}
