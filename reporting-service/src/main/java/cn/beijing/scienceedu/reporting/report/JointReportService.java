package cn.beijing.scienceedu.reporting.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import tools.jackson.databind.json.JsonMapper;

import cn.beijing.scienceedu.contracts.calendar.WorkingDaysSource;
import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.contracts.reporting.model.HistoryEntry;
import cn.beijing.scienceedu.contracts.reporting.model.JointReport;
import cn.beijing.scienceedu.contracts.reporting.model.Lineage;
import cn.beijing.scienceedu.contracts.reporting.model.LineageSource;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureDetail;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureRow;
import cn.beijing.scienceedu.contracts.reporting.model.ProgressEntry;
import cn.beijing.scienceedu.contracts.reporting.model.TaskView;
import cn.beijing.scienceedu.reporting.ReportingProperties;
import cn.beijing.scienceedu.reporting.catalogue.PolicyCatalogue;
import cn.beijing.scienceedu.reporting.projection.ProjectionVersion;
import cn.beijing.scienceedu.reporting.report.ReportData.Change;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;
import cn.beijing.scienceedu.reporting.shared.NotFoundException;
import cn.beijing.scienceedu.reporting.shared.Period;

/**
 * The joint report of a policy and period: frozen when the period is closed (report, lineage and circular as
 * they were at the close), computed from the read models otherwise; a computed report is kept until the
 * policy's read models change ({@link ProjectionVersion}), the day turns (overdue depends on "today") or it is
 * older than {@code hub.reporting.cache.max-age}. Readers of the same report share one build (a reader that comes
 * while it is under way waits for it), and a report read lately is rebuilt in the background shortly after a
 * change, so that the next reader finds it ready — never a report older than the changes committed before the
 * reader came.
 */
@Service
public class JointReportService {

    private static final Logger log = LoggerFactory.getLogger(JointReportService.class);

    /** A computed report with the lineage of every figure it shows. */
    public static final class Built {
        private final JointReport report;
        private final Figures lineage;
        private volatile byte[] json;

        Built(JointReport report, Figures lineage) {
            this.report = report;
            this.lineage = lineage;
        }

        public JointReport report() {
            return report;
        }

        public Figures lineage() {
            return lineage;
        }

        /**
         * The report as the JSON answer, serialised once per build: with thousands of overdue tasks the body is
         * over a megabyte, and serialising it again for every reader of a kept report was most of a request.
         */
        byte[] json(JsonMapper mapper) {
            byte[] j = json;
            if (j == null) {
                j = mapper.writeValueAsBytes(report);
                json = j;
            }
            return j;
        }
    }

    /** The lineage of a built report's figures, each turned into its sources when first asked for. */
    public static final class Figures {
        private final String policyId;
        private final String periodId;
        private final Map<String, Supplier<List<LineageSource>>> sources;
        private final Map<String, Double> values;
        private final Map<String, Lineage> made = new ConcurrentHashMap<>();

        Figures(String policyId, String periodId, Map<String, Supplier<List<LineageSource>>> sources,
                Map<String, Double> values) {
            this.policyId = policyId;
            this.periodId = periodId;
            this.sources = sources;
            this.values = values;
        }

        /** The lineage of {@code figure}, or null when the report has no such figure. */
        public Lineage get(String figure) {
            if (!sources.containsKey(figure)) {
                return null;
            }
            return made.computeIfAbsent(figure, f -> {
                Lineage l = new Lineage();
                l.setFigure(f);
                l.setPolicyId(policyId);
                l.setPeriod(periodId);
                l.setValue(values.get(f));
                l.setSources(new ArrayList<>(sources.get(f).get()));
                return l;
            });
        }

        /** Every figure's lineage, by figure id (what a period close freezes). */
        public Map<String, Lineage> all() {
            Map<String, Lineage> out = new TreeMap<>();
            for (String f : sources.keySet()) {
                out.put(f, get(f));
            }
            return out;
        }
    }

    private record Key(String policyId, String period) {
    }

    /** A build of one report at a version of its policy's read models: done, or under way. */
    private record Entry(long version, LocalDate today, long startedNanos, CompletableFuture<Built> built) {
        /** Whether this build shows everything a reader who saw {@code v} must see. */
        boolean serves(long v, LocalDate day, long now, long maxAgeNanos) {
            return version >= v && today.equals(day) && now - startedNanos < maxAgeNanos
                    && !built.isCompletedExceptionally();
        }
    }

