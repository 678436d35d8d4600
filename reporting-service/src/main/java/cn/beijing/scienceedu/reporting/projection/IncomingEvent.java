package cn.beijing.scienceedu.reporting.projection;

import java.time.OffsetDateTime;

import cn.beijing.scienceedu.platform.events.HubEvent;

/**
 * A CloudEvent as received (read once by platform's {@code CloudEventReader}: attributes, routing key from its type,
 * data as a tree until {@link EventIngestor} reads it as its type) and when this service received it.
 */
record IncomingEvent(HubEvent event, OffsetDateTime receivedAt) {

    String routingKey() {
        return event.routingKey();
    }

    /** The structured-mode JSON, as it came (stored in {@code event_log} and replayed from there). */
    String json() {
        return event.json();
    }
}
