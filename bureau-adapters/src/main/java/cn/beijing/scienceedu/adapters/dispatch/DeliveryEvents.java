package cn.beijing.scienceedu.adapters.dispatch;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.contracts.events.CloudEventEnvelope;
import cn.beijing.scienceedu.contracts.events.DeliveryOutcomeData;
import tools.jackson.databind.json.JsonMapper;

/** Publishes {@code delivery.succeeded|failed|parked} (CloudEvents, structured) to {@code hub.delivery-events}. */
@Component
public class DeliveryEvents {

    public static final String EXCHANGE = "hub.delivery-events";
    private static final Logger log = LoggerFactory.getLogger(DeliveryEvents.class);

    private final RabbitTemplate rabbit;
    private final JsonMapper json;

    public DeliveryEvents(RabbitTemplate rabbit, JsonMapper json) {
        this.rabbit = rabbit;
        this.json = json;
    }

    public void publish(Delivery d, DeliveryOutcomeData.Outcome outcome, int attempts, String reason, String lastError,
            String bureauReference) {
        if (d.sourceEventId() == null) {
            return; // receipts to bureaus are not task deliveries
        }
        DeliveryOutcomeData data = new DeliveryOutcomeData();
        data.setDeliveryId(d.id());
        data.setSourceEventId(d.sourceEventId());
        data.setSourceEventType(d.sourceEventType());
        data.setTaskId(d.taskId());
        data.setUnitCode(d.unitCode());
        data.setProtocol(DeliveryOutcomeData.Protocol.fromValue(d.protocol()));
        data.setMessageKind(DeliveryOutcomeData.MessageKind.fromValue(d.kind()));
        data.setOutcome(outcome);
        data.setAttempts(attempts);
        data.setReason(reason);
        data.setLastError(lastError);
        data.setBureauReference(bureauReference);
        data.setAt(OffsetDateTime.now(ZoneOffset.UTC));
        String key = "delivery." + outcome.value().toLowerCase();
        CloudEventEnvelope env = new CloudEventEnvelope();
        env.setSpecversion("1.0");
        env.setId(UUID.randomUUID().toString());
        env.setSource("/bureau-adapters");
        env.setType("cn.beijing.scienceedu.hub." + key + ".v1");
        env.setTime(OffsetDateTime.now(ZoneOffset.UTC));
        env.setSubject(d.taskId());
        env.setDatacontenttype("application/json");
        env.setTraceparent(d.traceparent());
        env.setSequence(d.taskVersion() == null ? null : d.taskVersion().intValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> map = json.convertValue(data, Map.class);
        env.setData(map);
        try {
            byte[] body = json.writeValueAsString(env).getBytes(StandardCharsets.UTF_8);
            var msg = MessageBuilder.withBody(body).setContentType("application/cloudevents+json")
                    .setDeliveryMode(MessageDeliveryMode.PERSISTENT).setMessageId(env.getId());
            if (d.traceparent() != null) {
                msg.setHeader("traceparent", d.traceparent());
            }
            rabbit.send(EXCHANGE, key, msg.build());
        } catch (RuntimeException e) {
            log.error("delivery event {} for {} not published: {}", key, d.id(), e.getMessage());
        }
    }
}
