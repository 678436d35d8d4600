package cn.beijing.scienceedu.task.lifecycle;

import java.time.OffsetDateTime;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import cn.beijing.scienceedu.contracts.events.ExtensionData;
import cn.beijing.scienceedu.contracts.events.ProgressReportData;
import cn.beijing.scienceedu.contracts.events.TaskChange;
import cn.beijing.scienceedu.contracts.events.TaskEventData;
import cn.beijing.scienceedu.contracts.events.UrgingData;
import cn.beijing.scienceedu.contracts.task.model.TaskStatus;
import cn.beijing.scienceedu.task.calendar.WorkingCalendar;
import cn.beijing.scienceedu.task.outbox.OutboxWriter;
import cn.beijing.scienceedu.task.security.Caller;
import cn.beijing.scienceedu.task.web.ApiException;
import cn.beijing.scienceedu.task.web.ETags;

/**
 * The one place a task changes: transitions guarded by {@link Transitions}, version, rating (with its reason and the calendar flag), the
 * history row (who, when, from, to, why) and the outbox event, all in the caller's transaction.
 */
@Service
public class TaskChanges {

    /** Optional parts of a task event. */
    public record Extras(ProgressReportData progress, UrgingData urging, ExtensionData extension, String messageLogId) {
        public static Extras none() {
            return new Extras(null, null, null, null);
        }
    }

    private final TaskStore store;
    private final JdbcTemplate jdbc;
    private final OutboxWriter outbox;
    private final TaskViews views;
    private final WorkingCalendar calendar;

    public TaskChanges(TaskStore store, JdbcTemplate jdbc, OutboxWriter outbox, TaskViews views,
            WorkingCalendar calendar) {
        this.store = store;
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.views = views;
        this.calendar = calendar;
    }

    /** The task, row-locked, or 404 if it does not exist or is another unit's. */
    public TaskRecord lockVisible(String taskId, Caller caller) {
        TaskRecord t = store.lock(taskId).orElseThrow(() -> ApiException.notFound("task " + taskId));
        return visible(t, caller);
    }

    public TaskRecord findVisible(String taskId, Caller caller) {
        TaskRecord t = store.find(taskId).orElseThrow(() -> ApiException.notFound("task " + taskId));
        return visible(t, caller);
    }

    private static TaskRecord visible(TaskRecord t, Caller caller) {
        if (caller.unitScope() != null && !caller.unitScope().equals(t.unitCode)) {
            throw ApiException.notFound("task " + t.id);
        }
        return t;
    }

    /** 412 on a stale If-Match; 428 when required and absent; 400 when it is not an If-Match ({@link ETags#parse}). */
    public static void checkIfMatch(TaskRecord t, String ifMatch, boolean required) {
        ETags.IfMatch m = ETags.parse(ifMatch);
        if (m == null) {
            if (required) {
                throw ApiException.preconditionRequired();
            }
            return;
        }
        if (!m.matches(t.version)) {
            throw ApiException.preconditionFailed(t.version);
        }
    }

    /**
     * Records the change already applied to {@code t} (status etc.): bumps the version, re-rates, writes the
     * history row and, when {@code kind} is a published event kind, the outbox event.
     */
    public TaskRecord record(TaskRecord t, String kind, TaskStatus fromStatus, Caller caller, String reason,
            Extras extras, boolean publish) {
        OffsetDateTime now = calendar.now();
        t.version = t.version + 1;
        t.updatedAt = now;
        Ratings.Result rated = Ratings.rate(t, calendar);
        t.rating = rated.rating();
        t.ratingReason = rated.reason();
        t.calendarKnown = calendar.knows(t.deadline);
        store.update(t);
        String actorUnit = caller.unitScope() != null ? caller.unitScope() : caller.tokenUnit();
        Long historyId = jdbc.queryForObject("insert into task_history (task_id, kind, actor, actor_role, actor_unit, "
                + "from_status, to_status, reason, at, version) values (?,?,?,?,?,?,?,?,?,?) returning id", Long.class,
                t.id, kind, caller.subject(), caller.actingRole(), actorUnit,
                fromStatus == null ? null : fromStatus.getValue(), t.status.getValue(), reason, now,
                t.version);
        if (publish) {
            TaskChange change = new TaskChange();
            change.setHistoryId(String.valueOf(historyId));
            change.setActor(caller.subject());
            change.setActorUnit(actorUnit);
            if (caller.actingRole() != null) {
                change.setActorRole(TaskChange.ActorRole.fromValue(caller.actingRole()));
            }
            if (fromStatus != null) {
                change.setFromStatus(TaskViews.event(fromStatus));
            }
            change.setToStatus(TaskViews.event(t.status));
            change.setReason(reason);
            change.setAt(now);
            TaskEventData data = new TaskEventData();
            data.setTask(views.snapshot(t));
            data.setChange(change);
            Extras x = extras == null ? Extras.none() : extras;
            data.setProgress(x.progress());
            data.setUrging(x.urging());
            data.setExtension(x.extension());
            outbox.append(kind, t.id, t.version, data, x.messageLogId());
        }
        return t;
    }

    /**
     * A status transition through the one table ({@link Transitions}): guard (the 409 naming the current state),
     * apply, record, publish as the action's event.
     */
    public TaskRecord transition(TaskRecord t, Transitions.TaskAction action, Caller caller, String reason,
            Extras extras) {
        if (!action.changesStatus()) {
            throw new IllegalArgumentException(action + " keeps the status; record it with record()");
        }
        TaskStatus before = t.status;
        t.status = Transitions.next(before, action);
        return record(t, action.event(), before, caller, reason, extras, true);
    }
}
