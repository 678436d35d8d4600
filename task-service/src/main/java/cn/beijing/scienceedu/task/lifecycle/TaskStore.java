package cn.beijing.scienceedu.task.lifecycle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import cn.beijing.scienceedu.contracts.task.model.TaskStatus;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** JDBC access to the task table. */
@Repository
public class TaskStore {

    static final String COLUMNS = "id, policy_id, action_no, measure_no, measure_title, unit_code, unit_name, unit_order, "
            + "lead_unit_code, role, status, delivery_status, work_items::text as work_items, deadline, deadline_source, "
            + "reporting_cycle, percent_complete, last_report_status, last_report_period, last_report_at, rating, "
            + "rating_reason, calendar_known, signed_by, signed_at, dispatched_at, urging_level, version, planned_at, "
            + "updated_at";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<TaskRecord> mapper;

    public TaskStore(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.mapper = this::map;
    }

    public Optional<TaskRecord> find(String id) {
        return jdbc.query("select " + COLUMNS + " from task where id = ?", mapper, id).stream().findFirst();
    }

    /** The task, row-locked until the transaction ends. */
    public Optional<TaskRecord> lock(String id) {
        return jdbc.query("select " + COLUMNS + " from task where id = ? for update", mapper, id).stream().findFirst();
    }

    public List<TaskRecord> query(String where, List<Object> args, String suffix) {
        return jdbc.query("select " + COLUMNS + " from task " + where + " " + suffix, mapper, args.toArray());
    }

    public long count(String where, List<Object> args) {
        Long n = jdbc.queryForObject("select count(*) from task " + where, Long.class, args.toArray());
        return n == null ? 0 : n;
    }

    public void insertAll(List<TaskRecord> tasks) {
        jdbc.batchUpdate("insert into task (id, policy_id, action_no, measure_no, measure_title, unit_code, unit_name, "
                + "unit_order, lead_unit_code, role, status, delivery_status, work_items, deadline, deadline_source, "
                + "reporting_cycle, percent_complete, rating, urging_level, version, planned_at, updated_at, rating_reason, "
                + "calendar_known) values (?,?,?,?,?,?,?,?,?,?,?,?,?::jsonb,?,?,?,?,?,?,?,?,?,?,?)", tasks, 200, (ps, t) -> {
                    ps.setString(1, t.id);
                    ps.setString(2, t.policyId);
                    ps.setObject(3, t.actionNo);
                    ps.setInt(4, t.measureNo);
                    ps.setString(5, t.measureTitle);
                    ps.setString(6, t.unitCode);
                    ps.setString(7, t.unitName);
                    ps.setInt(8, t.unitOrder);
                    ps.setString(9, t.leadUnitCode);
                    ps.setString(10, t.role);
                    ps.setString(11, t.status.getValue());
                    ps.setString(12, t.deliveryStatus);
                    ps.setString(13, json.writeValueAsString(t.workItems));
                    ps.setObject(14, t.deadline);
                    ps.setString(15, t.deadlineSource);
                    ps.setString(16, t.reportingCycle);
                    ps.setInt(17, t.percentComplete);
                    ps.setString(18, t.rating);
                    ps.setInt(19, t.urgingLevel);
                    ps.setLong(20, t.version);
                    ps.setObject(21, t.plannedAt);
                    ps.setObject(22, t.updatedAt);
                    ps.setString(23, t.ratingReason);
                    ps.setBoolean(24, t.calendarKnown);
                });
    }

    /** {@code ('A','B')}: statuses for an SQL {@code in}, from the enum (no status literal in a query). */
    public static String sqlList(java.util.Collection<TaskStatus> statuses) {
        return statuses.stream().sorted().map(s -> "'" + s.getValue() + "'")
                .collect(java.util.stream.Collectors.joining(",", "(", ")"));
    }

    public void update(TaskRecord t) {
        jdbc.update("update task set status=?, delivery_status=?, deadline=?, deadline_source=?, reporting_cycle=?, "
                + "percent_complete=?, last_report_status=?, last_report_period=?, last_report_at=?, rating=?, "
                + "rating_reason=?, calendar_known=?, signed_by=?, signed_at=?, dispatched_at=?, "
                + "urging_level=?, version=?, updated_at=? where id=?",
                t.status.getValue(), t.deliveryStatus, t.deadline, t.deadlineSource, t.reportingCycle, t.percentComplete,
                t.lastReportStatus, t.lastReportPeriod, t.lastReportAt, t.rating, t.ratingReason, t.calendarKnown,
                t.signedBy, t.signedAt, t.dispatchedAt, t.urgingLevel, t.version, t.updatedAt, t.id);
    }

    private TaskRecord map(ResultSet rs, int row) throws SQLException {
        TaskRecord t = new TaskRecord();
        t.id = rs.getString("id");
        t.policyId = rs.getString("policy_id");
        t.actionNo = (Integer) rs.getObject("action_no");
        t.measureNo = rs.getInt("measure_no");
        t.measureTitle = rs.getString("measure_title");
        t.unitCode = rs.getString("unit_code");
        t.unitName = rs.getString("unit_name");
        t.unitOrder = rs.getInt("unit_order");
        t.leadUnitCode = rs.getString("lead_unit_code");
        t.role = rs.getString("role");
        t.status = TaskStatus.fromValue(rs.getString("status"));
        t.deliveryStatus = rs.getString("delivery_status");
        t.workItems = new ArrayList<>(json.readValue(rs.getString("work_items"), new TypeReference<List<String>>() {
        }));
        t.deadline = rs.getObject("deadline", LocalDate.class);
        t.deadlineSource = rs.getString("deadline_source");
        t.reportingCycle = rs.getString("reporting_cycle");
        t.percentComplete = rs.getInt("percent_complete");
        t.lastReportStatus = rs.getString("last_report_status");
        t.lastReportPeriod = rs.getString("last_report_period");
        t.lastReportAt = time(rs.getTimestamp("last_report_at"));
        t.rating = rs.getString("rating");
        t.ratingReason = rs.getString("rating_reason");
        t.calendarKnown = rs.getBoolean("calendar_known");
        t.signedBy = rs.getString("signed_by");
        t.signedAt = time(rs.getTimestamp("signed_at"));
        t.dispatchedAt = time(rs.getTimestamp("dispatched_at"));
        t.urgingLevel = rs.getInt("urging_level");
        t.version = rs.getLong("version");
        t.plannedAt = time(rs.getTimestamp("planned_at"));
        t.updatedAt = time(rs.getTimestamp("updated_at"));
        return t;
    }

    public static OffsetDateTime time(Timestamp ts) {
        return ts == null ? null : ts.toInstant().atOffset(ZoneOffset.UTC);
    }
}
