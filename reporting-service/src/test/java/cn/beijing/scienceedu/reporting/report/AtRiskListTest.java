package cn.beijing.scienceedu.reporting.report;

import static cn.beijing.scienceedu.reporting.report.Facts.asOf;
import static cn.beijing.scienceedu.reporting.report.Facts.change;
import static cn.beijing.scienceedu.reporting.report.Facts.evidence;
import static cn.beijing.scienceedu.reporting.report.Facts.measure;
import static cn.beijing.scienceedu.reporting.report.Facts.progress;
import static cn.beijing.scienceedu.reporting.report.Facts.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Unit;
import cn.beijing.scienceedu.contracts.reporting.model.Evidence;
import cn.beijing.scienceedu.contracts.reporting.model.RiskItem;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;

/** Tasks at risk: AMBER and RED only, worst first then by measure and unit, with their bureau's latest words. */
class AtRiskListTest {

    final AsOf q1 = asOf("2025-Q1", "2025-06-01");
    final Map<Integer, Measure> measures = Map.of(1, measure(1, 1, "U1", "U1", "U3"), 2, measure(2, 1, "U2", "U2"));
    final Map<String, Unit> units = Map.of("U1", unit("U1"), "U2", unit("U2"));

    @Test
    void amberAndRedTasksWorstFirstThenByMeasureAndUnit() {
        Evidence plan = evidence("方案.pdf", 1024);
        List<TaskAsOf> tasks = List.of(
                task("R1", 2, "U2", "RED", "逾期5个工作日", "BLOCKED", 20, List.of(
                        progress("P1", "R1", "2025-01", "2025-02-10T10:00", "一月", null, null, null, null),
                        progress("P2", "R1", "2025-02", "2025-03-10T10:00", "卡在审批", "审批未通过", "下周复审",
                                "2025-03-09T18:00", List.of(plan)))),
                // a unit the catalogue does not know: its code stands for its name
                task("R2", 1, "U3", "RED", "逾期", null, 0, List.of()),
                task("A1", 1, "U1", "AMBER", "进度落后", "AT_RISK", 60, List.of(
                        progress("P3", "A1", "2025-03", "2025-03-20T10:00", "推进中", null, null, null, null))),
                task("G1", 1, "U1", "GREEN", null, null, 90, List.of()),
                task("X1", 2, "U2", "GREY", null, null, 0, List.of()));

        List<RiskItem> list = AtRiskList.of(tasks, measures, units, q1);

        assertThat(list).extracting(RiskItem::getTaskId, r -> r.getRating().getValue(), RiskItem::getMeasureNo,
                RiskItem::getUnitCode, RiskItem::getUnitShortName, RiskItem::getUnitNameEn)
                .containsExactly(
                        tuple("R2", "RED", 1, "U3", "U3", null),
                        tuple("R1", "RED", 2, "U2", "U2局", "U2 Bureau"),
                        tuple("A1", "AMBER", 1, "U1", "U1局", "U1 Bureau"));

        RiskItem r1 = list.get(1);
        assertThat(r1.getMeasureTitle()).isEqualTo("措施2");
        assertThat(r1.getMeasureTitleEn()).isEqualTo("Measure 2");
        assertThat(r1.getRatingReason()).isEqualTo("逾期5个工作日");
        assertThat(r1.getBureauStatus()).isEqualTo("BLOCKED");
        assertThat(r1.getPercentComplete()).isEqualTo(20);
        assertThat(r1.getDeadline()).hasToString("2025-03-10");
        assertThat(r1.getCalendarKnown()).isTrue();
        // the latest report of the period (by the hub's receipt), with the bureau's own time in UTC
        assertThat(r1.getReportId()).isEqualTo("P2");
        assertThat(r1.getNarrative()).isEqualTo("卡在审批");
        assertThat(r1.getProblems()).isEqualTo("审批未通过");
        assertThat(r1.getNextSteps()).isEqualTo("下周复审");
        assertThat(r1.getReporter()).isEqualTo("张三");
        assertThat(r1.getReportedAt()).hasToString("2025-03-09T10:00Z");
        assertThat(r1.getEvidence()).singleElement().satisfies(e -> {
            assertThat(e).isNotSameAs(plan);
            assertThat(e).isEqualTo(plan);
        });

        RiskItem r2 = list.get(0);
        assertThat(r2.getReportId()).isNull();
        assertThat(r2.getNarrative()).isNull();
        RiskItem a1 = list.get(2);
        assertThat(a1.getReportId()).isEqualTo("P3");
        // the bureau gave no time of its own
        assertThat(a1.getReportedAt()).isNull();
    }

    private TaskAsOf task(String id, int measureNo, String unit, String rating, String reason, String bureauStatus,
            int percent, List<Progress> reports) {
        Facts.C state = change(id, "task.updated", 1, "2025-03-15T09:00").measure(measureNo).unit(unit, "LEAD")
                .rating(rating, reason).percent(percent).deadline("2025-03-10").bureauStatus(bureauStatus);
        return TaskAsOf.one(q1, List.of(state.build()), reports);
    }
}
