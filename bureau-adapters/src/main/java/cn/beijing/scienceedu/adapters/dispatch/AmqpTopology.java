package cn.beijing.scienceedu.adapters.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;

/**
 * What this service declares on the broker: the dead-letter exchange {@code hub.dlx} with its own
 * {@code hub.task-events.adapters.dlq} (conventions: binder republish, no queue arguments), the
 * {@code hub.delivery-events} topic exchange, and per AMQP bureau its inbox and reply queues.
 */
@Configuration(proxyBeanMethods = false)
public class AmqpTopology {

    public static final String DLX = "hub.dlx";
    public static final String TASK_EVENTS_QUEUE = "hub.task-events.adapters";

    @Bean
    public Declarables adapterDeclarables(BureauRegistry registry, @Value("${hub.queue-type:${HUB_QUEUE_TYPE:classic}}") String queueType) {
        List<Declarable> d = new ArrayList<>();
        DirectExchange dlx = new DirectExchange(DLX, true, false);
        Queue dlq = new Queue(TASK_EVENTS_QUEUE + ".dlq", true, false, false, args(queueType, false));
        d.add(dlx);
        d.add(dlq);
        d.add(BindingBuilder.bind(dlq).to(dlx).with(TASK_EVENTS_QUEUE));
        d.add(new TopicExchange(DeliveryEvents.EXCHANGE, true, false));
        for (Bureau b : registry.byProtocol(Protocol.AMQP)) {
            d.add(new Queue(b.inboxQueue(), true, false, false, args(queueType, false)));
            d.add(new Queue(b.replyQueue(), true, false, false, args(queueType, true)));
        }
        return new Declarables(d);
    }

    private static Map<String, Object> args(String queueType, boolean singleActive) {
        Map<String, Object> a = new java.util.HashMap<>();
        if ("quorum".equalsIgnoreCase(queueType)) {
            a.put("x-queue-type", "quorum");
        }
        if (singleActive) {
            a.put("x-single-active-consumer", true); // one replica reads a bureau's replies at a time
        }
        return a;
    }

}
