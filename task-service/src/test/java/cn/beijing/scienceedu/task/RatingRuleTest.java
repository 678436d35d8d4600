package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.contracts.calendar.WorkingDays;
import cn.beijing.scienceedu.contracts.calendar.WorkingDaysSource;
import cn.beijing.scienceedu.contracts.task.model.TaskStatus;
import cn.beijing.scienceedu.task.calendar.WorkingCalendar;
import cn.beijing.scienceedu.task.lifecycle.TaskRecord;
import cn.beijing.scienceedu.task.lifecycle.Ratings;

/**
 * The one rating rule (brief of issue 15, task-api.yaml {@code Rating}) as a table of cases: every task status ×
 * deadline situation (far, due soon, overdue) × the bureau's last status, each with the rating and the rule that gives
 * it; then the "behind the time elapsed" rules, their order against the others, and the due-soon edge on the
 * working-day calendar (holidays and 调休 counted).
 */
class RatingRuleTest {

    static final WorkingDays DAYS = WorkingDays.standard();
    static final LocalDate TODAY = LocalDate.parse("2026-06-10"); // a Wednesday

    /** Planned, deadline; the percent complete of these cases (95) is never behind the time elapsed. */
    record Situation(LocalDate start, LocalDate deadline) {
    }

    static final Map<String, Situation> SITUATIONS = Map.of(
            "far", new Situation(LocalDate.parse("2026-06-01"), LocalDate.parse("2026-12-31")),
            // three working days ahead: Thu 11, Fri 12, Mon 15 June
            "soon", new Situation(LocalDate.parse("2026-06-01"), LocalDate.parse("2026-06-15")),
            "overdue", new Situation(LocalDate.parse("2026-01-05"), LocalDate.parse("2026-06-05")));

    static final List<String> BUREAU = Arrays.asList(null, "ON_TRACK", "AT_RISK", "DELAYED", "BLOCKED", "COMPLETED");

