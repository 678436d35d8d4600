package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.beijing.scienceedu.contracts.calendar.WorkingDaysSource;
import cn.beijing.scienceedu.task.calendar.WorkingCalendar;

/**
 * Working-day arithmetic as the task-service counts it: the contracts' calendar (2025 and 2026 official PRC
 * calendars, {@code calendar/working-days.yaml}) behind {@link WorkingCalendar}, plus an operator's file.
 */
class WorkingCalendarTest {

    static WorkingCalendar calendar;

    @BeforeAll
    static void load() {
        calendar = new WorkingCalendar(new WorkingDaysSource(null, Duration.ofMinutes(1), p -> {
        }), Clock.systemUTC(), "Asia/Shanghai");
    }

    static LocalDate d(String s) {
        return LocalDate.parse(s);
    }

    @Test
    void holidaysAreNotWorkingDaysAndMakeUpWeekendDaysAre() {
        assertThat(calendar.isWorkingDay(d("2025-10-01"))).isFalse(); // 国庆 Wednesday
        assertThat(calendar.isWorkingDay(d("2025-10-08"))).isFalse(); // 中秋·国庆 Wednesday
        assertThat(calendar.isWorkingDay(d("2025-09-28"))).isTrue(); // Sunday, 调休上班
        assertThat(calendar.isWorkingDay(d("2025-10-11"))).isTrue(); // Saturday, 调休上班
        assertThat(calendar.isWorkingDay(d("2025-10-12"))).isFalse(); // ordinary Sunday
        assertThat(calendar.isWorkingDay(d("2026-02-16"))).isFalse(); // 春节 Monday
        assertThat(calendar.isWorkingDay(d("2026-02-14"))).isTrue(); // Saturday, 调休上班
        assertThat(calendar.isWorkingDay(d("2026-01-04"))).isTrue(); // Sunday, 调休上班
        assertThat(calendar.isWorkingDay(d("2027-01-04"))).isTrue(); // unconfigured year: Mon–Fri
    }

    @Test
    void countingWorkingDaysAcrossAHolidayAndAMakeUpDay() {
        // Fri 26 Sep 2025 + 1 working day = Sun 28 Sep (make-up day), not Mon 29 Sep
        assertThat(calendar.plusWorkingDays(d("2025-09-26"), 1)).isEqualTo(d("2025-09-28"));
        // Tue 30 Sep + 1 = Thu 9 Oct (1–8 Oct are the National Day / Mid-Autumn holiday)
        assertThat(calendar.plusWorkingDays(d("2025-09-30"), 1)).isEqualTo(d("2025-10-09"));
        // Tue 30 Sep + 3 = Sat 11 Oct (make-up day)
        assertThat(calendar.plusWorkingDays(d("2025-09-30"), 3)).isEqualTo(d("2025-10-11"));
        // working days in (26 Sep, 11 Oct]: 28, 29, 30 Sep, 9, 10, 11 Oct = 6
        assertThat(calendar.workingDaysBetween(d("2025-09-26"), d("2025-10-11"))).isEqualTo(6);
        assertThat(calendar.workingDaysBetween(d("2025-10-11"), d("2025-09-26"))).isEqualTo(-6);
        // Spring Festival 2026: Fri 13 Feb + 1 = Sat 14 Feb (make-up), + 2 = Tue 24 Feb
        assertThat(calendar.plusWorkingDays(d("2026-02-13"), 1)).isEqualTo(d("2026-02-14"));
        assertThat(calendar.plusWorkingDays(d("2026-02-13"), 2)).isEqualTo(d("2026-02-24"));
        // a deadline falling on a holiday moves to the next working day
        assertThat(calendar.onOrAfter(d("2026-10-01"))).isEqualTo(d("2026-10-08"));
    }

    @Test
    void aDeadlineInAYearTheCalendarDoesNotKnowIsFlaggedUntilAnOperatorLoadsIt(@TempDir Path dir) throws IOException {
        assertThat(calendar.knows(d("2026-12-31"))).isTrue();
        assertThat(calendar.knows(d("2027-11-29"))).isFalse();
        // an operator's file adds 2027 (a made-up year here: 1 Feb 2027, a Monday, off; Sat 6 Feb worked)
        Path file = dir.resolve("calendar.yaml");
        Files.writeString(file, "years:\n  2027:\n    notice: test\n    holidays: [2027-02-01]\n    workdays: [2027-02-06]\n");
        WorkingCalendar withFile = new WorkingCalendar(new WorkingDaysSource(file, Duration.ZERO, p -> {
        }), Clock.fixed(Instant.parse("2027-01-29T02:00:00Z"), ZoneOffset.UTC), "Asia/Shanghai");
        assertThat(withFile.today()).isEqualTo(d("2027-01-29"));
        assertThat(withFile.knows(d("2027-11-29"))).isTrue();
        assertThat(withFile.isWorkingDay(d("2027-02-01"))).isFalse();
        assertThat(withFile.isWorkingDay(d("2027-02-06"))).isTrue();
        // Fri 29 Jan + 1 working day = Tue 2 Feb (Mon 1 Feb is off)
        assertThat(withFile.plusWorkingDays(d("2027-01-29"), 1)).isEqualTo(d("2027-02-02"));
        // the file changes: re-read without a restart
        Files.writeString(file, "years:\n  2027:\n    notice: test\n    holidays: []\n    workdays: []\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(withFile.isWorkingDay(d("2027-02-01"))).isTrue();
        // the shipped years are still there
        assertThat(withFile.isWorkingDay(d("2026-02-16"))).isFalse();
    }
}
