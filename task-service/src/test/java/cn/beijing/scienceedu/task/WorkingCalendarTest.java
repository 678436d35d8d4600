package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import cn.beijing.scienceedu.task.deadline.CalendarProperties;
import cn.beijing.scienceedu.task.deadline.WorkingCalendar;

/** Working-day arithmetic on the calendar shipped in application.yml (2025 and 2026 official PRC calendars). */
class WorkingCalendarTest {

    static WorkingCalendar calendar;

    @BeforeAll
    static void load() throws Exception {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application",
                new ClassPathResource("application.yml"));
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(sources.get(0));
        CalendarProperties props = Binder.get(env).bind("hub.calendar", CalendarProperties.class).get();
        calendar = new WorkingCalendar(props, Clock.systemUTC());
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
}
