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
import tools.jackson.databind.json.JsonMapper;

/** Reads structured-mode CloudEvents (application/cloudevents+json) into the generated contract types. */
@Component
public class EventParser {

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public IncomingEvent parse(byte[] body, String routingKey, OffsetDateTime receivedAt) {
        return parse(new String(body, StandardCharsets.UTF_8), routingKey, receivedAt);
    }

    public IncomingEvent parse(String json, String routingKey, OffsetDateTime receivedAt) {
        CloudEventEnvelope envelope = mapper.readValue(json, CloudEventEnvelope.class);
        if (envelope.getId() == null || envelope.getType() == null) {
            throw new MalformedEventException("CloudEvent without id or type: " + json.substring(0, Math.min(300, json.length())));
        }
        String key = routingKey;
        if (key == null || key.isBlank()) {
            key = EventTypes.routingKeyOf(envelope.getType());
        }
        return new IncomingEvent(key, envelope, json, receivedAt);
    }

    public IncomingEvent fromObject(Object event, String routingKey, OffsetDateTime receivedAt) {
        return parse(mapper.writeValueAsString(event), routingKey, receivedAt);
    }

    public TaskEventData taskData(CloudEventEnvelope envelope) {
        return mapper.convertValue(envelope.getData(), TaskEventData.class);
    }

    public DeliveryOutcomeData deliveryData(CloudEventEnvelope envelope) {
        return mapper.convertValue(envelope.getData(), DeliveryOutcomeData.class);
    }

    public PolicyImportedData policyData(CloudEventEnvelope envelope) {
        return mapper.convertValue(envelope.getData(), PolicyImportedData.class);
    }

    /** An event that can never be applied: it goes to the dead-letter queue. */
    public static class MalformedEventException extends RuntimeException {
        public MalformedEventException(String message) {
            super(message);
        }
    }
}
