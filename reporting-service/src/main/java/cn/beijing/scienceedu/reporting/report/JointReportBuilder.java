package cn.beijing.scienceedu.reporting.report;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import cn.beijing.scienceedu.contracts.calendar.WorkingDays;
import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.contracts.catalogue.model.Unit;
import cn.beijing.scienceedu.contracts.reporting.model.Correction;
import cn.beijing.scienceedu.contracts.reporting.model.Evidence;
import cn.beijing.scienceedu.contracts.reporting.model.JointReport;
import cn.beijing.scienceedu.contracts.reporting.model.LineageSource;
import cn.beijing.scienceedu.contracts.reporting.model.OverdueItem;
import cn.beijing.scienceedu.contracts.reporting.model.ReportSummary;
import cn.beijing.scienceedu.contracts.reporting.model.UnitRow;
import cn.beijing.scienceedu.reporting.ReportingProperties;
import cn.beijing.scienceedu.reporting.shared.Period;

/**
 * Computes the joint report (联合报告) of one policy for one period from the read models, and the lineage of every
 * figure it shows. The pieces, each tested alone: the tasks as of the period's end ({@link TaskAsOf}, by the rules of
 * time in {@link AsOf}), the roll-ups by measure, action, goal and unit ({@link Rollups}), the overdue list
 * ({@link OverdueList}), the KPI roll-ups ({@link KpiRollups}), the tasks at risk ({@link AtRiskList}) and the late
 * facts of a closed period ({@link Corrections}). A task's rating is the task-service's, as its latest event of the
 * period carries it; measures, actions and goals aggregate it by {@link Ratings} (never recomputed here).
 */
final class JointReportBuilder {

    private final Policy policy;
    private final Period period;
    private final ReportData data;
    private final AsOf asOf;
    private final FigureSources figures = new FigureSources();

    /** {@code calendar}: the working-day calendar overdue days are counted on (contracts' WorkingDays). */
    public JointReportBuilder(Policy policy, Period period, ReportData data, ReportingProperties properties,
            WorkingDays calendar, Instant now) {
        this.policy = policy;
        this.period = period;
        this.data = data;
        this.asOf = AsOf.of(period, properties.zoneId(), properties.onTime(), calendar, now);
    }

    /** The sources of every figure, computed when called. */
    public Map<String, Supplier<List<LineageSource>>> lineage() {
        return figures.lineage();
    }

    public Map<String, Double> values() {
        return figures.values();
    }

    public JointReport build() {
        Map<String, TaskAsOf> tasks = TaskAsOf.all(asOf, data.changes(), data.progress());
        Map<String, Unit> units = policy.getUnits().stream()
                .collect(Collectors.toMap(Unit::getCode, u -> u, (a, b) -> a, LinkedHashMap::new));
        Map<Integer, Measure> measureByNo = policy.getMeasures().stream()
                .collect(Collectors.toMap(Measure::getNo, m -> m));

        JointReport report = new JointReport();
        report.setPolicyId(policy.getId());
        report.setPolicyTitle(policy.getTitle());
        report.setPeriod(period.id());
        report.setPeriodStart(period.start());
        report.setPeriodEnd(period.endInclusive());
        report.setGeneratedAt(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
        report.setClosed(false);

        report.setMeasures(Rollups.measures(policy.getMeasures(), tasks.values(), asOf, figures));
        report.setActions(Rollups.actions(policy.getActions(), tasks.values(), figures));
        report.setGoals(Rollups.goals(policy.getGoals(), policy.getActions(), tasks.values(), figures));
        List<UnitRow> unitRows = Rollups.units(units.values(), tasks.values(), asOf, figures);
        report.setUnits(unitRows);

        List<OverdueItem> overdue = OverdueList.of(tasks.values(), measureByNo, units, asOf);
        report.setOverdue(overdue);
        figures.tasks("overdue", tasks.values().stream().filter(TaskAsOf::overdue).toList(), overdue.size());

        report.setKpis(KpiRollups.of(policy.getKpis(), data, asOf, figures));
        report.setAtRisk(AtRiskList.of(tasks.values(), measureByNo, units, asOf));
        report.setSummary(summary(tasks, unitRows, overdue.size()));
        figures.tasks("summary", List.copyOf(tasks.values()), report.getSummary().getPercentComplete());
        report.setCorrections(new ArrayList<>());
        return report;
    }

    /** The whole report's counts (from the unit rows), its mean percent complete and how many tasks of each rating. */
    static ReportSummary summary(Map<String, TaskAsOf> tasks, List<UnitRow> unitRows, int overdueCount) {
        ReportSummary s = new ReportSummary();
        s.setTaskCount(tasks.size());
        s.setSignedForCount(unitRows.stream().mapToInt(UnitRow::getSignedForCount).sum());
        s.setAcceptedCount(unitRows.stream().mapToInt(UnitRow::getAcceptedCount).sum());
        s.setOverdueCount(overdueCount);
        s.setReturnedCount(unitRows.stream().mapToInt(UnitRow::getReturnedCount).sum());
        s.setUrgedCount(unitRows.stream().mapToInt(UnitRow::getUrgedCount).sum());
        s.setProgressReportCount(unitRows.stream().mapToInt(UnitRow::getReportedCount).sum());
        s.setPercentComplete(Rollups.mean(tasks.values()));
        Map<String, Integer> ratings = new TreeMap<>();
        for (String r : Ratings.WORST_FIRST) {
            ratings.put(r, 0);
        }
        tasks.values().forEach(t -> ratings.merge(t.rating(), 1, Integer::sum));
        s.setRatingCounts(ratings);
        return s;
    }

    /** Late facts about {@code closed} (received after it was closed at {@code closedAt}). */
    public List<Correction> corrections(Period closed, Instant closedAt) {
        return Corrections.of(data, closed, closedAt, asOf.zone());
    }

    /** A copy of a progress report's evidence entry (each report and view holds its own). */
    static Evidence evidence(Evidence e) {
        return AtRiskList.evidence(e);
    }
}
