package cn.beijing.scienceedu.platform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import cn.beijing.scienceedu.contracts.events.DeliveryOutcomeData;
import cn.beijing.scienceedu.contracts.events.EventTypes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the writer writes the reader reads back, in both content modes and in the shapes consumers receive it. */
class CloudEventRoundTripTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final CloudEventWriter WRITER = new CloudEventWriter(JSON, "/bureau-adapters");
    static final CloudEventReader READER = new CloudEventReader(JSON);
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final OffsetDateTime AT = OffsetDateTime.parse("2025-03-04T05:06:07.123456Z");

    private static final String BASE = "https://scienceedu.beijing.cn/hub/events/";
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
            b -> b.schemaMappers(m -> m.mapPrefix(BASE, "classpath:events/")));

    static DeliveryOutcomeData outcome() {
        return new DeliveryOutcomeData().withDeliveryId("d-1").withSourceEventId("e-0").withTaskId("bj-2024.M04.SJW")
                .withUnitCode("SJW").withProtocol(DeliveryOutcomeData.Protocol.REST)
                .withMessageKind(DeliveryOutcomeData.MessageKind.ASSIGNMENT)
                .withOutcome(DeliveryOutcomeData.Outcome.SUCCEEDED).withAttempts(2).withAt(AT);
    }

    static CloudEventWriter.Draft draft() {
        return WRITER.event(EventTypes.DELIVERY_SUCCEEDED).id("ev-1").time(AT).subject("bj-2024.M04.SJW").sequence(7L)
                .traceparent(TRACEPARENT).correlationId("corr-9").messageLogId("log-3").data(outcome());
    }

    @Test
    void aStructuredEventReadsBackWithEveryAttributeAndItsData() {
        String json = draft().toJson();

        HubEvent e = READER.readStructured(json);

        assertThat(e.mode()).isEqualTo(HubEvent.Mode.STRUCTURED);
        assertThat(e.id()).isEqualTo("ev-1");
        assertThat(e.type()).isEqualTo("cn.beijing.scienceedu.hub.delivery.succeeded.v1");
        assertThat(e.routingKey()).isEqualTo("delivery.succeeded");
        assertThat(e.source()).isEqualTo("/bureau-adapters");
        assertThat(e.subject()).isEqualTo("bj-2024.M04.SJW");
        assertThat(e.time()).isEqualTo(AT);
        assertThat(e.sequence()).isEqualTo(7L);
        assertThat(e.traceparent()).isEqualTo(TRACEPARENT);
        assertThat(e.correlationId()).isEqualTo("corr-9");
        assertThat(e.messageLogId()).isEqualTo("log-3");
        assertThat(e.specVersion()).isEqualTo("1.0");
        assertThat(e.dataContentType()).isEqualTo("application/json");
        assertThat(e.dataSchema()).isEqualTo("events/delivery.succeeded.schema.json");
        assertThat(e.dataAs(DeliveryOutcomeData.class)).isEqualTo(outcome());
        assertThat(e.data().get("taskId").asString()).isEqualTo("bj-2024.M04.SJW");
        assertThat(e.json()).isSameAs(json);
    }

    @Test
    void theStructuredEnvelopeMeetsTheContractsSchemasInTheirOrder() {
        String json = draft().toJson();

        assertThat(validate("cloud-event", json)).isEmpty();
        JsonNode tree = JSON.readTree(json);
        assertThat(validate("delivery.succeeded", tree.get("data").toString())).isEmpty();
        assertThat(List.copyOf(tree.propertyNames())).containsExactly("specversion", "id", "source", "type", "time",
                "subject", "datacontenttype", "dataschema", "traceparent", "correlationid", "messagelogid", "sequence",
                "data");
        assertThat(tree.get("sequence").isIntegralNumber()).isTrue();
    }

    @Test
    void absentAttributesAreLeftOutAndANewEventGetsAnIdAndTheTimeNow() {
        CloudEventWriter.Draft d = WRITER.event(EventTypes.POLICY_IMPORTED);
        JsonNode tree = JSON.readTree(d.toJson());

        assertThat(List.copyOf(tree.propertyNames())).containsExactly("specversion", "id", "source", "type", "time",
                "datacontenttype", "dataschema");
        assertThat(d.id()).isNotBlank();
        assertThat(d.time()).isAfter(OffsetDateTime.now().minusMinutes(1));
        assertThat(READER.readStructured(d.toJson()).hasData()).isFalse();
    }

    @Test
    void aBinaryEventReadsBackAndPutsItsEnvelopeTogether() {
        CloudEventWriter.Draft d = draft();

        HubEvent e = READER.read(d.dataJson(), d.toBinaryHeaders(), null);

        assertThat(e.mode()).isEqualTo(HubEvent.Mode.BINARY);
        assertThat(e.id()).isEqualTo("ev-1");
        assertThat(e.routingKey()).isEqualTo("delivery.succeeded");
        assertThat(e.time()).isEqualTo(AT);
        assertThat(e.sequence()).isEqualTo(7L);
        assertThat(e.traceparent()).isEqualTo(TRACEPARENT);
        assertThat(e.dataAs(DeliveryOutcomeData.class)).isEqualTo(outcome());
        assertThat(e.data()).isSameAs(e.data());
        HubEvent again = READER.readStructured(e.json());
        assertThat(again.attributes()).isEqualTo(e.attributes());
        assertThat(again.dataAs(DeliveryOutcomeData.class)).isEqualTo(outcome());
        assertThat(validate("cloud-event", e.json())).isEmpty();
    }

    @Test
    void whatSpringCloudFunctionHandsAConsumerIsReadAsBinary() {
        // structured in, binary out: ce- headers (sequence an Integer), the content type still cloudevents, data alone
        Message<byte[]> m = MessageBuilder.withPayload(JSON.writeValueAsBytes(outcome()))
                .setHeader("ce-id", "ev-1").setHeader("ce-specversion", "1.0")
                .setHeader("ce-type", "cn.beijing.scienceedu.hub.delivery.succeeded.v1")
                .setHeader("ce-source", "/bureau-adapters").setHeader("ce-time", "2025-03-04T05:06:07.123456Z")
                .setHeader("ce-sequence", 7).setHeader("ce-datacontenttype", "application/json")
                .setHeader("contentType", "application/cloudevents+json")
                .setHeader("amqp_receivedRoutingKey", "delivery.succeeded").build();

        HubEvent e = READER.read(m);

        assertThat(e.mode()).isEqualTo(HubEvent.Mode.BINARY);
        assertThat(e.sequence()).isEqualTo(7L);
        assertThat(e.time()).isEqualTo(AT);
        assertThat(e.dataAs(DeliveryOutcomeData.class).getTaskId()).isEqualTo("bj-2024.M04.SJW");
    }

    @Test
    void theMessageAsItCameOffTheQueueWinsOverTheConvertedPayload() {
        String json = draft().toJson();
        MessageProperties raw = new MessageProperties();
        raw.setContentType(CloudEventWriter.STRUCTURED_CONTENT_TYPE);
        raw.setReceivedRoutingKey("delivery.succeeded");
        org.springframework.amqp.core.Message source = new org.springframework.amqp.core.Message(
                json.getBytes(StandardCharsets.UTF_8), raw);
        Message<byte[]> converted = MessageBuilder.withPayload("{\"only\":\"data\"}".getBytes(StandardCharsets.UTF_8))
                .setHeader("sourceData", source).setHeader("ce-id", "other").build();

        HubEvent e = READER.read(converted);

        assertThat(e.mode()).isEqualTo(HubEvent.Mode.STRUCTURED);
        assertThat(e.id()).isEqualTo("ev-1");
        assertThat(e.json()).isEqualTo(json);
    }

    @Test
    void aStructuredPayloadWithoutSourceDataIsReadFromThePayload() {
        Message<String> m = MessageBuilder.withPayload(draft().toJson()).build();

        assertThat(READER.read(m).id()).isEqualTo("ev-1");
    }

    @Test
    void attributeHeadersOfEveryBindingAndCaseAreRead() {
        byte[] data = JSON.writeValueAsBytes(outcome());
        for (String prefix : List.of("ce-", "ce_", "cloudEvents:", "cloudEvents_", "CE-")) {
            Map<String, Object> headers = new HashMap<>();
            headers.put(prefix + "id", "ev-" + prefix);
            headers.put(prefix + "type", "cn.beijing.scienceedu.hub.delivery.succeeded.v1");
            headers.put(prefix + "sequence", "12".getBytes(StandardCharsets.UTF_8));
            HubEvent e = READER.read(data, headers, null);
            assertThat(e.id()).as(prefix).isEqualTo("ev-" + prefix);
            assertThat(e.sequence()).as(prefix).isEqualTo(12L);
        }
    }

    @Test
    void anAmqpMessageIsReadWithItsHeadersAndRoutingKey() {
        MessageProperties p = new MessageProperties();
        p.setReceivedRoutingKey("legacy.kind");
        p.setHeader("cloudEvents:id", "ev-9");
        p.setHeader("cloudEvents:type", "org.example.legacy");
        org.springframework.amqp.core.Message m = new org.springframework.amqp.core.Message(new byte[0], p);

        HubEvent e = READER.readAmqp(m);

        assertThat(e.routingKey()).isEqualTo("legacy.kind");
        assertThat(e.hasData()).isFalse();
    }

    @Test
    void structuredDataMayComeAsBase64() {
        String data = java.util.Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(outcome()));
        HubEvent e = READER.readStructured("{\"id\":\"b\",\"type\":\"cn.beijing.scienceedu.hub.delivery.succeeded.v1\","
                + "\"data_base64\":\"" + data + "\"}");

        assertThat(e.dataAs(DeliveryOutcomeData.class)).isEqualTo(outcome());
    }

    @Test
    void anEnvelopeHeldAsAnObjectIsReadLikeItsJson() {
        Map<String, Object> envelope = new LinkedHashMap<>(JSON.readValue(draft().toJson(), Map.class));

        HubEvent e = READER.fromValue(envelope, "delivery.succeeded");

        assertThat(e.id()).isEqualTo("ev-1");
        assertThat(e.dataAs(DeliveryOutcomeData.class)).isEqualTo(outcome());
    }

    @Test
    void aTraceparentNotOfTheW3cFormIsLeftOut() {
        CloudEventWriter.Draft d = WRITER.event(EventTypes.TASK_PLANNED).traceparent("not-a-trace");

        assertThat(d.traceparent()).isNull();
        assertThat(JSON.readTree(d.toJson()).has("traceparent")).isFalse();
    }

    @Test
    void onlyTheHubsRoutingKeysAreWritten() {
        assertThatThrownBy(() -> WRITER.event("task.exploded")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task.exploded");
        assertThatThrownBy(() -> new CloudEventWriter(JSON, " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAmqpMessageOfAStructuredEventIsAsTheHubPublishesIt() {
        org.springframework.amqp.core.Message m = CloudEventWriter.structuredMessage("ev-1", draft().toJsonBytes(),
                TRACEPARENT);

        assertThat(m.getMessageProperties().getContentType()).isEqualTo("application/cloudevents+json");
        assertThat(m.getMessageProperties().getContentEncoding()).isEqualTo("UTF-8");
        assertThat(m.getMessageProperties().getMessageId()).isEqualTo("ev-1");
        assertThat(m.getMessageProperties().getDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat((String) m.getMessageProperties().getHeader("traceparent")).isEqualTo(TRACEPARENT);
        assertThat(READER.readAmqp(m).id()).isEqualTo("ev-1");
    }

    static List<ValidationMessage> validate(String schema, String json) {
        return List.copyOf(SCHEMAS.getSchema(SchemaLocation.of(BASE + schema + ".schema.json"))
                .validate(json, InputFormat.JSON));
    }
}
