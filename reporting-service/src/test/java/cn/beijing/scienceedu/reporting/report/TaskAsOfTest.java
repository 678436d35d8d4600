package cn.beijing.scienceedu.reporting.report;

import static cn.beijing.scienceedu.reporting.report.Facts.asOf;
import static cn.beijing.scienceedu.reporting.report.Facts.change;
import static cn.beijing.scienceedu.reporting.report.Facts.progress;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.reporting.report.ReportData.Change;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;

/** A task as of the report's date: state, overdue working days, on-time sign-for and reports, what counts in the period. */
class TaskAsOfTest {

    @Test
    void stateIsTheLatestChangeByVersionBeforeThePeriodsEnd() {
        AsOf q1 = asOf("2025-Q1", "2025-06-01");
        List<Change> changes = List.of(
                change("T1", "task.submitted", 2, "2025-03-20T10:00").status("SUBMITTED").deadline("2025-03-20").build(),
                change("T1", "task.dispatched", 1, "2025-01-05T09:00").status("DISPATCHED").deadline("2025-03-20").build(),
                // after the period: not part of its state
                change("T1", "task.accepted", 3, "2025-04-02T10:00").status("ACCEPTED").build(),
                // at the very cutoff (2025-04-01 00:00 Beijing): not before it
                change("T2", "task.dispatched", 1, "2025-04-01T00:00").build(),
                change("T3", "task.dispatched", 1, "2025-03-31T23:59").build());

        Map<String, TaskAsOf> tasks = TaskAsOf.all(q1, changes, List.of());

        assertThat(tasks).containsOnlyKeys("T1", "T3");
        TaskAsOf t1 = tasks.get("T1");
        assertThat(t1.state().version()).isEqualTo(2);
        assertThat(t1.state().status()).isEqualTo("SUBMITTED");
        assertThat(t1.history()).extracting(Change::version).containsExactly(1L, 2L);
        // deadline 3/20 lies before 3/31, but a submitted task is not open
        assertThat(t1.overdue()).isFalse();
        assertThat(t1.daysOverdue()).isZero();
    }

    @Test
    void overdueDaysAreWorkingDaysFromTheDeadlineToThePeriodsLastDay() {
        // a past month: as of its last day, 2025-03-31 (Mon); no holiday in March 2025
        AsOf march = asOf("2025-03", "2025-06-01");
        assertThat(march.date()).hasToString("2025-03-31");
        TaskAsOf t = one(march, change("T1", "task.dispatched", 1, "2025-03-03T09:00").deadline("2025-03-10"));

        assertThat(t.overdue()).isTrue();
        // (3/10, 3/31]: 11–14 (4) + 17–21 (5) + 24–28 (5) + 31 (1)
        assertThat(t.daysOverdue()).isEqualTo(15);
    }

    @Test
    void aRunningPeriodCountsToTodayOnTheCalendarsWorkingDays() {
        // Q2 still running on Thu 2025-04-10; 清明 Fri 4/4 is a holiday, 4/5–6 the weekend
        AsOf q2 = asOf("2025-Q2", "2025-04-10");
        assertThat(q2.date()).hasToString("2025-04-10");
        TaskAsOf late = one(q2, change("T1", "task.dispatched", 1, "2025-04-01T09:00").deadline("2025-04-03"));
        TaskAsOf dueToday = one(q2, change("T2", "task.dispatched", 1, "2025-04-01T09:00").deadline("2025-04-10"));

        // (4/3, 4/10]: 4/7, 4/8, 4/9, 4/10
        assertThat(late.daysOverdue()).isEqualTo(4);
        assertThat(dueToday.overdue()).isFalse();
        assertThat(dueToday.daysOverdue()).isZero();
    }

