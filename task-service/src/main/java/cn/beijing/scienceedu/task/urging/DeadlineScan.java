package cn.beijing.scienceedu.task.urging;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.contracts.events.UrgingData;
import cn.beijing.scienceedu.contracts.task.model.TaskStatus;
import cn.beijing.scienceedu.task.calendar.WorkingCalendar;
import cn.beijing.scienceedu.task.lifecycle.LifecycleService;
import cn.beijing.scienceedu.task.lifecycle.Ratings;
import cn.beijing.scienceedu.task.lifecycle.TaskChanges;
import cn.beijing.scienceedu.task.lifecycle.TaskRecord;
import cn.beijing.scienceedu.task.lifecycle.TaskStore;
import cn.beijing.scienceedu.task.lifecycle.Transitions;
import cn.beijing.scienceedu.task.security.Caller;

/**
 * The deadline scan (run by db-scheduler, once per interval across all replicas): reminders before a
 * deadline, the overdue notice, urging escalation after it, and ratings that changed with time alone (published as
 * {@code task.rating-changed}). Each reminder / notice /
 * urging step is a row in {@code urging} with a unique key, inserted in the same transaction as its event,
 * so even an overlapping run cannot send one twice.
 */
@Component
public class DeadlineScan {

    private static final Logger log = LoggerFactory.getLogger(DeadlineScan.class);

    private static final Set<TaskStatus> NOT_FINISHED = EnumSet.complementOf(EnumSet.copyOf(Ratings.FINISHED));

    private final TaskStore store;
    private final TaskChanges changes;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final WorkingCalendar calendar;
    private final UrgingProperties props;

    public DeadlineScan(TaskStore store, TaskChanges changes, JdbcTemplate jdbc, TransactionTemplate tx,
            WorkingCalendar calendar, UrgingProperties props) {
        this.store = store;
        this.changes = changes;
        this.jdbc = jdbc;
        this.tx = tx;
        this.calendar = calendar;
        this.props = props;
    }

    /** One pass over the open tasks; returns the number of events written. */
    public int run() {
        LocalDate today = calendar.today();
        // tasks not finished (their ratings move with time), and rows not rated by the one rule yet (from before
        // Flyway V3)
        List<String> ids = jdbc.queryForList("select id from task where status in " + TaskStore.sqlList(NOT_FINISHED)
                + " or rating_reason is null order by id", String.class);
        int events = 0;
        for (String id : ids) {
            Integer n = tx.execute(s -> scanOne(id, today));
            events += n == null ? 0 : n;
        }
        if (events > 0) {
            log.info("deadline scan: {} reminder/urging/rating events", events);
        }
        return events;
    }

    private int scanOne(String id, LocalDate today) {
        TaskRecord t = store.lock(id).orElse(null);
        if (t == null) {
            return 0;
        }
        // the rating first, as its own event: reporting sees a time-driven change as task.rating-changed whether or
        // not a reminder or overdue notice follows (those carry the same rating)
        int events = publishRatingChange(t);
        if (!Transitions.allows(t.status, Transitions.TaskAction.URGE)) {
            return events;
        }
        Caller system = Caller.system();
        if (!today.isAfter(t.deadline)) {
            int wd = calendar.workingDaysBetween(today, t.deadline);
            List<Integer> due = new ArrayList<>();
            for (int n : props.getReminderWorkingDays()) {
                if (wd <= n && claim(t, "REMINDER", n)) {
                    due.add(n);
                }
            }
            if (!due.isEmpty()) {
                UrgingData u = LifecycleService.urging(t, "REMINDER", 0,
                        "deadline " + t.deadline + " in " + wd + " working day(s)", props.getCommissionUnit(), wd);
                changes.record(t, "task.urged", t.status, system, "reminder", new TaskChanges.Extras(null, u, null, null),
                        true);
                events++;
            }
        } else {
            int overdueBy = calendar.workingDaysBetween(t.deadline, today);
            if (claim(t, "OVERDUE", 0)) {
                changes.record(t, "task.overdue", t.status, system, "deadline " + t.deadline + " passed",
                        TaskChanges.Extras.none(), true);
                events++;
            }
            int level = 0;
            List<Integer> steps = props.getEscalationWorkingDays();
            for (int i = 0; i < steps.size(); i++) {
                if (overdueBy >= steps.get(i) && claim(t, "URGING", i + 1)) {
                    level = i + 1;
                }
            }
            if (level > 0) {
                t.urgingLevel = Math.max(t.urgingLevel, level);
                UrgingData u = LifecycleService.urging(t, "URGING", level,
                        "overdue by " + overdueBy + " working day(s)", props.getCommissionUnit(), -overdueBy);
                changes.record(t, "task.urged", t.status, system, "urging level " + level,
                        new TaskChanges.Extras(null, u, null, null), true);
                events++;
            }
        }
        return events;
    }

    private boolean claim(TaskRecord t, String kind, int level) {
        return jdbc.update("insert into urging (task_id, kind, level, deadline) values (?,?,?,?) on conflict do nothing",
                t.id, kind, level, t.deadline) == 1;
    }

    /**
     * Publishes {@code task.rating-changed} (history row, version, outbox — like every change) when the rating, its
     * reason or the calendar flag the task last published differ from what the rule gives now: the deadline came near
     * or passed, the task fell behind the time elapsed, or an operator loaded the deadline's year.
     */
    private int publishRatingChange(TaskRecord t) {
        Ratings.Result now = Ratings.rate(t, calendar);
        boolean known = calendar.knows(t.deadline);
        if (now.rating().equals(t.rating) && now.reason().equals(t.ratingReason) && known == t.calendarKnown) {
            return 0;
        }
        String reason = "rating " + t.rating + (t.ratingReason == null ? "" : " (" + t.ratingReason + ")") + " → "
                + now.rating() + " (" + now.reason() + ")" + (known == t.calendarKnown ? ""
                        : known ? "; the deadline's year is in the calendar now" : "; the deadline's year is not in the calendar");
        changes.record(t, EventTypes.TASK_RATING_CHANGED, t.status, Caller.system(), reason, TaskChanges.Extras.none(),
                true);
        return 1;
    }
}
