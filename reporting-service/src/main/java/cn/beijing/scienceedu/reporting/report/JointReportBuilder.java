package cn.beijing.scienceedu.reporting.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import cn.beijing.scienceedu.contracts.catalogue.model.Action;
import cn.beijing.scienceedu.contracts.catalogue.model.Goal;
import cn.beijing.scienceedu.contracts.catalogue.model.Kpi;
import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.contracts.catalogue.model.Unit;
import cn.beijing.scienceedu.contracts.reporting.model.ActionRow;
import cn.beijing.scienceedu.contracts.reporting.model.Correction;
import cn.beijing.scienceedu.contracts.calendar.WorkingDays;
import cn.beijing.scienceedu.contracts.reporting.model.DistrictKpi;
import cn.beijing.scienceedu.contracts.reporting.model.Evidence;
import cn.beijing.scienceedu.contracts.reporting.model.GoalRow;
import cn.beijing.scienceedu.contracts.reporting.model.JointReport;
import cn.beijing.scienceedu.contracts.reporting.model.KpiRollup;
import cn.beijing.scienceedu.contracts.reporting.model.LineageSource;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureRow;
import cn.beijing.scienceedu.contracts.reporting.model.OverdueItem;
import cn.beijing.scienceedu.contracts.reporting.model.ReportSummary;
import cn.beijing.scienceedu.contracts.reporting.model.RiskItem;
import cn.beijing.scienceedu.contracts.reporting.model.UnitCell;
import cn.beijing.scienceedu.contracts.reporting.model.UnitRow;
import cn.beijing.scienceedu.reporting.ReportingProperties;
import cn.beijing.scienceedu.reporting.report.ReportData.Change;
import cn.beijing.scienceedu.reporting.report.ReportData.KpiRow;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;

/**
 * Computes the joint report (联合报告) of one policy for one period from the read models, and the
 * lineage of every figure it shows.
 *
 * <p>Rules: a task's state is its state as of the period's end (or now, for a running period);
 * progress reports count in a period when their own period lies within it; returns and urgings count
 * when they happened in the period. A task is overdue when it is open (not submitted, accepted or
 * cancelled) and its deadline lies before the as-of date. A task's rating is the task-service's, as its latest event
 * of the period carries it; measures, actions and goals aggregate it by {@link Ratings} (never recomputed here).
 */
public final class JointReportBuilder {

    private static final Set<String> CLOSED_STATES = Set.of("SUBMITTED", "ACCEPTED", "CANCELLED");

    private final Policy policy;
    private final Period period;
    private final ReportData data;
    private final ZoneId zone;
    private final ReportingProperties.OnTime onTime;
    private final Instant cutoff;
    private final LocalDate asOfDate;
    private final WorkingDays calendar;
    // each figure's sources, turned into LineageSource objects only when asked for (a lineage request, a period
    // close): for a period with thousands of progress reports every report is a source of ~6 figures
    private final Map<String, Supplier<List<LineageSource>>> lineage = new LinkedHashMap<>();
    private final Map<String, Double> values = new HashMap<>();

    /** The task as of the period's end, with what happened to it. */
    record TaskAsOf(Change state, List<Change> history, List<Progress> reportsInPeriod, boolean overdue,
            long daysOverdue, Change signedFor, boolean signedForOnTime, List<Change> returnedInPeriod,
            List<Change> urgedInPeriod, List<Change> urgedAsOf, Change extension, String rating) {
        String taskId() {
            return state.taskId();
        }

        /** The latest progress report of the period (by the hub's receipt), or null. */
        Progress latestReport() {
            return reportsInPeriod.stream().max(Comparator.comparing(Progress::reportedAt)).orElse(null);
        }

        int percent() {
            return state.percentComplete() == null ? 0 : state.percentComplete();
        }
    }

    /** {@code calendar}: the working-day calendar overdue days are counted on (contracts' WorkingDays). */
    public JointReportBuilder(Policy policy, Period period, ReportData data, ReportingProperties properties,
            WorkingDays calendar, Instant now) {
        this.calendar = calendar;
        this.policy = policy;
        this.period = period;
        this.data = data;
        this.zone = properties.zoneId();
        this.onTime = properties.onTime();
        this.cutoff = period.endInstant(zone);
        LocalDate endDate = period.endInclusive();
        LocalDate today = LocalDate.ofInstant(now, zone);
        this.asOfDate = endDate.isBefore(today) ? endDate : today;
    }