    /** status, situation, then one cell per bureau status (none, ON_TRACK, AT_RISK, DELAYED, BLOCKED, COMPLETED). */
    static final String TABLE = """
            CANCELLED   far     GREY:CANCELLED      GREY:CANCELLED      GREY:CANCELLED       GREY:CANCELLED      GREY:CANCELLED      GREY:CANCELLED
            CANCELLED   soon    GREY:CANCELLED      GREY:CANCELLED      GREY:CANCELLED       GREY:CANCELLED      GREY:CANCELLED      GREY:CANCELLED
            CANCELLED   overdue GREY:CANCELLED      GREY:CANCELLED      GREY:CANCELLED       GREY:CANCELLED      GREY:CANCELLED      GREY:CANCELLED
            PLANNED     far     GREY:NOT_DISPATCHED GREY:NOT_DISPATCHED GREY:NOT_DISPATCHED  GREY:NOT_DISPATCHED GREY:NOT_DISPATCHED GREY:NOT_DISPATCHED
            PLANNED     soon    GREY:NOT_DISPATCHED GREY:NOT_DISPATCHED GREY:NOT_DISPATCHED  GREY:NOT_DISPATCHED GREY:NOT_DISPATCHED GREY:NOT_DISPATCHED
            PLANNED     overdue GREY:NOT_DISPATCHED GREY:NOT_DISPATCHED GREY:NOT_DISPATCHED  GREY:NOT_DISPATCHED GREY:NOT_DISPATCHED GREY:NOT_DISPATCHED
            SUBMITTED   far     GREEN:DONE          GREEN:DONE          GREEN:DONE           GREEN:DONE          GREEN:DONE          GREEN:DONE
            SUBMITTED   soon    GREEN:DONE          GREEN:DONE          GREEN:DONE           GREEN:DONE          GREEN:DONE          GREEN:DONE
            SUBMITTED   overdue GREEN:DONE          GREEN:DONE          GREEN:DONE           GREEN:DONE          GREEN:DONE          GREEN:DONE
            ACCEPTED    far     GREEN:DONE          GREEN:DONE          GREEN:DONE           GREEN:DONE          GREEN:DONE          GREEN:DONE
            ACCEPTED    soon    GREEN:DONE          GREEN:DONE          GREEN:DONE           GREEN:DONE          GREEN:DONE          GREEN:DONE
            ACCEPTED    overdue GREEN:DONE          GREEN:DONE          GREEN:DONE           GREEN:DONE          GREEN:DONE          GREEN:DONE
            DISPATCHED  far     GREEN:ON_TRACK      GREEN:ON_TRACK      AMBER:BUREAU_AT_RISK RED:BUREAU_DELAYED  RED:BUREAU_BLOCKED  GREEN:ON_TRACK
            DISPATCHED  soon    AMBER:DUE_SOON      AMBER:DUE_SOON      AMBER:BUREAU_AT_RISK RED:BUREAU_DELAYED  RED:BUREAU_BLOCKED  AMBER:DUE_SOON
            DISPATCHED  overdue RED:OVERDUE         RED:OVERDUE         RED:OVERDUE          RED:OVERDUE         RED:OVERDUE         RED:OVERDUE
            DELIVERED   far     GREEN:ON_TRACK      GREEN:ON_TRACK      AMBER:BUREAU_AT_RISK RED:BUREAU_DELAYED  RED:BUREAU_BLOCKED  GREEN:ON_TRACK
            DELIVERED   soon    AMBER:DUE_SOON      AMBER:DUE_SOON      AMBER:BUREAU_AT_RISK RED:BUREAU_DELAYED  RED:BUREAU_BLOCKED  AMBER:DUE_SOON
            DELIVERED   overdue RED:OVERDUE         RED:OVERDUE         RED:OVERDUE          RED:OVERDUE         RED:OVERDUE         RED:OVERDUE
            SIGNED_FOR  far     GREEN:ON_TRACK      GREEN:ON_TRACK      AMBER:BUREAU_AT_RISK RED:BUREAU_DELAYED  RED:BUREAU_BLOCKED  GREEN:ON_TRACK
            SIGNED_FOR  soon    AMBER:DUE_SOON      AMBER:DUE_SOON      AMBER:BUREAU_AT_RISK RED:BUREAU_DELAYED  RED:BUREAU_BLOCKED  AMBER:DUE_SOON
            SIGNED_FOR  overdue RED:OVERDUE         RED:OVERDUE         RED:OVERDUE          RED:OVERDUE         RED:OVERDUE         RED:OVERDUE
            IN_PROGRESS far     GREEN:ON_TRACK      GREEN:ON_TRACK      AMBER:BUREAU_AT_RISK RED:BUREAU_DELAYED  RED:BUREAU_BLOCKED  GREEN:ON_TRACK
            IN_PROGRESS soon    AMBER:DUE_SOON      AMBER:DUE_SOON      AMBER:BUREAU_AT_RISK RED:BUREAU_DELAYED  RED:BUREAU_BLOCKED  AMBER:DUE_SOON
            IN_PROGRESS overdue RED:OVERDUE         RED:OVERDUE         RED:OVERDUE          RED:OVERDUE         RED:OVERDUE         RED:OVERDUE
            RETURNED    far     AMBER:RETURNED      AMBER:RETURNED      AMBER:RETURNED       RED:BUREAU_DELAYED  RED:BUREAU_BLOCKED  AMBER:RETURNED
            RETURNED    soon    AMBER:RETURNED      AMBER:RETURNED      AMBER:RETURNED       RED:BUREAU_DELAYED  RED:BUREAU_BLOCKED  AMBER:RETURNED
            RETURNED    overdue RED:OVERDUE         RED:OVERDUE         RED:OVERDUE          RED:OVERDUE         RED:OVERDUE         RED:OVERDUE
            """;

    static String rate(String status, String bureau, int percent, LocalDate start, LocalDate deadline, LocalDate today) {
        Ratings.Result r = Ratings.rate(TaskStatus.fromValue(status), bureau, percent, start, deadline, today, DAYS);
        return r.rating() + ":" + r.reason();
    }

