package cn.beijing.scienceedu.task.delivery;

import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.messaging.Message;
import org.springframework.transaction.support.TransactionTemplate;

import cn.beijing.scienceedu.contracts.events.DeliveryOutcomeData;
import cn.beijing.scienceedu.platform.events.CloudEventReader;
import cn.beijing.scienceedu.platform.events.HubEvent;
import cn.beijing.scienceedu.platform.events.MalformedEventException;
import cn.beijing.scienceedu.task.lifecycle.TaskChanges;
import cn.beijing.scienceedu.task.lifecycle.TaskRecord;
import cn.beijing.scienceedu.task.lifecycle.TaskStore;
import cn.beijing.scienceedu.task.lifecycle.Transitions;
import cn.beijing.scienceedu.task.lifecycle.Transitions.TaskAction;
import cn.beijing.scienceedu.task.security.Caller;

/**
 * Consumes {@code delivery.*} from bureau-adapters (queue {@code hub.delivery-events.task-service}, Spring
 * Cloud Stream binding {@code deliveryEvents-in-0}). Idempotent: each event id is applied once (table
 * {@code inbox_event}, same transaction as the change). What an outcome may do is asked of {@link Transitions}: an
 * assignment delivered moves DISPATCHED → DELIVERED ({@code DELIVER}); parked leaves the task DISPATCHED with
 * delivery status PARKED, failed (still retrying) keeps PENDING ({@code DELIVERY_SETBACK}). Outcomes of other
 * message kinds (urgings, returns …) change nothing here.
 */
@Configuration
public class DeliveryInbox {

    private static final Logger log = LoggerFactory.getLogger(DeliveryInbox.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TaskStore store;
    private final TaskChanges changes;
    private final CloudEventReader events;

    public DeliveryInbox(JdbcTemplate jdbc, TransactionTemplate tx, TaskStore store, TaskChanges changes,
            CloudEventReader events) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.store = store;
        this.changes = changes;
        this.events = events;
    }

    /**
     * The Spring Cloud Stream consumer: the event read once by platform's {@link CloudEventReader} (the message as it
     * came off the queue, structured or binary); one that is no delivery outcome is a {@link MalformedEventException}
     * and, after the binder's attempts, a dead letter with that reason.
     */
    @Bean
    public Consumer<Message<byte[]>> deliveryEvents() {
        return message -> apply(events.read(message));
    }

    /** Applies one structured-mode CloudEvent; returns false when it was a duplicate or not applicable. */
    public boolean apply(String cloudEventJson) {
        return apply(events.readStructured(cloudEventJson));
    }

    /** Applies one event read by the platform reader; returns false when it was a duplicate or not applicable. */
    public boolean apply(HubEvent event) {
        return apply(event.id(), event.type(), event.dataAs(DeliveryOutcomeData.class));
    }

    /** Applies one delivery outcome, once per event id. */
    public boolean apply(String eventId, String type, DeliveryOutcomeData d) {
        if (eventId == null || d == null || d.getTaskId() == null || d.getOutcome() == null) {
            throw new MalformedEventException(eventId, "not a delivery outcome event (id, taskId and outcome are required)",
                    null);
        }
        Boolean applied = tx.execute(s -> {
            int fresh = jdbc.update("insert into inbox_event (event_id, type) values (?, ?) on conflict do nothing",
                    eventId, type == null ? "unknown" : type);
            if (fresh == 0) {
                return false;
            }
            if (d.getMessageKind() != DeliveryOutcomeData.MessageKind.ASSIGNMENT) {
                return false;
            }
            TaskRecord t = store.lock(d.getTaskId()).orElse(null);
            if (t == null) {
                log.warn("delivery event {} for unknown task {}", eventId, d.getTaskId());
                return false;
            }
            Caller system = new Caller("bureau-adapters", Set.of("SYSTEM"), null, null, "SYSTEM");
            switch (d.getOutcome()) {
                case SUCCEEDED -> {
                    if (Transitions.allows(t.status, TaskAction.DELIVER)) {
                        t.deliveryStatus = "DELIVERED";
                        changes.transition(t, TaskAction.DELIVER, system,
                                "delivered by " + d.getProtocol() + " after " + d.getAttempts() + " attempt(s)",
                                new TaskChanges.Extras(null, null, null, d.getMessageLogId()));
                    } else if (!"DELIVERED".equals(t.deliveryStatus)) {
                        t.deliveryStatus = "DELIVERED";
                        store.update(t);
                    }
                }
                case PARKED -> {
                    if (Transitions.allows(t.status, TaskAction.DELIVERY_SETBACK)) {
                        t.deliveryStatus = "PARKED";
                        changes.record(t, "delivery.parked", t.status, system, d.getReason(), TaskChanges.Extras.none(),
                                false);
                    }
                }
                case FAILED -> {
                    if (Transitions.allows(t.status, TaskAction.DELIVERY_SETBACK) && !"PENDING".equals(t.deliveryStatus)) {
                        t.deliveryStatus = "PENDING";
                        store.update(t);
                    }
                }
            }
            return true;
        });
        return Boolean.TRUE.equals(applied);
    }
}
