package cn.beijing.scienceedu.reporting.projection;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.contracts.events.CloudEventEnvelope;
import cn.beijing.scienceedu.contracts.events.DeliveryOutcomeData;
import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.contracts.events.PolicyImportedData;
import cn.beijing.scienceedu.contracts.events.TaskEventData;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads structured-mode CloudEvents (application/cloudevents+json) into the generated contract types. */
@Component
class EventParser {

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public IncomingEvent parse(byte[] body, String routingKey, OffsetDateTime receivedAt) {
        return parse(new String(body, StandardCharsets.UTF_8), routingKey, receivedAt);
    }

    public IncomingEvent parse(String json, String routingKey, OffsetDateTime receivedAt) {
        // one pass over the text: the envelope from the tree without its data, which stays a tree until it is read
        // as its own type (reading it into a Map and converting that was ~a third of the JSON work per event, P6)
        JsonNode tree = mapper.readTree(json);
        if (!(tree instanceof ObjectNode object)) {
            throw new MalformedEventException("CloudEvent is not a JSON object: " + json.substring(0, Math.min(300, json.length())));
        }
        JsonNode data = object.remove("data");
        CloudEventEnvelope envelope = mapper.treeToValue(object, CloudEventEnvelope.class);
        if (envelope.getId() == null || envelope.getType() == null) {
            throw new MalformedEventException("CloudEvent without id or type: " + json.substring(0, Math.min(300, json.length())));
        }
        String key = routingKey;
        if (key == null || key.isBlank()) {
            key = EventTypes.routingKeyOf(envelope.getType());
        }
        return new IncomingEvent(key, envelope, json, receivedAt, data == null || data.isNull() ? null : data);
    }

    public IncomingEvent fromObject(Object event, String routingKey, OffsetDateTime receivedAt) {
        return parse(mapper.writeValueAsString(event), routingKey, receivedAt);
    }

    public TaskEventData taskData(IncomingEvent event) {
        return data(event, TaskEventData.class);
    }

    public DeliveryOutcomeData deliveryData(IncomingEvent event) {
        return data(event, DeliveryOutcomeData.class);
    }

    public PolicyImportedData policyData(IncomingEvent event) {
        return data(event, PolicyImportedData.class);
    }

    private <T> T data(IncomingEvent event, Class<T> type) {
        return event.data() == null ? null : mapper.treeToValue(event.data(), type);
    }

    /** An event that can never be applied: it goes to the dead-letter queue. */
    public static class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message) {
            super(message);
        }
    }
}
