package cn.beijing.scienceedu.task.query;

import java.util.ArrayList;
import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.RestController;

import cn.beijing.scienceedu.contracts.task.api.TasksApi;
import cn.beijing.scienceedu.contracts.task.model.ProgressReport;
import cn.beijing.scienceedu.contracts.task.model.Task;
import cn.beijing.scienceedu.contracts.task.model.TaskHistoryEntry;
import cn.beijing.scienceedu.contracts.task.model.TaskPage;
import cn.beijing.scienceedu.contracts.task.model.TaskStatus;
import cn.beijing.scienceedu.task.calendar.WorkingCalendar;
import cn.beijing.scienceedu.task.lifecycle.Ratings;
import cn.beijing.scienceedu.task.lifecycle.TaskChanges;
import cn.beijing.scienceedu.task.lifecycle.TaskRecord;
import cn.beijing.scienceedu.task.lifecycle.TaskStore;
import cn.beijing.scienceedu.task.lifecycle.TaskViews;
import cn.beijing.scienceedu.task.progress.ProgressReports;
import cn.beijing.scienceedu.task.security.Caller;
import cn.beijing.scienceedu.task.security.Callers;
import cn.beijing.scienceedu.task.web.ETags;

/** Task reads ({@code TasksApi}): one task, lists, history, progress reports, the per-measure roll-up. */
@RestController
class TasksController implements TasksApi {

    private final TaskStore store;
    private final TaskChanges changes;
    private final TaskViews views;
    private final Callers callers;
    private final JdbcTemplate jdbc;
    private final WorkingCalendar calendar;
    private final ProgressReports reports;

    TasksController(TaskStore store, TaskChanges changes, TaskViews views, Callers callers, JdbcTemplate jdbc,
            WorkingCalendar calendar, ProgressReports reports) {
        this.store = store;
        this.changes = changes;
        this.views = views;
        this.callers = callers;
        this.jdbc = jdbc;
        this.calendar = calendar;
        this.reports = reports;
    }

    @Override
    public ResponseEntity<Task> getTask(String taskId) {
        TaskRecord t = changes.findVisible(taskId, callers.reader());
        return ResponseEntity.ok().eTag(ETags.of(t.version)).body(views.api(t));
    }

    @Override
    public ResponseEntity<List<TaskHistoryEntry>> getTaskHistory(String taskId) {
        TaskRecord t = changes.findVisible(taskId, callers.reader());
        return ResponseEntity.ok(jdbc.query("select id, task_id, kind, actor, actor_role, actor_unit, from_status, "
                + "to_status, reason, at, version from task_history where task_id = ? order by id", (rs, i) -> {
                    TaskHistoryEntry h = new TaskHistoryEntry();
                    h.setId(rs.getString("id"));
                    h.setTaskId(rs.getString("task_id"));
                    h.setKind(rs.getString("kind"));
                    h.setActor(rs.getString("actor"));
                    h.setActorRole(rs.getString("actor_role"));
                    h.setActorUnit(rs.getString("actor_unit"));
                    if (rs.getString("from_status") != null) {
                        h.setFromStatus(TaskStatus.fromValue(rs.getString("from_status")));
                    }
                    if (rs.getString("to_status") != null) {
                        h.setToStatus(TaskStatus.fromValue(rs.getString("to_status")));
                    }
                    h.setReason(rs.getString("reason"));
                    h.setAt(TaskStore.time(rs.getTimestamp("at")));
                    h.setVersion(rs.getLong("version"));
                    return h;
                }, t.id));
    }

    @Override
    public ResponseEntity<List<ProgressReport>> listProgressReports(String taskId) {
        TaskRecord t = changes.findVisible(taskId, callers.reader());
        return ResponseEntity.ok(reports.list(t.id));
    }

