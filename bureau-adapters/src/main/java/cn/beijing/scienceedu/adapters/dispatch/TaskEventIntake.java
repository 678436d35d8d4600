package cn.beijing.scienceedu.adapters.dispatch;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import cn.beijing.scienceedu.adapters.mapping.PayloadMapper;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.contracts.bureau.model.BureauTaskMessage;
import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.contracts.events.ExtensionData;
import cn.beijing.scienceedu.contracts.events.TaskEventData;
import cn.beijing.scienceedu.contracts.events.TaskSnapshot;
import cn.beijing.scienceedu.contracts.events.UrgingData;
import cn.beijing.scienceedu.platform.events.HubEvent;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns one task event (as platform's {@code CloudEventReader} read it: the kind from its routing key, the data as
 * {@link TaskEventData}) into the bureau message it calls for and queues it durably (outbox) for the task's unit.
 * Stale events (sequence not newer than what is held) are dropped; the same event twice is stopped before here by the
 * idempotent consumer and again by the outbox's unique key.
 */
@Component
public class TaskEventIntake {

    private static final Logger log = LoggerFactory.getLogger(TaskEventIntake.class);

    private final JsonMapper json;
    private final KnownTasks knownTasks;
    private final DeliveryStore store;
    private final BureauRegistry registry;

    public TaskEventIntake(JsonMapper json, KnownTasks knownTasks, DeliveryStore store, BureauRegistry registry) {
        this.json = json;
        this.knownTasks = knownTasks;
        this.store = store;
        this.registry = registry;
    }

    /** @return the queued delivery id, or null when the event asks for no message or is stale. */
    @Transactional
    public String accept(HubEvent event) {
        String kind = switch (event.routingKey()) {
            case EventTypes.TASK_DISPATCHED -> "ASSIGNMENT";
            case EventTypes.TASK_URGED -> "URGING";
            case EventTypes.TASK_RETURNED -> "RETURN";
            case EventTypes.TASK_EXTENSION_DECIDED -> "EXTENSION_DECISION";
            case EventTypes.TASK_CANCELLED -> "CANCELLATION";
            default -> null;
        };
        if (kind == null) {
            log.debug("event {} of type {} needs no bureau message", event.id(), event.type());
            return null;
        }
        TaskEventData data = event.dataAs(TaskEventData.class);
        TaskSnapshot task = data.getTask();
        long version = event.sequence() != null ? event.sequence() : task.getVersion();
        if (!knownTasks.advance(task.getTaskId(), task.getUnitCode(), version, String.valueOf(task.getStatus()))) {
            log.info("dropping stale event {} ({}) for task {} version {}", event.id(), event.type(),
                    task.getTaskId(), version);
            return null;
        }
        String unit = task.getUnitCode();
        Bureau bureau = registry.find(unit).orElse(null);
        String id = UUID.nameUUIDFromBytes((event.id() + "|" + unit + "|" + kind).getBytes(StandardCharsets.UTF_8))
                .toString();
        OffsetDateTime issuedAt = issuedAt(event.time() != null ? event.time() : OffsetDateTime.now());
        UrgingData urging = data.getUrging();
        ExtensionData ext = data.getExtension();
        String reason = data.getChange() != null ? data.getChange().getReason() : null;
        if (urging != null && urging.getNote() != null) {
            reason = urging.getNote();
        }
        if (ext != null && ext.getDecisionNote() != null) {
            reason = ext.getDecisionNote();
        }
        BureauTaskMessage message = new BureauTaskMessage(id, BureauTaskMessage.KindEnum.fromValue(kind), task.getTaskId(), unit)
                .policyId(task.getPolicyId()).measureNo(task.getMeasureNo()).measureTitle(task.getMeasureTitle())
                .role(task.getRole() == null ? null : BureauTaskMessage.RoleEnum.fromValue(task.getRole().value()))
                .leadUnitCode(task.getLeadUnitCode()).status(task.getStatus() == null ? null : task.getStatus().value())
                .deadline(task.getDeadline())
                .workItems(task.getWorkItems() == null ? new java.util.ArrayList<>() : new java.util.ArrayList<>(task.getWorkItems()))
                .reason(reason).urgingLevel(urging == null ? null : urging.getLevel())
                .extensionDecision(ext == null || ext.getDecision() == null ? null
                        : BureauTaskMessage.ExtensionDecisionEnum.fromValue(ext.getDecision().value()))
                .version(Math.toIntExact(version)).issuedAt(issuedAt);
        String protocol = bureau == null ? "REST" : bureau.protocol().name();
        boolean queued = store.enqueue(id, event.id(), event.type(), unit, task.getTaskId(), version, kind,
                protocol, json.writeValueAsString(PayloadMapper.fields(message)), event.traceparent());
        return queued ? id : null;
    }

    /** Queues a receipt (回执) to a bureau that wrote through a file, SFTP or AMQP. */
    @Transactional
    public void queueReceipt(Bureau bureau, String receiptId, String taskId, String reason, Map<String, Object> extra) {
        queueReceipt(bureau, receiptId, taskId, reason, extra, null, null);
    }

    /**
     * Queues a receipt (回执) to a bureau that wrote through a file, SFTP or AMQP: its outcome in {@code status} (as
     * bureaus read it), the bureau's own time of the answered message as the hub kept it ({@code sentAt}) and the
     * task's status after it ({@code taskStatus}) — what the REST and SOAP receipts say.
     */
    @Transactional
    public void queueReceipt(Bureau bureau, String receiptId, String taskId, String reason, Map<String, Object> extra,
            OffsetDateTime sentAt, String taskStatus) {
        BureauTaskMessage message = new BureauTaskMessage(receiptId, BureauTaskMessage.KindEnum.RECEIPT, taskId, bureau.code())
                .status((String) extra.get("outcome")).reason(reason).issuedAt(issuedAt(OffsetDateTime.now()))
                .sentAt(sentAt).taskStatus(taskStatus);
        store.enqueue(receiptId, null, null, bureau.code(), taskId == null ? "-" : taskId, null, "RECEIPT",
                bureau.protocol().name(), json.writeValueAsString(PayloadMapper.fields(message)), null);
    }

    /** The hub's time of a message, in Asia/Shanghai to the second (xs:dateTime as the bureaus read it). */
    static OffsetDateTime issuedAt(OffsetDateTime t) {
        return t.atZoneSameInstant(ZoneId.of("Asia/Shanghai")).toOffsetDateTime().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }
}
