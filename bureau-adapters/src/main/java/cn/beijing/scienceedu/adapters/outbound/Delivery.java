package cn.beijing.scienceedu.adapters.outbound;

import java.time.Instant;

/**
 * One row of the durable outbox to bureaus: what {@link OutboundGateway} sends. Queued, drained and recorded by the
 * {@code dispatch} package ({@code DeliveryStore}, {@code Dispatcher}); shown and replayed by {@code operations}.
 */
public record Delivery(String id, long enqueueSeq, String sourceEventId, String sourceEventType, String unitCode,
        String taskId, Long taskVersion, String kind, String protocol, String payload, String traceparent,
        String status, int attempts, Instant nextAttemptAt, String reason, String lastError, String bureauReference,
        String discardReason, Instant createdAt, Instant updatedAt) {

    public enum Status { PENDING, DELIVERED, PARKED, DISCARDED }
}
