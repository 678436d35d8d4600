package cn.beijing.scienceedu.reporting.period;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.beijing.scienceedu.contracts.reporting.model.Circular;
import cn.beijing.scienceedu.contracts.reporting.model.JointReport;
import cn.beijing.scienceedu.contracts.reporting.model.PeriodSnapshot;
import cn.beijing.scienceedu.contracts.reporting.model.ScoringRule;
import cn.beijing.scienceedu.contracts.reporting.model.SnapshotSummary;
import cn.beijing.scienceedu.reporting.ReportingProperties;
import cn.beijing.scienceedu.reporting.export.ReportExporter;
import cn.beijing.scienceedu.reporting.projection.ProjectionChanged;
import cn.beijing.scienceedu.reporting.shared.ConflictException;
import cn.beijing.scienceedu.reporting.shared.Period;
import cn.beijing.scienceedu.reporting.report.JointReportService;
import cn.beijing.scienceedu.reporting.shared.NotFoundException;
import cn.beijing.scienceedu.reporting.report.ReportJson;
import cn.beijing.scienceedu.reporting.report.SnapshotStore;

/** Period close (关账): freezes the joint report; and the circular (情况通报) of a closed period. */
@Service
public class PeriodClosing {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PeriodClosing.class);

    private final JointReportService reports;
    private final SnapshotStore store;
    private final ReportingProperties properties;
    private final ReportExporter exporter;
    private final ApplicationEventPublisher publisher;

    public PeriodClosing(JointReportService reports, SnapshotStore store, ReportingProperties properties,
            ReportExporter exporter, ApplicationEventPublisher publisher) {
        this.reports = reports;
        this.store = store;
        this.properties = properties;
        this.exporter = exporter;
        this.publisher = publisher;
    }

    /**
     * Freezes everything the period shows: the report (canonical JSON, SHA-256 = its content hash), the lineage of
     * every figure and the circular with the scoring rule in force now (JSON and the DOCX as circulated), each
     * hashed. Nothing of it is recomputed later; facts arriving afterwards show as corrections in the next period.
     */
    @Transactional
    public SnapshotSummary close(String policyId, String period, String closedBy, String token) {
        Period.parse(period);
        if (store.closedAt(policyId, period).isPresent()) {
            throw new ConflictException("period " + period + " of " + policyId + " is already closed", "CLOSED");
        }
        JointReportService.Built built = reports.compute(policyId, period, token);
        JointReport report = built.report();
        report.setClosed(true);
        report.setContentHash(null);
        String body = ReportJson.canonical(report);
        String hash = ReportJson.sha256(body);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        String lineage = ReportJson.canonical(built.lineage().all());
        Circular circular = circularOf(report, policyId, period, now, hash);
        circular.setDraft(false);
        String circularJson = ReportJson.canonical(circular);
        byte[] docx = exporter.circularDocx(circular, reports.policy(policyId, token).getTitle());
        SnapshotStore.Snapshot s = new SnapshotStore.Snapshot(policyId, period, now, closedBy, hash, body, lineage,
                ReportJson.sha256(lineage), circularJson, ReportJson.sha256(circularJson), docx);
        if (!store.insert(s)) {
            throw new ConflictException("period " + period + " of " + policyId + " is already closed", "CLOSED");
        }
        // the next period's report lists what arrives after this close as corrections: not the one kept before it
        publisher.publishEvent(new ProjectionChanged("close", "close", policyId));
        log.info("period {} of {} closed by {}: report {}, lineage {}, circular {}", period, policyId, closedBy, hash,
                s.lineageHash(), s.circularHash());
        return summary(s);
    }

    public List<SnapshotSummary> list(String policyId) {
        return store.list(policyId).stream().map(PeriodClosing::summary).toList();
    }

    public PeriodSnapshot snapshot(String policyId, String period) {
        Period.parse(period);
        SnapshotStore.Snapshot s = store.find(policyId, period)
                .orElseThrow(() -> new NotFoundException("period " + period + " of " + policyId + " is not closed"));
        PeriodSnapshot ps = new PeriodSnapshot();
        ps.setSummary(summary(s));
        JointReport r = ReportJson.read(s.body());
        r.setContentHash(s.contentHash());
        ps.setReport(r);
        return ps;
    }

    /** The circular of a closed period, as frozen at its close. */
    public Circular circular(String policyId, String period) {
        SnapshotStore.Snapshot s = closed(policyId, period);
        if (s.circular() != null) {
            return ReportJson.read(s.circular(), Circular.class);
        }
        // closed before circulars were frozen: derived from the frozen report with today's rule
        return circularOf(ReportJson.read(s.body()), policyId, period, s.closedAt(), s.contentHash());
    }

    /**
     * A draft (草稿) of the circular of an open period: the period's current report (the one the dashboard shows)
     * ranked by the same rule and laid out in the same template as the final circular, {@code draft} true and
     * {@code asOf} the time of its figures. Never stored: the period's circular is made at its close. Empty when the
     * period is closed (there is no draft of a closed period, only its frozen circular).
     */
    public java.util.Optional<Circular> draft(String policyId, String period, String token) {
        Period.parse(period);
        if (store.closedAt(policyId, period).isPresent()) {
            return java.util.Optional.empty();
        }
        JointReport report = reports.report(policyId, period, token);
        if (Boolean.TRUE.equals(report.getClosed())) {
            return java.util.Optional.empty(); // closed meanwhile
        }
        Circular c = circularOf(report, policyId, period, null, null);
        c.setDraft(true);
        c.setAsOf(report.getGeneratedAt() != null ? report.getGeneratedAt()
                : OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
        return java.util.Optional.of(c);
    }

    /** Whether the period is closed (its circular is the frozen one). */
    public boolean isClosed(String policyId, String period) {
        return Period.isValid(period) && store.closedAt(policyId, period).isPresent();
    }

    /** The circular's DOCX exactly as produced at the close (null for periods closed before it was frozen). */
    public byte[] circularDocx(String policyId, String period) {
        return closed(policyId, period).circularDocx();
    }

    private SnapshotStore.Snapshot closed(String policyId, String period) {
        Period.parse(period);
        return store.find(policyId, period)
                .orElseThrow(() -> new ConflictException("period " + period + " of " + policyId
                        + " is not closed; a circular is issued for closed periods only (its draft: "
                        + "/api/v1/reports/circulars/" + period + "/draft?policy=" + policyId + ")", "OPEN"));
    }

    /** Ranks the units of a report by the configured scoring rule (情况通报评分规则, {@link UnitScoring}). */
    private Circular circularOf(JointReport r, String policyId, String period, OffsetDateTime closedAt, String hash) {
        ScoringRule rule = properties.circular().scoring();
        Circular c = new Circular();
        c.setPolicyId(policyId);
        c.setPeriod(period);
        c.setClosedAt(closedAt);
        c.setContentHash(hash);
        c.setScoringRule(new ScoringRule(rule.getBase(), rule.getSignForOnTimeWeight(), rule.getReportOnTimeWeight(),
                rule.getOverduePenalty(), rule.getReturnedPenalty()));
        c.setEntries(UnitScoring.rank(r.getUnits(), rule));
        // the tasks at risk with their problems and next steps, as the report shows them
        c.setAtRisk(new java.util.ArrayList<>(r.getAtRisk() == null ? List.of() : r.getAtRisk()));
        return c;
    }

    private static SnapshotSummary summary(SnapshotStore.Snapshot s) {
        SnapshotSummary sum = new SnapshotSummary();
        sum.setPolicyId(s.policyId());
        sum.setPeriod(s.period());
        sum.setClosedAt(s.closedAt());
        sum.setClosedBy(s.closedBy());
        sum.setContentHash(s.contentHash());
        return sum;
    }
}
