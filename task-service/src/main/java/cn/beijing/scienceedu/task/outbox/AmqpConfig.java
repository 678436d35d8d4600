package cn.beijing.scienceedu.task.outbox;

import java.util.ArrayList;
import java.util.List;

import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.platform.queues.HubQueues;

/**
 * What the task-service declares on the broker: its own exchange {@code hub.task-events}, and the dead-letter
 * side of its consumer (direct exchange {@code hub.dlx}, queue {@code hub.delivery-events.task-service.dlq}
 * bound with the queue's name, of the type {@code hub.queue-type}) through platform's {@link HubQueues}, as the
 * conventions require for both RabbitMQ and the embedded Qpid. The binder's side (republish to {@code hub.dlx}, the
 * consumer queue's type) comes from platform too: {@code hub.queue-bindings} in application.yml.
 */
@Configuration
@EnableConfigurationProperties(OutboxProperties.class)
class AmqpConfig {

    static final String DELIVERY_QUEUE = HubQueues.queueName(EventTypes.DELIVERY_EXCHANGE, "task-service");

    @Bean
    Declarables taskServiceDeclarables(OutboxProperties props, HubQueues queues) {
        List<Declarable> d = new ArrayList<>();
        d.add(new TopicExchange(props.getExchange(), true, false));
        d.addAll(queues.deadLetters(DELIVERY_QUEUE).getDeclarables());
        return new Declarables(d);
    }
}
