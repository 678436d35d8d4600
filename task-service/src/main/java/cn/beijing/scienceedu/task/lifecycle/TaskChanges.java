package cn.beijing.scienceedu.task.lifecycle;

import java.time.OffsetDateTime;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import cn.beijing.scienceedu.contracts.events.ExtensionData;
import cn.beijing.scienceedu.contracts.events.ProgressReportData;
import cn.beijing.scienceedu.contracts.events.TaskChange;
import cn.beijing.scienceedu.contracts.events.TaskEventData;
import cn.beijing.scienceedu.contracts.events.UrgingData;
import cn.beijing.scienceedu.task.deadline.WorkingCalendar;
import cn.beijing.scienceedu.task.outbox.OutboxWriter;
import cn.beijing.scienceedu.task.security.Caller;
import cn.beijing.scienceedu.task.web.ApiException;
import cn.beijing.scienceedu.task.web.ETags;

/**
 * The one place a task changes: guarded transitions, version, rating (with its reason and the calendar flag), the
 * history row (who, when, from, to, why) and the outbox event, all in the caller's transaction.
 */
@Service
public class TaskChanges {

    /** States in which the unit still works on the task. */
    public static final Set<String> OPEN = Set.of("DISPATCHED", "DELIVERED", "SIGNED_FOR", "IN_PROGRESS", "RETURNED");

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

    /** 409 naming the current state unless the task is in one of {@code allowed}. */
    public static void requireStatus(TaskRecord t, Set<String> allowed, String action) {
        if (!allowed.contains(t.status)) {
            throw ApiException.conflict(t.status, "cannot " + action + " a task that is " + t.status);
        }
    }

    /** 412 on a stale If-Match; 428 when required and absent. */
    public static void checkIfMatch(TaskRecord t, String ifMatch, boolean required) {
        Long v = ETags.parse(ifMatch);
        if (v == null) {
            if (required) {
                throw ApiException.preconditionRequired();
            }
            return;
        }
        if (v != t.version) {
            throw ApiException.preconditionFailed(t.version);
        }
    }

    /**
     * Records the change already applied to {@code t} (status etc.): bumps the version, re-rates, writes the
     * history row and, when {@code kind} is a published event kind, the outbox event.
     */
    public TaskRecord record(TaskRecord t, String kind, String fromStatus, Caller caller, String reason,
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
                t.id, kind, caller.subject(), caller.actingRole(), actorUnit, fromStatus, t.status, reason, now,
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
                change.setFromStatus(cn.beijing.scienceedu.contracts.events.TaskStatus.fromValue(fromStatus));
            }
            change.setToStatus(cn.beijing.scienceedu.contracts.events.TaskStatus.fromValue(t.status));
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

    /** A status transition: guard, apply, record, publish. */
    public TaskRecord transition(TaskRecord t, Set<String> from, String to, String kind, String action, Caller caller,
            String reason, Extras extras) {
        requireStatus(t, from, action);
        String before = t.status;
        t.status = to;
        return record(t, kind, before, caller, reason, extras, true);
    }
}
