package cn.beijing.scienceedu.reporting.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

import cn.beijing.scienceedu.contracts.calendar.WorkingDays;
import cn.beijing.scienceedu.reporting.ReportingProperties;
import cn.beijing.scienceedu.reporting.report.ReportData.Change;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;
import cn.beijing.scienceedu.reporting.shared.Period;

/**
 * When a report stands and the rules of time it counts by: its period in the service's zone, the as-of date (the
 * period's last day, or today for a running period), the on-time rule and the working-day calendar overdue days are
 * counted on.
 */
record AsOf(Period period, ZoneId zone, LocalDate date, ReportingProperties.OnTime onTime, WorkingDays calendar) {

    /** The report of {@code period} as it stands at {@code now}. */
    static AsOf of(Period period, ZoneId zone, ReportingProperties.OnTime onTime, WorkingDays calendar, Instant now) {
        LocalDate endDate = period.endInclusive();
        LocalDate today = LocalDate.ofInstant(now, zone);
        return new AsOf(period, zone, endDate.isBefore(today) ? endDate : today, onTime, calendar);
    }

    /** Changes before it count for a task's state: the start of the day after the period. */
    Instant cutoff() {
        return period.endInstant(zone);
    }

    boolean inPeriod(Instant t) {
        return period.contains(t, zone);
    }

    /** Whether a fact of its own period {@code id} (a progress report, a KPI value) counts in this report. */
    boolean counts(String periodId) {
        return Period.isValid(periodId) && period.contains(Period.parse(periodId));
    }

    /**
     * A progress report is on time when the hub received it before its own period's end plus the grace days
     * ({@code onTime.reportGraceDays}); one without a valid period never is.
     */
    boolean reportedOnTime(Progress p) {
        if (!Period.isValid(p.period())) {
            return false;
        }
        Period own = Period.parse(p.period());
        return p.reportedAt().isBefore(own.endInstant(zone).plus(onTime.reportGraceDays(), ChronoUnit.DAYS));
    }

    /**
     * A sign-for is on time within {@code onTime.signForDays} days of the dispatch (or delivery); a task with neither
     * in its history is signed for on time on or before its deadline (or always, without one).
     */
    boolean signedOnTime(Change signed, Change dispatched, Change state) {
        if (dispatched != null) {
            return !signed.at().isAfter(dispatched.at().plus(onTime.signForDays(), ChronoUnit.DAYS));
        }
        return state.deadline() == null || !LocalDate.ofInstant(signed.at(), zone).isAfter(state.deadline());
    }

    /** The task-service's calendarKnown for the deadline; for events without it, whether this calendar knows the year. */
    Boolean calendarKnown(Change state) {
        if (state.calendarKnown() != null) {
            return state.calendarKnown();
        }
        return state.deadline() == null ? null : calendar.knows(state.deadline());
    }
}
