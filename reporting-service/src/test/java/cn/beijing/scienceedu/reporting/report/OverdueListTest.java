package cn.beijing.scienceedu.reporting.report;

import static cn.beijing.scienceedu.reporting.report.Facts.asOf;
import static cn.beijing.scienceedu.reporting.report.Facts.change;
import static cn.beijing.scienceedu.reporting.report.Facts.measure;
import static cn.beijing.scienceedu.reporting.report.Facts.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Unit;
import cn.beijing.scienceedu.contracts.reporting.model.OverdueItem;
import cn.beijing.scienceedu.reporting.report.ReportData.Change;

/** The overdue and urging list of Q1 2025 (as of Mon 3/31), worked out by hand. */
class OverdueListTest {

    final AsOf q1 = asOf("2025-Q1", "2025-06-01");
    final Map<Integer, Measure> measures = Map.of(1, measure(1, 1, "U1", "U1"), 2, measure(2, 1, "U2", "U2"));
    final Map<String, Unit> units = Map.of("U1", unit("U1"), "U2", unit("U2"));

    @Test
    void overdueTasksMostDaysFirstThenByMeasureAndUnit() {
        List<TaskAsOf> tasks = List.of(
                task("A", 2, "U2", "2025-03-10", "IN_PROGRESS",
                        change("A", "task.urged", 1, "2024-12-20T09:00").urging(1),
                        change("A", "task.urged", 2, "2025-02-10T09:00").urging(2),
                        change("A", "task.extension-requested", 3, "2025-03-12T09:00").extension("EXT-1", "PENDING")),
                task("B", 1, "U1", "2025-03-24", "IN_PROGRESS"),
                // a unit the catalogue does not know: its code stands for its name
                task("C", 1, "U0", "2025-03-24", "IN_PROGRESS"),
                // 2024 is not in the calendar: counted Monday–Friday and flagged
                task("D", 1, "U1", "2024-12-20", "IN_PROGRESS"),
                task("E", 1, "U1", "2025-04-30", "IN_PROGRESS"),
                task("F", 1, "U1", "2025-03-10", "SUBMITTED"));

        List<OverdueItem> list = OverdueList.of(tasks, measures, units, q1);

        assertThat(list).extracting(OverdueItem::getTaskId, OverdueItem::getDaysOverdue, OverdueItem::getMeasureNo,
                OverdueItem::getUnitCode, OverdueItem::getUnitShortName, OverdueItem::getCalendarKnown)
                .containsExactly(
                        // (2024-12-20, 2025-03-31]: Dec 23–27, 30, 31 (7, weekdays); Jan 23 weekdays − 1/1, 1/28–31
                        // + Sun 1/26 worked (19); Feb 20 weekdays − 2/3, 2/4 + Sat 2/8 worked (19); Mar 21 → 66
                        tuple("D", 66, 1, "U1", "U1局", false),
                        // (3/10, 3/31]: 4 + 5 + 5 + 1
                        tuple("A", 15, 2, "U2", "U2局", true),
                        // (3/24, 3/31]: 3/25–28 + 3/31; same days: by measure, then unit
                        tuple("C", 5, 1, "U0", "U0", true),
                        tuple("B", 5, 1, "U1", "U1局", true));
        OverdueItem a = list.get(1);
        assertThat(a.getMeasureTitle()).isEqualTo("措施2");
        assertThat(a.getDeadline()).hasToString("2025-03-10");
        // both urgings up to the period's end count, the one of December too
        assertThat(a.getUrgingCount()).isEqualTo(2);
        assertThat(a.getUrgingLevel()).isEqualTo(2);
        assertThat(a.getLastUrgedAt()).hasToString("2025-02-10T01:00Z");
        assertThat(a.getExtensionRequestId()).isEqualTo("EXT-1");
        assertThat(a.getExtensionState()).isEqualTo(OverdueItem.ExtensionStateEnum.PENDING);
        OverdueItem b = list.get(3);
        assertThat(b.getUrgingCount()).isZero();
        assertThat(b.getUrgingLevel()).isZero();
        assertThat(b.getLastUrgedAt()).isNull();
        assertThat(b.getExtensionRequestId()).isNull();
    }

    @Test
    void theTaskServicesCalendarFlagIsKept() {
        // the task-service said its calendar did not know the deadline: flagged, though this service's does
        TaskAsOf t = TaskAsOf.one(q1, List.of(change("G", "task.overdue", 1, "2025-03-20T09:00")
                .deadline("2025-03-10").calendarKnown(false).build()), List.of());

        assertThat(OverdueList.of(List.of(t), measures, units, q1)).singleElement()
                .extracting(OverdueItem::getCalendarKnown).isEqualTo(false);
    }

    private TaskAsOf task(String id, int measureNo, String unit, String deadline, String status, Facts.C... before) {
        List<Change> h = new ArrayList<>();
        for (Facts.C c : before) {
            h.add(c.measure(measureNo).unit(unit, "LEAD").deadline(deadline).build());
        }
        h.add(change(id, "task.updated", 100, "2025-03-15T09:00").measure(measureNo).unit(unit, "LEAD")
                .deadline(deadline).status(status).build());
        return TaskAsOf.one(q1, h, List.of());
    }
}
