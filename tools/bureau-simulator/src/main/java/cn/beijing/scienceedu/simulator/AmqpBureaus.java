package cn.beijing.scienceedu.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
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

    /**
     * One listener container per AMQP bureau, so that a bureau set DOWN stops reading its own inbox — the messages
     * wait in the queue, as they do when a bureau's consumer is really gone — while the others go on. (One shared
     * container that rejected a DOWN bureau's messages back to the queue redelivered them in a hot loop: 1.7 GB of
     * log in ten minutes of the long fault run.)
     */
    @Bean
    SimInboxes simInboxes(ConnectionFactory cf, SimBureaus bureaus, Shapes shapes, Recorder recorder, Behaviours behaviours) {
        Map<String, SimpleMessageListenerContainer> byUnit = new LinkedHashMap<>();
        for (SimBureaus.Bureau b : bureaus.byProtocol("AMQP")) {
            SimpleMessageListenerContainer c = new SimpleMessageListenerContainer(cf);
            c.setQueueNames(b.inboxQueue());
            c.setDefaultRequeueRejected(true);
            c.setAutoStartup(false);
            c.setMessageListener(m -> {
                if (behaviours.of(b.code()).mode() == Behaviours.Mode.DOWN) {
                    // set DOWN while this message was on its way: back to the queue; the container is stopping
                    throw new ImmediateRequeueAmqpException(b.code() + " is down");
                }
                behaviours.pause(b.code());
                Shapes.Read read = shapes.readJson(b, bureaus.format(b), m.getBody(), bureaus.charset(b));
                Object tp = m.getMessageProperties().getHeaders().get("traceparent");
                recorder.record(b.code(), "AMQP", read.fields(), read.errors(), null, m.getBody(), tp == null ? null : tp.toString());
            });
            byUnit.put(b.code(), c);
        }
        SimInboxes inboxes = new SimInboxes(byUnit, behaviours);
        behaviours.onChange(inboxes::follow);
        return inboxes;
    }

    /** Starts and stops the bureaus' inbox containers with the application, and each with its bureau's DOWN mode. */
    static final class SimInboxes implements SmartLifecycle {

        private final Map<String, SimpleMessageListenerContainer> byUnit;
        private final Behaviours behaviours;
        private volatile boolean running;

        SimInboxes(Map<String, SimpleMessageListenerContainer> byUnit, Behaviours behaviours) {
            this.byUnit = byUnit;
            this.behaviours = behaviours;
            byUnit.values().forEach(SimpleMessageListenerContainer::afterPropertiesSet);
        }

        synchronized void follow(String unit, Behaviours.Behaviour behaviour) {
            SimpleMessageListenerContainer c = byUnit.get(unit);
            if (c == null || !running) {
                return;
            }
            if (behaviour.mode() == Behaviours.Mode.DOWN) {
                if (c.isRunning()) {
                    c.stop(() -> { }); // asynchronous: the HTTP call that set DOWN does not wait for the consumer
                }
            } else if (!c.isRunning()) {
                c.start();
            }
        }

        @Override
        public synchronized void start() {
            running = true;
            byUnit.forEach((unit, c) -> {
                if (behaviours.of(unit).mode() != Behaviours.Mode.DOWN) {
                    c.start();
                }
            });
        }

        @Override
        public synchronized void stop() {
            running = false;
            byUnit.values().forEach(SimpleMessageListenerContainer::stop);
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
