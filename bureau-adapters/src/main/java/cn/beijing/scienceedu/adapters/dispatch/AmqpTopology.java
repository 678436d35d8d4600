package cn.beijing.scienceedu.adapters.dispatch;

import java.util.ArrayList;
import java.util.List;

import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;
import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.platform.queues.HubQueues;

/**
 * What this service declares on the broker, every queue durable and of the type {@code hub.queue-type} through
 * platform's {@link HubQueues}: the dead-letter side of its consumer (direct exchange {@code hub.dlx}, queue
 * {@code hub.task-events.adapters.dlq} bound with the queue's name — conventions: binder republish, no queue
 * arguments), the {@code hub.delivery-events} topic exchange, and per AMQP bureau its inbox queue and its reply queue
 * (single active consumer). The binder's side (republish to {@code hub.dlx}, the consumer queue's type) comes from
 * platform too: {@code hub.queue-bindings} in application.yml.
 */
@Configuration(proxyBeanMethods = false)
public class AmqpTopology {

    /** The consumer queue of {@code taskEvents-in-0}: {@code hub.task-events.adapters}. */
    public static final String TASK_EVENTS_QUEUE = HubQueues.queueName(EventTypes.TASK_EXCHANGE, "adapters");

    @Bean
    public Declarables adapterDeclarables(BureauRegistry registry, HubQueues queues) {
        List<Declarable> d = new ArrayList<>(queues.deadLetters(TASK_EVENTS_QUEUE).getDeclarables());
        d.add(new TopicExchange(EventTypes.DELIVERY_EXCHANGE, true, false));
        for (Bureau b : registry.byProtocol(Protocol.AMQP)) {
            d.add(queues.durable(b.inboxQueue()));
            // one replica reads a bureau's replies at a time
            d.add(queues.builder(b.replyQueue()).singleActiveConsumer().build());
        }
        return new Declarables(d);
    }
}