    /**
     * Per-measure roll-up: the measure's rating is its worst task's in play (RED > AMBER > GREEN), GREY only when all
     * of its tasks are GREY (cancelled or not dispatched).
     */
    @Override
    public ResponseEntity<List<cn.beijing.scienceedu.contracts.task.model.MeasureStatus>> listMeasureStatus(String policyId) {
        Caller caller = callers.reader();
        List<Object> args = new ArrayList<>(List.of(policyId));
        String where = "where policy_id = ?";
        if (caller.unitScope() != null) {
            where += " and unit_code = ?";
            args.add(caller.unitScope());
        }
        List<TaskRecord> tasks = store.query(where, args, "order by measure_no, unit_order");
        if (tasks.isEmpty() && jdbc.queryForObject("select count(*) from policy where id = ?", Integer.class, policyId) == 0) {
            throw cn.beijing.scienceedu.task.web.ApiException.notFound("policy " + policyId);
        }
        java.util.Map<Integer, List<TaskRecord>> byMeasure = new java.util.TreeMap<>();
        tasks.forEach(t -> byMeasure.computeIfAbsent(t.measureNo, k -> new ArrayList<>()).add(t));
        List<String> order = List.of("GREY", "GREEN", "AMBER", "RED");
        List<cn.beijing.scienceedu.contracts.task.model.MeasureStatus> result = new ArrayList<>();
        byMeasure.forEach((no, list) -> {
            var m = new cn.beijing.scienceedu.contracts.task.model.MeasureStatus();
            TaskRecord first = list.get(0);
            m.setPolicyId(policyId);
            m.setMeasureNo(no);
            m.setActionNo(first.actionNo);
            m.setTitle(first.measureTitle);
            m.setLeadUnitCode(first.leadUnitCode);
            m.setTaskCount(list.size());
            List<TaskRecord> live = list.stream().filter(t -> t.status != TaskStatus.CANCELLED).toList();
            m.setPercentComplete(live.isEmpty() ? 0
                    : (int) Math.round(live.stream().mapToInt(t -> t.percentComplete).average().orElse(0)));
            String worst = list.stream().map(t -> t.rating).max(java.util.Comparator.comparingInt(order::indexOf))
                    .orElse("GREY");
            m.setRating(cn.beijing.scienceedu.contracts.task.model.Rating.fromValue(worst));
            m.setOverdueTasks((int) list.stream().filter(t -> Ratings.overdue(t, calendar.today())).count());
            java.util.Map<String, Integer> byStatus = new java.util.LinkedHashMap<>();
            list.forEach(t -> byStatus.merge(t.status.getValue(), 1, Integer::sum));
            m.setTasksByStatus(byStatus);
            result.add(m);
        });
        return ResponseEntity.ok(result);
    }

    @Override
    public ResponseEntity<TaskPage> listTasks(String policyId, Integer measureNo, String unitCode, String role,
            String status, Boolean overdue, String rating, Integer page, Integer size) {
        Caller caller = callers.reader();
        List<java.util.Map<String, String>> bad = new ArrayList<>();
        check(bad, "role", role, List.of("LEAD", "COOPERATING"));
        check(bad, "status", status, java.util.Arrays.stream(TaskStatus.values()).map(TaskStatus::getValue).toList());
        check(bad, "rating", rating, List.of("GREEN", "AMBER", "RED", "GREY"));
        if (!bad.isEmpty()) {
            throw cn.beijing.scienceedu.task.web.ApiException.badFields(bad);
        }
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (caller.unitScope() != null) {
            where.add("unit_code = ?");
            args.add(caller.unitScope());
        }
        if (policyId != null) {
            where.add("policy_id = ?");
            args.add(policyId);
        }
        if (measureNo != null) {
            where.add("measure_no = ?");
            args.add(measureNo);
        }
        if (unitCode != null) {
            where.add("unit_code = ?");
            args.add(unitCode);
        }
        if (role != null) {
            where.add("role = ?");
            args.add(role);
        }
        if (status != null) {
            where.add("status = ?");
            args.add(status);
        }
        if (overdue != null) {
            String od = "(deadline < ? and status not in " + TaskStore.sqlList(Ratings.FINISHED) + ")";
            where.add(overdue ? od : "not " + od);
            args.add(calendar.today());
        }
        if (rating != null) {
            where.add("rating = ?");
            args.add(rating);
        }
        String clause = where.isEmpty() ? "" : "where " + String.join(" and ", where);
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        long total = store.count(clause, args);
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(s);
        pageArgs.add((long) p * s);
        List<Task> items = store.query(clause, pageArgs, "order by policy_id, measure_no, unit_order limit ? offset ?")
                .stream().map(views::api).toList();
        TaskPage result = new TaskPage();
        result.setItems(items);
        result.setPage(p);
        result.setSize(s);
        result.setTotalItems(total);
        result.setTotalPages((int) ((total + s - 1) / s));
        return ResponseEntity.ok(result);
    }

    private static void check(List<java.util.Map<String, String>> bad, String name, String value, List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            bad.add(java.util.Map.of("field", name, "message", "must be one of " + allowed));
        }
    }
}
