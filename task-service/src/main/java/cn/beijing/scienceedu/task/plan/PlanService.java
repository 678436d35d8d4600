package cn.beijing.scienceedu.task.plan;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.contracts.catalogue.model.Unit;
import cn.beijing.scienceedu.contracts.task.model.PlanSummary;
import cn.beijing.scienceedu.contracts.task.model.ReportingCycle;
import cn.beijing.scienceedu.task.catalogue.PolicyCatalogue;
import cn.beijing.scienceedu.task.calendar.WorkingCalendar;
import cn.beijing.scienceedu.task.lifecycle.Ratings;
import cn.beijing.scienceedu.task.lifecycle.TaskChanges;
import cn.beijing.scienceedu.task.lifecycle.TaskRecord;
import cn.beijing.scienceedu.task.lifecycle.TaskStore;
import cn.beijing.scienceedu.task.lifecycle.Transitions;
import cn.beijing.scienceedu.task.security.Caller;
import cn.beijing.scienceedu.task.web.ApiException;

/**
 * The task plan (任务分工): one task per measure × responsible unit, LEAD for the first unit listed
 * (牵头单位), COOPERATING for the others (配合单位). Planning twice creates nothing the second time.
 */
@Service
public class PlanService {

    private static final Logger log = LoggerFactory.getLogger(PlanService.class);

    private final PolicyCatalogue catalogue;
    private final TaskStore store;
    private final TaskChanges changes;
    private final JdbcTemplate jdbc;
    private final WorkingCalendar calendar;

    public PlanService(PolicyCatalogue catalogue, TaskStore store, TaskChanges changes, JdbcTemplate jdbc,
            WorkingCalendar calendar) {
        this.catalogue = catalogue;
        this.store = store;
        this.changes = changes;
        this.jdbc = jdbc;
        this.calendar = calendar;
    }

    /** Readable, stable task id: {@code <policy>.M<nn>.<unit>}. */
    public static String taskId(String policyId, int measureNo, String unitCode) {
        return String.format("%s.M%02d.%s", policyId, measureNo, unitCode);
    }

    public record Result(PlanSummary summary, boolean created) {
    }

    @Transactional
    public Result plan(String policyId, LocalDate deadline, String cycle, Caller caller) {
        Policy policy = catalogue.require(policyId);
        // serialise planners of one policy on its row
        Map<String, Object> row = jdbc.queryForMap(
                "select planned_at, default_deadline, reporting_cycle from policy where id = ? for update", policyId);
        LocalDate today = calendar.today();
        if (deadline != null && !deadline.isAfter(today)) {
            throw ApiException.badField("defaultDeadline", "must be after today (" + today + ")");
        }
        if (row.get("planned_at") != null) {
            return new Result(summary(policyId), false);
        }
        LocalDate due = deadline != null ? deadline : calendar.onOrAfter(today.plusYears(1));
        String reportingCycle = cycle != null ? cycle : ReportingCycle.QUARTERLY.getValue();
        OffsetDateTime now = calendar.now();
        Map<String, String> unitNames = new HashMap<>();
        for (Unit u : policy.getUnits()) {
            unitNames.put(u.getCode(), u.getShortName());
        }
        List<TaskRecord> tasks = new ArrayList<>();
        for (Measure m : policy.getMeasures()) {
            for (int i = 0; i < m.getUnitCodes().size(); i++) {
                String unit = m.getUnitCodes().get(i);
                TaskRecord t = new TaskRecord(); // status Transitions.INITIAL (PLANNED)
                t.id = taskId(policyId, m.getNo(), unit);
                t.policyId = policyId;
                t.actionNo = m.getActionNo();
                t.measureNo = m.getNo();
                t.measureTitle = m.getTitle();
                t.unitCode = unit;
                t.unitName = unitNames.get(unit);
                t.unitOrder = i;
                t.leadUnitCode = m.getUnitCodes().get(0);
                t.role = i == 0 ? "LEAD" : "COOPERATING";
                t.deliveryStatus = "NOT_SENT";
                t.workItems = m.getWorkItems() == null ? List.of() : m.getWorkItems();
                t.deadline = due;
                t.deadlineSource = "POLICY";
                t.reportingCycle = reportingCycle;
                t.version = -1; // record() makes it 0
                t.plannedAt = now;
                t.updatedAt = now;
                Ratings.Result rated = Ratings.rate(t, calendar);
                t.rating = rated.rating();
                t.ratingReason = rated.reason();
                t.calendarKnown = calendar.knows(due);
                tasks.add(t);
            }
        }
        store.insertAll(tasks);
        for (TaskRecord t : tasks) {
            changes.record(t, "task.planned", null, caller, null, TaskChanges.Extras.none(), true);
        }
        jdbc.update("update policy set planned_at = ?, default_deadline = ?, reporting_cycle = ? where id = ?", now, due,
                reportingCycle, policyId);
        log.info("planned policy {}: {} tasks", policyId, tasks.size());
        return new Result(summary(policyId), true);
    }

