package cn.beijing.scienceedu.platform.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.util.ClassUtils;

import cn.beijing.scienceedu.contracts.events.EventTypes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a CloudEvent from a message as the hub sends them, parsing it once into a {@link HubEvent}. Accepts:
 * <ul>
 * <li><b>structured mode</b> — the body is the JSON envelope ({@code application/cloudevents+json}, what the
 * task-service's outbox and bureau-adapters' delivery events publish), {@code data} as JSON or
 * {@code data_base64};</li>
 * <li><b>binary mode</b> — the attributes in headers prefixed {@code ce-}, {@code ce_}, {@code cloudEvents:} or
 * {@code cloudEvents_} (any case), the body is the data alone. Spring Cloud Function turns a structured message into
 * this before a {@code Consumer<Message<?>>} sees it; {@link #read(org.springframework.messaging.Message)} reads the
 * message as it came off the queue instead (the Rabbit binder's {@code sourceData} header) when it can.</li>
 * </ul>
 * A message is binary when its headers carry an {@code id} attribute, structured otherwise. Required: {@code id} and
 * {@code type}; {@code time} (when present) must be an RFC 3339 date-time and {@code sequence} (when present) an
 * integer. The routing key comes from the type ({@code EventTypes.routingKeyOf}); for a type not of the hub's form,
 * from the routing key the message came with. Anything else is a {@link MalformedEventException} naming what is wrong.
 */
public final class CloudEventReader {

    /** Header in which the Rabbit binder hands over the AMQP message as received. */
    public static final String SOURCE_DATA_HEADER = "sourceData";
    /** Spring AMQP's header of the routing key a message was received with. */
    public static final String RECEIVED_ROUTING_KEY_HEADER = "amqp_receivedRoutingKey";

    /** Binary-mode attribute prefixes, lower case: HTTP/default, Kafka, AMQP (CloudEvents AMQP binding), AMQP 0.9 style. */
    private static final List<String> PREFIXES = List.of("ce-", "ce_", "cloudevents:", "cloudevents_");
    private static final boolean AMQP_PRESENT = ClassUtils.isPresent("org.springframework.amqp.core.Message",
            CloudEventReader.class.getClassLoader());

    private final JsonMapper mapper;

    public CloudEventReader(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** A reader with a default {@link JsonMapper} (tests, code outside a Spring context). */
    public static CloudEventReader standard() {
        return new CloudEventReader(JsonMapper.builder().build());
    }

    /**
     * A Spring Messaging message (a Spring Cloud Stream consumer's): the AMQP message as received when the binder put
     * it in {@code sourceData}, else the payload ({@code byte[]} or {@code String}) with the message headers.
     */
    public HubEvent read(org.springframework.messaging.Message<?> message) {
        Object source = message.getHeaders().get(SOURCE_DATA_HEADER);
        if (AMQP_PRESENT && Amqp.isMessage(source)) {
            return Amqp.read(this, source);
        }
        Object payload = message.getPayload();
        byte[] body;
        if (payload instanceof byte[] bytes) {
            body = bytes;
        } else if (payload instanceof String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
        } else {
            throw new MalformedEventException("a CloudEvent message has a byte[] or String payload, not "
                    + payload.getClass().getName());
        }
        Object key = message.getHeaders().get(RECEIVED_ROUTING_KEY_HEADER);
        return read(body, message.getHeaders(), key == null ? null : key.toString());
    }

    /** A Spring AMQP message (a {@code @RabbitListener}'s, or the binder's {@code sourceData}). */
    public HubEvent readAmqp(org.springframework.amqp.core.Message message) {
        var p = message.getMessageProperties();
        return read(message.getBody(), p.getHeaders(), p.getReceivedRoutingKey());
    }

    /**
     * Any transport: the body and the headers of one message, and the routing key it came with (may be null).
     * Binary mode when the headers carry an {@code id} attribute, else the body is a structured event.
     */
    public HubEvent read(byte[] body, Map<String, ?> headers, String routingKey) {
        Map<String, String> attributes = binaryAttributes(headers);
        if (!attributes.containsKey("id")) {
            return readStructured(body, routingKey);
        }
        byte[] data = body == null || body.length == 0 ? null : body;
        return build(HubEvent.Mode.BINARY, attributes, null, data, null, routingKey);
    }

    /** A structured-mode event (the JSON envelope), e.g. as stored in an event log. */
    public HubEvent readStructured(String json) {
        return readStructured(json, null);
    }

    /** A structured-mode event; {@code routingKey} (may be null) stands in for a type not of the hub's form. */
    public HubEvent readStructured(String json, String routingKey) {
        if (json == null) {
            throw new MalformedEventException("no CloudEvent: the body is empty");
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new MalformedEventException(null, "not JSON (" + e.getOriginalMessage() + "): "
                    + HubEvent.excerpt(json.getBytes(StandardCharsets.UTF_8)), e);
        }
        return structured(tree, json, null, routingKey);
    }

    /** A structured-mode event as bytes (UTF-8 JSON). */
    public HubEvent readStructured(byte[] json, String routingKey) {
        if (json == null || json.length == 0) {
            throw new MalformedEventException("no CloudEvent: the body is empty");
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new MalformedEventException(null, "not JSON (" + e.getOriginalMessage() + "): " + HubEvent.excerpt(json), e);
        }
        return structured(tree, null, json, routingKey);
    }

    /**
     * A structured-mode event held as an object (a map from a replay feed, a generated envelope): written as JSON
     * with this reader's mapper, then read.
     */
    public HubEvent fromValue(Object envelope, String routingKey) {
        if (envelope == null) {
            throw new MalformedEventException("no CloudEvent: null");
        }
        return readStructured(mapper.writeValueAsString(envelope), routingKey);
    }

    private HubEvent structured(JsonNode tree, String text, byte[] bytes, String routingKey) {
        if (tree == null || !tree.isObject()) {
            String kind = tree == null || tree.isMissingNode() ? "empty" : tree.getNodeType().toString().toLowerCase(Locale.ROOT);
            throw new MalformedEventException("a structured CloudEvent is a JSON object, this is " + kind + ": "
                    + (bytes != null ? HubEvent.excerpt(bytes) : HubEvent.excerpt(text.getBytes(StandardCharsets.UTF_8))));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode data = null;
        byte[] base64 = null;
        for (Map.Entry<String, JsonNode> member : tree.properties()) {
            String name = member.getKey();
            JsonNode value = member.getValue();
            if (name.equals("data")) {
                data = value.isNull() ? null : value;
            } else if (name.equals("data_base64")) {
                base64 = value.isNull() ? null : decode(tree, value);
            } else if (value.isContainer()) {
                throw new MalformedEventException(text(tree, "id"), "attribute " + name + " is not a single value", null);
            } else if (!value.isNull()) {
                attributes.put(name, value.asString());
            }
        }
        String json = text != null ? text : new String(bytes, StandardCharsets.UTF_8);
        return build(HubEvent.Mode.STRUCTURED, attributes, data, data == null ? base64 : null, json, routingKey);
    }

    private HubEvent build(HubEvent.Mode mode, Map<String, String> attributes, JsonNode data, byte[] dataBytes,
            String json, String transportKey) {
        String id = attributes.get("id");
        if (id == null || id.isBlank()) {
            throw new MalformedEventException("CloudEvent without id (attributes " + attributes.keySet() + ")");
        }
        String type = attributes.get("type");
        if (type == null || type.isBlank()) {
            throw new MalformedEventException(id, "CloudEvent without type", null);
        }
        String key = routingKeyOf(type);
        if (key == null) {
            if (transportKey == null || transportKey.isBlank()) {
                throw new MalformedEventException(id, "type " + type + " is not a hub event type ("
                        + EventTypes.typeOf("<routing key>") + ") and the message came with no routing key", null);
            }
            key = transportKey;
        }
        OffsetDateTime time = null;
        String t = attributes.get("time");
        if (t != null) {
            try {
                time = OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            } catch (DateTimeParseException e) {
                throw new MalformedEventException(id, "time '" + t + "' is not an RFC 3339 date-time", e);
            }
        }
        Long sequence = null;
        String s = attributes.get("sequence");
        if (s != null) {
            try {
                sequence = Long.valueOf(s.trim());
            } catch (NumberFormatException e) {
                throw new MalformedEventException(id, "sequence '" + s + "' is not an integer", e);
            }
        }
        return new HubEvent(mode, attributes, key, time, sequence, data, dataBytes, json, mapper);
    }

    /** {@code task.signed-for} for {@code cn.beijing.scienceedu.hub.task.signed-for.v1}; null for another form. */
    static String routingKeyOf(String type) {
        try {
            String key = EventTypes.routingKeyOf(type);
            return key.isBlank() ? null : key;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private byte[] decode(JsonNode tree, JsonNode value) {
        try {
            return Base64.getDecoder().decode(value.asString());
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException(text(tree, "id"), "data_base64 is not base64", e);
        }
    }

    private static String text(JsonNode tree, String name) {
        JsonNode v = tree.get(name);
        return v == null || v.isContainer() || v.isNull() ? null : v.asString();
    }

    /** The CloudEvent attributes among message headers (binary mode), by lower-case name without the prefix. */
    static Map<String, String> binaryAttributes(Map<String, ?> headers) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (headers == null) {
            return attributes;
        }
        headers.forEach((header, value) -> {
            if (header == null || value == null) {
                return;
            }
            String lower = header.toLowerCase(Locale.ROOT);
            for (String prefix : PREFIXES) {
                if (lower.startsWith(prefix) && lower.length() > prefix.length()) {
                    String name = lower.substring(prefix.length());
                    if (!name.equals("data")) {
                        attributes.put(name, text(value));
                    }
                    return;
                }
            }
        });
        return attributes;
    }

    private static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof Date date) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(date.toInstant().atOffset(ZoneOffset.UTC));
        }
        if (value instanceof Instant instant) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
        }
        if (value instanceof OffsetDateTime odt) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(odt);
        }
        if (value instanceof TemporalAccessor temporal) {
            return temporal.toString();
        }
        return value.toString();
    }

    /** Kept apart so that this class loads where Spring AMQP is absent. */
    private static final class Amqp {

        static boolean isMessage(Object o) {
            return o instanceof org.springframework.amqp.core.Message m && m.getBody() != null;
        }

        static HubEvent read(CloudEventReader reader, Object o) {
            return reader.readAmqp((org.springframework.amqp.core.Message) o);
        }
    }
}
