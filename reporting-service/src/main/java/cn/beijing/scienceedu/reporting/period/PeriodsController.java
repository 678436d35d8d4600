package cn.beijing.scienceedu.reporting.period;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import cn.beijing.scienceedu.contracts.reporting.api.CircularsApi;
import cn.beijing.scienceedu.contracts.reporting.api.PeriodsApi;
import cn.beijing.scienceedu.contracts.reporting.model.Circular;
import cn.beijing.scienceedu.contracts.reporting.model.PeriodSnapshot;
import cn.beijing.scienceedu.contracts.reporting.model.SnapshotSummary;
import cn.beijing.scienceedu.reporting.export.ReportExporter;
import cn.beijing.scienceedu.reporting.report.JointReportService;
import cn.beijing.scienceedu.reporting.web.Caller;

/** Period close, snapshots and circulars. */
@RestController
public class PeriodsController implements PeriodsApi, CircularsApi {

    private final PeriodClosing closing;
    private final ReportExporter exporter;
    private final JointReportService reports;

    public PeriodsController(PeriodClosing closing, ReportExporter exporter, JointReportService reports) {
        this.closing = closing;
        this.exporter = exporter;
        this.reports = reports;
    }

    @Override
    public ResponseEntity<SnapshotSummary> closePeriod(String period, String policy) {
        return ResponseEntity.status(HttpStatus.CREATED).body(closing.close(policy, period, Caller.name(), Caller.token()));
    }

    @Override
    public ResponseEntity<PeriodSnapshot> getSnapshot(String period, String policy) {
        return ResponseEntity.ok(closing.snapshot(policy, period));
    }

    @Override
    public ResponseEntity<List<SnapshotSummary>> listSnapshots(String policy) {
        reports.policy(policy, Caller.token());
        return ResponseEntity.ok(closing.list(policy));
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public ResponseEntity<Circular> getCircular(String period, String policy, String format) {
        Circular c = closing.circular(policy, period);
        if ("docx".equals(format)) {
            // the document frozen at the close; produced now only for periods closed before it was kept
            byte[] docx = closing.circularDocx(policy, period);
            if (docx == null) {
                docx = exporter.circularDocx(c, reports.policy(policy, Caller.token()).getTitle());
            }
            return (ResponseEntity) ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType(ReportExporter.DOCX))
                    .header("X-Content-Hash", c.getContentHash())
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"circular-" + policy + "-" + period + ".docx\"")
                    .body(docx);
        }
        return ResponseEntity.ok(c);
    }
}
