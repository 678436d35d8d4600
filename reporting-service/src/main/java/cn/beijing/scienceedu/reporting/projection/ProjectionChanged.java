package cn.beijing.scienceedu.reporting.projection;

/**
 * Published (Spring application event) after an event changed the read models of {@code policyId} (null: of
 * every policy — a rebuild, a school import).
 */
public record ProjectionChanged(String eventId, String routingKey, String policyId) {
}
