package cn.beijing.scienceedu.task.lifecycle;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import cn.beijing.scienceedu.contracts.calendar.WorkingDays;
import cn.beijing.scienceedu.contracts.task.model.TaskStatus;
import cn.beijing.scienceedu.task.calendar.WorkingCalendar;

/**
 * The one rating rule of the hub (task-api.yaml {@code Rating}; reporting takes the rating from the events and never
 * recomputes it). The first rule that applies wins:
 *
 * <ol>
 * <li>CANCELLED → GREY (CANCELLED)</li>
 * <li>PLANNED → GREY (NOT_DISPATCHED)</li>
 * <li>SUBMITTED or ACCEPTED → GREEN (DONE)</li>
 * <li>today (business zone) after the deadline → RED (OVERDUE)</li>
 * <li>the bureau's last status BLOCKED → RED (BUREAU_BLOCKED)</li>
 * <li>the bureau's last status DELAYED → RED (BUREAU_DELAYED)</li>
 * <li>more than 40 points behind the share of time elapsed (planned → deadline) → RED (FAR_BEHIND)</li>
 * <li>RETURNED → AMBER (RETURNED)</li>
 * <li>the bureau's last status AT_RISK → AMBER (BUREAU_AT_RISK)</li>
 * <li>≤ 5 working days to the deadline → AMBER (DUE_SOON)</li>
 * <li>more than 15 points behind → AMBER (BEHIND)</li>
 * <li>otherwise GREEN (ON_TRACK)</li>
 * </ol>
 *
 * Rules 4, 7, 10 and 11 change with time alone: the deadline scan re-rates open tasks and publishes such a change as
 * {@code task.rating-changed}.
 */
public final class Ratings {

    /** A rating with the rule that gave it. */
    public record Result(String rating, String reason) {
    }

    /** Statuses in which a task can no longer be late (its rating no longer moves with time). */
    public static final Set<TaskStatus> FINISHED = Collections.unmodifiableSet(
            EnumSet.of(TaskStatus.SUBMITTED, TaskStatus.ACCEPTED, TaskStatus.CANCELLED));

    static final int FAR_BEHIND_POINTS = 40;
    static final int BEHIND_POINTS = 15;
    static final int DUE_SOON_WORKING_DAYS = 5;

    private Ratings() {
    }

    public static boolean overdue(TaskRecord t, LocalDate today) {
        return !FINISHED.contains(t.status) && today.isAfter(t.deadline);
    }

    public static Result rate(TaskRecord t, WorkingCalendar calendar) {
        LocalDate start = t.plannedAt.atZoneSameInstant(calendar.clock().getZone()).toLocalDate();
        return rate(t.status, t.lastReportStatus, t.percentComplete, start, t.deadline, calendar.today(),
                calendar.days());
    }

    /**
     * The rule itself, on plain values: {@code bureauStatus} is the status of the bureau's last report (null before
     * the first), {@code start} the day the task was planned.
     */
    public static Result rate(TaskStatus status, String bureauStatus, int percentComplete, LocalDate start,
            LocalDate deadline, LocalDate today, WorkingDays days) {
        switch (status) {
            case CANCELLED:
                return new Result("GREY", "CANCELLED");
            case PLANNED:
                return new Result("GREY", "NOT_DISPATCHED");
            case SUBMITTED, ACCEPTED:
                return new Result("GREEN", "DONE");
            default:
                break;
        }
        if (today.isAfter(deadline)) {
            return new Result("RED", "OVERDUE");
        }
        if ("BLOCKED".equals(bureauStatus)) {
            return new Result("RED", "BUREAU_BLOCKED");
        }
        if ("DELAYED".equals(bureauStatus)) {
            return new Result("RED", "BUREAU_DELAYED");
        }
        int behind = behind(percentComplete, start, deadline, today);
        if (behind > FAR_BEHIND_POINTS) {
            return new Result("RED", "FAR_BEHIND");
        }
        if (status == TaskStatus.RETURNED) {
            return new Result("AMBER", "RETURNED");
        }
        if ("AT_RISK".equals(bureauStatus)) {
            return new Result("AMBER", "BUREAU_AT_RISK");
        }
        if (days.workingDaysBetween(today, deadline) <= DUE_SOON_WORKING_DAYS) {
            return new Result("AMBER", "DUE_SOON");
        }
        if (behind > BEHIND_POINTS) {
            return new Result("AMBER", "BEHIND");
        }
        return new Result("GREEN", "ON_TRACK");
    }

    /** Points behind the share of calendar time elapsed from {@code start} to the deadline (negative when ahead). */
    static int behind(int percentComplete, LocalDate start, LocalDate deadline, LocalDate today) {
        long total = Math.max(1, ChronoUnit.DAYS.between(start, deadline));
        long elapsed = Math.max(0, ChronoUnit.DAYS.between(start, today));
        int expected = (int) Math.min(100, elapsed * 100 / total);
        return expected - percentComplete;
    }
}
