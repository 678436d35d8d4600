package cn.beijing.scienceedu.reporting.projection;

import java.time.OffsetDateTime;

import cn.beijing.scienceedu.contracts.events.CloudEventEnvelope;

/** A CloudEvent as received, with the routing key it came with and the raw JSON. */
public record IncomingEvent(String routingKey, CloudEventEnvelope envelope, String json, OffsetDateTime receivedAt) {
}