    public PlanSummary summary(String policyId) {
        Map<String, Object> row = jdbc.queryForMap("select planned_at, default_deadline, reporting_cycle, "
                + "(select count(*) from task where policy_id = p.id) as n, "
                + "(select count(*) from task where policy_id = p.id and role = 'LEAD') as leads from policy p where id = ?",
                policyId);
        PlanSummary s = new PlanSummary();
        s.setPolicyId(policyId);
        s.setTaskCount(((Number) row.get("n")).intValue());
        s.setLeadTaskCount(((Number) row.get("leads")).intValue());
        s.setCreated(true);
        if (row.get("default_deadline") != null) {
            s.setDefaultDeadline(((java.sql.Date) row.get("default_deadline")).toLocalDate());
        }
        if (row.get("reporting_cycle") != null) {
            s.setReportingCycle(ReportingCycle.fromValue((String) row.get("reporting_cycle")));
        }
        if (row.get("planned_at") instanceof java.sql.Timestamp ts) {
            s.setPlannedAt(ts.toInstant().atOffset(ZoneOffset.UTC));
        }
        return s;
    }

    /**
     * Applies a deadline / reporting cycle to the open tasks of a policy (measureNo null) or of one measure.
     * A policy setting does not override measure or task settings; a measure setting does not override
     * task settings. Each changed task publishes task.deadline-changed.
     */
    @Transactional
    public int applySettings(String policyId, Integer measureNo, LocalDate deadline, String cycle, Caller caller) {
        Policy policy = catalogue.require(policyId);
        if (measureNo != null && policy.getMeasures().stream().noneMatch(m -> m.getNo().equals(measureNo))) {
            throw ApiException.notFound("measure " + measureNo + " of policy " + policyId);
        }
        if (deadline == null && cycle == null) {
            throw ApiException.badFields(List.of(Map.of("field", "deadline", "message", "give deadline or reportingCycle"),
                    Map.of("field", "reportingCycle", "message", "give deadline or reportingCycle")));
        }
        if (deadline != null && deadline.isBefore(calendar.today())) {
            throw ApiException.badField("deadline", "must not be in the past");
        }
        String source = measureNo == null ? "POLICY" : "MEASURE";
        List<Object> args = new ArrayList<>();
        // the tasks whose deadline may still change (Transitions: CHANGE_DEADLINE, every status but the closed ones)
        String where = "where policy_id = ? and status in "
                + TaskStore.sqlList(Transitions.TaskAction.CHANGE_DEADLINE.from()) + " and deadline_source in "
                + (measureNo == null ? "('POLICY')" : "('POLICY','MEASURE')");
        args.add(policyId);
        if (measureNo != null) {
            where += " and measure_no = ?";
            args.add(measureNo);
        }
        int changed = 0;
        for (TaskRecord t : store.query(where, args, "order by id for update")) {
            boolean differs = (deadline != null && !deadline.equals(t.deadline))
                    || (cycle != null && !cycle.equals(t.reportingCycle));
            if (deadline != null) {
                t.deadline = deadline;
                t.deadlineSource = source;
            }
            if (cycle != null) {
                t.reportingCycle = cycle;
            }
            if (differs) {
                changes.record(t, "task.deadline-changed", t.status, caller,
                        (measureNo == null ? "policy" : "measure") + " setting", TaskChanges.Extras.none(), true);
                changed++;
            } else {
                store.update(t);
            }
        }
        if (measureNo == null) {
            jdbc.update("update policy set default_deadline = coalesce(?, default_deadline), "
                    + "reporting_cycle = coalesce(?, reporting_cycle) where id = ?", deadline, cycle, policyId);
        }
        return changed;
    }
}
