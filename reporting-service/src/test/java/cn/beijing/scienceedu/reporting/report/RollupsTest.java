package cn.beijing.scienceedu.reporting.report;

import static cn.beijing.scienceedu.reporting.report.Facts.action;
import static cn.beijing.scienceedu.reporting.report.Facts.asOf;
import static cn.beijing.scienceedu.reporting.report.Facts.change;
import static cn.beijing.scienceedu.reporting.report.Facts.goal;
import static cn.beijing.scienceedu.reporting.report.Facts.measure;
import static cn.beijing.scienceedu.reporting.report.Facts.progress;
import static cn.beijing.scienceedu.reporting.report.Facts.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.contracts.catalogue.model.Action;
import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.reporting.model.ActionRow;
import cn.beijing.scienceedu.contracts.reporting.model.GoalRow;
import cn.beijing.scienceedu.contracts.reporting.model.LineageSource;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureRow;
import cn.beijing.scienceedu.contracts.reporting.model.ReportSummary;
import cn.beijing.scienceedu.contracts.reporting.model.UnitCell;
import cn.beijing.scienceedu.contracts.reporting.model.UnitRow;
import cn.beijing.scienceedu.reporting.report.ReportData.Change;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;

/**
 * The roll-ups by measure, action, goal and unit, and the summary, over four tasks worked out by hand (Q1 2025, as of
 * 3/31):
 * <pre>
 * task measure unit role         status       %   rating  what happened
 * T1   1       U1   LEAD         IN_PROGRESS  40  AMBER   dispatched 1/2, signed 1/4 (on time); reports R1 (Jan, on time), R2 (Feb, late)
 * T2   1       U2   COOPERATING  ACCEPTED     75  GREEN   dispatched 1/2, signed 1/6 (late); returned 2/1
 * T3   2       U2   LEAD         IN_PROGRESS  10  RED     deadline 3/10 (overdue); urged 2/10 and 3/12
 * T4   3       U3   LEAD         CANCELLED     0  GREY
 * </pre>
 * Catalogue: measures 1 (U1 lead, U2), 2 (U2), 3 (U3); action 1 = measures 1, 2 → goal 1; action 2 = measure 3 →
 * goals 1, 2; goal 3 without actions; units U1–U4.
 */
class RollupsTest {

    final AsOf q1 = asOf("2025-Q1", "2025-06-01");
    final List<Measure> measures = List.of(measure(1, 1, "U1", "U1", "U2"), measure(2, 1, "U2", "U2"),
            measure(3, 2, "U3", "U3"));
    final List<Action> actions = List.of(action(1, List.of(1, 2), List.of(1)), action(2, List.of(3), List.of(1, 2)));
    final Map<String, TaskAsOf> tasks = new LinkedHashMap<>();
    final FigureSources figures = new FigureSources();

    RollupsTest() {
        tasks.put("T1", task("T1", 1, "U1", "LEAD", "IN_PROGRESS", 40, "AMBER", null,
                List.of(progress("R1", "T1", "2025-01", "2025-02-03T10:00", "一月进展", null, null, null, null),
                        progress("R2", "T1", "2025-02", "2025-03-10T10:00", "二月进展", null, null, null, null)),
                change("T1", "task.dispatched", 1, "2025-01-02T09:00"),
                change("T1", "task.signed-for", 2, "2025-01-04T09:00")));
        tasks.put("T2", task("T2", 1, "U2", "COOPERATING", "ACCEPTED", 75, "GREEN", null, List.of(),
                change("T2", "task.dispatched", 1, "2025-01-02T09:00"),
                change("T2", "task.signed-for", 2, "2025-01-06T09:00"),
                change("T2", "task.returned", 3, "2025-02-01T09:00")));
        tasks.put("T3", task("T3", 2, "U2", "LEAD", "IN_PROGRESS", 10, "RED", "2025-03-10", List.of(),
                change("T3", "task.urged", 1, "2025-02-10T09:00").urging(1),
                change("T3", "task.urged", 2, "2025-03-12T09:00").urging(2)));
        tasks.put("T4", task("T4", 3, "U3", "LEAD", "CANCELLED", 0, "GREY", null, List.of()));
    }

