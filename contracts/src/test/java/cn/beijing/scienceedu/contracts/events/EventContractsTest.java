package cn.beijing.scienceedu.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The event schemas, the generated event types and the AsyncAPI document agree with each other. */
class EventContractsTest {

    private static final String BASE = "https://scienceedu.beijing.cn/hub/events/";
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
            b -> b.schemaMappers(m -> m.mapPrefix(BASE, "classpath:events/")));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static List<String> routingKeys() {
        return EventTypes.ALL;
    }

    @ParameterizedTest
    @MethodSource("routingKeys")
    void everyTypeHasADataSchemaThatLoads(String key) {
        JsonSchema schema = SCHEMAS.getSchema(SchemaLocation.of(BASE + key + ".schema.json"));
        assertThat(schema).isNotNull();
        schema.initializeValidators();
    }

    @Test
    void asyncApiListsExactlyTheKnownTypes() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/asyncapi.yaml")) {
            Map<?, ?> doc = YAMLMapper.builder().build().readValue(in, Map.class);
            List<Object> channels = new ArrayList<>(((Map<?, ?>) doc.get("channels")).keySet());
            assertThat(channels).containsExactlyElementsOf(List.copyOf(EventTypes.ALL));
        }
    }

    @Test
    void aSignForEventBuiltFromTheGeneratedTypesValidates() {
        TaskEventData data = new TaskEventData()
                .withTask(snapshot(TaskStatus.SIGNED_FOR))
                .withChange(new TaskChange().withActor("bureau-adapters").withActorUnit("SJW")
                        .withActorRole(TaskChange.ActorRole.SERVICE)
                        .withFromStatus(TaskStatus.DELIVERED).withToStatus(TaskStatus.SIGNED_FOR)
                        .withAt(OffsetDateTime.parse("2025-01-06T09:30:00+08:00")));
        String envelope = envelope("task.signed-for", data);

        assertThat(validate("cloud-event", envelope)).isEmpty();
        assertThat(validate("task.signed-for", JSON.writeValueAsString(data))).isEmpty();
    }

    @Test
    void aProgressEventWithoutItsReportIsRejected() {
        TaskEventData data = new TaskEventData().withTask(snapshot(TaskStatus.IN_PROGRESS))
                .withChange(new TaskChange().withActor("x").withAt(OffsetDateTime.now()));
        assertThat(validate("task.progress-reported", JSON.writeValueAsString(data)))
                .anySatisfy(m -> assertThat(m.getMessage()).contains("progress"));
    }

    @Test
    void aReturnWithoutReasonIsRejected() {
        TaskEventData data = new TaskEventData().withTask(snapshot(TaskStatus.RETURNED))
                .withChange(new TaskChange().withActor("liaison").withAt(OffsetDateTime.now()));
        assertThat(validate("task.returned", JSON.writeValueAsString(data)))
                .anySatisfy(m -> assertThat(m.getMessage()).contains("reason"));
    }

    @Test
    void aParkedOutcomeNeedsItsReasonAndTheParkedOutcome() {
        DeliveryOutcomeData parked = new DeliveryOutcomeData().withDeliveryId("d-1").withSourceEventId("e-1")
                .withTaskId("bj-sciedu-20-2024.M01.SJW").withUnitCode("SJW")
                .withProtocol(DeliveryOutcomeData.Protocol.SOAP).withMessageKind(DeliveryOutcomeData.MessageKind.ASSIGNMENT)
                .withOutcome(DeliveryOutcomeData.Outcome.SUCCEEDED).withAttempts(1).withAt(OffsetDateTime.now());
        Set<ValidationMessage> errors = validate("delivery.parked", JSON.writeValueAsString(parked));
        assertThat(errors).extracting(ValidationMessage::getMessage)
                .anySatisfy(m -> assertThat(m).contains("reason"))
                .anySatisfy(m -> assertThat(m).contains("outcome"));
    }

    @Test
    void envelopesRejectUnknownAttributesAndBadTraceparents() {
        String bad = "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"t\",\"time\":\"2025-01-01T00:00:00Z\","
                + "\"datacontenttype\":\"application/json\",\"data\":{},\"traceparent\":\"nope\",\"colour\":\"red\"}";
        assertThat(validate("cloud-event", bad)).hasSize(2);
    }

    @Test
    void typeStringsAndRoutingKeysMapBothWays() {
        assertThat(EventTypes.typeOf("task.signed-for")).isEqualTo("cn.beijing.scienceedu.hub.task.signed-for.v1");
        assertThat(EventTypes.routingKeyOf("cn.beijing.scienceedu.hub.delivery.parked.v1")).isEqualTo("delivery.parked");
    }

    private static TaskSnapshot snapshot(TaskStatus status) {
        return new TaskSnapshot().withTaskId("bj-sciedu-20-2024.M01.SJW").withPolicyId("bj-sciedu-20-2024")
                .withMeasureNo(1).withUnitCode("SJW").withRole(TaskSnapshot.Role.LEAD).withStatus(status)
                .withDeadline(LocalDate.of(2025, 12, 31)).withVersion(3);
    }

    private static String envelope(String key, Object data) {
        CloudEventEnvelope e = new CloudEventEnvelope().withSpecversion("1.0")
                .withId("evt-1").withSource("/task-service").withType(EventTypes.typeOf(key))
                .withTime(OffsetDateTime.parse("2025-01-06T09:30:00+08:00")).withSubject("bj-sciedu-20-2024.M01.SJW")
                .withDatacontenttype("application/json")
                .withTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").withSequence(3)
                .withData(JSON.convertValue(data, Map.class));
        return JSON.writeValueAsString(e);
    }

    private static Set<ValidationMessage> validate(String name, String json) {
        return SCHEMAS.getSchema(SchemaLocation.of(BASE + name + ".schema.json")).validate(json, InputFormat.JSON);
    }
}
