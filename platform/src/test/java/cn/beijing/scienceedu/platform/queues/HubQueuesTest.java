package cn.beijing.scienceedu.platform.queues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.mock.env.MockEnvironment;

/** hub.queue-type decides every declared queue's type; the dead-letter side is hub.dlx and <queue>.dlq keyed by the queue. */
class HubQueuesTest {

    @Test
    void theQueueTypeIsClassicOrQuorumInAnyCaseAndClassicWhenUnset() {
        assertThat(QueueType.parse("quorum")).isEqualTo(QueueType.QUORUM);
        assertThat(QueueType.parse(" Quorum ")).isEqualTo(QueueType.QUORUM);
        assertThat(QueueType.parse("CLASSIC")).isEqualTo(QueueType.CLASSIC);
        assertThat(QueueType.parse(null)).isEqualTo(QueueType.CLASSIC);
        assertThat(QueueType.parse("")).isEqualTo(QueueType.CLASSIC);
        assertThat(QueueType.QUORUM.value()).isEqualTo("quorum");
    }

    @Test
    void anUnknownQueueTypeIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> QueueType.parse("fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hub.queue-type").hasMessageContaining("HUB_QUEUE_TYPE").hasMessageContaining("'fast'");
    }

    @Test
    void thePropertyWinsOverTheVariableWhichWinsOverTheDefault() {
        assertThat(HubQueues.from(new MockEnvironment()).type()).isEqualTo(QueueType.CLASSIC);
        assertThat(HubQueues.from(new MockEnvironment().withProperty("HUB_QUEUE_TYPE", "quorum")).type())
                .isEqualTo(QueueType.QUORUM);
        assertThat(HubQueues.from(new MockEnvironment().withProperty("HUB_QUEUE_TYPE", "quorum")
                .withProperty("hub.queue-type", "classic")).type()).isEqualTo(QueueType.CLASSIC);
    }

    @Test
    void aQuorumQueueSaysSoAndAClassicOneHasNoArgument() {
        Queue quorum = HubQueues.of(QueueType.QUORUM).durable("hub.task-events.reporting.dlq");
        Queue classic = HubQueues.of(QueueType.CLASSIC).durable("hub.task-events.reporting.dlq");

        assertThat(quorum.isDurable()).isTrue();
        assertThat(quorum.isExclusive()).isFalse();
        assertThat(quorum.isAutoDelete()).isFalse();
        assertThat(quorum.getArguments()).containsExactly(Map.entry("x-queue-type", "quorum"));
        assertThat(classic.isDurable()).isTrue();
        assertThat(classic.getArguments()).isEmpty();
        assertThat(HubQueues.of(QueueType.QUORUM).builder("bureau.reply").singleActiveConsumer().build().getArguments())
                .containsEntry("x-queue-type", "quorum").containsEntry("x-single-active-consumer", true);
    }

    @Test
    void deadLettersAreTheDirectExchangeAndADlqPerQueueBoundWithTheQueuesName() {
        Declarables d = HubQueues.of(QueueType.QUORUM).deadLetters("hub.task-events.reporting", "hub.delivery-events.reporting");

        DirectExchange dlx = d.getDeclarablesByType(DirectExchange.class).get(0);
        assertThat(dlx.getName()).isEqualTo("hub.dlx");
        assertThat(dlx.isDurable()).isTrue();
        assertThat(dlx.isAutoDelete()).isFalse();
        assertThat(d.getDeclarablesByType(Queue.class)).extracting(Queue::getName)
                .containsExactly("hub.task-events.reporting.dlq", "hub.delivery-events.reporting.dlq");
        assertThat(d.getDeclarablesByType(Queue.class)).allSatisfy(q -> assertThat(q.getArguments())
                .containsEntry("x-queue-type", "quorum").doesNotContainKeys("x-dead-letter-exchange"));
        assertThat(d.getDeclarablesByType(Binding.class)).extracting(Binding::getExchange, Binding::getDestination,
                Binding::getRoutingKey).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("hub.dlx", "hub.task-events.reporting.dlq", "hub.task-events.reporting"),
                        org.assertj.core.groups.Tuple.tuple("hub.dlx", "hub.delivery-events.reporting.dlq",
                                "hub.delivery-events.reporting"));
    }

    @Test
    void theBindersSettingsRepublishToTheDeadLetterExchangeWithTheQueuesName() {
        Map<String, Object> p = HubQueues.binderConsumerProperties("taskEvents-in-0", "hub.task-events.reporting",
                QueueType.QUORUM);

        String c = "spring.cloud.stream.rabbit.bindings.taskEvents-in-0.consumer.";
        assertThat(p).containsEntry(c + "quorum.enabled", true).containsEntry(c + "republish-to-dlq", true)
                .containsEntry(c + "auto-bind-dlq", false).containsEntry(c + "dead-letter-exchange", "hub.dlx")
                .containsEntry(c + "dead-letter-routing-key", "hub.task-events.reporting")
                .containsEntry(c + "declare-dlx", false);
        assertThat(HubQueues.queueName("hub.task-events", "reporting")).isEqualTo("hub.task-events.reporting");
        assertThat(HubQueues.deadLetterQueueOf("hub.task-events.reporting")).isEqualTo("hub.task-events.reporting.dlq");
    }
}
