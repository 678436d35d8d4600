package cn.beijing.scienceedu.adapters.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import cn.beijing.scienceedu.adapters.outbound.Delivery;
import cn.beijing.scienceedu.contracts.events.DeliveryOutcomeData;
import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.platform.events.CloudEventReader;
import cn.beijing.scienceedu.platform.events.CloudEventWriter;
import cn.beijing.scienceedu.platform.events.HubEvent;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The {@code delivery.*} events as the task-service and reporting read them (no broker, no Spring): written by
 * platform's {@link CloudEventWriter} with this service's source, one structured message per outcome on
 * {@code hub.delivery-events} with the outcome as routing key; receipts to bureaus are no task deliveries.
 */
class DeliveryEventsTest {

    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    record Sent(String exchange, String routingKey, Message message) {
    }

    /** Records what is sent instead of sending it; every send confirmed at once. */
    static final class RecordingTemplate extends RabbitTemplate {

        final List<Sent> sent = new CopyOnWriteArrayList<>();

        @Override
        public <T> T invoke(OperationsCallback<T> action, com.rabbitmq.client.ConfirmCallback acks,
                com.rabbitmq.client.ConfirmCallback nacks) {
            return action.doInRabbit(this);
        }

        @Override
        public void send(String exchange, String routingKey, Message message) {
            sent.add(new Sent(exchange, routingKey, message));
        }

        @Override
        public void waitForConfirmsOrDie(long timeout) {
        }
    }

    final RecordingTemplate rabbit = new RecordingTemplate();
    final DeliveryEvents events = new DeliveryEvents(rabbit,
            new CloudEventWriter(JsonMapper.builder().build(), source()));

    @AfterEach
    void stop() throws InterruptedException {
        events.destroy();
    }

    @Test
    void anOutcomeIsAStructuredCloudEventOfThisServiceAboutTheTask() {
        Delivery d = delivery("evt-1", 3L, TRACEPARENT);
        events.publish(d, DeliveryOutcomeData.Outcome.SUCCEEDED, 2, null, null, "ref-9");
        List<Sent> sent = sent(1);

        Sent s = sent.get(0);
        assertThat(s.exchange()).isEqualTo(EventTypes.DELIVERY_EXCHANGE);
        assertThat(s.routingKey()).isEqualTo(EventTypes.DELIVERY_SUCCEEDED);
        var p = s.message().getMessageProperties();
        assertThat(p.getContentType()).isEqualTo("application/cloudevents+json");
        assertThat(p.getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat((String) p.getHeader("traceparent")).isEqualTo(TRACEPARENT);

        HubEvent e = CloudEventReader.standard().readAmqp(s.message());
        assertThat(p.getMessageId()).isEqualTo(e.id());
        assertThat(e.mode()).isEqualTo(HubEvent.Mode.STRUCTURED);
        assertThat(e.specVersion()).isEqualTo("1.0");
        assertThat(e.type()).isEqualTo("cn.beijing.scienceedu.hub.delivery.succeeded.v1");
        assertThat(e.routingKey()).isEqualTo(EventTypes.DELIVERY_SUCCEEDED);
        assertThat(e.source()).isEqualTo("/bureau-adapters");
        assertThat(e.subject()).isEqualTo("T-SJW-1");
        assertThat(e.sequence()).isEqualTo(3L);
        assertThat(e.traceparent()).isEqualTo(TRACEPARENT);
        assertThat(e.dataContentType()).isEqualTo("application/json");
        assertThat(e.time()).isNotNull();
        DeliveryOutcomeData data = e.dataAs(DeliveryOutcomeData.class);
        assertThat(data.getDeliveryId()).isEqualTo("d-1");
        assertThat(data.getSourceEventId()).isEqualTo("evt-1");
        assertThat(data.getSourceEventType()).isEqualTo(EventTypes.typeOf(EventTypes.TASK_DISPATCHED));
        assertThat(data.getTaskId()).isEqualTo("T-SJW-1");
        assertThat(data.getUnitCode()).isEqualTo("SJW");
        assertThat(data.getProtocol()).isEqualTo(DeliveryOutcomeData.Protocol.REST);
        assertThat(data.getMessageKind()).isEqualTo(DeliveryOutcomeData.MessageKind.ASSIGNMENT);
        assertThat(data.getOutcome()).isEqualTo(DeliveryOutcomeData.Outcome.SUCCEEDED);
        assertThat(data.getAttempts()).isEqualTo(2);
        assertThat(data.getBureauReference()).isEqualTo("ref-9");
        assertThat(data.getAt()).isNotNull();
        assertThat(new String(s.message().getBody(), StandardCharsets.UTF_8)).doesNotContain("\"reason\"")
                .doesNotContain("\"lastError\"");
    }

    @Test
    void eachOutcomeHasItsRoutingKeyAndReceiptsAreNotAnnounced() {
        Delivery receipt = delivery(null, null, null);
        Delivery d = delivery("evt-2", null, null);
        events.publishAll(List.of(
                new DeliveryEvents.Outcome(receipt, DeliveryOutcomeData.Outcome.SUCCEEDED, 1, null, null, null),
                new DeliveryEvents.Outcome(d, DeliveryOutcomeData.Outcome.FAILED, 1, "bureau down", "503", null),
                new DeliveryEvents.Outcome(d, DeliveryOutcomeData.Outcome.PARKED, 4, "rejected", "400", null)));
        List<Sent> sent = sent(2);
        assertThat(sent).extracting(Sent::routingKey)
                .containsExactly(EventTypes.DELIVERY_FAILED, EventTypes.DELIVERY_PARKED);
        for (Sent s : sent) {
            HubEvent e = CloudEventReader.standard().readAmqp(s.message());
            assertThat(e.routingKey()).isEqualTo(s.routingKey());
            // no version and no trace context: neither attribute nor header
            assertThat(e.sequence()).isNull();
            assertThat(e.traceparent()).isNull();
            assertThat(s.message().getMessageProperties().getHeaders()).doesNotContainKey("traceparent");
        }
        assertThat(CloudEventReader.standard().readAmqp(sent.get(1).message()).dataAs(DeliveryOutcomeData.class)
                .getReason()).isEqualTo("rejected");
        assertThat(CloudEventReader.standard().readAmqp(sent.get(0).message()).id())
                .isNotEqualTo(CloudEventReader.standard().readAmqp(sent.get(1).message()).id());
    }

    private List<Sent> sent(int n) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> events.idle() && rabbit.sent.size() >= n);
        assertThat(rabbit.sent).hasSize(n);
        return rabbit.sent;
    }

    private static Delivery delivery(String sourceEventId, Long version, String traceparent) {
        String type = sourceEventId == null ? null : EventTypes.typeOf(EventTypes.TASK_DISPATCHED);
        return new Delivery("d-1", 1L, sourceEventId, type, "SJW", "T-SJW-1", version, "ASSIGNMENT", "REST", "{}",
                traceparent, "PENDING", 0, Instant.now(), null, null, null, null, Instant.now(), Instant.now());
    }

    /** {@code hub.events.source} of application.yml: the source the delivery events have always had. */
    private static String source() {
        try (InputStream in = DeliveryEventsTest.class.getResourceAsStream("/application.yml")) {
            JsonNode yml = YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build()
                    .readValue(in, JsonNode.class);
            return yml.at("/hub/events/source").asString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
