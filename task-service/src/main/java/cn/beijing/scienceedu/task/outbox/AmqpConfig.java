package cn.beijing.scienceedu.task.outbox;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the task-service declares on the broker: its own exchange {@code hub.task-events}, and the dead-letter
 * side of its consumer (direct exchange {@code hub.dlx}, queue {@code hub.delivery-events.task-service.dlq}
 * bound with the queue's name), as the conventions require for both RabbitMQ and the embedded Qpid.
 */
@Configuration
@EnableConfigurationProperties(OutboxProperties.class)
class AmqpConfig {

    static final String DELIVERY_QUEUE = "hub.delivery-events.task-service";

    @Bean
    Declarables taskServiceDeclarables(OutboxProperties props, @Value("${hub.queue-type:classic}") String queueType) {
        TopicExchange events = new TopicExchange(props.getExchange(), true, false);
        DirectExchange dlx = new DirectExchange("hub.dlx", true, false);
        QueueBuilder qb = QueueBuilder.durable(DELIVERY_QUEUE + ".dlq");
        if ("quorum".equalsIgnoreCase(queueType)) {
            qb.quorum();
        }
        Queue dlq = qb.build();
        Binding binding = BindingBuilder.bind(dlq).to(dlx).with(DELIVERY_QUEUE);
        return new Declarables(events, dlx, dlq, binding);
    }
}
