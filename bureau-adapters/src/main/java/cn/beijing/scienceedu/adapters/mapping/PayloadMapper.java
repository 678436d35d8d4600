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
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Turns the canonical {@link TaskMessage} into a bureau's own shape and reads its answers back, as its
 * mapping configuration says. XSLT shapes are applied by the outbound route (camel-xslt) on
 * {@link #canonicalXml(TaskMessage)}.
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
    public byte[] render(Bureau bureau, TaskMessage message) {
        return switch (bureau.mapping().format()) {
            case "hub-json" -> json.writeValueAsString(message).getBytes(bureau.charset());
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

    Map<String, Object> mapFields(MappingSpec spec, TaskMessage message) {
        Map<String, Object> out = new LinkedHashMap<>();
        message.toMap().forEach((field, value) -> {
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
        if ("issuedAt".equals(field) && spec.dateTimeFormat != null) {
            return OffsetDateTime.parse(value.toString()).atZoneSameInstant(BUSINESS_ZONE)
                    .format(DateTimeFormatter.ofPattern(spec.dateTimeFormat));
        }
        if (flattenLists && value instanceof Collection<?> c) {
            return String.join(spec.listSeparator, c.stream().map(String::valueOf).toList());
        }
        return value;
    }

    String csv(MappingSpec spec, TaskMessage message) {
        Map<String, Object> fields = message.toMap();
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
    public String canonicalXml(TaskMessage message) {
        StringWriter w = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeStartElement("task-message");
            for (Map.Entry<String, Object> e : message.toMap().entrySet()) {
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

    /** An answer file from a bureau's outbox (CSV per its mapping, or {@code BureauReport} XML). */
    public List<InboundReport> parseReportFile(Bureau bureau, byte[] bytes, String fileName) {
        try {
            // strictly in the declared charset: a wrong charset is refused, not read as mojibake
            byte[] content = AnswerDecoder.withoutBom(bytes, bureau.charset());
            String text = AnswerDecoder.decode(content, bureau.charset());
            List<InboundReport> reports;
            if ("csv".equals(bureau.mapping().format())) {
                if (!text.endsWith("\n")) {
                    // every record the bureau writes ends with a line break: without one the file was cut off
                    throw new MappingException("truncated: the last record has no line end");
                }
                reports = parseCsvReports(spec(bureau.mapping().file()), text);
            } else if (fileName.endsWith(".json")) {
                reports = List.of(parseJsonReport(text));
            } else {
                reports = List.of(parseXmlReport(content));
            }
            if (reports.isEmpty()) {
                throw new MappingException("no report in the file");
            }
            return reports;
        } catch (MappingException e) {
            throw e;
        } catch (Exception e) {
            throw new MappingException("cannot parse " + fileName + ": " + e.getMessage(), e);
        }
    }

    List<InboundReport> parseCsvReports(MappingSpec spec, byte[] bytes, Charset charset) throws IOException {
        return parseCsvReports(spec, new String(bytes, charset));
    }

    List<InboundReport> parseCsvReports(MappingSpec spec, String text) throws IOException {
        List<InboundReport> out = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        Map<String, String> kindCodes = new LinkedHashMap<>();
        spec.reportCodes.getOrDefault("kind", Map.of()).forEach((k, v) -> kindCodes.put(v, k));
        try (CSVParser parser = CSVParser.parse(text, format)) {
            for (CSVRecord r : parser) {
                Map<String, String> f = new LinkedHashMap<>();
                if (!r.isConsistent()) {
                    throw new MappingException("csv record " + r.getRecordNumber() + " has " + r.size()
                            + " fields, the header " + parser.getHeaderNames().size() + " (truncated or malformed)");
                }
                for (MappingSpec.Column c : spec.reportColumns) {
                    if (!r.isMapped(c.header)) {
                        throw new MappingException("csv answer lacks column " + c.header);
                    }
                    String v = r.get(c.header);
                    f.put(c.field, v == null || v.isEmpty() ? null : v);
                }
                String kind = f.get("kind");
                f.put("kind", kindCodes.getOrDefault(kind, kind));
                out.add(fromMap(f));
            }
        }
        return out;
    }

    public InboundReport parseJsonReport(byte[] bytes, Charset charset) {
        return parseJsonReport(AnswerDecoder.decode(AnswerDecoder.withoutBom(bytes, charset), charset));
    }

    public InboundReport parseJsonReport(String text) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = json.readValue(text, Map.class);
            if (m == null) {
                throw new MappingException("empty JSON answer");
            }
            Map<String, String> f = new LinkedHashMap<>();
            m.forEach((k, v) -> f.put(k, v == null || v instanceof Collection || v instanceof Map ? null : String.valueOf(v)));
            return fromMap(f, kpiValues(m.get("kpiValues")));
        } catch (MappingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MappingException("unparseable JSON answer: " + e.getMessage(), e);
        }
    }

    /** {@code BureauReport} of soap/bureau-exchange.xsd, bare or inside a SOAP envelope. */
    public InboundReport parseXmlReport(byte[] bytes) {
        return parseXmlReport(SafeXml.parse(bytes));
    }

    /** {@code BureauReport} of an already (safely) parsed document. */
    public InboundReport parseXmlReport(Document doc) {
        NodeList reports = doc.getElementsByTagNameNS("*", "BureauReport");
        if (reports.getLength() != 1) {
            throw new MappingException("no BureauReport element");
        }
        Element report = (Element) reports.item(0);
        Map<String, String> m = new LinkedHashMap<>();
        NodeList children = report.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node n = children.item(i);
            if (n instanceof Element e) {
                String name = e.getLocalName();
                m.put(Character.toLowerCase(name.charAt(0)) + name.substring(1), e.getTextContent());
            }
        }
        return fromMap(m);
    }

    /** KPI values of a JSON answer, hub field names (code, value, level, districtCode, schoolCode). */
    static List<Map<String, Object>> kpiValues(Object raw) {
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> items)) {
            throw new MappingException("kpiValues must be an array");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> kpi)) {
                throw new MappingException("kpiValues must hold objects");
            }
            Map<String, Object> k = new LinkedHashMap<>();
            for (String field : List.of("code", "value", "level", "districtCode", "schoolCode")) {
                Object v = kpi.get(field);
                k.put(field, v instanceof Collection || v instanceof Map ? String.valueOf(v) : v);
            }
            out.add(k);
        }
        return out;
    }

    InboundReport fromMap(Map<String, String> f) {
        return fromMap(f, List.of());
    }

    InboundReport fromMap(Map<String, String> f, List<Map<String, Object>> kpis) {
        String kind = f.get("kind");
        InboundReport.Kind k;
        try {
            k = InboundReport.Kind.valueOf(kind);
        } catch (RuntimeException e) {
            throw new MappingException("unknown report kind " + kind);
        }
        Integer percent = null;
        if (f.get("percentComplete") != null) {
            try {
                percent = Integer.valueOf(f.get("percentComplete").trim());
            } catch (NumberFormatException e) {
                throw new MappingException("percentComplete is not a number: " + f.get("percentComplete"));
            }
        }
        return new InboundReport(f.get("messageId"), k, f.get("taskId"), f.get("unitCode"), f.get("signedBy"),
                f.get("period"), percent, f.get("narrative"), f.get("summary"), f.get("requestedDeadline"),
                f.get("reason"), kpis);
    }

    /** Receipt rendered like a task message of kind RECEIPT (so each bureau reads it in its own shape). */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