    @Test
    void withoutADeadlineATaskIsOverdueOnlyAfterAnOverdueEvent() {
        AsOf q1 = asOf("2025-Q1", "2025-06-01");
        TaskAsOf flagged = TaskAsOf.one(q1, List.of(
                change("T1", "task.dispatched", 1, "2025-01-05T09:00").build(),
                change("T1", "task.overdue", 2, "2025-02-05T09:00").build()), List.of());
        TaskAsOf quiet = one(q1, change("T2", "task.dispatched", 1, "2025-01-05T09:00"));
        TaskAsOf cancelled = TaskAsOf.one(q1, List.of(
                change("T3", "task.overdue", 1, "2025-02-05T09:00").build(),
                change("T3", "task.cancelled", 2, "2025-02-06T09:00").status("CANCELLED").build()), List.of());

        assertThat(flagged.overdue()).isTrue();
        assertThat(flagged.daysOverdue()).isZero();
        assertThat(quiet.overdue()).isFalse();
        assertThat(cancelled.overdue()).isFalse();
    }

    @Test
    void signForIsOnTimeWithinThreeDaysOfTheDispatchElseByTheDeadline() {
        AsOf q1 = asOf("2025-Q1", "2025-06-01");
        TaskAsOf exactly3Days = signed("T1", "task.dispatched", "2025-03-06T10:00", null);
        TaskAsOf oneMinuteLate = signed("T2", "task.dispatched", "2025-03-06T10:01", null);
        TaskAsOf afterDelivery = signed("T3", "task.delivered", "2025-03-04T08:00", null);
        // no dispatch in the history: on time on or before the deadline's day (Beijing)
        TaskAsOf onDeadlineDay = signed("T4", null, "2025-03-10T23:00", "2025-03-10");
        TaskAsOf dayAfter = signed("T5", null, "2025-03-11T00:30", "2025-03-10");
        TaskAsOf noDeadline = signed("T6", null, "2025-03-30T00:30", null);

        assertThat(exactly3Days.signedForOnTime()).isTrue();
        assertThat(oneMinuteLate.signedForOnTime()).isFalse();
        assertThat(afterDelivery.signedForOnTime()).isTrue();
        assertThat(onDeadlineDay.signedForOnTime()).isTrue();
        assertThat(dayAfter.signedForOnTime()).isFalse();
        assertThat(noDeadline.signedForOnTime()).isTrue();
        assertThat(exactly3Days.signedFor().version()).isEqualTo(2);
        TaskAsOf unsigned = one(q1, change("T7", "task.dispatched", 1, "2025-03-03T10:00"));
        assertThat(unsigned.signedFor()).isNull();
        assertThat(unsigned.signedForOnTime()).isFalse();
    }

    @Test
    void returnsAndUrgingsCountInThePeriodUrgingsAsOfItsEndToo() {
        AsOf q1 = asOf("2025-Q1", "2025-06-01");
        TaskAsOf t = TaskAsOf.one(q1, List.of(
                change("T1", "task.dispatched", 1, "2024-12-01T09:00").build(),
                change("T1", "task.urged", 2, "2024-12-20T09:00").urging(1).build(),
                change("T1", "task.returned", 3, "2024-12-28T09:00").build(),
                change("T1", "task.returned", 4, "2025-01-15T09:00").build(),
                change("T1", "task.urged", 5, "2025-02-10T09:00").urging(2).build(),
                change("T1", "task.extension-requested", 6, "2025-02-20T09:00").extension("EXT-1", "PENDING").build(),
                change("T1", "task.progress-reported", 7, "2025-03-01T09:00").build()), List.of());

        assertThat(t.returnedInPeriod()).extracting(Change::version).containsExactly(4L);
        assertThat(t.urgedInPeriod()).extracting(Change::version).containsExactly(5L);
        assertThat(t.urgedAsOf()).extracting(Change::version).containsExactly(2L, 5L);
        // the latest change carrying an extension request
        assertThat(t.extension().extensionId()).isEqualTo("EXT-1");
    }

