package cn.beijing.scienceedu.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The AMQP bureaus' side: reads {@code hub.bureau.<unit>.inbox}; answers go to {@code .replies} (see {@link Sender}). */
@Configuration(proxyBeanMethods = false)
public class AmqpBureaus {

    @Bean
    Declarables simBureauQueues(SimBureaus bureaus, @Value("${HUB_QUEUE_TYPE:classic}") String queueType) {
        List<Declarable> d = new ArrayList<>();
        for (SimBureaus.Bureau b : bureaus.byProtocol("AMQP")) {
            Map<String, Object> args = "quorum".equalsIgnoreCase(queueType) ? Map.of("x-queue-type", "quorum") : Map.of();
            d.add(new Queue(b.inboxQueue(), true, false, false, args));
            java.util.Map<String, Object> replyArgs = new java.util.HashMap<>(args);
            replyArgs.put("x-single-active-consumer", true);
            d.add(new Queue(b.replyQueue(), true, false, false, replyArgs));
        }
        return new Declarables(d);
    }

    @Bean
    SimpleMessageListenerContainer simInboxContainer(ConnectionFactory cf, SimBureaus bureaus, Shapes shapes,
            Recorder recorder, Behaviours behaviours) {
        Map<String, SimBureaus.Bureau> byQueue = bureaus.byProtocol("AMQP").stream()
                .collect(Collectors.toMap(SimBureaus.Bureau::inboxQueue, b -> b));
        SimpleMessageListenerContainer c = new SimpleMessageListenerContainer(cf);
        if (byQueue.isEmpty()) {
            c.setAutoStartup(false);
            return c;
        }
        c.setQueueNames(byQueue.keySet().toArray(String[]::new));
        c.setDefaultRequeueRejected(true);
        c.setMessageListener(m -> {
            SimBureaus.Bureau b = byQueue.get(m.getMessageProperties().getConsumerQueue());
            if (behaviours.of(b.code()).mode() == Behaviours.Mode.DOWN) {
                throw new IllegalStateException(b.code() + " is down"); // requeued: the message waits
            }
            behaviours.pause(b.code());
            Shapes.Read read = shapes.readJson(b, bureaus.format(b), m.getBody(), bureaus.charset(b));
            Object tp = m.getMessageProperties().getHeaders().get("traceparent");
            recorder.record(b.code(), "AMQP", read.fields(), read.errors(), null, m.getBody(), tp == null ? null : tp.toString());
        });
        return c;
    }
}
