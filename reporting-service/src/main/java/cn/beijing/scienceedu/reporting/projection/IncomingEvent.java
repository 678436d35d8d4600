package cn.beijing.scienceedu.reporting.projection;

import java.time.OffsetDateTime;

import cn.beijing.scienceedu.contracts.events.CloudEventEnvelope;
import tools.jackson.databind.JsonNode;

/**
 * A CloudEvent as received, with the routing key it came with and the raw JSON; {@code data} is the event's data
 * as parsed (the envelope's own {@code data} is left empty: it is read from here as its type).
 */
record IncomingEvent(String routingKey, CloudEventEnvelope envelope, String json, OffsetDateTime receivedAt,
        JsonNode data) {
}
