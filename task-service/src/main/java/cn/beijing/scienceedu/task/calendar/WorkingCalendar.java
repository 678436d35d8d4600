package cn.beijing.scienceedu.task.calendar;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import cn.beijing.scienceedu.contracts.calendar.WorkingDays;
import cn.beijing.scienceedu.contracts.calendar.WorkingDaysSource;

/**
 * The service's clock and its working days: "today" in the business zone, and working-day arithmetic delegated to
 * the contracts' {@link WorkingDays} (the one calendar of the hub; the operator's file is picked up when it changes).
 */
public class WorkingCalendar {

    private final WorkingDaysSource days;
    private final Clock clock;

    public WorkingCalendar(WorkingDaysSource days, Clock clock, String zone) {
        this.days = days;
        this.clock = clock.withZone(ZoneId.of(zone));
    }

    /** Today in the business zone. */
    public LocalDate today() {
        return LocalDate.now(clock);
    }

    /** Now, in UTC, on the service's clock. */
    public OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    public Clock clock() {
        return clock;
    }

    /** The calendar now (with the operator's file as last read). */
    public WorkingDays days() {
        return days.get();
    }

    /**
     * Whether the deadline's year is in the calendar. A deadline is what working days are counted towards (reminders,
     * due soon, overdue), so a deadline in an unknown year is flagged on the task ({@code calendarKnown: false});
     * "today" lies in a loaded year in practice (each year's notice is out in November before it).
     */
    public boolean knows(LocalDate deadline) {
        return days().knows(deadline);
    }

    public boolean isWorkingDay(LocalDate d) {
        return days().isWorkingDay(d);
    }

    /** The day itself if it is a working day, else the next working day. */
    public LocalDate onOrAfter(LocalDate d) {
        return days().onOrAfter(d);
    }

    /** The n-th working day after {@code from} (n ≤ 0 gives {@link #onOrAfter}). */
    public LocalDate plusWorkingDays(LocalDate from, int n) {
        return days().plusWorkingDays(from, n);
    }

    /** Working days in (from, to]; negative when {@code to} is before {@code from}. */
    public int workingDaysBetween(LocalDate from, LocalDate to) {
        return days().workingDaysBetween(from, to);
    }
}
