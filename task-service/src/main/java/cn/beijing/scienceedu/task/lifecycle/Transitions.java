package cn.beijing.scienceedu.task.lifecycle;

import static cn.beijing.scienceedu.contracts.task.model.TaskStatus.ACCEPTED;
import static cn.beijing.scienceedu.contracts.task.model.TaskStatus.CANCELLED;
import static cn.beijing.scienceedu.contracts.task.model.TaskStatus.DELIVERED;
import static cn.beijing.scienceedu.contracts.task.model.TaskStatus.DISPATCHED;
import static cn.beijing.scienceedu.contracts.task.model.TaskStatus.IN_PROGRESS;
import static cn.beijing.scienceedu.contracts.task.model.TaskStatus.PLANNED;
import static cn.beijing.scienceedu.contracts.task.model.TaskStatus.RETURNED;
import static cn.beijing.scienceedu.contracts.task.model.TaskStatus.SIGNED_FOR;
import static cn.beijing.scienceedu.contracts.task.model.TaskStatus.SUBMITTED;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.contracts.task.model.TaskStatus;
import cn.beijing.scienceedu.task.web.ApiException;

/**
 * The task lifecycle as one table: for every action, the statuses it is allowed in and the status it leads to (or
 * none: the status stays). The lifecycle ({@link LifecycleService}), the bureau's writes ({@code progress}), the
 * delivery outcomes ({@code delivery}), deadlines and extensions ({@code deadline}) and the deadline scan
 * ({@code urging}) all ask this table; an action in any other status is the 409 {@link #conflict} gives, naming the
 * current state ({@code currentState}).
 *
 * <pre>
 * action             allowed in                                                       → to
 * DISPATCH           PLANNED                                                          → DISPATCHED
 * DELIVER            DISPATCHED                                                       → DELIVERED
 * DELIVERY_SETBACK   DISPATCHED                                                       (stays)
 * SIGN_FOR           DISPATCHED DELIVERED                                             → SIGNED_FOR
 * REPORT_PROGRESS    SIGNED_FOR IN_PROGRESS RETURNED                                  → IN_PROGRESS
 * SUBMIT             SIGNED_FOR IN_PROGRESS RETURNED                                  → SUBMITTED
 * ACCEPT             SUBMITTED                                                        → ACCEPTED
 * RETURN             SUBMITTED                                                        → RETURNED
 * CANCEL             PLANNED DISPATCHED DELIVERED SIGNED_FOR IN_PROGRESS SUBMITTED RETURNED → CANCELLED
 * URGE               DISPATCHED DELIVERED SIGNED_FOR IN_PROGRESS RETURNED (open)      (stays)
 * REQUEST_EXTENSION  DISPATCHED DELIVERED SIGNED_FOR IN_PROGRESS RETURNED (open)      (stays)
 * CHANGE_DEADLINE    every status but ACCEPTED and CANCELLED (closed)                  (stays)
 * </pre>
 *
 * The status is the generated {@code task-api.yaml} {@link TaskStatus} (the API this service owns; the events'
 * enum of the same values is mapped from it where an event is written).
 */
public final class Transitions {

    /** The status of a task as planned. */
    public static final TaskStatus INITIAL = PLANNED;

    /** Statuses in which the unit still works on the task. */
    public static final Set<TaskStatus> OPEN = Collections.unmodifiableSet(
            EnumSet.of(DISPATCHED, DELIVERED, SIGNED_FOR, IN_PROGRESS, RETURNED));

    /** Statuses nothing changes any more (no deadline change, no urging, no cancellation). */
    public static final Set<TaskStatus> CLOSED = Collections.unmodifiableSet(EnumSet.of(ACCEPTED, CANCELLED));

