package cn.beijing.scienceedu.task.deadline;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.beijing.scienceedu.contracts.events.ExtensionData;
import cn.beijing.scienceedu.contracts.task.model.ExtensionDecisionRequest;
import cn.beijing.scienceedu.contracts.task.model.ExtensionRequest;
import cn.beijing.scienceedu.contracts.task.model.ExtensionRequestCreate;
import cn.beijing.scienceedu.task.calendar.WorkingCalendar;
import cn.beijing.scienceedu.task.lifecycle.TaskChanges;
import cn.beijing.scienceedu.task.lifecycle.TaskRecord;
import cn.beijing.scienceedu.task.lifecycle.Transitions;
import cn.beijing.scienceedu.task.lifecycle.Transitions.TaskAction;
import cn.beijing.scienceedu.task.security.Caller;
import cn.beijing.scienceedu.task.web.ApiException;

/**
 * Deadlines: a liaison's change, and extension requests (延期申请) with their decisions. A request keeps the bureau's
 * 填报人 and its own time (requestedAt, checked like every bureau time) beside the hub's receipt time.
 */
@Service
public class Extensions {

    private final TaskChanges changes;
    private final JdbcTemplate jdbc;
    private final WorkingCalendar calendar;
    private final BureauTimes times;

    public Extensions(TaskChanges changes, JdbcTemplate jdbc, WorkingCalendar calendar, BureauTimes times) {
        this.changes = changes;
        this.jdbc = jdbc;
        this.calendar = calendar;
        this.times = times;
    }

    /** A liaison sets one task's deadline (If-Match required). */
    @Transactional
    public TaskRecord setDeadline(String taskId, LocalDate deadline, String cycle, String reason, String ifMatch,
            Caller caller) {
        TaskRecord t = changes.lockVisible(taskId, caller);
        TaskChanges.checkIfMatch(t, ifMatch, true);
        Transitions.require(t.status, TaskAction.CHANGE_DEADLINE);
        if (deadline.isBefore(calendar.today())) {
            throw ApiException.badField("deadline", "must not be in the past");
        }
        t.deadline = deadline;
        t.deadlineSource = "TASK";
        if (cycle != null) {
            t.reportingCycle = cycle;
        }
        return changes.record(t, "task.deadline-changed", t.status, caller, reason, TaskChanges.Extras.none(), true);
    }

    /** A unit asks for a later deadline: before the current deadline, one pending at a time. */
    @Transactional
    public ExtensionRequest request(String taskId, ExtensionRequestCreate r, Caller caller) {
        TaskRecord t = changes.lockVisible(taskId, caller);
        OffsetDateTime now = calendar.now();
        List<Map<String, String>> errors = new ArrayList<>();
        if (!r.getRequestedDeadline().isAfter(t.deadline)) {
            errors.add(Map.of("field", "requestedDeadline", "message", "must be after the current deadline " + t.deadline));
        }
        times.check("requestedAt", r.getRequestedAt(), t, now, errors);
        if (!errors.isEmpty()) {
            throw ApiException.badFields(errors);
        }
        Transitions.require(t.status, TaskAction.REQUEST_EXTENSION);
        if (calendar.today().isAfter(t.deadline)) {
            throw ApiException.conflict(t.status.getValue(), "the deadline " + t.deadline + " has passed; extensions are asked before it");
        }
        Integer pending = jdbc.queryForObject(
                "select count(*) from extension_request where task_id = ? and decision = 'PENDING'", Integer.class, t.id);
        if (pending != null && pending > 0) {
            throw ApiException.conflict("PENDING", "an extension request of this task is pending");
        }
        String id = UUID.randomUUID().toString();
        OffsetDateTime requestedAt = BureauTimes.orReceived(r.getRequestedAt(), now);
        jdbc.update("insert into extension_request (id, task_id, message_id, requested_deadline, previous_deadline, reason, "
                + "decision, requested_at, reporter, received_at) values (?,?,?,?,?,?,'PENDING',?,?,?)", id, t.id,
                r.getMessageId(), r.getRequestedDeadline(), t.deadline, r.getReason(), requestedAt, r.getReporter(), now);
        ExtensionData x = new ExtensionData();
        x.setRequestId(id);
        x.setRequestedDeadline(r.getRequestedDeadline());
        x.setReason(r.getReason());
        x.setDecision(ExtensionData.Decision.PENDING);
        x.setPreviousDeadline(t.deadline);
        x.setRequestedAt(requestedAt);
        x.setReporter(r.getReporter());
        changes.record(t, "task.extension-requested", t.status, caller, r.getReason(),
                new TaskChanges.Extras(null, null, x, r.getMessageLogId()), true);
        return find(t.id, id);
    }

