package cn.beijing.scienceedu.platform.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.messaging.support.MessageBuilder;

import cn.beijing.scienceedu.contracts.events.DeliveryOutcomeData;

/** Each way a message can fail to be a hub CloudEvent is a {@link MalformedEventException} that says which. */
class MalformedEventTest {

    static final CloudEventReader READER = CloudEventReader.standard();
    static final String TYPE = "\"type\":\"cn.beijing.scienceedu.hub.task.planned.v1\"";

    @Test
    void notJson() {
        assertThatThrownBy(() -> READER.readStructured("{\"this is\": \"not a cloud event\""))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("not JSON")
                .hasMessageContaining("this is");
        assertThatThrownBy(() -> READER.read("{not json".getBytes(StandardCharsets.UTF_8), Map.of(), "delivery.failed"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("not JSON");
    }

    @Test
    void notAnObject() {
        assertThatThrownBy(() -> READER.readStructured("[1,2]")).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("JSON object").hasMessageContaining("array");
        assertThatThrownBy(() -> READER.readStructured("\"text\"")).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("JSON object");
    }

    @Test
    void emptyBody() {
        assertThatThrownBy(() -> READER.read(new byte[0], Map.of(), null)).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> READER.readStructured((String) null)).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> READER.readStructured("   ")).isInstanceOf(MalformedEventException.class);
    }

    @Test
    void withoutId() {
        assertThatThrownBy(() -> READER.readStructured("{" + TYPE + "}")).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("without id");
        assertThatThrownBy(() -> READER.readStructured("{\"id\":\" \"," + TYPE + "}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("without id");
    }

    @Test
    void withoutType() {
        assertThatThrownBy(() -> READER.readStructured("{\"id\":\"e1\"}"))
                .isInstanceOf(MalformedEventException.class).hasMessage("event e1: CloudEvent without type")
                .extracting(e -> ((MalformedEventException) e).eventId()).isEqualTo("e1");
    }

    @Test
    void aTypeThatIsNotTheHubsWithoutARoutingKey() {
        assertThatThrownBy(() -> READER.readStructured("{\"id\":\"e1\",\"type\":\"com.example.other\"}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("not a hub event type")
                .hasMessageContaining("cn.beijing.scienceedu.hub.<routing key>.v1");
        assertThatThrownBy(() -> READER.readStructured("{\"id\":\"e1\",\"type\":\"cn.beijing.scienceedu.hub..v1\"}"))
                .isInstanceOf(MalformedEventException.class);
        // with the routing key it came with, it is read (as it was before the platform reader)
        assertThat(READER.readStructured("{\"id\":\"e1\",\"type\":\"com.example.other\"}", "task.planned").routingKey())
                .isEqualTo("task.planned");
    }

    @Test
    void aTimeThatIsNoDateTime() {
        assertThatThrownBy(() -> READER.readStructured("{\"id\":\"e1\"," + TYPE + ",\"time\":\"yesterday\"}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("time 'yesterday'");
        assertThatThrownBy(() -> READER.readStructured("{\"id\":\"e1\"," + TYPE + ",\"time\":\"2025-01-01T00:00:00\"}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("RFC 3339");
    }

    @Test
    void aSequenceThatIsNoInteger() {
        assertThatThrownBy(() -> READER.readStructured("{\"id\":\"e1\"," + TYPE + ",\"sequence\":1.5}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("sequence '1.5'");
        assertThatThrownBy(() -> READER.read(new byte[0], Map.of("ce-id", "e1",
                "ce-type", "cn.beijing.scienceedu.hub.task.planned.v1", "ce-sequence", "seven"), null))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("sequence 'seven'");
    }

    @Test
    void anAttributeThatIsAnObject() {
        assertThatThrownBy(() -> READER.readStructured("{\"id\":\"e1\"," + TYPE + ",\"subject\":{\"a\":1}}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("subject is not a single value");
    }

    @Test
    void dataBase64ThatIsNotBase64() {
        assertThatThrownBy(() -> READER.readStructured("{\"id\":\"e1\"," + TYPE + ",\"data_base64\":\"%%%\"}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("data_base64");
    }

    @Test
    void dataThatIsNotTheTypeAskedFor() {
        HubEvent e = READER.readStructured("{\"id\":\"e1\"," + TYPE + ",\"data\":{\"attempts\":\"many\"}}");
        assertThatThrownBy(() -> e.dataAs(DeliveryOutcomeData.class)).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("event e1: data is not a DeliveryOutcomeData");
    }

    @Test
    void noDataWhereDataIsAskedFor() {
        HubEvent e = READER.readStructured("{\"id\":\"e1\"," + TYPE + ",\"data\":null}");
        assertThat(e.hasData()).isFalse();
        assertThat(e.data()).isNull();
        assertThatThrownBy(() -> e.dataAs(DeliveryOutcomeData.class)).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("without data");
    }

    @Test
    void binaryDataThatIsNotJson() {
        Map<String, Object> headers = Map.of("ce-id", "e1", "ce-type", "cn.beijing.scienceedu.hub.task.planned.v1");
        HubEvent e = READER.read("{broken".getBytes(StandardCharsets.UTF_8), headers, null);
        assertThatThrownBy(e::data).isInstanceOf(MalformedEventException.class).hasMessageContaining("data is not JSON");
        assertThatThrownBy(() -> e.dataAs(DeliveryOutcomeData.class)).isInstanceOf(MalformedEventException.class);

        HubEvent text = READER.read("plain".getBytes(StandardCharsets.UTF_8), Map.of("ce-id", "e2",
                "ce-type", "cn.beijing.scienceedu.hub.task.planned.v1", "ce-datacontenttype", "text/plain"), null);
        assertThatThrownBy(text::data).isInstanceOf(MalformedEventException.class).hasMessageContaining("text/plain");
        assertThat(READER.readStructured(text.json()).dataBytes()).isEqualTo("plain".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPayloadThatIsNeitherBytesNorText() {
        assertThatThrownBy(() -> READER.read(MessageBuilder.withPayload(Map.of("id", "e1")).build()))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("java.util");
    }
}
