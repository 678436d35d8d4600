package cn.beijing.scienceedu.platform.events;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import cn.beijing.scienceedu.contracts.events.EventTypes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the hub's CloudEvents from a routing key of {@code EventTypes}: type
 * {@code cn.beijing.scienceedu.hub.<key>.v1}, {@code dataschema} {@code events/<key>.schema.json}, {@code specversion}
 * 1.0, {@code datacontenttype} {@code application/json}, this service's {@code source}, a new id and the time now
 * (UTC) unless given. Structured mode ({@link Draft#toJson()}, what the hub publishes, content type
 * {@value #STRUCTURED_CONTENT_TYPE}) or binary mode ({@link Draft#toBinaryHeaders()} + {@link Draft#dataJson()}); what
 * {@link CloudEventReader} reads back. The data is serialised once, straight into the envelope.
 */
public final class CloudEventWriter {

    public static final String SPEC_VERSION = "1.0";
    /** Content type of a structured-mode message. */
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";
    /** {@code datacontenttype} of every hub event. */
    public static final String DATA_CONTENT_TYPE = "application/json";
    /** Header prefix of the attributes in binary mode. */
    public static final String BINARY_PREFIX = "ce-";

    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$");

    private final JsonMapper mapper;
    private final String source;

    /**
     * @param source this service's {@code source} attribute, e.g. {@code /task-service}
     */
    public CloudEventWriter(JsonMapper mapper, String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("a CloudEvent source is required (e.g. /task-service)");
        }
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.source = source;
    }

    public String source() {
        return source;
    }

    /**
     * A new event of {@code routingKey}, one of {@link EventTypes#ALL}.
     *
     * @throws IllegalArgumentException for a routing key that is not the hub's
     */
    public Draft event(String routingKey) {
        if (!EventTypes.ALL.contains(routingKey)) {
            throw new IllegalArgumentException("not a hub event routing key (EventTypes.ALL): " + routingKey);
        }
        return new Draft(routingKey);
    }

    /**
     * The AMQP message of a structured event, as the hub publishes it: content type
     * {@value #STRUCTURED_CONTENT_TYPE}, UTF-8, message id = event id, persistent, and the W3C {@code traceparent}
     * header when there is one (it continues the trace in the consumer).
     */
    public static org.springframework.amqp.core.Message structuredMessage(String eventId, byte[] envelope,
            String traceparent) {
        var p = new org.springframework.amqp.core.MessageProperties();
        p.setContentType(STRUCTURED_CONTENT_TYPE);
        p.setContentEncoding(StandardCharsets.UTF_8.name());
        p.setMessageId(eventId);
        p.setDeliveryMode(org.springframework.amqp.core.MessageDeliveryMode.PERSISTENT);
        if (traceparent != null) {
            p.setHeader("traceparent", traceparent);
        }
        return new org.springframework.amqp.core.Message(envelope, p);
    }

    /** One event being written; set what applies, then {@link #toJson()} (or the binary form). Not thread-safe. */
    public final class Draft {

        private final String routingKey;
        private String id = UUID.randomUUID().toString();
        private OffsetDateTime time = OffsetDateTime.now(ZoneOffset.UTC);
        private String subject;
        private Long sequence;
        private String traceparent;
        private String correlationId;
        private String messageLogId;
        private Object data;

        private Draft(String routingKey) {
            this.routingKey = routingKey;
        }

        /** Instead of the new random UUID. */
        public Draft id(String id) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("a CloudEvent id is required");
            }
            this.id = id;
            return this;
        }

        /** Instead of now. */
        public Draft time(OffsetDateTime time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        public Draft subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Draft sequence(Long sequence) {
            this.sequence = sequence;
            return this;
        }

        /** W3C trace context; a value not of that form is left out (the envelope schema allows no other). */
        public Draft traceparent(String traceparent) {
            this.traceparent = traceparent != null && TRACEPARENT.matcher(traceparent).matches() ? traceparent : null;
            return this;
        }

        public Draft correlationId(String correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        public Draft messageLogId(String messageLogId) {
            this.messageLogId = messageLogId;
            return this;
        }

        /** The event's data: a contract type (serialised by the writer's mapper) or a {@link JsonNode}. */
        public Draft data(Object data) {
            this.data = data;
            return this;
        }

        public String id() {
            return id;
        }

        public String routingKey() {
            return routingKey;
        }

        public String type() {
            return EventTypes.typeOf(routingKey);
        }

        public OffsetDateTime time() {
            return time;
        }

        public String subject() {
            return subject;
        }

        public Long sequence() {
            return sequence;
        }

        /** The traceparent the event carries (null when none or not W3C). */
        public String traceparent() {
            return traceparent;
        }

        /** The context attributes in the envelope's order, without data; absent ones left out. */
        public Map<String, Object> attributes() {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("specversion", SPEC_VERSION);
            a.put("id", id);
            a.put("source", source);
            a.put("type", type());
            a.put("time", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time));
            putIfPresent(a, "subject", subject);
            a.put("datacontenttype", DATA_CONTENT_TYPE);
            a.put("dataschema", EventTypes.dataSchemaOf(routingKey));
            putIfPresent(a, "traceparent", traceparent);
            putIfPresent(a, "correlationid", correlationId);
            putIfPresent(a, "messagelogid", messageLogId);
            putIfPresent(a, "sequence", sequence);
            return a;
        }

        /** Structured mode: the JSON envelope with {@code data} as its last member (left out when there is none). */
        public String toJson() {
            ObjectNode node = mapper.createObjectNode();
            attributes().forEach((name, value) -> {
                if (value instanceof Long l) {
                    node.put(name, l.longValue());
                } else {
                    node.put(name, (String) value);
                }
            });
            if (data instanceof JsonNode tree) {
                node.set("data", tree);
            } else if (data != null) {
                node.putPOJO("data", data);
            }
            return mapper.writeValueAsString(node);
        }

        /** Structured mode as UTF-8 bytes (an AMQP body). */
        public byte[] toJsonBytes() {
            return toJson().getBytes(StandardCharsets.UTF_8);
        }

        /** Binary mode: the attributes as {@code ce-} headers (the sequence a number, the rest text). */
        public Map<String, Object> toBinaryHeaders() {
            Map<String, Object> headers = new LinkedHashMap<>();
            attributes().forEach((name, value) -> headers.put(BINARY_PREFIX + name, value));
            return headers;
        }

        /** Binary mode: the data alone as JSON (the body); an empty body when there is none. */
        public byte[] dataJson() {
            return data == null ? new byte[0] : mapper.writeValueAsBytes(data);
        }

        private static void putIfPresent(Map<String, Object> a, String name, Object value) {
            if (value != null) {
                a.put(name, value);
            }
        }
    }
}