    @Test
    void measuresCountTheirTasksMeanTheirPercentAndTakeTheWorstRating() {
        List<MeasureRow> rows = Rollups.measures(measures, tasks.values(), q1, figures);

        assertThat(rows).extracting(MeasureRow::getMeasureNo, MeasureRow::getTaskCount, MeasureRow::getAcceptedCount,
                MeasureRow::getOverdueCount, MeasureRow::getReturnedCount, MeasureRow::getProgressReportCount,
                MeasureRow::getPercentComplete, r -> r.getRating().getValue())
                .containsExactly(
                        // (40 + 75) / 2 = 57.5 → 58; AMBER over GREEN
                        tuple(1, 2, 1, 0, 1, 2, 58, "AMBER"),
                        tuple(2, 1, 0, 1, 0, 0, 10, "RED"),
                        // GREY only when every task is GREY
                        tuple(3, 1, 0, 0, 0, 0, 0, "GREY"));
        assertThat(rows.get(0).getCells()).extracting(UnitCell::getUnitCode, c -> c.getRole().getValue(),
                UnitCell::getTaskId, UnitCell::getPercentComplete, c -> c.getRating().getValue())
                .containsExactly(tuple("U1", "LEAD", "T1", 40, "AMBER"), tuple("U2", "COOPERATING", "T2", 75, "GREEN"));
        // the lead unit's latest report of the period
        assertThat(rows.get(0).getLatestNarrative()).isEqualTo("二月进展");
        assertThat(rows.get(1).getCells().get(0).getOverdue()).isTrue();

        assertThat(figures.values()).containsEntry("measure:1", 58.0).containsEntry("measure:1:percentComplete", 58.0)
                .containsEntry("measure:1:overdue", 0.0).containsEntry("measure:2:overdue", 1.0);
        // T1's state and its two reports, T2's state
        assertThat(sources("measure:1")).extracting(LineageSource::getTaskId, LineageSource::getProgressReportId)
                .containsExactly(tuple("T1", null), tuple("T1", "R1"), tuple("T1", "R2"), tuple("T2", null));
        assertThat(sources("measure:2:overdue")).extracting(LineageSource::getTaskId).containsExactly("T3");
    }

    @Test
    void actionsTakeTheTasksOfTheirMeasures() {
        List<ActionRow> rows = Rollups.actions(actions, tasks.values(), figures);

        assertThat(rows).extracting(ActionRow::getActionNo, ActionRow::getTaskCount, ActionRow::getAcceptedCount,
                ActionRow::getOverdueCount, ActionRow::getPercentComplete, r -> r.getRating().getValue())
                .containsExactly(
                        // (40 + 75 + 10) / 3 = 41.67 → 42
                        tuple(1, 3, 1, 1, 42, "RED"),
                        tuple(2, 1, 0, 0, 0, "GREY"));
        assertThat(figures.values()).containsEntry("action:1", 42.0).containsEntry("action:2", 0.0);
    }

    @Test
    void goalsTakeTheTasksOfTheMeasuresOfTheirActions() {
        List<GoalRow> rows = Rollups.goals(List.of(goal(1), goal(2), goal(3)), actions, tasks.values(), figures);

        assertThat(rows).extracting(GoalRow::getGoalNo, GoalRow::getActionNos, GoalRow::getTaskCount,
                GoalRow::getPercentComplete, r -> r.getRating().getValue())
                .containsExactly(
                        // (40 + 75 + 10 + 0) / 4 = 31.25 → 31
                        tuple(1, List.of(1, 2), 4, 31, "RED"),
                        tuple(2, List.of(2), 1, 0, "GREY"),
                        tuple(3, List.of(), 0, 0, "GREY"));
    }

