package cn.beijing.scienceedu.platform.events;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One CloudEvent as a hub service received it, read once by {@link CloudEventReader}: its context attributes, the
 * routing key its type stands for ({@code EventTypes}) and its data, kept as the Jackson tree of the envelope
 * (structured mode) or as the bytes of the message body (binary mode) until a consumer reads it as its own type
 * ({@link #dataAs(Class)}). Immutable; the data tree of a binary event and the JSON of {@link #json()} are computed on
 * first use and kept.
 *
 * <p>Carries no rule of any domain: what an event means is the consuming service's business.
 */
public final class HubEvent {

    /** How the event travelled (CloudEvents content modes). */
    public enum Mode {
        /** {@code application/cloudevents+json}: attributes and data in one JSON body (what the hub publishes). */
        STRUCTURED,
        /** Attributes in {@code ce-} headers, the body is the data alone. */
        BINARY
    }

    private final Mode mode;
    private final Map<String, String> attributes;
    private final String routingKey;
    private final OffsetDateTime time;
    private final Long sequence;
    private final JsonNode dataTree;
    private final byte[] dataBytes;
    private final JsonMapper mapper;
    private volatile String json;
    private volatile JsonNode parsedData;

    HubEvent(Mode mode, Map<String, String> attributes, String routingKey, OffsetDateTime time, Long sequence,
            JsonNode dataTree, byte[] dataBytes, String json, JsonMapper mapper) {
        this.mode = mode;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        this.routingKey = routingKey;
        this.time = time;
        this.sequence = sequence;
        this.dataTree = dataTree;
        this.dataBytes = dataBytes;
        this.json = json;
        this.mapper = mapper;
    }

    public Mode mode() {
        return mode;
    }

    /** {@code id}: unique per event; consumers deduplicate on it. Never null. */
    public String id() {
        return attributes.get("id");
    }

    /** {@code type}, e.g. {@code cn.beijing.scienceedu.hub.task.signed-for.v1}. Never null. */
    public String type() {
        return attributes.get("type");
    }

    /**
     * The routing key the type stands for ({@code EventTypes.routingKeyOf}, e.g. {@code task.signed-for}); for a type
     * not of the hub's form, the routing key the message came with. Never null.
     */
    public String routingKey() {
        return routingKey;
    }

    /** {@code source}, e.g. {@code /task-service}; null when the event had none. */
    public String source() {
        return attributes.get("source");
    }

    /** {@code subject}: the task id, where there is one; null otherwise. */
    public String subject() {
        return attributes.get("subject");
    }

    /** {@code time}; null when the event had none. */
    public OffsetDateTime time() {
        return time;
    }

    /** Extension {@code sequence}: the subject's version after the change; null when the event had none. */
    public Long sequence() {
        return sequence;
    }

    /** Extension {@code traceparent} (W3C), as sent; null when absent. */
    public String traceparent() {
        return attributes.get("traceparent");
    }

    /** Extension {@code correlationid}; null when absent. */
    public String correlationId() {
        return attributes.get("correlationid");
    }

    /** Extension {@code messagelogid}: the bureau message-log record involved; null when absent. */
    public String messageLogId() {
        return attributes.get("messagelogid");
    }

    public String specVersion() {
        return attributes.get("specversion");
    }

    public String dataContentType() {
        return attributes.get("datacontenttype");
    }

    public String dataSchema() {
        return attributes.get("dataschema");
    }

    /** Any context attribute (lower-case name, e.g. {@code id}, {@code sequence}, an extension), as text; or null. */
    public String attribute(String name) {
        return attributes.get(name);
    }

    /** Every context attribute, as text (unmodifiable; {@code data} is not one). */
    public Map<String, String> attributes() {
        return attributes;
    }

    public boolean hasData() {
        return dataTree != null || dataBytes != null;
    }

    /**
     * The data as a Jackson tree; null when the event has none.
     *
     * @throws MalformedEventException when the data of a binary event is not JSON
     */
    public JsonNode data() {
        if (dataTree != null) {
            return dataTree;
        }
        if (dataBytes == null) {
            return null;
        }
        JsonNode parsed = parsedData;
        if (parsed == null) {
            requireJsonData();
            try {
                parsed = mapper.readTree(dataBytes);
            } catch (JacksonException e) {
                throw new MalformedEventException(id(), "data is not JSON: " + e.getOriginalMessage(), e);
            }
            parsedData = parsed;
        }
        return parsed;
    }

    /**
     * The data read as {@code type} (a generated contract type such as {@code TaskEventData}), straight from the tree
     * or the bytes: one read, no intermediate map.
     *
     * @throws MalformedEventException when the event has no data or its data is not a {@code type}
     */
    public <T> T dataAs(Class<T> type) {
        if (!hasData()) {
            throw new MalformedEventException(id(), type() + " without data", null);
        }
        try {
            if (dataTree != null) {
                return mapper.treeToValue(dataTree, type);
            }
            if (parsedData != null) {
                return mapper.treeToValue(parsedData, type);
            }
            requireJsonData();
            return mapper.readValue(dataBytes, type);
        } catch (JacksonException e) {
            throw new MalformedEventException(id(), "data is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The data as JSON bytes (a copy for a binary event); null when the event has none. */
    public byte[] dataBytes() {
        if (dataBytes != null) {
            return dataBytes.clone();
        }
        return dataTree == null ? null : mapper.writeValueAsBytes(dataTree);
    }

    /**
     * The event in structured mode ({@code application/cloudevents+json}): the text exactly as received for a
     * structured event, the envelope put together from the attributes and the data for a binary one.
     */
    public String json() {
        String j = json;
        if (j == null) {
            j = envelope();
            json = j;
        }
        return j;
    }

    private String envelope() {
        ObjectNode node = mapper.createObjectNode();
        attributes.forEach((name, value) -> {
            if (name.equals("sequence") && sequence != null) {
                node.put(name, sequence.longValue());
            } else {
                node.put(name, value);
            }
        });
        if (dataTree != null) {
            node.set("data", dataTree);
        } else if (dataBytes != null) {
            if (isJson(dataContentType())) {
                node.set("data", data());
            } else {
                node.put("data_base64", Base64.getEncoder().encodeToString(dataBytes));
            }
        }
        return mapper.writeValueAsString(node);
    }

    private void requireJsonData() {
        if (!isJson(dataContentType())) {
            throw new MalformedEventException(id(), "data is " + dataContentType() + ", not JSON", null);
        }
    }

    static boolean isJson(String contentType) {
        return contentType == null || contentType.isBlank() || contentType.toLowerCase().contains("json");
    }

    @Override
    public String toString() {
        return "HubEvent[" + mode + " " + id() + " " + type() + (subject() == null ? "" : " " + subject())
                + (sequence == null ? "" : " #" + sequence) + "]";
    }

    /** First characters of a body, for an exception message. */
    static String excerpt(byte[] body) {
        if (body == null) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        return body.length > 300 ? s + "…" : s;
    }
}
