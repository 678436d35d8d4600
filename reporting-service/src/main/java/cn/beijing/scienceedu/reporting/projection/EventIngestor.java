package cn.beijing.scienceedu.reporting.projection;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.beijing.scienceedu.contracts.events.DeliveryOutcomeData;
import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.contracts.events.EvidenceData;
import cn.beijing.scienceedu.contracts.events.KpiValueData;
import cn.beijing.scienceedu.contracts.events.PolicyImportedData;
import cn.beijing.scienceedu.contracts.events.ProgressReportData;
import cn.beijing.scienceedu.contracts.events.TaskChange;
import cn.beijing.scienceedu.contracts.events.TaskEventData;
import cn.beijing.scienceedu.contracts.events.TaskSnapshot;
import cn.beijing.scienceedu.platform.events.HubEvent;
import cn.beijing.scienceedu.platform.events.MalformedEventException;

/**
 * Applies events to the read models. Idempotent: the event id is the dedupe key (a second copy
 * changes nothing); tolerant of reordering: the task's state keeps the highest {@code version}, and
 * history, progress reports and KPI values are facts keyed by their own ids.
 */
@Service
class EventIngestor {

    private static final Logger log = LoggerFactory.getLogger(EventIngestor.class);

    private final JdbcClient jdbc;
    private final ProjectionLag lag;
    private final ApplicationEventPublisher publisher;

    public EventIngestor(JdbcClient jdbc, ProjectionLag lag, ApplicationEventPublisher publisher) {
        this.jdbc = jdbc;
        this.lag = lag;
        this.publisher = publisher;
    }

    /** Advisory lock key: shared by live ingestion, exclusive for a rebuild. */
    static final long REBUILD_LOCK = 4711;

    /** Outcome of applying one event. */
    public enum Outcome { APPLIED, DUPLICATE, IGNORED }

    /** Applies a live event (records projection lag). */
    @Transactional
    public Outcome ingest(IncomingEvent event) {
        // shared: consumers run concurrently (events of one task may be applied in any order: versions decide)
        jdbc.sql("select pg_advisory_xact_lock_shared(" + REBUILD_LOCK + ")").query(Object.class).list();
        Applied applied = applyEvent(event, true);
        log.debug("event {} ({}) {}", event.event().id(), event.routingKey(), applied.outcome());
        if (applied.outcome() == Outcome.APPLIED) {
            lag.applied(event.event().time(), OffsetDateTime.now(ZoneOffset.UTC));
            publisher.publishEvent(new ProjectionChanged(event.event().id(), event.routingKey(), applied.policyId()));
        }
        return applied.outcome();
    }

    /** What applying an event did, and to which policy's read models (null: unknown, i.e. possibly any). */
    private record Applied(Outcome outcome, String policyId) {
    }

    /**
     * Applies an event; {@code log} false when replaying from this service's own event log (the row is
     * already there).
     */
    @Transactional
    public Outcome apply(IncomingEvent event, boolean logIt) {
        return applyEvent(event, logIt).outcome();
    }

    private Applied applyEvent(IncomingEvent event, boolean logIt) {
        HubEvent env = event.event();
        OffsetDateTime occurred = env.time() != null ? env.time() : event.receivedAt();
        if (logIt && !log(event)) {
            log.debug("duplicate event {} ignored", env.id());
            return new Applied(Outcome.DUPLICATE, null);
        }
        String key = event.routingKey();
        if (key.startsWith("task.")) {
            TaskEventData data = env.dataAs(TaskEventData.class);
            applyTask(event, data);
            return new Applied(Outcome.APPLIED, data.getTask().getPolicyId());
        }
        if (EventTypes.POLICY_IMPORTED.equals(key)) {
            PolicyImportedData data = env.dataAs(PolicyImportedData.class);
            jdbc.sql("""
                    insert into policy_catalogue (policy_id, title, imported_at) values (:id, :title, :at)
                    on conflict (policy_id) do update set title = excluded.title, imported_at = excluded.imported_at""")
                    .param("id", data.getPolicyId()).param("title", data.getTitle()).param("at", ts(occurred))
                    .update();
            return new Applied(Outcome.APPLIED, data.getPolicyId());
        }
        if (EventTypes.DELIVERY_PARKED.equals(key)) {
            DeliveryOutcomeData d = env.dataAs(DeliveryOutcomeData.class);
            jdbc.sql("""
                    insert into delivery_parked (event_id, delivery_id, task_id, unit_code, message_kind, reason, message_log_id, at)
                    values (:id, :delivery, :task, :unit, :kind, :reason, :log, :at) on conflict do nothing""")
                    .param("id", env.id()).param("delivery", d.getDeliveryId()).param("task", d.getTaskId())
                    .param("unit", d.getUnitCode()).param("kind", str(d.getMessageKind()))
                    .param("reason", d.getReason() != null ? d.getReason() : d.getLastError())
                    .param("log", d.getMessageLogId()).param("at", ts(d.getAt() != null ? d.getAt() : occurred))
                    .update();
            // the task's policy, where the task is known (else every policy counts as changed)
            String policy = d.getTaskId() == null ? null : jdbc.sql("select policy_id from task_state where task_id = :t")
                    .param("t", d.getTaskId()).query(String.class).optional().orElse(null);
            return new Applied(Outcome.APPLIED, policy);
        }
        return new Applied(Outcome.IGNORED, null);
    }