    @Test
    void unitsCountWorkloadOnTimeOverdueReturnedAndUrged() {
        List<UnitRow> rows = Rollups.units(List.of(unit("U1"), unit("U2"), unit("U3"), unit("U4")), tasks.values(), q1,
                figures);

        assertThat(rows).extracting(UnitRow::getUnitCode, UnitRow::getTaskCount, UnitRow::getLeadCount,
                UnitRow::getSignedForCount, UnitRow::getSignedForOnTimeCount, UnitRow::getReportedCount,
                UnitRow::getReportedOnTimeCount, UnitRow::getOverdueCount, UnitRow::getReturnedCount,
                UnitRow::getAcceptedCount, UnitRow::getUrgedCount, UnitRow::getPercentComplete)
                .containsExactly(
                        // R1 (January) by 2/6 on time; R2 (February) after 3/6 late
                        tuple("U1", 1, 1, 1, 1, 2, 1, 0, 0, 0, 0, 40),
                        // signed 4 days after the dispatch: late; (75 + 10) / 2 = 42.5 → 43
                        tuple("U2", 2, 1, 1, 0, 0, 0, 1, 1, 1, 2, 43),
                        tuple("U3", 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                        tuple("U4", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(rows.get(0).getShortName()).isEqualTo("U1局");
        assertThat(figures.values()).containsEntry("unit:U2:urged", 2.0).containsEntry("unit:U2:returned", 1.0)
                .containsEntry("unit:U1:signedFor", 1.0).containsEntry("unit:U2", 43.0);
        assertThat(sources("unit:U1:reported")).extracting(LineageSource::getProgressReportId)
                .containsExactly("R1", "R2");
        assertThat(sources("unit:U2:urged")).extracting(LineageSource::getEventType, LineageSource::getTaskId)
                .containsExactly(tuple("task.urged", "T3"), tuple("task.urged", "T3"));
    }

    @Test
    void theSummaryAddsUpTheUnitsAndCountsRatings() {
        List<UnitRow> units = Rollups.units(List.of(unit("U1"), unit("U2"), unit("U3"), unit("U4")), tasks.values(), q1,
                figures);

        ReportSummary s = JointReportBuilder.summary(tasks, units, 1);

        assertThat(s.getTaskCount()).isEqualTo(4);
        assertThat(s.getSignedForCount()).isEqualTo(2);
        assertThat(s.getAcceptedCount()).isEqualTo(1);
        assertThat(s.getOverdueCount()).isEqualTo(1);
        assertThat(s.getReturnedCount()).isEqualTo(1);
        assertThat(s.getUrgedCount()).isEqualTo(2);
        assertThat(s.getProgressReportCount()).isEqualTo(2);
        assertThat(s.getPercentComplete()).isEqualTo(31);
        assertThat(s.getRatingCounts()).isEqualTo(Map.of("RED", 1, "AMBER", 1, "GREEN", 1, "GREY", 1));
    }

    @Test
    void theMeanRoundsHalfUpAndIsZeroWithoutTasks() {
        assertThat(Rollups.mean(List.of())).isZero();
        assertThat(Rollups.mean(List.of(tasks.get("T1"), tasks.get("T2")))).isEqualTo(58);
        assertThat(Rollups.worst(List.of())).isEqualTo("GREY");
    }

    private List<LineageSource> sources(String figure) {
        return figures.lineage().get(figure).get();
    }

    /** A task whose latest change (version 100, 3/15) carries the given state; {@code before}: its earlier changes. */
    private TaskAsOf task(String id, int measureNo, String unit, String role, String status, int percent,
            String rating, String deadline, List<Progress> reports, Facts.C... before) {
        List<Change> h = new ArrayList<>();
        for (Facts.C c : before) {
            h.add(c.measure(measureNo).unit(unit, role).build());
        }
        Facts.C state = change(id, "task.updated", 100, "2025-03-15T09:00").measure(measureNo).unit(unit, role)
                .status(status).percent(percent).rating(rating, null);
        if (deadline != null) {
            state.deadline(deadline);
        }
        h.add(state.build());
        return TaskAsOf.one(q1, h, reports);
    }
}
