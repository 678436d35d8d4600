package cn.beijing.scienceedu.platform.queues;

import java.util.Locale;

/** The type of every queue a hub service declares ({@code hub.queue-type}, env {@code HUB_QUEUE_TYPE}). */
public enum QueueType {

    /** RabbitMQ's classic queues (a single broker, the embedded broker of the local run). */
    CLASSIC,
    /** Quorum queues: required on a clustered broker. */
    QUORUM;

    /**
     * {@code classic} or {@code quorum}, any case and surrounding blanks; null or blank is {@link #CLASSIC}.
     *
     * @throws IllegalArgumentException for anything else (a typo must not silently give classic queues on a cluster)
     */
    public static QueueType parse(String value) {
        if (value == null || value.isBlank()) {
            return CLASSIC;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "classic" -> CLASSIC;
            case "quorum" -> QUORUM;
            default -> throw new IllegalArgumentException(
                    HubQueues.QUEUE_TYPE_PROPERTY + " (HUB_QUEUE_TYPE) must be classic or quorum, not '" + value + "'");
        };
    }

    /** {@code classic} / {@code quorum}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
