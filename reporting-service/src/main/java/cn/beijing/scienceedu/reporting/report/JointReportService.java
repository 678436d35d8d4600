package cn.beijing.scienceedu.reporting.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.contracts.reporting.model.HistoryEntry;
import cn.beijing.scienceedu.contracts.reporting.model.JointReport;
import cn.beijing.scienceedu.contracts.reporting.model.Lineage;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureDetail;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureRow;
import cn.beijing.scienceedu.contracts.reporting.model.ProgressEntry;
import cn.beijing.scienceedu.contracts.reporting.model.TaskView;
import cn.beijing.scienceedu.reporting.ReportingProperties;
import cn.beijing.scienceedu.reporting.catalogue.PolicyCatalogue;
import cn.beijing.scienceedu.reporting.projection.ProjectionVersion;
import cn.beijing.scienceedu.reporting.report.ReportData.Change;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;

/**
 * The joint report of a policy and period: frozen when the period is closed (report, lineage and circular as
 * they were at the close), computed from the read models otherwise; a computed report is kept until the
 * projection changes ({@link ProjectionVersion}) or the day turns (overdue depends on "today").
 */
@Service
public class JointReportService {

    /** A computed report with the lineage of every figure it shows. */
    public record Built(JointReport report, Map<String, Lineage> lineage) {
    }

    private record Key(String policyId, String period) {
    }

    private record Cached(long version, LocalDate today, long builtAtNanos, Built built) {
    }

    private final PolicyCatalogue catalogue;
    private final ReportDataLoader loader;
    private final SnapshotStore snapshots;
    private final ReportingProperties properties;
    private final ProjectionVersion version;
    private final WorkingCalendar calendar;
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

    public JointReportService(PolicyCatalogue catalogue, ReportDataLoader loader, SnapshotStore snapshots,
            ReportingProperties properties, ProjectionVersion version) {
        this.catalogue = catalogue;
        this.loader = loader;
        this.snapshots = snapshots;
        this.properties = properties;
        this.version = version;
        this.calendar = new WorkingCalendar(properties.calendar());
    }

    public Policy policy(String policyId, String token) {
        return catalogue.find(policyId, token).orElseThrow(() -> new NotFoundException("no policy " + policyId));
    }

    /** The report: the frozen snapshot for a closed period, else computed (or the cached computation). */
    public JointReport report(String policyId, String periodId, String token) {
        Period.parse(periodId);
        Optional<SnapshotStore.Snapshot> frozen = snapshots.find(policyId, periodId);
        if (frozen.isPresent()) {
            JointReport r = ReportJson.read(frozen.get().body());
            r.setContentHash(frozen.get().contentHash());
            return r;
        }
        return current(policyId, periodId, token).report();
    }

    /**
     * The computed report of an open period, shared between requests until the projection changes. Callers must
     * not modify it.
     */
    Built current(String policyId, String periodId, String token) {
        ReportingProperties.Cache c = properties.cache();
        if (!c.enabled()) {
            return compute(policyId, periodId, token);
        }
        // read the version before the data: a change committed meanwhile bumps it and the next reader rebuilds
        long v = version.current();
        LocalDate today = LocalDate.now(properties.zoneId());
        Key key = new Key(policyId, periodId);
        Cached hit = cache.get(key);
        if (hit != null && hit.version() == v && hit.today().equals(today)
                && System.nanoTime() - hit.builtAtNanos() < c.maxAge().toNanos()) {
            return hit.built();
        }
        Built built = compute(policyId, periodId, token);
        if (cache.size() >= c.maxEntries()) {
            cache.clear();
        }
        cache.put(key, new Cached(v, today, System.nanoTime(), built));
        return built;
    }

    /** The report computed from the read models now, ignoring any snapshot or cache (what a close freezes). */
    public Built compute(String policyId, String periodId, String token) {
        Policy policy = policy(policyId, token);
        Period period = Period.parse(periodId);
        ReportData data = loader.load(policyId);
        JointReportBuilder builder = new JointReportBuilder(policy, period, data, properties, calendar, Instant.now());
        JointReport report = builder.build();
        Period previous = period.previous();
        snapshots.closedAt(policyId, previous.id()).ifPresent(closedAt ->
                report.setCorrections(new ArrayList<>(builder.corrections(previous, closedAt.toInstant()))));
        Map<String, Lineage> lineage = new TreeMap<>();
        builder.lineage().forEach((figure, sources) -> {
            Lineage l = new Lineage();
            l.setFigure(figure);
            l.setPolicyId(policyId);
            l.setPeriod(periodId);
            l.setValue(builder.values().get(figure));
            l.setSources(new ArrayList<>(sources));
            lineage.put(figure, l);
        });
        return new Built(report, lineage);
    }

    /** The report computed now; a fresh copy the caller may change. */
    public JointReport live(String policyId, String periodId, String token) {
        return compute(policyId, periodId, token).report();
    }