    /** Stores the event in {@code event_log}; false when its id is already there (a duplicate). */
    boolean log(IncomingEvent event) {
        HubEvent env = event.event();
        OffsetDateTime occurred = env.time() != null ? env.time() : event.receivedAt();
        return jdbc.sql("""
                insert into event_log (event_id, type, routing_key, subject, sequence, occurred_at, received_at, payload)
                values (:id, :type, :key, :subject, :sequence, :occurred, :received, :payload)
                on conflict (event_id) do nothing""")
                .param("id", env.id())
                .param("type", env.type())
                .param("key", event.routingKey())
                .param("subject", env.subject())
                .param("sequence", env.sequence())
                .param("occurred", ts(occurred))
                .param("received", ts(event.receivedAt()))
                .param("payload", event.json())
                .update() == 1;
    }

    private void applyTask(IncomingEvent event, TaskEventData data) {
        HubEvent env = event.event();
        TaskSnapshot t = data.getTask();
        TaskChange c = data.getChange();
        if (t == null || c == null || t.getTaskId() == null) {
            throw new MalformedEventException(env.id(), "task event without task or change", null);
        }
        long version = t.getVersion() != null ? t.getVersion() : (env.sequence() != null ? env.sequence() : 0);
        OffsetDateTime at = c.getAt() != null ? c.getAt() : env.time();
        String messageLogId = env.messageLogId();
        if (messageLogId == null && data.getProgress() != null) {
            messageLogId = data.getProgress().getMessageLogId();
        }
        jdbc.sql("""
                insert into task_change (event_id, task_id, policy_id, kind, version, history_id, actor, from_status, to_status,
                    reason, at, received_at, message_log_id, status, delivery_status, deadline, percent_complete, rating,
                    urging_kind, urging_level, extension_id, extension_state, rating_reason, bureau_status, overdue,
                    calendar_known, signed_by, signed_at, last_report_period, last_report_at, extension_reporter,
                    extension_requested_at)
                values (:id, :task, :policy, :kind, :version, :history, :actor, :from, :to, :reason, :at, :received, :log,
                    :status, :delivery, :deadline, :percent, :rating, :ukind, :ulevel, :extId, :extState, :ratingReason,
                    :bureauStatus, :overdue, :calendarKnown, :signedBy, :signedAt, :lastPeriod, :lastAt, :extReporter,
                    :extRequestedAt)
                on conflict (event_id) do nothing""")
                .param("id", env.id()).param("task", t.getTaskId()).param("policy", t.getPolicyId())
                .param("kind", event.routingKey()).param("version", version).param("history", c.getHistoryId())
                .param("actor", c.getActor()).param("from", str(c.getFromStatus())).param("to", str(c.getToStatus()))
                .param("reason", c.getReason()).param("at", ts(at)).param("received", ts(event.receivedAt()))
                .param("log", messageLogId).param("status", str(t.getStatus()))
                .param("delivery", str(t.getDeliveryStatus())).param("deadline", t.getDeadline())
                .param("percent", t.getPercentComplete()).param("rating", str(t.getRating()))
                .param("ukind", data.getUrging() == null ? null : str(data.getUrging().getKind()))
                .param("ulevel", data.getUrging() == null ? null : data.getUrging().getLevel())
                .param("extId", data.getExtension() == null ? null : data.getExtension().getRequestId())
                .param("extState", data.getExtension() == null ? null : str(data.getExtension().getDecision()))
                .param("extReporter", data.getExtension() == null ? null : data.getExtension().getReporter())
                .param("extRequestedAt", data.getExtension() == null ? null : ts(data.getExtension().getRequestedAt()))
                .params(snapshotParams(t))
                .update();
        // the current state: the highest version wins (a task.rating-changed of the deadline scan bumps the version
        // like any change; at an equal version the later change wins, so a time-driven rating is never lost)
        jdbc.sql("""
                insert into task_state (task_id, policy_id, action_no, measure_no, unit_code, lead_unit_code, role, status,
                    delivery_status, deadline, reporting_cycle, percent_complete, rating, version, updated_at,
                    rating_reason, bureau_status, overdue, calendar_known, signed_by, signed_at, last_report_period,
                    last_report_at)
                values (:task, :policy, :action, :measure, :unit, :lead, :role, :status, :delivery, :deadline, :cycle,
                    :percent, :rating, :version, :at, :ratingReason, :bureauStatus, :overdue, :calendarKnown, :signedBy,
                    :signedAt, :lastPeriod, :lastAt)
                on conflict (task_id) do update set policy_id = excluded.policy_id, action_no = excluded.action_no,
                    measure_no = excluded.measure_no, unit_code = excluded.unit_code, lead_unit_code = excluded.lead_unit_code,
                    role = excluded.role, status = excluded.status, delivery_status = excluded.delivery_status,
                    deadline = excluded.deadline, reporting_cycle = excluded.reporting_cycle,
                    percent_complete = excluded.percent_complete, rating = excluded.rating, version = excluded.version,
                    updated_at = excluded.updated_at, rating_reason = excluded.rating_reason,
                    bureau_status = excluded.bureau_status, overdue = excluded.overdue,
                    calendar_known = excluded.calendar_known, signed_by = excluded.signed_by,
                    signed_at = excluded.signed_at, last_report_period = excluded.last_report_period,
                    last_report_at = excluded.last_report_at
                where task_state.version < excluded.version
                    or task_state.version = excluded.version and task_state.updated_at < excluded.updated_at""")
                .param("task", t.getTaskId()).param("policy", t.getPolicyId()).param("action", t.getActionNo())
                .param("measure", t.getMeasureNo()).param("unit", t.getUnitCode()).param("lead", t.getLeadUnitCode())
                .param("role", str(t.getRole())).param("status", str(t.getStatus()))
                .param("delivery", str(t.getDeliveryStatus())).param("deadline", t.getDeadline())
                .param("cycle", str(t.getReportingCycle())).param("percent", t.getPercentComplete())
                .param("rating", str(t.getRating())).param("version", version).param("at", ts(at))
                .params(snapshotParams(t))
                .update();
        ProgressReportData p = data.getProgress();
        if (p != null && p.getReportId() != null) {
            int inserted = jdbc.sql("""
                    insert into progress_report (report_id, event_id, task_id, policy_id, measure_no, unit_code, period, status,
                        percent_complete, narrative, message_log_id, history_id, reported_at, received_at, problems,
                        next_steps, reporter, sent_at)
                    values (:id, :event, :task, :policy, :measure, :unit, :period, :status, :percent, :narrative, :log,
                        :history, :reported, :received, :problems, :nextSteps, :reporter, :sentAt)
                    on conflict (report_id) do nothing""")
                    .param("id", p.getReportId()).param("event", env.id()).param("task", t.getTaskId())
                    .param("policy", t.getPolicyId()).param("measure", t.getMeasureNo()).param("unit", t.getUnitCode())
                    .param("period", p.getPeriod()).param("status", str(p.getStatus()))
                    .param("percent", p.getPercentComplete() == null ? 0 : p.getPercentComplete())
                    .param("narrative", p.getNarrative()).param("log", p.getMessageLogId() != null ? p.getMessageLogId() : messageLogId)
                    .param("history", c.getHistoryId())
                    .param("reported", ts(p.getReceivedAt() != null ? p.getReceivedAt() : at))
                    .param("received", ts(event.receivedAt()))
                    .param("problems", p.getProblems()).param("nextSteps", p.getNextSteps())
                    .param("reporter", p.getReporter()).param("sentAt", ts(p.getReportedAt()))
                    .update();
            if (inserted > 0) {
                for (KpiValueData v : p.getKpiValues()) {
                    jdbc.sql("""
                            insert into kpi_value (report_id, kpi_code, value, unit, level, district_code, school_code)
                            values (:report, :code, :value, :unit, :level, :district, :school)""")
                            .param("report", p.getReportId()).param("code", v.getKpiCode()).param("value", v.getValue())
                            .param("unit", v.getUnit()).param("level", str(v.getLevel()))
                            .param("district", v.getDistrictCode()).param("school", v.getSchoolCode())
                            .update();
                }
                int seq = 0;
                for (EvidenceData ev : p.getEvidence()) {
                    jdbc.sql("""
                            insert into progress_evidence (report_id, seq, name, content_type, size, sha256, attachment_id)
                            values (:report, :seq, :name, :type, :size, :sha, :attachment)""")
                            .param("report", p.getReportId()).param("seq", seq++).param("name", ev.getName())
                            .param("type", ev.getContentType())
                            .param("size", ev.getSize() == null ? 0L : ev.getSize().longValue())
                            .param("sha", ev.getSha256()).param("attachment", ev.getAttachmentId())
                            .update();
                }
            }
        }
    }

    /** The snapshot's fields beyond the original ones (issue 15), bound by name in both task tables. */
    private static java.util.Map<String, Object> snapshotParams(TaskSnapshot t) {
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        m.put("ratingReason", str(t.getRatingReason()));
        m.put("bureauStatus", str(t.getBureauStatus()));
        m.put("overdue", t.getOverdue());
        m.put("calendarKnown", t.getCalendarKnown());
        m.put("signedBy", t.getSignedBy());
        m.put("signedAt", ts(t.getSignedAt()));
        m.put("lastPeriod", t.getLastReportPeriod());
        m.put("lastAt", ts(t.getLastReportAt()));
        return m;
    }

    static String str(Object o) {
        return o == null ? null : o.toString();
    }

    static Timestamp ts(OffsetDateTime t) {
        return t == null ? null : Timestamp.from(t.toInstant());
    }
}