    /** What can happen to a task, each with the statuses it is allowed in and where it leads. */
    public enum TaskAction {
        /** A liaison dispatches a planned task (event {@code task.dispatched}). */
        DISPATCH("dispatch", EventTypes.TASK_DISPATCHED, DISPATCHED, PLANNED),
        /** bureau-adapters confirm the delivery of the assignment ({@code task.delivered}). */
        DELIVER("deliver", EventTypes.TASK_DELIVERED, DELIVERED, DISPATCHED),
        /** A parked or failed delivery: only the delivery status changes, while the task waits for delivery. */
        DELIVERY_SETBACK("record a delivery setback of", null, null, DISPATCHED),
        /** The unit signs for the task (签收); before the delivery confirmation it implies delivery. */
        SIGN_FOR("sign for", EventTypes.TASK_SIGNED_FOR, SIGNED_FOR, DISPATCHED, DELIVERED),
        /** A progress report (进展报送). */
        REPORT_PROGRESS("report progress on", EventTypes.TASK_PROGRESS_REPORTED, IN_PROGRESS, SIGNED_FOR, IN_PROGRESS,
                RETURNED),
        /** The completion report (办结报告). */
        SUBMIT("submit", EventTypes.TASK_SUBMITTED, SUBMITTED, SIGNED_FOR, IN_PROGRESS, RETURNED),
        ACCEPT("accept", EventTypes.TASK_ACCEPTED, ACCEPTED, SUBMITTED),
        RETURN("return", EventTypes.TASK_RETURNED, RETURNED, SUBMITTED),
        CANCEL("cancel", EventTypes.TASK_CANCELLED, CANCELLED, PLANNED, DISPATCHED, DELIVERED, SIGNED_FOR, IN_PROGRESS,
                SUBMITTED, RETURNED),
        /** Urging (督办) and reminders, by a liaison or the deadline scan: open tasks only. */
        URGE("urge", null, null, DISPATCHED, DELIVERED, SIGNED_FOR, IN_PROGRESS, RETURNED),
        /** The unit asks for a later deadline (延期申请): open tasks only. */
        REQUEST_EXTENSION("request an extension of", null, null, DISPATCHED, DELIVERED, SIGNED_FOR, IN_PROGRESS,
                RETURNED),
        /** A liaison sets the deadline, or approves an extension: any task not closed. */
        CHANGE_DEADLINE("change the deadline of", null, null, PLANNED, DISPATCHED, DELIVERED, SIGNED_FOR,
                IN_PROGRESS, SUBMITTED, RETURNED);

        private final String verb;
        private final String event;
        private final TaskStatus to;
        private final Set<TaskStatus> from;

        TaskAction(String verb, String event, TaskStatus to, TaskStatus first, TaskStatus... rest) {
            this.verb = verb;
            this.event = event;
            this.to = to;
            this.from = Collections.unmodifiableSet(EnumSet.of(first, rest));
        }

        /** The statuses the action is allowed in. */
        public Set<TaskStatus> from() {
            return from;
        }

        /** The status after the action in {@code current}: its target, or {@code current} when it keeps the status. */
        public TaskStatus target(TaskStatus current) {
            return to == null ? current : to;
        }

        /** Whether the action moves the status (and is then published as {@link #event()}). */
        public boolean changesStatus() {
            return to != null;
        }

        /** The event kind of a status change; null for actions that keep the status (their callers name the event). */
        public String event() {
            return event;
        }

        /** As in "cannot &lt;verb&gt; a task that is …". */
        public String verb() {
            return verb;
        }
    }

    private Transitions() {
    }

    public static boolean allows(TaskStatus current, TaskAction action) {
        return action.from().contains(current);
    }

    /** The status after {@code action}, or the 409 naming the current state when it is not allowed in it. */
    public static TaskStatus next(TaskStatus current, TaskAction action) {
        require(current, action);
        return action.target(current);
    }

    /** Nothing when {@code action} is allowed in {@code current}; else throws the 409 of {@link #conflict}. */
    public static void require(TaskStatus current, TaskAction action) {
        if (!allows(current, action)) {
            throw conflict(current, action);
        }
    }

    /** The 409 answer for {@code action} in {@code current}: a problem with {@code currentState}. */
    public static ApiException conflict(TaskStatus current, TaskAction action) {
        return ApiException.conflict(current.getValue(),
                "cannot " + action.verb() + " a task that is " + current.getValue());
    }

    public static boolean isOpen(TaskStatus status) {
        return OPEN.contains(status);
    }

    public static boolean isClosed(TaskStatus status) {
        return CLOSED.contains(status);
    }
}
