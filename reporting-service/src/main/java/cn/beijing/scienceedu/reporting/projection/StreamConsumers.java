package cn.beijing.scienceedu.reporting.projection;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Consumer;

import org.springframework.amqp.core.Declarables;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.platform.events.CloudEventReader;
import cn.beijing.scienceedu.platform.queues.HubQueues;

/**
 * Spring Cloud Stream consumers: {@code taskEvents} on queue {@code hub.task-events.reporting} and
 * {@code deliveryEvents} (delivery.parked) on {@code hub.delivery-events.reporting}. Each message is read once by
 * platform's {@link CloudEventReader} (the message as it came off the queue). A message that fails three attempts —
 * a {@code MalformedEventException} among them — is republished to {@code hub.dlx} with its queue's name as routing
 * key (platform sets the binder so for the bindings of {@code hub.queue-bindings}), landing in the
 * {@code <queue>.dlq} declared here; every queue is of the type {@code hub.queue-type}.
 */
@Configuration(proxyBeanMethods = false)
class StreamConsumers {

    public static final String TASK_QUEUE = HubQueues.queueName(EventTypes.TASK_EXCHANGE, "reporting");
    public static final String DELIVERY_QUEUE = HubQueues.queueName(EventTypes.DELIVERY_EXCHANGE, "reporting");

    @Bean
    public Consumer<Message<byte[]>> taskEvents(CloudEventReader reader, EventIngestor ingestor) {
        return message -> ingestor.ingest(new IncomingEvent(reader.read(message), now()));
    }

    @Bean
    public Consumer<Message<byte[]>> deliveryEvents(CloudEventReader reader, EventIngestor ingestor) {
        return message -> ingestor.ingest(new IncomingEvent(reader.read(message), now()));
    }

    /**
     * Observed listener containers: the {@code traceparent} header the task-service copies into each message
     * continues its trace, so every log line of applying an event carries that trace id.
     */
    @Bean
    public org.springframework.cloud.stream.config.ListenerContainerCustomizer<
            org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer> observedListeners() {
        return (container, destination, group) -> container.setObservationEnabled(true);
    }

    @Bean
    public Declarables reportingDeadLetters(HubQueues queues) {
        return queues.deadLetters(TASK_QUEUE, DELIVERY_QUEUE);
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
