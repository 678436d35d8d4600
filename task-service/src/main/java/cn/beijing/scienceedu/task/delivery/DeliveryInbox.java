package cn.beijing.scienceedu.task.delivery;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.function.cloudevent.CloudEventMessageUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.messaging.Message;
import org.springframework.transaction.support.TransactionTemplate;

import cn.beijing.scienceedu.contracts.events.CloudEventEnvelope;
import cn.beijing.scienceedu.contracts.events.DeliveryOutcomeData;
import cn.beijing.scienceedu.task.lifecycle.TaskChanges;
import cn.beijing.scienceedu.task.lifecycle.TaskRecord;
import cn.beijing.scienceedu.task.lifecycle.TaskStore;
import cn.beijing.scienceedu.task.lifecycle.Transitions;
import cn.beijing.scienceedu.task.lifecycle.Transitions.TaskAction;
import cn.beijing.scienceedu.task.security.Caller;
import tools.jackson.databind.json.JsonMapper;

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
    private final JsonMapper json;

    public DeliveryInbox(JdbcTemplate jdbc, TransactionTemplate tx, TaskStore store, TaskChanges changes,
            JsonMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.store = store;
        this.changes = changes;
        this.json = json;
    }

    @Bean
    public Consumer<Message<byte[]>> deliveryEvents() {
        return message -> {
            String body = new String(message.getPayload(), StandardCharsets.UTF_8);
            // Spring Cloud Function turns a structured CloudEvent (application/cloudevents+json) into binary
            // mode before the consumer: attributes in ce- headers, the payload is the data alone
            String id = CloudEventMessageUtils.getId(message);
            if (id != null) {
                apply(id, CloudEventMessageUtils.getType(message), json.readValue(body, DeliveryOutcomeData.class));
            } else {
                apply(body);
            }
        };
    }

    /** Applies one structured-mode CloudEvent; returns false when it was a duplicate or not applicable. */
    public boolean apply(String cloudEventJson) {
        CloudEventEnvelope e = json.readValue(cloudEventJson, CloudEventEnvelope.class);
        return apply(e.getId(), e.getType(), json.convertValue(e.getData(), DeliveryOutcomeData.class));
    }

    /** Applies one delivery outcome, once per event id. */
    public boolean apply(String eventId, String type, DeliveryOutcomeData d) {
        if (eventId == null || d == null || d.getTaskId() == null || d.getOutcome() == null) {
            throw new IllegalArgumentException("not a delivery outcome event (id, taskId and outcome are required)");
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
