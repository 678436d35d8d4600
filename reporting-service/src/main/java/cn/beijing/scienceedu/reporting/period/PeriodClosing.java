package cn.beijing.scienceedu.reporting.period;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.beijing.scienceedu.contracts.reporting.model.Circular;
import cn.beijing.scienceedu.contracts.reporting.model.CircularEntry;
import cn.beijing.scienceedu.contracts.reporting.model.JointReport;
import cn.beijing.scienceedu.contracts.reporting.model.PeriodSnapshot;
import cn.beijing.scienceedu.contracts.reporting.model.ScoringRule;
import cn.beijing.scienceedu.contracts.reporting.model.SnapshotSummary;
import cn.beijing.scienceedu.contracts.reporting.model.UnitRow;
import cn.beijing.scienceedu.reporting.ReportingProperties;
import cn.beijing.scienceedu.reporting.report.ConflictException;
import cn.beijing.scienceedu.reporting.report.JointReportService;
import cn.beijing.scienceedu.reporting.report.NotFoundException;
import cn.beijing.scienceedu.reporting.report.ReportJson;
import cn.beijing.scienceedu.reporting.report.SnapshotStore;

/** Period close (关账): freezes the joint report; and the circular (情况通报) of a closed period. */
@Service
public class PeriodClosing {

    private final JointReportService reports;
    private final SnapshotStore store;
    private final ReportingProperties properties;

    public PeriodClosing(JointReportService reports, SnapshotStore store, ReportingProperties properties) {
        this.reports = reports;
        this.store = store;
        this.properties = properties;
    }

    @Transactional
    public SnapshotSummary close(String policyId, String period, String closedBy, String token) {
        if (store.find(policyId, period).isPresent()) {
            throw new ConflictException("period " + period + " of " + policyId + " is already closed", "CLOSED");
        }
        JointReport report = reports.live(policyId, period, token);
        report.setClosed(true);
        report.setContentHash(null);
        String body = ReportJson.canonical(report);
        String hash = ReportJson.sha256(body);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        SnapshotStore.Snapshot s = new SnapshotStore.Snapshot(policyId, period, now, closedBy, hash, body);
        if (!store.insert(s)) {
            throw new ConflictException("period " + period + " of " + policyId + " is already closed", "CLOSED");
        }
        return summary(s);
    }

    public List<SnapshotSummary> list(String policyId) {
        return store.list(policyId).stream().map(PeriodClosing::summary).toList();
    }

    public PeriodSnapshot snapshot(String policyId, String period) {
        SnapshotStore.Snapshot s = store.find(policyId, period)
                .orElseThrow(() -> new NotFoundException("period " + period + " of " + policyId + " is not closed"));
        PeriodSnapshot ps = new PeriodSnapshot();
        ps.setSummary(summary(s));
        JointReport r = ReportJson.read(s.body());
        r.setContentHash(s.contentHash());
        ps.setReport(r);
        return ps;
    }

    /** The circular of a closed period, ranking units by the configured scoring rule. */
    public Circular circular(String policyId, String period) {
        SnapshotStore.Snapshot s = store.find(policyId, period)
                .orElseThrow(() -> new ConflictException("period " + period + " of " + policyId
                        + " is not closed; a circular is issued for closed periods only", "OPEN"));
        JointReport r = ReportJson.read(s.body());
        ReportingProperties.Scoring rule = properties.circular().scoring();
        Circular c = new Circular();
        c.setPolicyId(policyId);
        c.setPeriod(period);
        c.setClosedAt(s.closedAt());
        c.setContentHash(s.contentHash());
        ScoringRule sr = new ScoringRule();
        sr.setBase(rule.base());
        sr.setSignForOnTimeWeight(rule.signForOnTimeWeight());
        sr.setReportOnTimeWeight(rule.reportOnTimeWeight());
        sr.setOverduePenalty(rule.overduePenalty());
        sr.setReturnedPenalty(rule.returnedPenalty());
        c.setScoringRule(sr);
        List<CircularEntry> entries = new java.util.ArrayList<>();
        for (UnitRow u : r.getUnits()) {
            if (u.getTaskCount() == 0) {
                continue;
            }
            CircularEntry e = new CircularEntry();
            e.setUnitCode(u.getUnitCode());
            e.setShortName(u.getShortName());
            e.setTaskCount(u.getTaskCount());
            double signRate = 100.0 * u.getSignedForOnTimeCount() / u.getTaskCount();
            double reportRate = u.getReportedCount() == 0 ? 0 : 100.0 * u.getReportedOnTimeCount() / u.getReportedCount();
            e.setSignForOnTimeRate(round(signRate));
            e.setReportOnTimeRate(round(reportRate));
            e.setOverdueCount(u.getOverdueCount());
            e.setReturnedCount(u.getReturnedCount());
            e.setScore(round(rule.base() + rule.signForOnTimeWeight() * signRate / 100
                    + rule.reportOnTimeWeight() * reportRate / 100 - rule.overduePenalty() * u.getOverdueCount()
                    - rule.returnedPenalty() * u.getReturnedCount()));
            entries.add(e);
        }
        entries.sort(Comparator.comparing(CircularEntry::getScore).reversed());
        for (int i = 0; i < entries.size(); i++) {
            entries.get(i).setRank(i > 0 && entries.get(i).getScore().equals(entries.get(i - 1).getScore())
                    ? entries.get(i - 1).getRank() : i + 1);
        }
        c.setEntries(entries);
        return c;
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
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
