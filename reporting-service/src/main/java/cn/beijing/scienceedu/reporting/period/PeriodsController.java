package cn.beijing.scienceedu.reporting.period;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.springframework.http.CacheControl;
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

/** Period close, snapshots and circulars (the frozen one of a closed period, the draft of an open one). */
@RestController
class PeriodsController implements PeriodsApi, CircularsApi {

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

    /**
     * The circular frozen at the close: JSON, the DOCX stored then (byte for byte), or the PDF rendered from the frozen
     * circular. An open period: 409 OPEN (its draft is {@link #getCircularDraft}).
     */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public ResponseEntity<Circular> getCircular(String period, String policy, String format) {
        Circular c = closing.circular(policy, period);
        String file = "circular-" + policy + "-" + period;
        if ("docx".equals(format)) {
            // the document frozen at the close; produced now only for periods closed before it was kept
            byte[] docx = closing.circularDocx(policy, period);
            if (docx == null) {
                docx = exporter.circularDocx(c, reports.policy(policy, Caller.token()).getTitle());
            }
            return (ResponseEntity) file(MediaType.parseMediaType(ReportExporter.DOCX), file + ".docx", docx)
                    .header("X-Content-Hash", c.getContentHash()).body(docx);
        }
        if ("pdf".equals(format)) {
            byte[] pdf = exporter.circularPdf(c, reports.policy(policy, Caller.token()).getTitle());
            return (ResponseEntity) file(MediaType.APPLICATION_PDF, file + ".pdf", pdf)
                    .header("X-Content-Hash", c.getContentHash()).body(pdf);
        }
        return ResponseEntity.ok(c);
    }

    /**
     * The draft of an open period's circular, from its current figures (never stored; {@code Cache-Control:
     * no-store}, as it changes with every fact). A closed period has none: 303 to its frozen circular.
     */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public ResponseEntity<Circular> getCircularDraft(String period, String policy, String format) {
        Optional<Circular> draft = closing.draft(policy, period, Caller.token());
        if (draft.isEmpty()) {
            // relative, so that it holds through the gateway; policy, period and format match the contract's patterns
            String frozen = contextPath() + "/api/v1/reports/circulars/" + period + "?policy=" + policy
                    + (format == null ? "" : "&format=" + format);
            return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(frozen)).build();
        }
        Circular c = draft.get();
        String file = "circular-draft-" + policy + "-" + period;
        if ("docx".equals(format)) {
            byte[] docx = exporter.circularDocx(c, reports.policy(policy, Caller.token()).getTitle());
            return (ResponseEntity) file(MediaType.parseMediaType(ReportExporter.DOCX), file + ".docx", docx)
                    .cacheControl(CacheControl.noStore()).body(docx);
        }
        if ("pdf".equals(format)) {
            byte[] pdf = exporter.circularPdf(c, reports.policy(policy, Caller.token()).getTitle());
            return (ResponseEntity) file(MediaType.APPLICATION_PDF, file + ".pdf", pdf)
                    .cacheControl(CacheControl.noStore()).body(pdf);
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(c);
    }

    private static ResponseEntity.BodyBuilder file(MediaType type, String fileName, byte[] body) {
        return ResponseEntity.ok().contentType(type).contentLength(body.length)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"");
    }

    private static String contextPath() {
        var attrs = (org.springframework.web.context.request.ServletRequestAttributes)
                org.springframework.web.context.request.RequestContextHolder.getRequestAttributes();
        return attrs == null ? "" : attrs.getRequest().getContextPath();
    }
}