    private final PolicyCatalogue catalogue;
    private final ReportDataLoader loader;
    private final SnapshotStore snapshots;
    private final ReportingProperties properties;
    private final ProjectionVersion version;
    private final WorkingDaysSource calendar;
    private final Map<Key, Entry> cache = new ConcurrentHashMap<>();
    /** When each kept report was last asked for: only those are rebuilt in the background. */
    private final Map<Key, Long> lastRead = new ConcurrentHashMap<>();
    private final Set<Key> stale = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean refreshScheduled = new AtomicBoolean();
    private final ScheduledExecutorService refresher;
    private final Counter hits;
    private final Counter joined;
    private final MeterRegistry meters;

    public JointReportService(PolicyCatalogue catalogue, ReportDataLoader loader, SnapshotStore snapshots,
            ReportingProperties properties, ProjectionVersion version, WorkingDaysSource calendar, MeterRegistry meters) {
        this.catalogue = catalogue;
        this.loader = loader;
        this.snapshots = snapshots;
        this.properties = properties;
        this.version = version;
        this.calendar = calendar;
        String lookups = "hub_reporting_report_cache";
        this.hits = Counter.builder(lookups).tag("result", "hit")
                .description("Open-period joint report requests by how the cache answered").register(meters);
        this.joined = Counter.builder(lookups).tag("result", "joined").register(meters);
        this.meters = meters;
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "report-refresh");
            t.setDaemon(true);
            return t;
        });
        version.onChange(this::changed);
    }

    @PreDestroy
    void stop() {
        refresher.shutdownNow();
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
     * The JSON answer for the report of an open period (kept, serialised once per build), or null when the period
     * is closed (its snapshot is the answer).
     */
    public byte[] openReportJson(String policyId, String periodId, String token, JsonMapper mapper) {
        Period.parse(periodId);
        if (snapshots.closedAt(policyId, periodId).isPresent()) {
            return null;
        }
        return current(policyId, periodId, token).json(mapper);
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
        Key key = new Key(policyId, periodId);
        Built b = cached(key, token, true);
        lastRead.put(key, System.nanoTime());
        return b;
    }

    /**
     * The kept report of {@code key} if it serves a reader starting now, else the build under way for such a
     * reader, else a new build (by this thread). While a change of the policy is pending (between its write and
     * the version bump after its transaction) nothing kept or under way may be stale-free: the reader builds its own.
     */
    private Built cached(Key key, String token, boolean request) {
        ReportingProperties.Cache c = properties.cache();
        // the stamp before the data: a change committed meanwhile bumps the version and the next reader rebuilds
        ProjectionVersion.Stamp stamp = version.stamp(key.policyId());
        long v = stamp.version();
        LocalDate today = LocalDate.now(properties.zoneId());
        long now = System.nanoTime();
        long maxAge = c.maxAge().toNanos();
        if (!stamp.quiet()) {
            if (!request) {
                return null;
            }
            long t0 = System.nanoTime();
            Built b = compute(key.policyId(), key.period(), token);
            built(key, true, t0);
            return b;
        }
        if (!cache.containsKey(key) && cache.size() >= c.maxEntries()) {
            cache.clear();
            lastRead.keySet().retainAll(List.of(key));
        }
        Entry mine = new Entry(v, today, now, new CompletableFuture<>());
        Entry e = cache.compute(key, (k, old) -> old != null && old.serves(v, today, now, maxAge) ? old : mine);
        if (e == mine) {
            try {
                long t0 = System.nanoTime();
                mine.built().complete(compute(key.policyId(), key.period(), token));
                built(key, request, t0);
            } catch (RuntimeException | Error ex) {
                cache.remove(key, mine);
                mine.built().completeExceptionally(ex);
                throw ex;
            }
        } else if (request) {
            (e.built().isDone() ? hits : joined).increment();
        }
        try {
            return e.built().join();
        } catch (CompletionException ex) {
            if (ex.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw ex;
        }
    }

    /**
     * Counts a build from the read models, on a reader's request or in the background (after it succeeded: only
     * known policies become tag values).
     */
    private void built(Key key, boolean request, long startedNanos) {
        Timer.builder("hub_reporting_report_build").tag("policy", key.policyId())
                .tag("trigger", request ? "request" : "refresh")
                .description("Joint reports built from the read models, on a reader's request or in the background")
                .register(meters).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    /** After a change: the reports of that policy read lately are rebuilt shortly, in the background. */
    private void changed(String policyId) {
        Duration after = properties.cache().refreshAfter();
        if (!properties.cache().enabled() || after.isNegative() || after.isZero()) {
            return;
        }
        long recent = System.nanoTime() - properties.cache().maxAge().toNanos();
        for (Map.Entry<Key, Long> r : lastRead.entrySet()) {
            if ((policyId == null || policyId.equals(r.getKey().policyId())) && r.getValue() > recent) {
                stale.add(r.getKey());
            }
        }
        // one refresh pass at a time; changes during the delay are covered by the same pass
        if (!stale.isEmpty() && refreshScheduled.compareAndSet(false, true)) {
            refresher.schedule(this::refresh, after.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void refresh() {
        refreshScheduled.set(false);
        for (Key key : List.copyOf(stale)) {
            stale.remove(key);
            Entry e = cache.get(key);
            Long read = lastRead.get(key);
            if (e == null || read == null) {
                continue;
            }
            try {
                // the catalogue of a kept report's policy is known here already: no caller token needed
                cached(key, null, false);
            } catch (RuntimeException ex) {
                log.debug("background rebuild of the {} report of {} failed: {}", key.period(), key.policyId(),
                        ex.toString());
            }
        }
        if (!stale.isEmpty() && refreshScheduled.compareAndSet(false, true)) {
            refresher.schedule(this::refresh, properties.cache().refreshAfter().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The report computed from the read models now, ignoring any snapshot or cache (what a close freezes). */
    public Built compute(String policyId, String periodId, String token) {
        Policy policy = policy(policyId, token);
        Period period = Period.parse(periodId);
        Period previous = period.previous();
        Instant closedAt = snapshots.closedAt(policyId, previous.id()).map(java.time.OffsetDateTime::toInstant).orElse(null);
        ReportData data = loader.load(policyId, period, previous, closedAt, properties.zoneId());
        JointReportBuilder builder = new JointReportBuilder(policy, period, data, properties, calendar.get(), Instant.now());
        JointReport report = builder.build();
        if (closedAt != null) {
            report.setCorrections(new ArrayList<>(builder.corrections(previous, closedAt)));
        }
        return new Built(report, new Figures(policyId, periodId, builder.lineage(), builder.values()));
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
        MeasureDetail d = new MeasureDetail();
        d.setMeasure(row);
        Policy policy = policy(policyId, token);
        Measure m = policy.getMeasures().stream().filter(x -> x.getNo() == measureNo).findFirst().orElseThrow();
        // each unit's task of the measure, read one by one (not the whole policy's read models); for a closed period
        // as the close froze it — its state at the period's end, only facts received by the close — never as it is now
        Period period = Period.parse(periodId);
        Instant closedAt = snapshots.closedAt(policyId, periodId).map(java.time.OffsetDateTime::toInstant).orElse(null);
        Map<String, String> taskOfUnit = loader.tasksOfMeasure(policyId, measureNo);
        for (String unit : m.getUnitCodes()) {
            String taskId = taskOfUnit.get(unit);
            if (taskId == null) {
                continue;
            }
            if (closedAt == null) {
                d.addTasksItem(taskView(taskId, loader.loadTask(policyId, taskId), null));
                continue;
            }
            ReportData asOf = loader.loadTaskAsOf(policyId, taskId, period, properties.zoneId(), closedAt);
            if (!asOf.changes().isEmpty()) {
                TaskView v = taskView(taskId, asOf, period);
                // the frozen report's cell is the task's state the close froze (the same facts: checked, not assumed)
                row.getCells().stream().filter(c -> taskId.equals(c.getTaskId())).findFirst().ifPresent(c -> {
                    v.setStatus(c.getStatus());
                    v.setPercentComplete(c.getPercentComplete());
                    v.setRating(c.getRating() == null ? null : c.getRating().getValue());
                });
                d.addTasksItem(v);
            }
        }
        return d;
    }

    private static java.time.OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(java.time.ZoneOffset.UTC);
    }

    public TaskView task(String taskId) {
        String policyId = loader.policyOfTask(taskId).orElseThrow(() -> new NotFoundException("no task " + taskId));
        return taskView(taskId, loader.loadTask(policyId, taskId), null);
    }

    /** The task view from {@code data}; {@code asOf}: the closed period it is shown as of (null: now). */
    private TaskView taskView(String taskId, ReportData data, Period asOf) {
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
        // the task-service's rating and reason, as its latest event shown carries them
        v.setRating(Ratings.ofTask(s.rating()));
        v.setRatingReason(s.ratingReason());
        v.setBureauStatus(s.bureauStatus());
        v.setCalendarKnown(s.calendarKnown() != null ? s.calendarKnown()
                : s.deadline() == null ? null : calendar.get().knows(s.deadline()));
        v.setSignedBy(s.signedBy());
        v.setSignedAt(utc(s.signedAt()));
        v.setLastReportPeriod(s.lastReportPeriod());
        v.setLastReportAt(utc(s.lastReportAt()));
        v.setVersion(s.version());
        LocalDate today = LocalDate.now(properties.zoneId());
        LocalDate asOfDate = asOf == null || asOf.endInclusive().isAfter(today) ? today : asOf.endInclusive();
        if (asOf != null) {
            v.setAsOf(asOf.endInstant(properties.zoneId()).atOffset(java.time.ZoneOffset.UTC));
        }
        v.setOverdue(s.deadline() != null && !List.of("SUBMITTED", "ACCEPTED", "CANCELLED").contains(s.status())
                && s.deadline().isBefore(asOfDate));
        v.setUrgingLevel(h.stream().map(Change::urgingLevel).filter(java.util.Objects::nonNull)
                .max(Integer::compare).orElse(0));
        h.stream().filter(c -> c.extensionId() != null).reduce((a, b) -> b)
                .filter(c -> "PENDING".equals(c.extensionState()))
                .ifPresent(c -> v.setPendingExtensionRequestId(c.extensionId()));
        // the bureau's own person and time of each of its messages, as sent (the hub's time is `at`)
        Map<String, Progress> reportOfEvent = new java.util.HashMap<>();
        data.progress().forEach(p -> reportOfEvent.put(p.eventId(), p));
        for (Change c : h) {
            HistoryEntry e = new HistoryEntry();
            switch (c.kind()) {
                case "task.signed-for" -> {
                    e.setBureauActor(c.signedBy());
                    e.setBureauTime(utc(c.signedAt()));
                }
                case "task.extension-requested" -> {
                    e.setBureauActor(c.extensionReporter());
                    e.setBureauTime(utc(c.extensionRequestedAt()));
                }
                default -> {
                    Progress p = reportOfEvent.get(c.eventId());
                    if (p != null) {
                        e.setBureauActor(p.reporter());
                        e.setBureauTime(utc(p.sentAt()));
                    }
                }
            }
            e.setEventId(c.eventId());
            e.setType(c.kind());
            e.setHistoryId(c.historyId());
            e.setActor(c.actor());
            e.setFromStatus(c.fromStatus());
            e.setToStatus(c.toStatus());
            e.setReason(c.reason());
            e.setRating(c.rating());
            e.setRatingReason(c.ratingReason());
            e.setAt(c.at().atOffset(java.time.ZoneOffset.UTC));
            e.setVersion(c.version());
            e.setMessageLogId(c.messageLogId());
            v.addHistoryItem(e);
        }
        var kpis = loader.kpisOfTask(taskId);
        for (Progress p : data.progress()) {
            if (p.taskId().equals(taskId)) {
                ProgressEntry e = new ProgressEntry();
                e.setReportId(p.reportId());
                e.setPeriod(p.period());
                e.setStatus(p.status());
                e.setPercentComplete(p.percentComplete());
                e.setNarrative(p.narrative());
                e.setProblems(p.problems());
                e.setNextSteps(p.nextSteps());
                e.setReporter(p.reporter());
                e.setReportedAt(utc(p.sentAt()));
                e.setEvidence(new ArrayList<>(p.evidence().stream().map(JointReportBuilder::evidence).toList()));
                e.setKpiValues(new ArrayList<>(kpis.getOrDefault(p.reportId(), List.of())));
                e.setMessageLogId(p.messageLogId());
                e.setReceivedAt(p.reportedAt().atOffset(java.time.ZoneOffset.UTC));
                v.addProgressItem(e);
            }
        }
        if (asOf == null) {
            loader.parked(taskId).forEach(v::addParkedDeliveriesItem);
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
