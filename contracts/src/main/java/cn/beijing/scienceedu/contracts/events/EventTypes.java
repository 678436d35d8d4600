package cn.beijing.scienceedu.contracts.events;

import java.util.List;

/**
 * The event type strings and routing keys of {@code asyncapi.yaml}, in one place for code.
 * Type {@code cn.beijing.scienceedu.hub.<key>.v1} travels with routing key {@code <key>};
 * its data schema is {@code events/<key>.schema.json}. A test keeps this list equal to the AsyncAPI
 * document's channels.
 */
public final class EventTypes {

    public static final String PREFIX = "cn.beijing.scienceedu.hub.";
    public static final String SUFFIX = ".v1";

    /** Topic exchange of the task-service's events (policy.*, task.*). */
    public static final String TASK_EXCHANGE = "hub.task-events";
    /** Topic exchange of bureau-adapters' delivery outcomes (delivery.*). */
    public static final String DELIVERY_EXCHANGE = "hub.delivery-events";
    /** Direct exchange every service's dead-letter queues are bound to (key = the queue's name). */
    public static final String DEAD_LETTER_EXCHANGE = "hub.dlx";

    public static final String POLICY_IMPORTED = "policy.imported";
    public static final String TASK_PLANNED = "task.planned";
    public static final String TASK_DISPATCHED = "task.dispatched";
    public static final String TASK_DELIVERED = "task.delivered";
    public static final String TASK_SIGNED_FOR = "task.signed-for";
    public static final String TASK_PROGRESS_REPORTED = "task.progress-reported";
    public static final String TASK_SUBMITTED = "task.submitted";
    public static final String TASK_ACCEPTED = "task.accepted";
    public static final String TASK_RETURNED = "task.returned";
    public static final String TASK_OVERDUE = "task.overdue";
    public static final String TASK_URGED = "task.urged";
    public static final String TASK_EXTENSION_REQUESTED = "task.extension-requested";
    public static final String TASK_EXTENSION_DECIDED = "task.extension-decided";
    public static final String TASK_DEADLINE_CHANGED = "task.deadline-changed";
    public static final String TASK_CANCELLED = "task.cancelled";
    /** A rating that changed with time alone (the deadline scan), not with a change of the task. */
    public static final String TASK_RATING_CHANGED = "task.rating-changed";
    public static final String DELIVERY_SUCCEEDED = "delivery.succeeded";
    public static final String DELIVERY_FAILED = "delivery.failed";
    public static final String DELIVERY_PARKED = "delivery.parked";

    /** Every routing key, in the order of the AsyncAPI document. */
    public static final List<String> ALL = List.of(POLICY_IMPORTED, TASK_PLANNED, TASK_DISPATCHED, TASK_DELIVERED,
            TASK_SIGNED_FOR, TASK_PROGRESS_REPORTED, TASK_SUBMITTED, TASK_ACCEPTED, TASK_RETURNED, TASK_OVERDUE,
            TASK_URGED, TASK_EXTENSION_REQUESTED, TASK_EXTENSION_DECIDED, TASK_DEADLINE_CHANGED, TASK_CANCELLED,
            TASK_RATING_CHANGED,
            DELIVERY_SUCCEEDED, DELIVERY_FAILED, DELIVERY_PARKED);

    private EventTypes() {
    }

    /** {@code task.signed-for} → {@code cn.beijing.scienceedu.hub.task.signed-for.v1}. */
    public static String typeOf(String routingKey) {
        return PREFIX + routingKey + SUFFIX;
    }

    /** {@code cn.beijing.scienceedu.hub.task.signed-for.v1} → {@code task.signed-for}. */
    public static String routingKeyOf(String type) {
        if (type == null || !type.startsWith(PREFIX) || !type.endsWith(SUFFIX)) {
            throw new IllegalArgumentException("not a hub event type: " + type);
        }
        return type.substring(PREFIX.length(), type.length() - SUFFIX.length());
    }

    /** Classpath location of the data schema of a routing key. */
    public static String dataSchemaOf(String routingKey) {
        return "events/" + routingKey + ".schema.json";
    }
}