    @Test
    void everyStatusTimesEveryDeadlineSituationTimesEveryBureauStatus() {
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (String line : TABLE.strip().split("\n")) {
            String[] cells = line.trim().split("\\s+");
            assertThat(cells).as(line).hasSize(2 + BUREAU.size());
            Situation s = SITUATIONS.get(cells[1]);
            for (int i = 0; i < BUREAU.size(); i++) {
                String got = rate(cells[0], BUREAU.get(i), 95, s.start(), s.deadline(), TODAY);
                if (!got.equals(cells[2 + i])) {
                    wrong.add(cells[0] + " " + cells[1] + " bureau " + BUREAU.get(i) + ": expected " + cells[2 + i]
                            + ", got " + got);
                }
                cases++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(cases).isEqualTo(9 * 3 * 6);
    }

    @Test
    void behindTheTimeElapsedAndWhereThoseRulesStandAmongTheOthers() {
        // planned 1 Jan, due 31 Dec: on 10 June 43 % of the time has passed
        LocalDate start = LocalDate.parse("2026-01-01");
        LocalDate end = LocalDate.parse("2026-12-31");
        assertThat(rate("IN_PROGRESS", "ON_TRACK", 2, start, end, TODAY)).isEqualTo("RED:FAR_BEHIND"); // 41 behind
        assertThat(rate("IN_PROGRESS", "ON_TRACK", 3, start, end, TODAY)).isEqualTo("AMBER:BEHIND"); // 40 behind
        assertThat(rate("IN_PROGRESS", "ON_TRACK", 27, start, end, TODAY)).isEqualTo("AMBER:BEHIND"); // 16 behind
        assertThat(rate("IN_PROGRESS", "ON_TRACK", 28, start, end, TODAY)).isEqualTo("GREEN:ON_TRACK"); // 15 behind
        // far behind (7) comes before RETURNED (8) and AT_RISK (9); DELAYED (6) before far behind
        assertThat(rate("RETURNED", "COMPLETED", 0, start, end, TODAY)).isEqualTo("RED:FAR_BEHIND");
        assertThat(rate("IN_PROGRESS", "AT_RISK", 0, start, end, TODAY)).isEqualTo("RED:FAR_BEHIND");
        assertThat(rate("IN_PROGRESS", "DELAYED", 0, start, end, TODAY)).isEqualTo("RED:BUREAU_DELAYED");
        // behind (11) comes after RETURNED, AT_RISK and due soon
        assertThat(rate("RETURNED", "COMPLETED", 20, start, end, TODAY)).isEqualTo("AMBER:RETURNED");
        assertThat(rate("IN_PROGRESS", "AT_RISK", 20, start, end, TODAY)).isEqualTo("AMBER:BUREAU_AT_RISK");
        LocalDate soon = LocalDate.parse("2026-06-15");
        LocalDate may = LocalDate.parse("2026-05-01"); // 40 of 45 days gone: 88 %
        assertThat(rate("IN_PROGRESS", "ON_TRACK", 60, may, soon, TODAY)).isEqualTo("AMBER:DUE_SOON");
        assertThat(rate("IN_PROGRESS", "ON_TRACK", 40, may, soon, TODAY)).isEqualTo("RED:FAR_BEHIND");
        // overdue (4) before everything the bureau says
        assertThat(rate("IN_PROGRESS", "BLOCKED", 0, start, LocalDate.parse("2026-06-09"), TODAY)).isEqualTo("RED:OVERDUE");
    }

    @Test
    void dueSoonIsCountedInWorkingDaysOfTheCalendar() {
        LocalDate start = LocalDate.parse("2026-06-01");
        // the deadline itself: not overdue yet, due soon; the day after: overdue
        assertThat(rate("SIGNED_FOR", null, 95, start, TODAY, TODAY)).isEqualTo("AMBER:DUE_SOON");
        assertThat(rate("SIGNED_FOR", null, 95, start, TODAY.minusDays(1), TODAY)).isEqualTo("RED:OVERDUE");
        // five working days ahead (Wed 17 June) is due soon, six (Thu 18 June) is not
        assertThat(rate("SIGNED_FOR", null, 95, start, LocalDate.parse("2026-06-17"), TODAY)).isEqualTo("AMBER:DUE_SOON");
        assertThat(rate("SIGNED_FOR", null, 95, start, LocalDate.parse("2026-06-18"), TODAY)).isEqualTo("GREEN:ON_TRACK");
        // across 国庆 2026 (1–7 Oct off, Sat 10 Oct worked): from Wed 30 Sep, Fri 16 Oct is 8 working days away
        // (8, 9, 10, 12 … 16 Oct) and not due soon; Mon 12 Oct is 4 away and due soon though 12 calendar days off
        LocalDate sep30 = LocalDate.parse("2026-09-30");
        LocalDate spring = LocalDate.parse("2026-03-01");
        assertThat(rate("IN_PROGRESS", null, 95, spring, LocalDate.parse("2026-10-16"), sep30)).isEqualTo("GREEN:ON_TRACK");
        assertThat(rate("IN_PROGRESS", null, 95, spring, LocalDate.parse("2026-10-12"), sep30)).isEqualTo("AMBER:DUE_SOON");
        // counted Monday–Friday, Mon 12 Oct would be 8 working days away: the calendar matters
        assertThat(DAYS.workingDaysBetween(sep30, LocalDate.parse("2026-10-12"))).isEqualTo(4);
    }
    @Test
    void theTableHoldsEveryStatusOfTheGeneratedEnumOnce() {
        List<String> statuses = TABLE.strip().lines().map(l -> l.trim().split("\\s+")[0]).distinct().toList();
        assertThat(statuses).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(TaskStatus.values()).map(TaskStatus::getValue).toList());
        assertThat(TABLE.strip().lines().count()).isEqualTo(TaskStatus.values().length * SITUATIONS.size());
    }

    @Test
    void overdueIsAfterTheDeadlineDayAndNeverForAFinishedTask() {
        for (TaskStatus s : TaskStatus.values()) {
            TaskRecord t = new TaskRecord();
            t.status = s;
            t.deadline = TODAY;
            assertThat(Ratings.overdue(t, TODAY)).as(s + " on the deadline day").isFalse();
            boolean finished = s == TaskStatus.SUBMITTED || s == TaskStatus.ACCEPTED || s == TaskStatus.CANCELLED;
            assertThat(Ratings.overdue(t, TODAY.plusDays(1))).as(s + " the day after").isEqualTo(!finished);
        }
        assertThat(Ratings.FINISHED).containsExactlyInAnyOrder(TaskStatus.SUBMITTED, TaskStatus.ACCEPTED,
                TaskStatus.CANCELLED);
    }

    @Test
    void aTaskIsRatedOnTheServiceClockWithItsPlannedDayInTheBusinessZone() {
        // 10 June 2026, noon in Beijing; planned 31 May 17:00 UTC = 1 June 01:00 in Beijing; due Sunday 21 June
        WorkingCalendar calendar = new WorkingCalendar(new WorkingDaysSource(null, Duration.ofMinutes(1), p -> {
        }), Clock.fixed(Instant.parse("2026-06-10T04:00:00Z"), ZoneOffset.UTC), "Asia/Shanghai");
        TaskRecord t = new TaskRecord();
        t.status = TaskStatus.IN_PROGRESS;
        t.lastReportStatus = "ON_TRACK";
        t.percentComplete = 5;
        t.plannedAt = OffsetDateTime.parse("2026-05-31T17:00:00Z");
        t.deadline = LocalDate.parse("2026-06-21");
        // from 1 June: 9 of 20 days gone (45 %), 40 points behind → AMBER; counted from 31 May (UTC) it would be
        // 10 of 21 (47 %), 42 behind → RED
        Ratings.Result r = Ratings.rate(t, calendar);
        assertThat(r.rating() + ":" + r.reason()).isEqualTo("AMBER:BEHIND");
        assertThat(rate("IN_PROGRESS", "ON_TRACK", 5, LocalDate.parse("2026-05-31"), t.deadline, TODAY))
                .isEqualTo("RED:FAR_BEHIND");
        // a task planned and due on one day (no division by zero), and one planned after today (no time elapsed):
        // neither is behind
        assertThat(rate("IN_PROGRESS", null, 0, TODAY.plusDays(30), TODAY.plusDays(30), TODAY))
                .isEqualTo("GREEN:ON_TRACK");
        assertThat(rate("IN_PROGRESS", null, 0, TODAY.plusDays(1), TODAY.plusDays(60), TODAY))
                .isEqualTo("GREEN:ON_TRACK");
    }
}
