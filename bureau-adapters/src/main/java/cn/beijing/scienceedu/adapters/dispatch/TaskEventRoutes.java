package cn.beijing.scienceedu.adapters.dispatch;

import javax.sql.DataSource;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.platform.events.HubEvent;

/**
 * {@code direct:task-event}: what the Spring Cloud Stream consumer hands over (a {@link HubEvent}, the CloudEvent as
 * platform read it). Deduplicates on the CloudEvent id (Camel idempotent consumer, {@link JdbcMessageIdRepository})
 * and queues the bureau message. A failure propagates back to the binder, which retries and then dead-letters.
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
                .process(x -> x.getIn().setHeader("ceId", x.getIn().getBody(HubEvent.class).id()))
                .idempotentConsumer(header("ceId"), repo)
                .process(x -> x.getIn().setHeader("deliveryId", intake.accept(x.getIn().getBody(HubEvent.class))));
    }
}
