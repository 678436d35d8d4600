package cn.beijing.scienceedu.task.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.beijing.scienceedu.contracts.events.UrgingData;
import cn.beijing.scienceedu.contracts.task.model.DispatchResult;
import cn.beijing.scienceedu.task.calendar.WorkingCalendar;
import cn.beijing.scienceedu.task.lifecycle.Transitions.TaskAction;
import cn.beijing.scienceedu.task.security.Caller;
import cn.beijing.scienceedu.task.web.ApiException;

/** Liaison actions on the lifecycle: dispatch, accept, return, cancel, urge. */
@Service
public class LifecycleService {

    private final TaskChanges changes;
    private final TaskStore store;
    private final JdbcTemplate jdbc;
    private final WorkingCalendar calendar;

    public LifecycleService(TaskChanges changes, TaskStore store, JdbcTemplate jdbc, WorkingCalendar calendar) {
        this.changes = changes;
        this.store = store;
        this.jdbc = jdbc;
        this.calendar = calendar;
    }

    /** Dispatches the PLANNED tasks of a policy, or of one of its measures. */
    @Transactional
    public DispatchResult dispatchScope(String policyId, Integer measureNo, Caller caller, String note) {
        Integer exists = jdbc.queryForObject("select count(*) from policy where id = ?", Integer.class, policyId);
        if (exists == null || exists == 0) {
            throw ApiException.notFound("policy " + policyId);
        }
        List<Object> args = new ArrayList<>(List.of(policyId));
        String where = "where policy_id = ?";
        if (measureNo != null) {
            where += " and measure_no = ?";
            args.add(measureNo);
        }
        List<TaskRecord> tasks = store.query(where, args, "order by measure_no, unit_order for update");
        if (measureNo != null && tasks.isEmpty()) {
            throw ApiException.notFound("measure " + measureNo + " of policy " + policyId + " (or no plan yet)");
        }
        DispatchResult r = new DispatchResult(0, 0);
        List<String> ids = new ArrayList<>();
        for (TaskRecord t : tasks) {
            if (!Transitions.allows(t.status, TaskAction.DISPATCH)) {
                r.setSkipped(r.getSkipped() + 1);
                continue;
            }
            dispatch(t, caller, note);
            ids.add(t.id);
        }
        r.setDispatched(ids.size());
        r.setTaskIds(ids);
        return r;
    }

    @Transactional
    public TaskRecord dispatchOne(String taskId, String ifMatch, Caller caller, String note) {
        TaskRecord t = changes.lockVisible(taskId, caller);
        TaskChanges.checkIfMatch(t, ifMatch, false);
        Transitions.require(t.status, TaskAction.DISPATCH);
        return dispatch(t, caller, note);
    }

    private TaskRecord dispatch(TaskRecord t, Caller caller, String note) {
        t.deliveryStatus = "PENDING";
        // a bureau's own time before this is refused (BureauTimes)
        t.dispatchedAt = calendar.now();
        return changes.transition(t, TaskAction.DISPATCH, caller, note, TaskChanges.Extras.none());
    }

    @Transactional
    public TaskRecord accept(String taskId, String ifMatch, Caller caller, String note) {
        TaskRecord t = changes.lockVisible(taskId, caller);
        TaskChanges.checkIfMatch(t, ifMatch, false);
        return changes.transition(t, TaskAction.ACCEPT, caller, note, TaskChanges.Extras.none());
    }

    @Transactional
    public TaskRecord returnTask(String taskId, String ifMatch, Caller caller, String reason) {
        TaskRecord t = changes.lockVisible(taskId, caller);
        TaskChanges.checkIfMatch(t, ifMatch, false);
        return changes.transition(t, TaskAction.RETURN, caller, reason, TaskChanges.Extras.none());
    }

    @Transactional
    public TaskRecord cancel(String taskId, String ifMatch, Caller caller, String reason) {
        TaskRecord t = changes.lockVisible(taskId, caller);
        TaskChanges.checkIfMatch(t, ifMatch, false);
        return changes.transition(t, TaskAction.CANCEL, caller, reason, TaskChanges.Extras.none());
    }

    /** A liaison's urging (督办) now; level 1 the unit, 2 the measure's lead unit, 3 the commission. */
    @Transactional
    public TaskRecord urge(String taskId, Caller caller, Integer level, String note, String commissionUnit) {
        TaskRecord t = changes.lockVisible(taskId, caller);
        Transitions.require(t.status, TaskAction.URGE);
        int lvl = level == null ? 1 : level;
        UrgingData u = urging(t, "URGING", lvl, note, commissionUnit, null);
        jdbc.update("insert into urging (task_id, kind, level, deadline) values (?,?,?,?)", t.id,
                "MANUAL:" + u.getUrgingId(), lvl, t.deadline);
        t.urgingLevel = Math.max(t.urgingLevel, lvl);
        return changes.record(t, "task.urged", t.status, caller, note,
                new TaskChanges.Extras(null, u, null, null), true);
    }

    public static UrgingData urging(TaskRecord t, String kind, int level, String note, String commissionUnit,
            Integer workingDaysToDeadline) {
        UrgingData u = new UrgingData();
        u.setUrgingId(UUID.randomUUID().toString());
        u.setKind(UrgingData.Kind.fromValue(kind));
        u.setLevel(level);
        u.setTargetUnitCode(switch (level) {
            case 2 -> t.leadUnitCode;
            case 3 -> commissionUnit;
            default -> t.unitCode;
        });
        u.setWorkingDaysToDeadline(workingDaysToDeadline);
        u.setNote(note);
        return u;
    }
}
