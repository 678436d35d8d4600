package cn.beijing.scienceedu.adapters.mapping;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.contracts.bureau.model.BureauTaskMessage;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Turns the hub's canonical message ({@link BureauTaskMessage}, generated from bureau-api.yaml) into a bureau's own shape and reads its answers back, as its
 * mapping configuration says ({@link ReportReader} reads the answers). XSLT shapes are applied by the outbound
 * route (camel-xslt) on {@link #canonicalXml(BureauTaskMessage)}.
 */
@Component
public class PayloadMapper {

    static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Shanghai");

    private final ResourceLoader resources;
    private final JsonMapper json;
    private final YAMLMapper yaml = YAMLMapper.builder().build();
    private final Map<String, MappingSpec> specs = new ConcurrentHashMap<>();

    public PayloadMapper(ResourceLoader resources, JsonMapper json) {
        this.resources = resources;
        this.json = json;
    }

    public MappingSpec spec(String location) {
        return specs.computeIfAbsent(location, l -> {
            try (InputStream in = resources.getResource(l).getInputStream()) {
                return yaml.readValue(in, MappingSpec.class);
            } catch (IOException | RuntimeException e) {
                throw new MappingException("cannot read mapping file " + l + ": " + e.getMessage(), e);
            }
        });
    }

    /** JSON (hub-json / json-map) or CSV bytes in the bureau's charset; not for xslt shapes. */
    public byte[] render(Bureau bureau, BureauTaskMessage message) {
        return switch (bureau.mapping().format()) {
            case "hub-json" -> json.writeValueAsString(fields(message)).getBytes(bureau.charset());
            case "json-map" -> json.writeValueAsString(mapFields(spec(bureau.mapping().file()), message))
                    .getBytes(bureau.charset());
            case "csv" -> csv(spec(bureau.mapping().file()), message).getBytes(bureau.charset());
            default -> throw new MappingException("format " + bureau.mapping().format() + " is rendered by XSLT");
        };
    }

    public String contentType(Bureau bureau) {
        return switch (bureau.mapping().format()) {
            case "csv" -> "text/csv; charset=" + bureau.charset().name();
            case "xslt" -> bureau.protocol().name().equals("SOAP") ? "text/xml; charset=UTF-8"
                    : "application/xml; charset=" + bureau.charset().name();
            default -> "application/json; charset=" + bureau.charset().name();
        };
    }

    public String fileExtension(Bureau bureau) {
        return switch (bureau.mapping().format()) {
            case "csv" -> "csv";
            case "xslt" -> "xml";
            default -> "json";
        };
    }

    /** xs:dateTime with seconds always present, in Asia/Shanghai (OffsetDateTime.toString drops zero seconds). */
    public static final DateTimeFormatter ISSUED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    /** xs:dateTime with seconds always present and the fraction of a second when there is one. */
    static final DateTimeFormatter SENT_AT = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    /**
     * The message's fields by their bureau-api names, in the contract's order, as the bureau shapes start from them:
     * codes as their values, the deadline as an ISO date, {@code issuedAt} in Asia/Shanghai to the second; nulls and
     * an empty work-item list left out. Also what the outbox stores (it reads back into the generated type).
     */
    public static Map<String, Object> fields(BureauTaskMessage m) {
        Map<String, Object> f = new LinkedHashMap<>();
        put(f, "messageId", m.getMessageId());
        put(f, "kind", m.getKind() == null ? null : m.getKind().getValue());
        put(f, "taskId", m.getTaskId());
        put(f, "unitCode", m.getUnitCode());
        put(f, "policyId", m.getPolicyId());
        put(f, "measureNo", m.getMeasureNo());
        put(f, "measureTitle", m.getMeasureTitle());
        put(f, "role", m.getRole() == null ? null : m.getRole().getValue());
        put(f, "leadUnitCode", m.getLeadUnitCode());
        put(f, "status", m.getStatus());
        put(f, "deadline", m.getDeadline() == null ? null : m.getDeadline().toString());
        put(f, "workItems", m.getWorkItems() == null || m.getWorkItems().isEmpty() ? null : m.getWorkItems());
        put(f, "reason", m.getReason());
        put(f, "urgingLevel", m.getUrgingLevel());
        put(f, "extensionDecision", m.getExtensionDecision() == null ? null : m.getExtensionDecision().getValue());
        put(f, "version", m.getVersion());
        put(f, "issuedAt", m.getIssuedAt() == null ? null
                : m.getIssuedAt().atZoneSameInstant(BUSINESS_ZONE).format(ISSUED_AT));
        // a receipt's: the bureau's own time of the answered message (the same instant as kept, in Asia/Shanghai, to
        // the fraction it came with) and the task's status after it
        put(f, "sentAt", m.getSentAt() == null ? null
                : m.getSentAt().atZoneSameInstant(BUSINESS_ZONE).toOffsetDateTime().format(SENT_AT));
        put(f, "taskStatus", m.getTaskStatus());
        return f;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    Map<String, Object> mapFields(MappingSpec spec, BureauTaskMessage message) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields(message).forEach((field, value) -> {
            String target = spec.fields.get(field);
            if (target != null) {
                out.put(target, convert(spec, field, value, false));
            }
        });
        for (String r : spec.required) {
            if (out.get(r) == null) {
                throw new MappingException("mapped message lacks required field " + r);
            }
        }
        return out;
    }

    private Object convert(MappingSpec spec, String field, Object value, boolean flattenLists) {
        if (value == null) {
            return null;
        }
        Map<String, String> codes = spec.codes.get(field);
        if (codes != null) {
            String code = codes.get(String.valueOf(value));
            if (code == null) {
                throw new MappingException("no code for " + field + "=" + value + " in the bureau's code list");
            }
            return code;
        }
        if ("deadline".equals(field)) {
            return LocalDate.parse(value.toString()).format(DateTimeFormatter.ofPattern(spec.dateFormat));
        }
        if (("issuedAt".equals(field) || "sentAt".equals(field)) && spec.dateTimeFormat != null) {
            return OffsetDateTime.parse(value.toString()).atZoneSameInstant(BUSINESS_ZONE)
                    .format(DateTimeFormatter.ofPattern(spec.dateTimeFormat));
        }
        if (flattenLists && value instanceof Collection<?> c) {
            return String.join(spec.listSeparator, c.stream().map(String::valueOf).toList());
        }
        return value;
    }

    String csv(MappingSpec spec, BureauTaskMessage message) {
        Map<String, Object> fields = fields(message);
        StringWriter w = new StringWriter();
        CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator("\r\n")
                .setHeader(spec.columns.stream().map(c -> c.header).toArray(String[]::new)).get();
        try (CSVPrinter p = new CSVPrinter(w, format)) {
            List<Object> row = new ArrayList<>();
            for (MappingSpec.Column c : spec.columns) {
                Object v = convert(spec, c.field, fields.get(c.field), true);
                row.add(v == null ? "" : v);
            }
            p.printRecord(row);
        } catch (IOException e) {
            throw new MappingException("csv: " + e.getMessage(), e);
        }
        return w.toString();
    }

    /** The canonical XML ({@code <task-message>}, hub field names) the XSLT mappings start from. */
    public String canonicalXml(BureauTaskMessage message) {
        StringWriter w = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeStartElement("task-message");
            for (Map.Entry<String, Object> e : fields(message).entrySet()) {
                x.writeStartElement(e.getKey());
                if (e.getValue() instanceof Collection<?> items) {
                    for (Object item : items) {
                        x.writeStartElement("item");
                        x.writeCharacters(String.valueOf(item));
                        x.writeEndElement();
                    }
                } else {
                    x.writeCharacters(String.valueOf(e.getValue()));
                }
                x.writeEndElement();
            }
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new MappingException("canonical xml: " + e.getMessage(), e);
        }
        return w.toString();
    }

    /** Receipt rendered like a task message of kind RECEIPT (so each bureau reads it in its own shape). */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
