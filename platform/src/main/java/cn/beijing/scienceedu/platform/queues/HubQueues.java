package cn.beijing.scienceedu.platform.queues;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.core.env.Environment;

import cn.beijing.scienceedu.contracts.events.EventTypes;

/**
 * The hub's queue conventions in one place ({@code docs/conventions.md}, "Events"):
 * <ul>
 * <li>every queue a service declares is durable and of the type {@code hub.queue-type} ({@code HUB_QUEUE_TYPE}:
 * classic or quorum) — {@link #durable(String)}, {@link #builder(String)};</li>
 * <li>dead letters, one strategy on RabbitMQ and the embedded Qpid (which refuses {@code x-dead-letter-*} queue
 * arguments): the Rabbit binder republishes a failed message to the direct exchange
 * {@link EventTypes#DEAD_LETTER_EXCHANGE} with the consumer queue's name as routing key, and the service declares
 * {@code <queue>.dlq} bound with that key — {@link #deadLetters(String...)} declares that side,
 * {@link #binderConsumerProperties} (applied by {@link HubQueuesEnvironment} to the bindings listed in
 * {@code hub.queue-bindings}) sets the binder's.</li>
 * </ul>
 * A bean of the platform's auto-configuration in every service with Spring AMQP; {@link #of(QueueType)} elsewhere.
 */
public final class HubQueues {

    /** {@code classic} or {@code quorum} (env {@code HUB_QUEUE_TYPE} when the property is not set). */
    public static final String QUEUE_TYPE_PROPERTY = "hub.queue-type";
    /** Environment variable read when {@value #QUEUE_TYPE_PROPERTY} is not set. */
    public static final String QUEUE_TYPE_VARIABLE = "HUB_QUEUE_TYPE";
    /** Spring Cloud Stream consumer bindings whose queues follow the type and the dead-letter convention. */
    public static final String BINDINGS_PROPERTY = "hub.queue-bindings";
    /** A consumer queue's dead-letter queue is its name and this. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    private final QueueType type;

    private HubQueues(QueueType type) {
        this.type = type;
    }

    public static HubQueues of(QueueType type) {
        return new HubQueues(type == null ? QueueType.CLASSIC : type);
    }

    /** From {@value #QUEUE_TYPE_PROPERTY}, else {@value #QUEUE_TYPE_VARIABLE}, else classic. */
    public static HubQueues from(Environment env) {
        return of(typeOf(env));
    }

    static QueueType typeOf(Environment env) {
        String value = env.getProperty(QUEUE_TYPE_PROPERTY);
        if (value == null) {
            value = env.getProperty(QUEUE_TYPE_VARIABLE);
        }
        return QueueType.parse(value);
    }

    public QueueType type() {
        return type;
    }

    public boolean quorum() {
        return type == QueueType.QUORUM;
    }

    /** A durable queue of the hub's type, to add arguments to (e.g. {@code singleActiveConsumer()}). */
    public QueueBuilder builder(String name) {
        QueueBuilder b = QueueBuilder.durable(name);
        return quorum() ? b.quorum() : b;
    }

    /** A durable queue of the hub's type ({@code x-queue-type: quorum} for quorum, no argument for classic). */
    public Queue durable(String name) {
        return builder(name).build();
    }

    /**
     * The service's side of the dead-letter convention for its consumer queues: the direct exchange
     * {@link EventTypes#DEAD_LETTER_EXCHANGE} and, per queue, {@code <queue>.dlq} (of the hub's type) bound to it with
     * the queue's name.
     */
    public Declarables deadLetters(String... consumerQueues) {
        List<Declarable> d = new ArrayList<>();
        DirectExchange dlx = new DirectExchange(EventTypes.DEAD_LETTER_EXCHANGE, true, false);
        d.add(dlx);
        for (String queue : consumerQueues) {
            Queue dlq = durable(deadLetterQueueOf(queue));
            Binding binding = BindingBuilder.bind(dlq).to(dlx).with(queue);
            d.add(dlq);
            d.add(binding);
        }
        return new Declarables(d);
    }

    /** {@code <exchange>.<group>}: the queue the Rabbit binder declares for a consumer group. */
    public static String queueName(String exchange, String group) {
        return exchange + "." + group;
    }

    public static String deadLetterQueueOf(String queue) {
        return queue + DEAD_LETTER_SUFFIX;
    }

    /**
     * The Rabbit binder's consumer settings of a binding under the conventions: {@code quorum.enabled} by the type,
     * {@code republish-to-dlq} to {@link EventTypes#DEAD_LETTER_EXCHANGE} with the queue's name as routing key, and
     * neither a DLQ nor the exchange declared by the binder (the service declares them: {@link #deadLetters}).
     */
    public static Map<String, Object> binderConsumerProperties(String binding, String queue, QueueType type) {
        String p = "spring.cloud.stream.rabbit.bindings." + binding + ".consumer.";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(p + "quorum.enabled", type == QueueType.QUORUM);
        m.put(p + "republish-to-dlq", true);
        m.put(p + "auto-bind-dlq", false);
        m.put(p + "dead-letter-exchange", EventTypes.DEAD_LETTER_EXCHANGE);
        m.put(p + "dead-letter-routing-key", queue);
        m.put(p + "declare-dlx", false);
        return m;
    }

    @Override
    public String toString() {
        return "HubQueues[" + type.value() + "]";
    }
}