    @Test
    void progressReportsCountByTheirOwnPeriodWithinTheReports() {
        AsOf q1 = asOf("2025-Q1", "2025-06-01");
        List<Progress> reports = List.of(
                progress("P1", "T1", "2025-02", "2025-03-02T10:00"),
                progress("P2", "T1", "2025-Q1", "2025-04-03T10:00"),
                progress("P3", "T1", "2025-04", "2025-03-03T10:00"),
                progress("P4", "T1", "bogus", "2025-03-04T10:00"),
                // the year is not within its first quarter
                progress("P5", "T1", "2025", "2025-03-05T10:00"),
                progress("P6", "T9", "2025-01", "2025-02-02T10:00"));

        Map<String, TaskAsOf> tasks = TaskAsOf.all(q1,
                List.of(change("T1", "task.dispatched", 1, "2025-01-05T09:00").build()), reports);

        assertThat(tasks).containsOnlyKeys("T1");
        assertThat(tasks.get("T1").reportsInPeriod()).extracting(Progress::reportId).containsExactly("P1", "P2");
        // the latest by the hub's receipt, though received after the quarter
        assertThat(tasks.get("T1").latestReport().reportId()).isEqualTo("P2");
    }

    @Test
    void ratingIsTheLatestChangesOwnGreyWithoutOne() {
        AsOf q1 = asOf("2025-Q1", "2025-06-01");
        TaskAsOf red = TaskAsOf.one(q1, List.of(
                change("T1", "task.dispatched", 1, "2025-01-05T09:00").rating("GREEN", "on track").build(),
                change("T1", "task.rating-changed", 2, "2025-02-05T09:00").rating("RED", "overdue 5 days").build()),
                List.of());
        TaskAsOf none = one(q1, change("T2", "task.dispatched", 1, "2025-01-05T09:00"));
        TaskAsOf unknown = one(q1, change("T3", "task.dispatched", 1, "2025-01-05T09:00").rating("PURPLE", null));

        assertThat(red.rating()).isEqualTo("RED");
        assertThat(none.rating()).isEqualTo("GREY");
        assertThat(unknown.rating()).isEqualTo("GREY");
        assertThat(none.percent()).isZero();
    }

    @Test
    void aProgressReportIsOnTimeUntilFiveDaysAfterItsOwnPeriod() {
        AsOf q1 = asOf("2025-Q1", "2025-06-01");
        // March ends 2025-04-01 00:00 Beijing; + 5 days = 2025-04-06 00:00
        assertThat(q1.reportedOnTime(progress("P1", "T1", "2025-03", "2025-04-05T23:59"))).isTrue();
        assertThat(q1.reportedOnTime(progress("P2", "T1", "2025-03", "2025-04-06T00:00"))).isFalse();
        // by its own period, not the report's: February's ends 3/1, so 3/6 00:00 is late
        assertThat(q1.reportedOnTime(progress("P3", "T1", "2025-02", "2025-03-06T00:00"))).isFalse();
        assertThat(q1.reportedOnTime(progress("P4", "T1", "bogus", "2025-01-02T00:00"))).isFalse();
    }

    private static TaskAsOf one(AsOf asOf, Facts.C change) {
        return TaskAsOf.one(asOf, List.of(change.build()), List.of());
    }

    private static TaskAsOf signed(String taskId, String dispatchKind, String signedAt, String deadline) {
        AsOf q1 = asOf("2025-Q1", "2025-06-01");
        Facts.C first = change(taskId, dispatchKind == null ? "task.created" : dispatchKind, 1, "2025-03-03T10:00");
        Facts.C sign = change(taskId, "task.signed-for", 2, signedAt).status("SIGNED_FOR");
        Facts.C again = change(taskId, "task.signed-for", 3, "2025-03-31T10:00").status("SIGNED_FOR");
        if (deadline != null) {
            first.deadline(deadline);
            sign.deadline(deadline);
            again.deadline(deadline);
        }
        return TaskAsOf.one(q1, List.of(first.build(), sign.build(), again.build()), List.of());
    }
}
