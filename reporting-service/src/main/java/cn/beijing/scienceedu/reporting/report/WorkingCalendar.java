package cn.beijing.scienceedu.reporting.report;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;

import cn.beijing.scienceedu.reporting.ReportingProperties;

/**
 * Working days (工作日) as the task-service counts them: Monday–Friday, minus the configured public holidays,
 * plus the configured 调休 make-up days (weekend days worked).
 */
public final class WorkingCalendar {

    private final Set<LocalDate> holidays = new HashSet<>();
    private final Set<LocalDate> workdays = new HashSet<>();

    public WorkingCalendar(ReportingProperties.Calendar calendar) {
        calendar.years().values().forEach(y -> {
            holidays.addAll(y.holidays());
            workdays.addAll(y.workdays());
        });
    }

    public boolean isWorkingDay(LocalDate d) {
        if (workdays.contains(d)) {
            return true;
        }
        if (holidays.contains(d)) {
            return false;
        }
        return d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    /** Working days after {@code deadline} up to and including {@code asOf}: how many working days overdue. */
    public long workingDaysAfter(LocalDate deadline, LocalDate asOf) {
        long n = 0;
        for (LocalDate d = deadline.plusDays(1); !d.isAfter(asOf); d = d.plusDays(1)) {
            if (isWorkingDay(d)) {
                n++;
            }
        }
        return n;
    }
}
