package cn.beijing.scienceedu.reporting.projection;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Consumer;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import cn.beijing.scienceedu.contracts.events.EventTypes;

/**
 * Spring Cloud Stream consumers: {@code taskEvents} on queue {@code hub.task-events.reporting} and
 * {@code deliveryEvents} (delivery.parked) on {@code hub.delivery-events.reporting}. A message that fails
 * three attempts is republished to {@code hub.dlx} with its queue's name as routing key, landing in the
 * {@code <queue>.dlq} declared here.
 */
@Configuration(proxyBeanMethods = false)
class StreamConsumers {

    public static final String TASK_QUEUE = EventTypes.TASK_EXCHANGE + ".reporting";
    public static final String DELIVERY_QUEUE = EventTypes.DELIVERY_EXCHANGE + ".reporting";

    @Bean
    public Consumer<Message<byte[]>> taskEvents(EventParser parser, EventIngestor ingestor) {
        return message -> ingestor.ingest(parser.parse(body(message), routingKey(message), now()));
    }

    @Bean
    public Consumer<Message<byte[]>> deliveryEvents(EventParser parser, EventIngestor ingestor) {
        return message -> ingestor.ingest(parser.parse(body(message), routingKey(message), now()));
    }

    /**
     * The structured-mode CloudEvent exactly as it came off the queue. Spring Cloud Function turns a
     * message whose content type is {@code application/cloudevents+json} into binary mode (payload =
     * data only), so the raw AMQP body (binder header {@code sourceData}) is read instead.
     */
    static byte[] body(Message<byte[]> message) {
        Object source = message.getHeaders().get("sourceData");
        if (source instanceof org.springframework.amqp.core.Message raw && raw.getBody() != null) {
            return raw.getBody();
        }
        return message.getPayload();
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
    public Declarables reportingDeadLetters(@Value("${hub.reporting.quorum-queues:false}") boolean quorum) {
        DirectExchange dlx = new DirectExchange(EventTypes.DEAD_LETTER_EXCHANGE, true, false);
        Queue taskDlq = queue(TASK_QUEUE + ".dlq", quorum);
        Queue deliveryDlq = queue(DELIVERY_QUEUE + ".dlq", quorum);
        Binding b1 = BindingBuilder.bind(taskDlq).to(dlx).with(TASK_QUEUE);
        Binding b2 = BindingBuilder.bind(deliveryDlq).to(dlx).with(DELIVERY_QUEUE);
        return new Declarables(dlx, taskDlq, deliveryDlq, b1, b2);
    }

    private static Queue queue(String name, boolean quorum) {
        QueueBuilder b = QueueBuilder.durable(name);
        return quorum ? b.quorum().build() : b.build();
    }

    private static String routingKey(Message<?> message) {
        Object key = message.getHeaders().get(AmqpHeaders.RECEIVED_ROUTING_KEY);
        return key == null ? null : key.toString();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