    /** The sources of every figure, computed when called. */
    public Map<String, Supplier<List<LineageSource>>> lineage() {
        return lineage;
    }

    public Map<String, Double> values() {
        return values;
    }

    public JointReport build() {
        Map<String, TaskAsOf> tasks = tasksAsOf();
        Map<String, Unit> units = policy.getUnits().stream()
                .collect(Collectors.toMap(Unit::getCode, u -> u, (a, b) -> a, LinkedHashMap::new));

        JointReport report = new JointReport();
        report.setPolicyId(policy.getId());
        report.setPolicyTitle(policy.getTitle());
        report.setPeriod(period.id());
        report.setPeriodStart(period.start());
        report.setPeriodEnd(period.endInclusive());
        report.setGeneratedAt(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
        report.setClosed(false);

        // by measure (the lead unit's view combining its cooperating units)
        List<MeasureRow> measures = new ArrayList<>();
        for (Measure m : policy.getMeasures()) {
            List<TaskAsOf> mt = tasks.values().stream().filter(t -> t.state().measureNo() == m.getNo()).toList();
            MeasureRow row = new MeasureRow();
            row.setMeasureNo(m.getNo());
            row.setActionNo(m.getActionNo());
            row.setTitle(m.getTitle());
            row.setTitleEn(m.getTitleEn());
            row.setLeadUnitCode(m.getLeadUnitCode());
            fillCounts(mt, row::setTaskCount, row::setAcceptedCount, row::setOverdueCount);
            row.setReturnedCount(mt.stream().mapToInt(t -> t.returnedInPeriod().size()).sum());
            row.setProgressReportCount(mt.stream().mapToInt(t -> t.reportsInPeriod().size()).sum());
            row.setPercentComplete(mean(mt));
            row.setRating(MeasureRow.RatingEnum.fromValue(worst(mt)));
            for (String unitCode : m.getUnitCodes()) {
                TaskAsOf t = mt.stream().filter(x -> x.state().unitCode().equals(unitCode)).findFirst().orElse(null);
                if (t == null) {
                    continue;
                }
                UnitCell cell = new UnitCell();
                cell.setUnitCode(unitCode);
                cell.setTaskId(t.taskId());
                cell.setRole(UnitCell.RoleEnum.fromValue(unitCode.equals(m.getLeadUnitCode()) ? "LEAD" : "COOPERATING"));
                cell.setStatus(t.state().status());
                cell.setPercentComplete(t.percent());
                cell.setRating(UnitCell.RatingEnum.fromValue(t.rating()));
                cell.setRatingReason(t.state().ratingReason());
                cell.setBureauStatus(t.state().bureauStatus());
                cell.setCalendarKnown(calendarKnown(t.state()));
                cell.setOverdue(t.overdue());
                cell.setDeadline(t.state().deadline());
                row.addCellsItem(cell);
            }
            mt.stream().filter(t -> m.getLeadUnitCode().equals(t.state().unitCode()))
                    .flatMap(t -> t.reportsInPeriod().stream())
                    .max(Comparator.comparing(Progress::reportedAt))
                    .ifPresent(p -> row.setLatestNarrative(p.narrative()));
            String fid = "measure:" + m.getNo();
            row.setFigureId(fid);
            record(fid, mt, row.getPercentComplete());
            record(fid + ":percentComplete", mt, row.getPercentComplete());
            record(fid + ":overdue", mt.stream().filter(TaskAsOf::overdue).toList(), row.getOverdueCount());
            measures.add(row);
        }
        report.setMeasures(measures);

        // by action
        List<ActionRow> actions = new ArrayList<>();
        for (Action a : policy.getActions()) {
            List<TaskAsOf> at = tasks.values().stream()
                    .filter(t -> a.getMeasureNos().contains(t.state().measureNo())).toList();
            ActionRow row = new ActionRow();
            row.setActionNo(a.getNo());
            row.setTitle(a.getTitle());
            row.setTitleEn(a.getTitleEn());
            row.setMeasureNos(new ArrayList<>(a.getMeasureNos()));
            row.setGoalNos(new ArrayList<>(a.getGoalNos()));
            fillCounts(at, row::setTaskCount, row::setAcceptedCount, row::setOverdueCount);
            row.setPercentComplete(mean(at));
            row.setRating(ActionRow.RatingEnum.fromValue(worst(at)));
            row.setFigureId("action:" + a.getNo());
            record(row.getFigureId(), at, row.getPercentComplete());
            actions.add(row);
        }
        report.setActions(actions);

        // by goal, where the catalogue maps actions to goals
        List<GoalRow> goals = new ArrayList<>();
        for (Goal g : policy.getGoals()) {
            List<Integer> actionNos = policy.getActions().stream().filter(a -> a.getGoalNos().contains(g.getNo()))
                    .map(Action::getNo).toList();
            Set<Integer> measureNos = policy.getActions().stream().filter(a -> actionNos.contains(a.getNo()))
                    .flatMap(a -> a.getMeasureNos().stream()).collect(Collectors.toSet());
            List<TaskAsOf> gt = tasks.values().stream().filter(t -> measureNos.contains(t.state().measureNo())).toList();
            GoalRow row = new GoalRow();
            row.setGoalNo(g.getNo());
            row.setName(g.getName());
            row.setNameEn(g.getNameEn());
            row.setActionNos(new ArrayList<>(actionNos));
            row.setTaskCount(gt.size());
            row.setPercentComplete(mean(gt));
            row.setRating(GoalRow.RatingEnum.fromValue(worst(gt)));
            row.setFigureId("goal:" + g.getNo());
            record(row.getFigureId(), gt, row.getPercentComplete());
            goals.add(row);
        }
        report.setGoals(goals);

        // by unit: workload, on time, overdue, returned
        List<UnitRow> unitRows = new ArrayList<>();
        for (Unit u : units.values()) {
            List<TaskAsOf> ut = tasks.values().stream().filter(t -> u.getCode().equals(t.state().unitCode())).toList();
            UnitRow row = new UnitRow();
            row.setUnitCode(u.getCode());
            row.setShortName(u.getShortName());
            row.setFullName(u.getFullName());
            row.setNameEn(u.getNameEn());
            row.setTaskCount(ut.size());
            row.setLeadCount((int) ut.stream().filter(t -> "LEAD".equals(t.state().role())).count());
            List<TaskAsOf> signed = ut.stream().filter(t -> t.signedFor() != null).toList();
            row.setSignedForCount(signed.size());
            row.setSignedForOnTimeCount((int) signed.stream().filter(TaskAsOf::signedForOnTime).count());
            List<Progress> reports = ut.stream().flatMap(t -> t.reportsInPeriod().stream()).toList();
            row.setReportedCount(reports.size());
            row.setReportedOnTimeCount((int) reports.stream().filter(this::reportedOnTime).count());
            List<TaskAsOf> overdue = ut.stream().filter(TaskAsOf::overdue).toList();
            row.setOverdueCount(overdue.size());
            List<Change> returned = ut.stream().flatMap(t -> t.returnedInPeriod().stream()).toList();
            row.setReturnedCount(returned.size());
            row.setAcceptedCount((int) ut.stream().filter(t -> "ACCEPTED".equals(t.state().status())).count());
            List<Change> urged = ut.stream().flatMap(t -> t.urgedInPeriod().stream()).toList();
            row.setUrgedCount(urged.size());
            row.setPercentComplete(mean(ut));
            String fid = "unit:" + u.getCode();
            row.setFigureId(fid);
            record(fid, ut, row.getPercentComplete());
            recordChanges(fid + ":signedFor", signed.stream().map(TaskAsOf::signedFor).toList(), row.getSignedForCount());
            recordReports(fid + ":reported", reports, row.getReportedCount());
            record(fid + ":overdue", overdue, row.getOverdueCount());
            recordChanges(fid + ":returned", returned, row.getReturnedCount());
            recordChanges(fid + ":urged", urged, row.getUrgedCount());
            unitRows.add(row);
        }
        report.setUnits(unitRows);

        // overdue and urging list
        List<OverdueItem> overdue = new ArrayList<>();
        Map<Integer, Measure> measureByNo = policy.getMeasures().stream()
                .collect(Collectors.toMap(Measure::getNo, m -> m));
        for (TaskAsOf t : tasks.values()) {
            if (!t.overdue()) {
                continue;
            }
            OverdueItem item = new OverdueItem();
            item.setTaskId(t.taskId());
            item.setMeasureNo(t.state().measureNo());
            Measure m = measureByNo.get(t.state().measureNo());
            item.setMeasureTitle(m == null ? null : m.getTitle());
            item.setUnitCode(t.state().unitCode());
            Unit u = units.get(t.state().unitCode());
            item.setUnitShortName(u == null ? t.state().unitCode() : u.getShortName());
            item.setRole(t.state().role());
            item.setStatus(t.state().status());
            item.setDeadline(t.state().deadline());
            // the days are counted on this service's calendar: flagged when it lacks a year they cross
            Boolean known = calendarKnown(t.state());
            item.setCalendarKnown(t.state().deadline() == null ? known
                    : !Boolean.FALSE.equals(known) && calendar.knowsAll(t.state().deadline(), asOfDate));
            item.setDaysOverdue((int) t.daysOverdue());
            item.setUrgingCount(t.urgedAsOf().size());
            item.setUrgingLevel(t.urgedAsOf().stream().map(Change::urgingLevel).filter(Objects::nonNull)
                    .max(Integer::compare).orElse(0));
            t.urgedAsOf().stream().map(Change::at).max(Comparator.naturalOrder())
                    .ifPresent(x -> item.setLastUrgedAt(x.atOffset(ZoneOffset.UTC)));
            if (t.extension() != null) {
                item.setExtensionRequestId(t.extension().extensionId());
                item.setExtensionState(OverdueItem.ExtensionStateEnum.fromValue(t.extension().extensionState()));
            }
            overdue.add(item);
        }
        overdue.sort(Comparator.comparing(OverdueItem::getDaysOverdue).reversed()
                .thenComparing(OverdueItem::getMeasureNo).thenComparing(OverdueItem::getUnitCode));
        report.setOverdue(overdue);
        record("overdue", tasks.values().stream().filter(TaskAsOf::overdue).toList(), overdue.size());

        report.setKpis(kpis());
        report.setAtRisk(atRisk(tasks.values(), units, measureByNo));

        ReportSummary s = new ReportSummary();
        s.setTaskCount(tasks.size());
        s.setSignedForCount(unitRows.stream().mapToInt(UnitRow::getSignedForCount).sum());
        s.setAcceptedCount(unitRows.stream().mapToInt(UnitRow::getAcceptedCount).sum());
        s.setOverdueCount(overdue.size());
        s.setReturnedCount(unitRows.stream().mapToInt(UnitRow::getReturnedCount).sum());
        s.setUrgedCount(unitRows.stream().mapToInt(UnitRow::getUrgedCount).sum());
        s.setProgressReportCount(unitRows.stream().mapToInt(UnitRow::getReportedCount).sum());
        s.setPercentComplete(mean(tasks.values()));
        Map<String, Integer> ratings = new TreeMap<>();
        for (String r : Ratings.WORST_FIRST) {
            ratings.put(r, 0);
        }
        tasks.values().forEach(t -> ratings.merge(t.rating(), 1, Integer::sum));
        s.setRatingCounts(ratings);
        report.setSummary(s);
        record("summary", List.copyOf(tasks.values()), s.getPercentComplete());
        report.setCorrections(new ArrayList<>());
        return report;
    }

    /** Late facts about {@code closed} (received after it was closed at {@code closedAt}). */
    public List<Correction> corrections(Period closed, Instant closedAt) {
        List<Correction> out = new ArrayList<>();
        Set<String> reportEvents = data.reportEventsAfterClose();
        for (Change c : data.changes()) {
            if (c.receivedAt().isAfter(closedAt) && closed.contains(c.at(), zone) && !reportEvents.contains(c.eventId())) {
                Correction k = new Correction();
                k.setCorrectsPeriod(closed.id());
                k.setKind(c.kind());
                k.setTaskId(c.taskId());
                k.setMeasureNo(c.measureNo());
                k.setUnitCode(c.unitCode());
                k.setEventId(c.eventId());
                k.setOccurredAt(c.at().atOffset(ZoneOffset.UTC));
                k.setReceivedAt(c.receivedAt().atOffset(ZoneOffset.UTC));
                k.setNote("更正：" + closed.id() + " 关账后收到 / received after " + closed.id() + " was closed");
                out.add(k);
            }
        }
        for (Progress p : data.progress()) {
            if (p.receivedAt().isAfter(closedAt) && Period.isValid(p.period()) && closed.contains(Period.parse(p.period()))) {
                Correction k = new Correction();
                k.setCorrectsPeriod(closed.id());
                k.setKind("task.progress-reported");
                k.setTaskId(p.taskId());
                k.setMeasureNo(p.measureNo());
                k.setUnitCode(p.unitCode());
                k.setReportId(p.reportId());
                k.setEventId(p.eventId());
                k.setOccurredAt(p.reportedAt().atOffset(ZoneOffset.UTC));
                k.setReceivedAt(p.receivedAt().atOffset(ZoneOffset.UTC));
                k.setNote("更正：" + closed.id() + " 的进展报送在关账后收到 / progress report for " + closed.id()
                        + " received after it was closed");
                out.add(k);
            }
        }
        out.sort(Comparator.comparing(Correction::getReceivedAt));
        return out;
    }

    // ---------------------------------------------------------------------------------------------

    private Map<String, TaskAsOf> tasksAsOf() {
        Map<String, List<Change>> byTask = new LinkedHashMap<>();
        for (Change c : data.changes()) {
            if (c.at().isBefore(cutoff)) {
                byTask.computeIfAbsent(c.taskId(), k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, List<Progress>> reportsByTask = data.progress().stream()
                .filter(p -> Period.isValid(p.period()) && period.contains(Period.parse(p.period())))
                .collect(Collectors.groupingBy(Progress::taskId, LinkedHashMap::new, Collectors.toList()));
        Map<String, TaskAsOf> out = new TreeMap<>();
        for (Map.Entry<String, List<Change>> e : byTask.entrySet()) {
            List<Change> h = new ArrayList<>(e.getValue());
            h.sort(Comparator.comparingLong(Change::version).thenComparing(Change::at));
            Change state = h.get(h.size() - 1);
            boolean open = !CLOSED_STATES.contains(state.status());
            boolean hadOverdueEvent = h.stream().anyMatch(c -> "task.overdue".equals(c.kind()));
            boolean overdue = open && (state.deadline() != null ? state.deadline().isBefore(asOfDate) : hadOverdueEvent);
            // overdue days are working days (工作日), as the task-service counts deadlines
            long days = overdue && state.deadline() != null ? calendar.workingDaysBetween(state.deadline(), asOfDate) : 0;
            Change signed = h.stream().filter(c -> "task.signed-for".equals(c.kind())).findFirst().orElse(null);
            boolean signedOnTime = signed != null && signedOnTime(h, signed, state);
            Predicate<Change> inPeriod = c -> period.contains(c.at(), zone);
            List<Change> returned = h.stream().filter(c -> "task.returned".equals(c.kind())).filter(inPeriod).toList();
            List<Change> urgedAll = h.stream().filter(c -> "task.urged".equals(c.kind())).toList();
            List<Change> urged = urgedAll.stream().filter(inPeriod).toList();
            Change extension = h.stream().filter(c -> c.extensionId() != null).reduce((a, b) -> b).orElse(null);
            List<Progress> reports = reportsByTask.getOrDefault(e.getKey(), List.of());
            // the task-service's rating in the task's latest event of the period: never recomputed here
            String rating = Ratings.ofTask(state.rating());
            out.put(e.getKey(), new TaskAsOf(state, h, reports, overdue, days, signed, signedOnTime, returned, urged,
                    urgedAll, extension, rating));
        }
        return out;
    }

    private boolean signedOnTime(List<Change> h, Change signed, Change state) {
        Change dispatched = h.stream().filter(c -> "task.dispatched".equals(c.kind()) || "task.delivered".equals(c.kind()))
                .findFirst().orElse(null);
        if (dispatched != null) {
            return !signed.at().isAfter(dispatched.at().plus(onTime.signForDays(), ChronoUnit.DAYS));
        }
        return state.deadline() == null || !LocalDate.ofInstant(signed.at(), zone).isAfter(state.deadline());
    }

    private boolean reportedOnTime(Progress p) {
        if (!Period.isValid(p.period())) {
            return false;
        }
        Period own = Period.parse(p.period());
        return p.reportedAt().isBefore(own.endInstant(zone).plus(onTime.reportGraceDays(), ChronoUnit.DAYS));
    }

    private static String worst(List<TaskAsOf> tasks) {
        return Ratings.aggregate(tasks.stream().map(TaskAsOf::rating).toList());
    }

    /** The task-service's calendarKnown for the deadline; for events without it, whether this calendar knows the year. */
    private Boolean calendarKnown(Change state) {
        if (state.calendarKnown() != null) {
            return state.calendarKnown();
        }
        return state.deadline() == null ? null : calendar.knows(state.deadline());
    }

    /**
     * Tasks rated AMBER or RED, worst first (then by measure and unit), each with what its bureau said in its latest
     * progress report of the period: the 情况通报 and the exports list them.
     */
    private List<RiskItem> atRisk(java.util.Collection<TaskAsOf> tasks, Map<String, Unit> units,
            Map<Integer, Measure> measures) {
        List<RiskItem> out = new ArrayList<>();
        for (TaskAsOf t : tasks) {
            if (!Ratings.atRisk(t.rating())) {
                continue;
            }
            Change s = t.state();
            RiskItem r = new RiskItem();
            r.setTaskId(t.taskId());
            r.setMeasureNo(s.measureNo());
            Measure m = measures.get(s.measureNo());
            if (m != null) {
                r.setMeasureTitle(m.getTitle());
                r.setMeasureTitleEn(m.getTitleEn());
            }
            r.setUnitCode(s.unitCode());
            Unit u = units.get(s.unitCode());
            r.setUnitShortName(u == null ? s.unitCode() : u.getShortName());
            r.setUnitNameEn(u == null ? null : u.getNameEn());
            r.setRole(s.role());
            r.setStatus(s.status());
            r.setPercentComplete(t.percent());
            r.setDeadline(s.deadline());
            r.setCalendarKnown(calendarKnown(s));
            r.setRating(RiskItem.RatingEnum.fromValue(t.rating()));
            r.setRatingReason(s.ratingReason());
            r.setBureauStatus(s.bureauStatus());
            Progress p = t.latestReport();
            if (p != null) {
                r.setReportId(p.reportId());
                r.setNarrative(p.narrative());
                r.setProblems(p.problems());
                r.setNextSteps(p.nextSteps());
                r.setReporter(p.reporter());
                if (p.sentAt() != null) {
                    r.setReportedAt(p.sentAt().atOffset(ZoneOffset.UTC));
                }
                r.setEvidence(new ArrayList<>(p.evidence().stream().map(JointReportBuilder::evidence).toList()));
            }
            out.add(r);
        }
        out.sort(Comparator.comparing((RiskItem r) -> Ratings.WORST_FIRST.indexOf(r.getRating().getValue()))
                .thenComparing(RiskItem::getMeasureNo).thenComparing(RiskItem::getUnitCode));
        return out;
    }

    static Evidence evidence(ReportData.Evidence e) {
        Evidence x = new Evidence();
        x.setName(e.name());
        x.setContentType(e.contentType());
        x.setSize(e.size());
        x.setSha256(e.sha256());
        x.setAttachmentId(e.attachmentId());
        return x;
    }

    private static int mean(java.util.Collection<TaskAsOf> tasks) {
        if (tasks.isEmpty()) {
            return 0;
        }
        return (int) Math.round(tasks.stream().mapToInt(TaskAsOf::percent).average().orElse(0));
    }

    private static void fillCounts(List<TaskAsOf> tasks, java.util.function.Consumer<Integer> count,
            java.util.function.Consumer<Integer> accepted, java.util.function.Consumer<Integer> overdue) {
        count.accept(tasks.size());
        accepted.accept((int) tasks.stream().filter(t -> "ACCEPTED".equals(t.state().status())).count());
        overdue.accept((int) tasks.stream().filter(TaskAsOf::overdue).count());
    }

    /** Lineage of a figure computed from tasks: their latest change and their progress reports in the period. */
    private void record(String figure, List<TaskAsOf> tasks, Number value) {
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

    private void recordChanges(String figure, List<Change> changes, Number value) {
        lineage.put(figure, () -> changes.stream().map(JointReportBuilder::source).toList());
        values.put(figure, value.doubleValue());
    }

    private void recordReports(String figure, List<Progress> reports, Number value) {
        lineage.put(figure, () -> reports.stream().map(JointReportBuilder::source).toList());
        values.put(figure, value.doubleValue());
    }

    private static LineageSource source(Change c) {
        LineageSource s = new LineageSource();
        s.setTaskId(c.taskId());
        s.setEventId(c.eventId());
        s.setEventType(c.kind());
        s.setHistoryId(c.historyId());
        s.setMessageLogId(c.messageLogId());
        s.setAt(c.at().atOffset(ZoneOffset.UTC));
        return s;
    }

    private static LineageSource source(Progress p) {
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

    private static LineageSource source(KpiRow k) {
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

    // ---------------------------------------------------------------------------------------------
    // KPI roll-ups: school → district → city

    private List<KpiRollup> kpis() {
        List<KpiRow> inPeriod = data.kpiValues().stream()
                .filter(k -> Period.isValid(k.period()) && period.contains(Period.parse(k.period())))
                .toList();
        List<KpiRollup> out = new ArrayList<>();
        for (Kpi kpi : policy.getKpis()) {
            List<KpiRow> rows = inPeriod.stream().filter(k -> kpi.getCode().equals(k.kpiCode())).toList();
            boolean percent = "percent".equals(kpi.getUnit());
            Double target = kpi.getTarget() == null ? null : kpi.getTarget().doubleValue();
            String comparison = kpi.getComparison().getValue();
            boolean tracked = target == null || "TRACKED".equals(comparison);
            // latest value per school, per district, for the city
            Map<String, KpiRow> bySchool = new LinkedHashMap<>();
            Map<String, KpiRow> byDistrict = new LinkedHashMap<>();
            KpiRow city = null;
            for (KpiRow r : rows) {
                switch (r.level()) {
                    case "SCHOOL" -> {
                        if (r.schoolCode() != null) {
                            bySchool.put(r.schoolCode(), r);
                        }
                    }
                    case "DISTRICT" -> {
                        if (r.districtCode() != null) {
                            byDistrict.put(r.districtCode(), r);
                        }
                    }
                    default -> city = r;
                }
            }
            Map<String, List<KpiRow>> schoolsByDistrict = new LinkedHashMap<>();
            for (KpiRow r : bySchool.values()) {
                String d = r.districtCode();
                schoolsByDistrict.computeIfAbsent(d == null ? "UNKNOWN" : d, k -> new ArrayList<>()).add(r);
            }
            KpiRollup roll = new KpiRollup();
            roll.setKpiCode(kpi.getCode());
            roll.setDescription(kpi.getDescription());
            roll.setDescriptionEn(kpi.getDescriptionEn());
            roll.setMeasureNo(kpi.getMeasureNo());
            roll.setUnit(kpi.getUnit());
            roll.setComparison(KpiRollup.ComparisonEnum.fromValue(comparison));
            roll.setLevel(KpiRollup.LevelEnum.fromValue(kpi.getLevel().getValue()));
            roll.setTarget(target);
            roll.setTracked(tracked);
            roll.setSchoolCount(bySchool.size());
            String fid = "kpi:" + kpi.getCode();
            roll.setFigureId(fid + ":city");

            List<String> districtCodes = new ArrayList<>(data.districtOrder());
            schoolsByDistrict.keySet().stream().filter(d -> !districtCodes.contains(d)).forEach(districtCodes::add);
            byDistrict.keySet().stream().filter(d -> !districtCodes.contains(d)).forEach(districtCodes::add);
            List<Double> districtValues = new ArrayList<>();
            for (String d : districtCodes) {
                List<KpiRow> schools = schoolsByDistrict.getOrDefault(d, List.of());
                KpiRow dv = byDistrict.get(d);
                if (schools.isEmpty() && dv == null) {
                    continue;
                }
                DistrictKpi dk = new DistrictKpi();
                dk.setDistrictCode(d);
                dk.setDistrictName(data.districtNames().getOrDefault(d, d));
                dk.setDistrictNameEn(data.districtNamesEn().get(d));
                dk.setSchoolCount(schools.size());
                List<KpiRow> used = new ArrayList<>(schools);
                if (!schools.isEmpty()) {
                    dk.setMean(round(aggregate(schools.stream().map(KpiRow::value).toList(), percent)));
                }
                if (dv != null) {
                    dk.setValue(round(dv.value()));
                    used = List.of(dv);
                } else if (!tracked && "SCHOOL".equals(kpi.getLevel().getValue())) {
                    dk.setValue(round(share(schools, target, comparison)));
                } else {
                    dk.setValue(dk.getMean());
                }
                if (!tracked) {
                    dk.setMet("SCHOOL".equals(kpi.getLevel().getValue()) && dv == null
                            ? dk.getValue() >= 100.0 - 1e-9
                            : compare(dk.getValue(), target, comparison));
                }
                dk.setFigureId(fid + ":district:" + d);
                List<KpiRow> districtSources = used;
                lineage.put(dk.getFigureId(), () -> districtSources.stream().map(JointReportBuilder::source).toList());
                values.put(dk.getFigureId(), dk.getValue());
                districtValues.add(dk.getValue());
                roll.addDistrictsItem(dk);
            }
            List<KpiRow> cityUsed;
            if (city != null) {
                roll.setCityValue(round(city.value()));
                roll.setCityMean(round(city.value()));
                cityUsed = List.of(city);
            } else if (!bySchool.isEmpty()) {
                roll.setCityMean(round(aggregate(bySchool.values().stream().map(KpiRow::value).toList(), percent)));
                roll.setCityValue(!tracked && "SCHOOL".equals(kpi.getLevel().getValue())
                        ? round(share(List.copyOf(bySchool.values()), target, comparison))
                        : roll.getCityMean());
                cityUsed = new ArrayList<>(bySchool.values());
                cityUsed.addAll(byDistrict.values());
            } else if (!byDistrict.isEmpty()) {
                roll.setCityValue(round(aggregate(districtValues, percent)));
                roll.setCityMean(roll.getCityValue());
                cityUsed = List.copyOf(byDistrict.values());
            } else {
                cityUsed = List.of();
            }
            if (!tracked && roll.getCityValue() != null) {
                roll.setMet(city == null && !bySchool.isEmpty() && "SCHOOL".equals(kpi.getLevel().getValue())
                        ? roll.getCityValue() >= 100.0 - 1e-9
                        : compare(roll.getCityValue(), target, comparison));
            }
            List<KpiRow> citySources = cityUsed;
            lineage.put(roll.getFigureId(), () -> citySources.stream().map(JointReportBuilder::source).toList());
            values.put(roll.getFigureId(), roll.getCityValue());
            out.add(roll);
        }
        return out;
    }

    private static double aggregate(List<Double> values, boolean percent) {
        double sum = values.stream().mapToDouble(Double::doubleValue).sum();
        return percent ? sum / values.size() : sum;
    }

    /** Percent of schools whose value meets the target. */
    private static double share(List<KpiRow> schools, double target, String comparison) {
        if (schools.isEmpty()) {
            return 0;
        }
        long meeting = schools.stream().filter(r -> compare(r.value(), target, comparison)).count();
        return 100.0 * meeting / schools.size();
    }

    static boolean compare(double value, double target, String comparison) {
        return switch (comparison) {
            case "AT_MOST" -> value <= target + 1e-9;
            case "EQUALS" -> Math.abs(value - target) < 1e-9;
            default -> value >= target - 1e-9;
        };
    }

    private static Double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
