package cn.beijing.scienceedu.reporting.projection;

/** Published (Spring application event) after an event changed the read models. */
public record ProjectionChanged(String eventId, String routingKey) {
}
