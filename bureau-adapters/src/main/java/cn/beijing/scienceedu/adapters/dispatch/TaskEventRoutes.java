package cn.beijing.scienceedu.adapters.dispatch;

import javax.sql.DataSource;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.contracts.events.CloudEventEnvelope;

/**
 * {@code direct:task-event}: what the Spring Cloud Stream consumer hands over. Deduplicates on the
 * CloudEvent id (Camel idempotent consumer, {@link JdbcMessageIdRepository}) and queues the bureau
 * message. A failure propagates back to the binder, which retries and then dead-letters.
 */
@Component
public class TaskEventRoutes extends RouteBuilder {

    private final TaskEventIntake intake;
    private final DataSource dataSource;

    public TaskEventRoutes(TaskEventIntake intake, DataSource dataSource) {
        this.intake = intake;
        this.dataSource = dataSource;
    }

    @Override
    public void configure() {
        JdbcMessageIdRepository repo = new JdbcMessageIdRepository(dataSource, "task-events");
        repo.setCreateTableIfNotExists(false);
        from("direct:task-event").routeId("task-event-intake")
                .process(e -> {
                    @SuppressWarnings("unchecked")
                    java.util.Map<String, Object> attributes = e.getIn().getHeader("cloudEventAttributes", java.util.Map.class);
                    CloudEventEnvelope event = intake.parse(e.getIn().getBody(byte[].class), attributes);
                    e.setProperty("event", event);
                    e.getIn().setHeader("ceId", event.getId());
                })
                .idempotentConsumer(header("ceId"), repo)
                .process(e -> e.getIn().setHeader("deliveryId", intake.accept(e.getProperty("event", CloudEventEnvelope.class))));
    }
}
