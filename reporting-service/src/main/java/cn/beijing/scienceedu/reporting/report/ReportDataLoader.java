package cn.beijing.scienceedu.reporting.report;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import cn.beijing.scienceedu.contracts.reporting.model.Evidence;
import cn.beijing.scienceedu.contracts.reporting.model.ParkedDelivery;
import cn.beijing.scienceedu.reporting.shared.Period;

/** Loads a policy's read models in one read-only transaction. */
@Component
class ReportDataLoader {

    private final JdbcClient jdbc;

    public ReportDataLoader(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What the joint report of {@code period} reads, filtered in SQL (P8 in docs/benchmarks.md: reading every row
     * of the policy and discarding most of them in Java was the bulk of a report build): task changes before the
     * period's end; progress reports of the period (and its sub-periods) of tasks that existed by then; KPI values
     * of the period; and, when {@code previousClosedAt} (the previous period's close) is given, the progress reports
     * about that period received after it — the corrections.
     */
    @Transactional(readOnly = true)
    public ReportData load(String policyId, Period period, Period previous, Instant previousClosedAt, ZoneId zone) {
        return load(policyId, null, new Scope(period.endInstant(zone), period.within(),
                previousClosedAt == null ? List.of() : previous.within(), previousClosedAt, null));
    }

    /**
     * Only one task's changes and progress reports (no KPI values, schools or districts): what the task view
     * needs. Loading the whole policy for one task cost as much as building the whole joint report (P8 in
     * docs/benchmarks.md) and, with the view polled, starved the event projection (P6).
     */
    @Transactional(readOnly = true)
    public ReportData loadTask(String policyId, String taskId) {
        return load(policyId, taskId, null);
    }

    /**
     * One task as a closed period froze it: its changes before the period's end and its progress reports of the
     * period, only those received by {@code closedAt} (what the measure page of a closed period shows).
     */
    @Transactional(readOnly = true)
    public ReportData loadTaskAsOf(String policyId, String taskId, Period period, ZoneId zone, Instant closedAt) {
        return load(policyId, taskId, new Scope(period.endInstant(zone), period.within(), List.of(), null, closedAt));
    }

    /** The rows a report of one period needs (received by {@code receivedBy}, when set); null = all rows. */
    private record Scope(Instant cutoff, List<String> periods, List<String> previousPeriods, Instant previousClosedAt,
            Instant receivedBy) {
    }

    // columns are read by position (a name lookup per column per row showed in the profile) and timestamps as
    // OffsetDateTime (getTimestamp converts through a Calendar per value)
    private static final String CHANGE_COLUMNS = """
            c.event_id, c.task_id, c.kind, c.version, c.history_id, c.actor, c.from_status, c.to_status, c.reason,
            c.at, c.received_at, c.message_log_id, s.action_no, s.measure_no, s.unit_code, s.lead_unit_code, s.role,
            c.status, c.delivery_status, c.deadline, c.percent_complete, c.rating, c.urging_kind, c.urging_level,
            c.extension_id, c.extension_state, c.rating_reason, c.bureau_status, c.calendar_known, c.signed_by,
            c.signed_at, c.last_report_period, c.last_report_at, c.extension_reporter, c.extension_requested_at""";

    private static final RowMapper<ReportData.Change> CHANGE = (rs, i) -> new ReportData.Change(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6), rs.getString(7),
            rs.getString(8), rs.getString(9), instant(rs, 10), instant(rs, 11), rs.getString(12), integer(rs, 13),
            rs.getInt(14), rs.getString(15), rs.getString(16), rs.getString(17), rs.getString(18), rs.getString(19),
            rs.getObject(20, LocalDate.class), integer(rs, 21), rs.getString(22), rs.getString(23), integer(rs, 24),
            rs.getString(25), rs.getString(26), rs.getString(27), rs.getString(28), bool(rs, 29), rs.getString(30),
            instant(rs, 31), rs.getString(32), instant(rs, 33), rs.getString(34), instant(rs, 35));

    private static final String PROGRESS_COLUMNS = """
            p.report_id, p.event_id, p.task_id, p.measure_no, p.unit_code, p.period, p.status, p.percent_complete,
            p.narrative, p.message_log_id, p.history_id, p.reported_at, p.received_at, p.problems, p.next_steps,
            p.reporter, p.sent_at""";

    private static RowMapper<ReportData.Progress> progress(Map<String, List<Evidence>> evidence) {
        return (rs, i) -> new ReportData.Progress(rs.getString(1),
                rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getInt(8), rs.getString(9), rs.getString(10), rs.getString(11), instant(rs, 12), instant(rs, 13),
                rs.getString(14), rs.getString(15), rs.getString(16), instant(rs, 17),
                evidence.getOrDefault(rs.getString(1), List.of()));
    }

    private ReportData load(String policyId, String taskId, Scope scope) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("policy", policyId);
        StringBuilder changeSql = new StringBuilder("select ").append(CHANGE_COLUMNS).append("""

                from task_change c join task_state s on s.task_id = c.task_id
                where c.policy_id = :policy""");
        StringBuilder progressSql = new StringBuilder("select ").append(PROGRESS_COLUMNS)
                .append(" from progress_report p where p.policy_id = :policy");
        if (taskId != null) {
            params.put("task", taskId);
            changeSql.append(" and c.task_id = :task");
            progressSql.append(" and p.task_id = :task");
        }
        if (scope != null) {
            params.put("cutoff", OffsetDateTime.ofInstant(scope.cutoff(), ZoneOffset.UTC));
            params.put("periods", scope.periods());
            changeSql.append(" and c.at < :cutoff");
            // a report counts only for a task the period shows (one with a change before its end)
            progressSql.append(" and (p.period in (:periods) and p.task_id in (select t.task_id from task_change t")
                    .append(" where t.policy_id = :policy and t.at < :cutoff)");
            if (scope.previousClosedAt() != null) {
                params.put("previous", scope.previousPeriods());
                params.put("closedAt", OffsetDateTime.ofInstant(scope.previousClosedAt(), ZoneOffset.UTC));
                progressSql.append(" or p.period in (:previous) and p.received_at > :closedAt");
            }
            progressSql.append(")");
            if (scope.receivedBy() != null) {
                params.put("receivedBy", OffsetDateTime.ofInstant(scope.receivedBy(), ZoneOffset.UTC));
                changeSql.append(" and c.received_at <= :receivedBy");
                progressSql.append(" and p.received_at <= :receivedBy");
            }
        }
        List<ReportData.Change> changes = jdbc.sql(changeSql.append(" order by c.task_id, c.version, c.at").toString())
                .params(params).query(CHANGE).list();
        // the evidence of the same reports, by report (one query, not one per report)
        Map<String, List<Evidence>> evidence = new java.util.HashMap<>();
        String progressWhere = progressSql.substring(progressSql.indexOf(" from progress_report p"));
        jdbc.sql("select e.report_id, e.name, e.content_type, e.size, e.sha256, e.attachment_id from progress_evidence e"
                + " where e.report_id in (select p.report_id" + progressWhere + ") order by e.report_id, e.seq")
                .params(params).query((ResultSet rs) -> {
                    evidence.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(evidence(
                            rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6)));
                });
        List<ReportData.Progress> progress = jdbc.sql(progressSql.append(" order by p.reported_at, p.report_id").toString())
                .params(params).query(progress(evidence)).list();
        if (taskId != null) {
            return new ReportData(changes, progress, List.of(), Map.of(), Map.of(), List.of(), java.util.Set.of());
        }
        // a school-level value without a district takes its school's district from the register
        List<ReportData.KpiRow> kpis = jdbc.sql("""
                select r.report_id, r.task_id, v.kpi_code, v.value, v.unit, v.level,
                    case when v.level = 'SCHOOL' then coalesce(v.district_code, sc.district_code) else v.district_code end,
                    v.school_code, r.period, r.reported_at, r.message_log_id, r.event_id, r.history_id
                from kpi_value v join progress_report r on r.report_id = v.report_id
                left join school sc on sc.code = v.school_code and v.district_code is null
                where r.policy_id = :policy""" + (scope == null ? "" : " and r.period in (:periods)")
                + " order by r.reported_at, v.id")
                .params(params)
                .query((rs, i) -> new ReportData.KpiRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getDouble(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(9), instant(rs, 10), rs.getString(11), rs.getString(12), rs.getString(13)))
                .list();
        Map<String, String> districts = new LinkedHashMap<>();
        Map<String, String> districtsEn = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        jdbc.sql("select code, name, name_en from district order by sort").query((ResultSet rs) -> {
            districts.put(rs.getString(1), rs.getString(2));
            districtsEn.put(rs.getString(1), rs.getString(3));
            order.add(rs.getString(1));
        });
        java.util.Set<String> lateReportEvents = new java.util.HashSet<>();
        if (scope != null && scope.previousClosedAt() != null) {
            jdbc.sql("select event_id from progress_report where policy_id = :policy and received_at > :closedAt")
                    .params(params).query((ResultSet rs) -> {
                        lateReportEvents.add(rs.getString(1));
                    });
        }
        return new ReportData(changes, progress, kpis, districts, districtsEn, order, lateReportEvents);
    }

    /** The task of each unit under a measure of the policy (the first by id, should a unit have several). */
    public Map<String, String> tasksOfMeasure(String policyId, int measureNo) {
        Map<String, String> out = new LinkedHashMap<>();
        jdbc.sql("""
                select unit_code, min(task_id) from task_state where policy_id = :p and measure_no = :m
                group by unit_code""").param("p", policyId).param("m", measureNo)
                .query((ResultSet rs) -> {
                    out.put(rs.getString(1), rs.getString(2));
                });
        return out;
    }

    /** The KPI values of a task's progress reports, by report, with the register's district and school names. */
    public Map<String, List<cn.beijing.scienceedu.contracts.reporting.model.ReportedKpi>> kpisOfTask(String taskId) {
        Map<String, List<cn.beijing.scienceedu.contracts.reporting.model.ReportedKpi>> out = new LinkedHashMap<>();
        jdbc.sql("""
                select v.report_id, v.kpi_code, v.value, v.unit, v.level, coalesce(v.district_code, sc.district_code),
                    d.name, d.name_en, v.school_code, sc.name
                from kpi_value v join progress_report r on r.report_id = v.report_id
                left join school sc on sc.code = v.school_code
                left join district d on d.code = coalesce(v.district_code, sc.district_code)
                where r.task_id = :task order by v.id""").param("task", taskId).query((ResultSet rs) -> {
                    var k = new cn.beijing.scienceedu.contracts.reporting.model.ReportedKpi();
                    k.setKpiCode(rs.getString(2));
                    k.setValue(rs.getDouble(3));
                    k.setUnit(rs.getString(4));
                    k.setLevel(cn.beijing.scienceedu.contracts.reporting.model.ReportedKpi.LevelEnum.fromValue(rs.getString(5)));
                    k.setDistrictCode(rs.getString(6));
                    k.setDistrictName(rs.getString(7));
                    k.setDistrictNameEn(rs.getString(8));
                    k.setSchoolCode(rs.getString(9));
                    k.setSchoolName(rs.getString(10));
                    out.computeIfAbsent(rs.getString(1), x -> new ArrayList<>()).add(k);
                });
        return out;
    }

    public List<ParkedDelivery> parked(String taskId) {
        return jdbc.sql("select * from delivery_parked where task_id = :t order by at").param("t", taskId)
                .query((rs, i) -> {
                    ParkedDelivery pd = new ParkedDelivery();
                    pd.setDeliveryId(rs.getString("delivery_id"));
                    pd.setMessageKind(rs.getString("message_kind"));
                    pd.setReason(rs.getString("reason"));
                    pd.setMessageLogId(rs.getString("message_log_id"));
                    pd.setAt(instant(rs, rs.findColumn("at")).atOffset(ZoneOffset.UTC));
                    return pd;
                })
                .list();
    }

    /** 佐证材料 of a progress report: name, size, SHA-256 and where the task-service keeps the bytes. */
    static Evidence evidence(String name, String contentType, long size, String sha256, String attachmentId) {
        Evidence e = new Evidence();
        e.setName(name);
        e.setContentType(contentType);
        e.setSize(size);
        e.setSha256(sha256);
        e.setAttachmentId(attachmentId);
        return e;
    }

    public java.util.Optional<String> policyOfTask(String taskId) {
        return jdbc.sql("select policy_id from task_state where task_id = :id").param("id", taskId)
                .query(String.class).optional();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Boolean bool(ResultSet rs, int column) throws SQLException {
        boolean v = rs.getBoolean(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