    /** A liaison approves (the deadline moves) or rejects a pending request. */
    @Transactional
    public ExtensionRequest decide(String taskId, String requestId, ExtensionDecisionRequest d, Caller caller) {
        TaskRecord t = changes.lockVisible(taskId, caller);
        ExtensionRequest req = find(t.id, requestId);
        if (req == null) {
            throw ApiException.notFound("extension request " + requestId);
        }
        if (req.getDecision() != ExtensionRequest.DecisionEnum.PENDING) {
            throw ApiException.conflict(req.getDecision().getValue(), "the request is decided already");
        }
        boolean approved = d.getDecision() == ExtensionDecisionRequest.DecisionEnum.APPROVED;
        LocalDate previous = t.deadline;
        if (approved) {
            Transitions.require(t.status, TaskAction.CHANGE_DEADLINE);
            LocalDate newDeadline = d.getDeadline() != null ? d.getDeadline() : req.getRequestedDeadline();
            if (!newDeadline.isAfter(calendar.today().minusDays(1))) {
                throw ApiException.badField("deadline", "must not be in the past");
            }
            t.deadline = newDeadline;
            t.deadlineSource = "TASK";
        }
        jdbc.update("update extension_request set decision = ?, decided_by = ?, decision_note = ?, decided_at = ? "
                + "where id = ?", d.getDecision().getValue(), caller.subject(), d.getNote(),
                calendar.now(), requestId);
        ExtensionData x = new ExtensionData();
        x.setRequestId(requestId);
        x.setRequestedDeadline(req.getRequestedDeadline());
        x.setReason(req.getReason());
        x.setDecision(ExtensionData.Decision.fromValue(d.getDecision().getValue()));
        x.setDecidedBy(caller.subject());
        x.setDecisionNote(d.getNote());
        x.setPreviousDeadline(previous);
        x.setRequestedAt(req.getRequestedAt());
        x.setReporter(req.getReporter());
        changes.record(t, "task.extension-decided", t.status, caller, d.getNote(),
                new TaskChanges.Extras(null, null, x, null), true);
        return find(t.id, requestId);
    }

    public List<ExtensionRequest> list(String taskId) {
        return jdbc.query(SELECT + " where task_id = ? order by received_at, id", this::map, taskId);
    }

    public ExtensionRequest find(String taskId, String id) {
        return jdbc.query(SELECT + " where task_id = ? and id = ?", this::map, taskId, id).stream().findFirst().orElse(null);
    }

    private static final String SELECT = "select id, task_id, requested_deadline, previous_deadline, reason, decision, "
            + "decided_by, decision_note, requested_at, reporter, received_at, decided_at from extension_request";

    private ExtensionRequest map(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        ExtensionRequest e = new ExtensionRequest();
        e.setId(rs.getString("id"));
        e.setTaskId(rs.getString("task_id"));
        e.setRequestedDeadline(rs.getObject("requested_deadline", LocalDate.class));
        e.setPreviousDeadline(rs.getObject("previous_deadline", LocalDate.class));
        e.setReason(rs.getString("reason"));
        e.setDecision(ExtensionRequest.DecisionEnum.fromValue(rs.getString("decision")));
        e.setDecidedBy(rs.getString("decided_by"));
        e.setDecisionNote(rs.getString("decision_note"));
        e.setRequestedAt(rs.getTimestamp("requested_at").toInstant().atOffset(ZoneOffset.UTC));
        e.setReporter(rs.getString("reporter"));
        e.setReceivedAt(rs.getTimestamp("received_at").toInstant().atOffset(ZoneOffset.UTC));
        if (rs.getTimestamp("decided_at") != null) {
            e.setDecidedAt(rs.getTimestamp("decided_at").toInstant().atOffset(ZoneOffset.UTC));
        }
        return e;
    }

}
