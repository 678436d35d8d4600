package cn.beijing.scienceedu.reporting.report;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Loads a policy's read models in one read-only transaction. */
@Component
public class ReportDataLoader {

    private final JdbcClient jdbc;

    public ReportDataLoader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public ReportData load(String policyId) {
        return load(policyId, null);
    }

    /**
     * Only one task's changes and progress reports (no KPI values, schools or districts): what the task view
     * needs. Loading the whole policy for one task cost as much as building the whole joint report (P8 in
     * docs/benchmarks.md) and, with the view polled, starved the event projection (P6).
     */
    @Transactional(readOnly = true)
    public ReportData loadTask(String policyId, String taskId) {
        return load(policyId, taskId);
    }

    private ReportData load(String policyId, String taskId) {
        String oneTask = taskId == null ? "" : " and c.task_id = :task";
        List<ReportData.Change> changes = jdbc.sql("""
                select c.*, s.action_no, s.measure_no, s.unit_code, s.lead_unit_code, s.role
                from task_change c join task_state s on s.task_id = c.task_id
                where c.policy_id = :policy""" + oneTask + " order by c.task_id, c.version, c.at")
                .param("policy", policyId)
                .params(taskId == null ? java.util.Map.<String, Object>of() : java.util.Map.<String, Object>of("task", taskId))
                .query((rs, i) -> new ReportData.Change(rs.getString("event_id"), rs.getString("task_id"),
                        rs.getString("kind"), rs.getLong("version"), rs.getString("history_id"), rs.getString("actor"),
                        rs.getString("from_status"), rs.getString("to_status"), rs.getString("reason"),
                        instant(rs, "at"), instant(rs, "received_at"), rs.getString("message_log_id"),
                        (Integer) rs.getObject("action_no"), rs.getInt("measure_no"), rs.getString("unit_code"),
                        rs.getString("lead_unit_code"), rs.getString("role"), rs.getString("status"),
                        rs.getString("delivery_status"),
                        rs.getDate("deadline") == null ? null : rs.getDate("deadline").toLocalDate(),
                        (Integer) rs.getObject("percent_complete"), rs.getString("rating"), rs.getString("urging_kind"),
                        (Integer) rs.getObject("urging_level"), rs.getString("extension_id"),
                        rs.getString("extension_state")))
                .list();
        List<ReportData.Progress> progress = jdbc.sql("select * from progress_report where policy_id = :policy"
                + (taskId == null ? "" : " and task_id = :task") + " order by reported_at, report_id")
                .param("policy", policyId)
                .params(taskId == null ? java.util.Map.<String, Object>of() : java.util.Map.<String, Object>of("task", taskId))
                .query((rs, i) -> new ReportData.Progress(rs.getString("report_id"), rs.getString("event_id"),
                        rs.getString("task_id"), rs.getInt("measure_no"), rs.getString("unit_code"),
                        rs.getString("period"), rs.getString("status"), rs.getInt("percent_complete"),
                        rs.getString("narrative"), rs.getString("message_log_id"), rs.getString("history_id"),
                        instant(rs, "reported_at"), instant(rs, "received_at")))
                .list();
        if (taskId != null) {
            return new ReportData(changes, progress, List.of(), Map.of(), Map.of(), List.of());
        }
        List<ReportData.KpiRow> kpis = jdbc.sql("""
                select v.*, r.task_id, r.period, r.reported_at, r.message_log_id, r.event_id, r.history_id
                from kpi_value v join progress_report r on r.report_id = v.report_id
                where r.policy_id = :policy order by r.reported_at, v.id""")
                .param("policy", policyId)
                .query((rs, i) -> new ReportData.KpiRow(rs.getString("report_id"), rs.getString("task_id"),
                        rs.getString("kpi_code"), rs.getDouble("value"), rs.getString("unit"), rs.getString("level"),
                        rs.getString("district_code"), rs.getString("school_code"), rs.getString("period"),
                        instant(rs, "reported_at"), rs.getString("message_log_id"), rs.getString("event_id"),
                        rs.getString("history_id")))
                .list();
        Map<String, String> schools = new LinkedHashMap<>();
        jdbc.sql("select code, district_code from school").query((ResultSet rs) -> {
            schools.put(rs.getString(1), rs.getString(2));
        });
        Map<String, String> districts = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        jdbc.sql("select code, name from district order by sort").query((ResultSet rs) -> {
            districts.put(rs.getString(1), rs.getString(2));
            order.add(rs.getString(1));
        });
        return new ReportData(changes, progress, kpis, schools, districts, order);
    }

    public List<ReportData.Parked> parked(String taskId) {
        return jdbc.sql("select * from delivery_parked where task_id = :t order by at").param("t", taskId)
                .query((rs, i) -> new ReportData.Parked(rs.getString("delivery_id"), rs.getString("message_kind"),
                        rs.getString("reason"), rs.getString("message_log_id"), instant(rs, "at")))
                .list();
    }

    public java.util.Optional<String> policyOfTask(String taskId) {
        return jdbc.sql("select policy_id from task_state where task_id = :id").param("id", taskId)
                .query(String.class).optional();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
