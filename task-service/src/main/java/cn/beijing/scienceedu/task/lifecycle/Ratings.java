package cn.beijing.scienceedu.task.lifecycle;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import cn.beijing.scienceedu.task.deadline.WorkingCalendar;

/**
 * Status rating from progress against time. GREEN: on track. AMBER: reported AT_RISK, within 5 working
 * days of the deadline, or more than 15 points behind the share of time elapsed. RED: overdue, reported
 * DELAYED, or more than 40 points behind.
 */
public final class Ratings {

    private static final Set<String> DONE = Set.of("SUBMITTED", "ACCEPTED", "CANCELLED");

    private Ratings() {
    }

    public static boolean overdue(TaskRecord t, LocalDate today) {
        return !DONE.contains(t.status) && today.isAfter(t.deadline);
    }

    public static String rate(TaskRecord t, WorkingCalendar calendar) {
        LocalDate today = calendar.today();
        if (DONE.contains(t.status)) {
            return "GREEN";
        }
        if (overdue(t, today) || "DELAYED".equals(t.lastReportStatus)) {
            return "RED";
        }
        LocalDate start = t.plannedAt.atZoneSameInstant(calendar.clock().getZone()).toLocalDate();
        long total = Math.max(1, ChronoUnit.DAYS.between(start, t.deadline));
        long elapsed = Math.max(0, ChronoUnit.DAYS.between(start, today));
        int expected = (int) Math.min(100, elapsed * 100 / total);
        int behind = expected - t.percentComplete;
        if (behind > 40) {
            return "RED";
        }
        if (behind > 15 || "AT_RISK".equals(t.lastReportStatus)
                || calendar.workingDaysBetween(today, t.deadline) <= 5) {
            return "AMBER";
        }
        return "GREEN";
    }
}
