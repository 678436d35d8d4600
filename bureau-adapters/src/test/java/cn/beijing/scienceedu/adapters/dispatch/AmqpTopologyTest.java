package cn.beijing.scienceedu.adapters.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;

import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;
import cn.beijing.scienceedu.platform.queues.HubQueues;
import cn.beijing.scienceedu.platform.queues.QueueType;

/**
 * What the adapters declare (no broker): every queue durable, of the type {@code hub.queue-type} and with no other
 * argument but the reply queues' single active consumer; the dead-letter side of {@code hub.task-events.adapters}.
 */
class AmqpTopologyTest {

    @Test
    void classicQueuesCarryNoTypeArgument() {
        Map<String, Queue> queues = queues(QueueType.CLASSIC);
        assertThat(queues.keySet()).containsExactly("hub.task-events.adapters.dlq", "hub.bureau.XCB.inbox",
                "hub.bureau.XCB.replies");
        assertThat(queues.get("hub.task-events.adapters.dlq").getArguments()).isEmpty();
        assertThat(queues.get("hub.bureau.XCB.inbox").getArguments()).isEmpty();
        assertThat(queues.get("hub.bureau.XCB.replies").getArguments())
                .containsExactlyEntriesOf(Map.of("x-single-active-consumer", true));
    }

    @Test
    void quorumQueuesAreQuorumEverywhere() {
        Map<String, Queue> queues = queues(QueueType.QUORUM);
        assertThat(queues.get("hub.task-events.adapters.dlq").getArguments())
                .containsExactlyEntriesOf(Map.of("x-queue-type", "quorum"));
        assertThat(queues.get("hub.bureau.XCB.inbox").getArguments())
                .containsExactlyEntriesOf(Map.of("x-queue-type", "quorum"));
        assertThat(queues.get("hub.bureau.XCB.replies").getArguments())
                .containsOnly(Map.entry("x-queue-type", "quorum"), Map.entry("x-single-active-consumer", true));
    }

    @Test
    void theDeadLetterSideAndTheDeliveryExchange() {
        List<Declarable> d = declarables(QueueType.CLASSIC);
        DirectExchange dlx = d.stream().filter(DirectExchange.class::isInstance).map(DirectExchange.class::cast)
                .findFirst().orElseThrow();
        assertThat(dlx.getName()).isEqualTo("hub.dlx");
        assertThat(dlx.isDurable()).isTrue();
        assertThat(dlx.isAutoDelete()).isFalse();
        Binding binding = d.stream().filter(Binding.class::isInstance).map(Binding.class::cast).findFirst()
                .orElseThrow();
        assertThat(binding.getDestination()).isEqualTo("hub.task-events.adapters.dlq");
        assertThat(binding.getExchange()).isEqualTo("hub.dlx");
        assertThat(binding.getRoutingKey()).isEqualTo(AmqpTopology.TASK_EVENTS_QUEUE)
                .isEqualTo("hub.task-events.adapters");
        TopicExchange delivery = d.stream().filter(TopicExchange.class::isInstance).map(TopicExchange.class::cast)
                .findFirst().orElseThrow();
        assertThat(delivery.getName()).isEqualTo("hub.delivery-events");
        assertThat(delivery.isDurable()).isTrue();
        assertThat(delivery.isAutoDelete()).isFalse();
        assertThat(d).hasSize(6);
    }

    private static Map<String, Queue> queues(QueueType type) {
        Map<String, Queue> queues = new LinkedHashMap<>();
        for (Declarable x : declarables(type)) {
            if (x instanceof Queue q) {
                assertThat(q.isDurable()).as(q.getName()).isTrue();
                assertThat(q.isExclusive()).as(q.getName()).isFalse();
                assertThat(q.isAutoDelete()).as(q.getName()).isFalse();
                queues.put(q.getName(), q);
            }
        }
        return queues;
    }

    private static List<Declarable> declarables(QueueType type) {
        BureauRegistry registry = mock(BureauRegistry.class);
        Bureau xcb = new Bureau("XCB", "XCB", "XCB", Protocol.AMQP, null, null, null, null, null, null, null, null);
        when(registry.byProtocol(Protocol.AMQP)).thenReturn(List.of(xcb));
        return List.copyOf(new AmqpTopology().adapterDeclarables(registry, HubQueues.of(type)).getDeclarables());
    }
}