    /** Where a figure comes from: frozen with the report for a closed period. */
    public Lineage lineage(String policyId, String periodId, String figure, String token) {
        Period.parse(periodId);
        Optional<SnapshotStore.Snapshot> frozen = snapshots.find(policyId, periodId);
        Lineage l;
        if (frozen.isPresent() && frozen.get().lineage() != null) {
            l = ReportJson.readLineage(frozen.get().lineage()).get(figure);
        } else {
            policy(policyId, token);
            l = current(policyId, periodId, token).lineage().get(figure);
        }
        if (l == null) {
            throw new NotFoundException("no figure " + figure + " in the report of " + policyId + " " + periodId);
        }
        return l;
    }

    public MeasureDetail measure(String policyId, String periodId, int measureNo, String token) {
        JointReport report = report(policyId, periodId, token);
        MeasureRow row = report.getMeasures().stream().filter(m -> m.getMeasureNo() == measureNo).findFirst()
                .orElseThrow(() -> new NotFoundException("no measure " + measureNo));
        ReportData data = loader.load(policyId);
        MeasureDetail d = new MeasureDetail();
        d.setMeasure(row);
        Policy policy = policy(policyId, token);
        Measure m = policy.getMeasures().stream().filter(x -> x.getNo() == measureNo).findFirst().orElseThrow();
        for (String unit : m.getUnitCodes()) {
            data.changes().stream().filter(c -> c.measureNo() == measureNo && unit.equals(c.unitCode()))
                    .map(Change::taskId).findFirst()
                    .ifPresent(taskId -> d.addTasksItem(taskView(taskId, data)));
        }
        return d;
    }

    public TaskView task(String taskId) {
        String policyId = loader.policyOfTask(taskId).orElseThrow(() -> new NotFoundException("no task " + taskId));
        return taskView(taskId, loader.loadTask(policyId, taskId));
    }

    private TaskView taskView(String taskId, ReportData data) {
        List<Change> h = data.changes().stream().filter(c -> c.taskId().equals(taskId))
                .sorted(Comparator.comparingLong(Change::version)).toList();
        if (h.isEmpty()) {
            throw new NotFoundException("no task " + taskId);
        }
        Change s = h.get(h.size() - 1);
        TaskView v = new TaskView();
        v.setTaskId(taskId);
        v.setPolicyId(null);
        v.setMeasureNo(s.measureNo());
        v.setActionNo(s.actionNo());
        v.setUnitCode(s.unitCode());
        v.setLeadUnitCode(s.leadUnitCode());
        v.setRole(s.role());
        v.setStatus(s.status());
        v.setDeliveryStatus(s.deliveryStatus());
        v.setDeadline(s.deadline());
        v.setPercentComplete(s.percentComplete());
        v.setRating(s.rating());
        v.setVersion(s.version());
        v.setOverdue(s.deadline() != null && !List.of("SUBMITTED", "ACCEPTED", "CANCELLED").contains(s.status())
                && s.deadline().isBefore(java.time.LocalDate.now(properties.zoneId())));
        v.setUrgingLevel(h.stream().map(Change::urgingLevel).filter(java.util.Objects::nonNull)
                .max(Integer::compare).orElse(0));
        h.stream().filter(c -> c.extensionId() != null).reduce((a, b) -> b)
                .filter(c -> "PENDING".equals(c.extensionState()))
                .ifPresent(c -> v.setPendingExtensionRequestId(c.extensionId()));
        for (Change c : h) {
            HistoryEntry e = new HistoryEntry();
            e.setEventId(c.eventId());
            e.setType(c.kind());
            e.setHistoryId(c.historyId());
            e.setActor(c.actor());
            e.setFromStatus(c.fromStatus());
            e.setToStatus(c.toStatus());
            e.setReason(c.reason());
            e.setAt(c.at().atOffset(java.time.ZoneOffset.UTC));
            e.setVersion(c.version());
            e.setMessageLogId(c.messageLogId());
            v.addHistoryItem(e);
        }
        for (Progress p : data.progress()) {
            if (p.taskId().equals(taskId)) {
                ProgressEntry e = new ProgressEntry();
                e.setReportId(p.reportId());
                e.setPeriod(p.period());
                e.setStatus(p.status());
                e.setPercentComplete(p.percentComplete());
                e.setNarrative(p.narrative());
                e.setMessageLogId(p.messageLogId());
                e.setReceivedAt(p.reportedAt().atOffset(java.time.ZoneOffset.UTC));
                v.addProgressItem(e);
            }
        }
        for (ReportData.Parked d : loader.parked(taskId)) {
            cn.beijing.scienceedu.contracts.reporting.model.ParkedDelivery pd =
                    new cn.beijing.scienceedu.contracts.reporting.model.ParkedDelivery();
            pd.setDeliveryId(d.deliveryId());
            pd.setMessageKind(d.messageKind());
            pd.setReason(d.reason());
            pd.setMessageLogId(d.messageLogId());
            pd.setAt(d.at().atOffset(java.time.ZoneOffset.UTC));
            v.addParkedDeliveriesItem(pd);
        }
        if (v.getParkedDeliveries() == null) {
            v.setParkedDeliveries(new ArrayList<>());
        }
        if (v.getHistory() == null) {
            v.setHistory(new ArrayList<>());
        }
        if (v.getProgress() == null) {
            v.setProgress(new ArrayList<>());
        }
        return v;
    }
}
