package cn.beijing.scienceedu.task.deadline;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;

/** Working-day arithmetic on the configured calendar (holidays and 调休 make-up days). */
public class WorkingCalendar {

    private final Set<LocalDate> holidays = new HashSet<>();
    private final Set<LocalDate> workdays = new HashSet<>();
    private final Clock clock;

    public WorkingCalendar(CalendarProperties properties, Clock clock) {
        properties.getYears().forEach((year, y) -> {
            holidays.addAll(y.getHolidays());
            workdays.addAll(y.getWorkdays());
        });
        this.clock = clock.withZone(ZoneId.of(properties.getZone()));
    }

    /** Today in the business zone. */
    public LocalDate today() {
        return LocalDate.now(clock);
    }

    public Clock clock() {
        return clock;
    }

    public boolean isWorkingDay(LocalDate d) {
        if (workdays.contains(d)) {
            return true;
        }
        if (holidays.contains(d)) {
            return false;
        }
        DayOfWeek w = d.getDayOfWeek();
        return w != DayOfWeek.SATURDAY && w != DayOfWeek.SUNDAY;
    }

    /** The day itself if it is a working day, else the next working day. */
    public LocalDate onOrAfter(LocalDate d) {
        LocalDate x = d;
        while (!isWorkingDay(x)) {
            x = x.plusDays(1);
        }
        return x;
    }

    /** The n-th working day after {@code from} (n ≥ 0; n = 0 gives {@link #onOrAfter}). */
    public LocalDate plusWorkingDays(LocalDate from, int n) {
        if (n <= 0) {
            return onOrAfter(from);
        }
        LocalDate x = from;
        int left = n;
        while (left > 0) {
            x = x.plusDays(1);
            if (isWorkingDay(x)) {
                left--;
            }
        }
        return x;
    }

    /**
     * Working days in (from, to]: how many working days from {@code from} until {@code to}; negative when
     * {@code to} is before {@code from} (working days in (to, from], negated).
     */
    public int workingDaysBetween(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            return -workingDaysBetween(to, from);
        }
        int n = 0;
        for (LocalDate x = from.plusDays(1); !x.isAfter(to); x = x.plusDays(1)) {
            if (isWorkingDay(x)) {
                n++;
            }
        }
        return n;
    }
}
