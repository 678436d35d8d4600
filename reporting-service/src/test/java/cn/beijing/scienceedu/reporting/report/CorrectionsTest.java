package cn.beijing.scienceedu.reporting.report;

import static cn.beijing.scienceedu.reporting.report.Facts.ZONE;
import static cn.beijing.scienceedu.reporting.report.Facts.at;
import static cn.beijing.scienceedu.reporting.report.Facts.change;
import static cn.beijing.scienceedu.reporting.report.Facts.progress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.contracts.reporting.model.Correction;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;
import cn.beijing.scienceedu.reporting.shared.Period;

/** Late facts about Q1 2025, closed on 2025-04-03 10:00. */
class CorrectionsTest {

    @Test
    void factsOfTheClosedPeriodReceivedAfterTheCloseInOrderOfReceipt() {
        Progress lateReport = new Progress("P1", "ev-P1", "T2", 2, "U2", "2025-03", "IN_PROGRESS", 50, null, "ml-P1",
                "h-P1", at("2025-03-30T10:00"), at("2025-04-04T10:00"), null, null, null, null, List.of());
        ReportData data = new ReportData(List.of(
                // happened in March, received after the close: a correction
                change("T1", "task.returned", 1, "2025-03-30T10:00").received("2025-04-05T10:00").build(),
                // received before the close: in the frozen report already
                change("T1", "task.urged", 2, "2025-03-31T10:00").received("2025-04-02T10:00").build(),
                // happened after the period
                change("T1", "task.urged", 3, "2025-04-02T10:00").received("2025-04-06T10:00").build(),
                // the event that carried the late progress report: counted as the report
                change("T2", "task.progress-reported", 1, "2025-03-30T10:00").received("2025-04-04T10:00").build()),
                List.of(lateReport, progress("P2", "T2", "2025-04", "2025-04-05T10:00"),
                        progress("P3", "T2", "2025-02", "2025-03-01T10:00")),
                List.of(), Map.of(), Map.of(), List.of(), Set.of("T2-e1"));

        List<Correction> out = Corrections.of(data, Period.parse("2025-Q1"), at("2025-04-03T10:00"), ZONE);

        assertThat(out).extracting(Correction::getKind, Correction::getTaskId, Correction::getReportId,
                Correction::getCorrectsPeriod)
                .containsExactly(
                        tuple("task.progress-reported", "T2", "P1", "2025-Q1"),
                        tuple("task.returned", "T1", null, "2025-Q1"));
        assertThat(out.get(0).getReceivedAt()).hasToString("2025-04-04T02:00Z");
        assertThat(out.get(1).getOccurredAt()).hasToString("2025-03-30T02:00Z");
        assertThat(out.get(1).getNote()).isEqualTo("更正：2025-Q1 关账后收到 / received after 2025-Q1 was closed");
    }
}
