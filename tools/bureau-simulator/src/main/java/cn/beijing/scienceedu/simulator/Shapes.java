package cn.beijing.scienceedu.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads what the hub sends in each bureau's own shape back into the hub's field names, checking it on
 * the way (contract XSD for SOAP, required fields and code lists for JSON/CSV/XML), and writes the
 * bureau's answers in its shape.
 */
@Component
public class Shapes {

    static final String NS = "urn:cn:beijing:scienceedu:hub:bureau:v1";
    static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    static final Set<String> KINDS = Set.of("ASSIGNMENT", "URGING", "RETURN", "EXTENSION_DECISION", "CANCELLATION", "RECEIPT");

    public record Read(Map<String, Object> fields, List<String> errors) {
    }

    private final ResourceLoader resources;
    private final JsonMapper json = JsonMapper.builder().build();
    private final YAMLMapper yaml = YAMLMapper.builder().build();
    private final Map<String, Map<String, Object>> specs = new ConcurrentHashMap<>();
    private final Schema soapSchema;

    public Shapes(ResourceLoader resources) throws Exception {
        this.resources = resources;
        URL xsd = getClass().getResource("/soap/soap-envelope-1.1.xsd");
        this.soapSchema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> spec(String location) {
        return specs.computeIfAbsent(location, l -> {
            try (InputStream in = resources.getResource(l).getInputStream()) {
                return yaml.readValue(in, Map.class);
            } catch (IOException e) {
                throw new IllegalStateException("mapping " + l + ": " + e.getMessage(), e);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> sub(Map<String, Object> spec, String key) {
        Object o = spec.get(key);
        return o == null ? Map.of() : (Map<String, String>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> codes(Map<String, Object> spec, String section, String field) {
        Map<String, Object> all = (Map<String, Object>) spec.getOrDefault(section, Map.of());
        Object c = all.get(field);
        return c == null ? Map.of() : (Map<String, String>) c;
    }

    // ---------------------------------------------------------------- what the hub sends

    @SuppressWarnings("unchecked")
    public Read readJson(SimBureaus.Bureau b, String format, byte[] raw, Charset cs) {
        List<String> errors = new ArrayList<>();
        Map<String, Object> in;
        try {
            in = json.readValue(new String(raw, cs), Map.class);
        } catch (RuntimeException e) {
            return new Read(new LinkedHashMap<>(), List.of("not JSON: " + e.getMessage()));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        if ("json-map".equals(format)) {
            Map<String, Object> spec = spec(b.getMappingFile());
            Map<String, String> names = sub(spec, "fields");
            for (Object r : (List<Object>) spec.getOrDefault("required", List.of())) {
                if (in.get(r.toString()) == null) {
                    errors.add("missing " + r);
                }
            }
            names.forEach((hub, own) -> {
                Object v = in.get(own);
                if (v == null) {
                    return;
                }
                Map<String, String> c = codes(spec, "codes", hub);
                if (!c.isEmpty()) {
                    String back = c.entrySet().stream().filter(e -> e.getValue().equals(v.toString()))
                            .map(Map.Entry::getKey).findFirst().orElse(null);
                    if (back == null) {
                        errors.add(own + ": code " + v + " not in the code list");
                    }
                    fields.put(hub, back);
                } else if ("deadline".equals(hub)) {
                    try {
                        fields.put(hub, LocalDate.parse(v.toString(),
                                DateTimeFormatter.ofPattern(String.valueOf(spec.get("dateFormat")))).toString());
                    } catch (RuntimeException e) {
                        errors.add(own + ": date " + v + " not in format " + spec.get("dateFormat"));
                    }
                } else {
                    fields.put(hub, v);
                }
            });
        } else {
            fields.putAll(in);
            for (String r : List.of("messageId", "kind", "taskId", "unitCode")) {
                if (fields.get(r) == null) {
                    errors.add("missing " + r);
                }
            }
        }
        checkCommon(b, fields, errors);
        return new Read(fields, errors);
    }

    public Read readSoap(SimBureaus.Bureau b, byte[] raw) {
        List<String> errors = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(raw)) {
            soapSchema.newValidator().validate(new StreamSource(in));
        } catch (Exception e) {
            errors.add("XSD: " + e.getMessage());
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        try {
            Document doc = parse(raw);
            NodeList tm = doc.getElementsByTagNameNS(NS, "TaskMessage");
            if (tm.getLength() != 1) {
                errors.add("no TaskMessage in the Body");
            } else {
                readChildren((Element) tm.item(0), fields);
            }
        } catch (Exception e) {
            errors.add("not XML: " + e.getMessage());
        }
        checkCommon(b, fields, errors);
        return new Read(fields, errors);
    }

    @SuppressWarnings("unchecked")
    public Read readCsv(SimBureaus.Bureau b, byte[] raw, Charset cs) {
        List<String> errors = new ArrayList<>();
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, Object> spec = spec(b.getMappingFile());
        List<Map<String, String>> columns = (List<Map<String, String>>) spec.get("columns");
        try (CSVParser p = CSVParser.parse(new InputStreamReader(new ByteArrayInputStream(raw), cs),
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            List<String> header = p.getHeaderNames();
            List<String> expected = columns.stream().map(c -> c.get("header")).toList();
            if (!header.equals(expected)) {
                errors.add("header " + header + " is not " + expected);
            }
            List<CSVRecord> rows = p.getRecords();
            if (rows.size() != 1) {
                errors.add("expected one row, found " + rows.size());
            }
            if (!rows.isEmpty()) {
                CSVRecord r = rows.get(0);
                for (Map<String, String> c : columns) {
                    if (!r.isMapped(c.get("header"))) {
                        continue;
                    }
                    String v = r.get(c.get("header"));
                    if (v == null || v.isEmpty()) {
                        continue;
                    }
                    String hub = c.get("field");
                    Map<String, String> code = codes(spec, "codes", hub);
                    if (!code.isEmpty()) {
                        String back = code.entrySet().stream().filter(e -> e.getValue().equals(v)).map(Map.Entry::getKey)
                                .findFirst().orElse(null);
                        if (back == null) {
                            errors.add(c.get("header") + ": code " + v + " not in the code list");
                        }
                        fields.put(hub, back);
                    } else if ("workItems".equals(hub)) {
                        fields.put(hub, List.of(v.split(String.valueOf(spec.getOrDefault("listSeparator", ";")))));
                    } else {
                        fields.put(hub, v);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            errors.add("not CSV: " + e.getMessage());
        }
        checkCommon(b, fields, errors);
        return new Read(fields, errors);
    }

    /** The exchange-file XML of file-task-xml.xsl ({@code RWXX}). */
    public Read readFileXml(SimBureaus.Bureau b, byte[] raw) {
        List<String> errors = new ArrayList<>();
        Map<String, Object> fields = new LinkedHashMap<>();
        try {
            Document doc = parse(raw);
            Element root = doc.getDocumentElement();
            if (!"RWXX".equals(root.getLocalName())) {
                errors.add("root is " + root.getLocalName() + ", not RWXX");
            }
            Map<String, String> names = Map.of("XXBH", "messageId", "XXLX", "kind", "RWBH", "taskId", "DWDM", "unitCode",
                    "CSXH", "measureNo", "CSMC", "measureTitle", "WCSX", "deadline", "YY", "reason", "BBH", "version",
                    "FSSJ", "issuedAt");
            NodeList children = root.getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                if (children.item(i) instanceof Element e && names.containsKey(e.getLocalName())
                        && !e.getTextContent().isBlank()) {
                    fields.put(names.get(e.getLocalName()), e.getTextContent());
                }
            }
        } catch (Exception e) {
            errors.add("not XML: " + e.getMessage());
        }
        checkCommon(b, fields, errors);
        return new Read(fields, errors);
    }

    private static void checkCommon(SimBureaus.Bureau b, Map<String, Object> fields, List<String> errors) {
        Object kind = fields.get("kind");
        if (kind == null || !KINDS.contains(kind.toString())) {
            errors.add("kind " + kind + " unknown");
        }
        if (fields.get("taskId") == null) {
            errors.add("taskId missing");
        }
        if (fields.get("messageId") == null) {
            errors.add("messageId missing");
        }
        Object unit = fields.get("unitCode");
        if (unit != null && !unit.toString().equals(b.code())) {
            errors.add("unitCode " + unit + " is not " + b.code());
        }
    }

    static Document parse(byte[] raw) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(raw));
    }

    static void readChildren(Element parent, Map<String, Object> fields) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e) {
                String n = e.getLocalName();
                String key = Character.toLowerCase(n.charAt(0)) + n.substring(1);
                if ("workItems".equals(key)) {
                    List<String> items = new ArrayList<>();
                    NodeList it = e.getElementsByTagNameNS(NS, "Item");
                    for (int j = 0; j < it.getLength(); j++) {
                        items.add(it.item(j).getTextContent());
                    }
                    fields.put(key, items);
                } else {
                    fields.put(key, e.getTextContent());
                }
            }
        }
    }

    // ---------------------------------------------------------------- what the bureau answers

    /**
     * A report (SIGN_FOR, PROGRESS, SUBMISSION, EXTENSION_REQUEST) as the bureau writes it into its outbox: CSV by the
     * mapping file's {@code reportColumns} (kind and status through {@code reportCodes}; {@code sentAt} is the
     * bureau's time of whichever kind, in {@code dateTimeFormat} Asia/Shanghai; a column with {@code parts} lists
     * entries separated by {@code listSeparator}, their parts by {@code partSeparator}) — or the bare
     * {@code BureauReport} XML. Evidence bytes are not in a CSV (they go beside it, see {@link Sender}).
     */
    @SuppressWarnings("unchecked")
    public byte[] reportFile(SimBureaus.Bureau b, String format, Charset cs, Map<String, Object> given) {
        Map<String, Object> report = noteAsNarrative(given);
        if ("csv".equals(format)) {
            Map<String, Object> spec = spec(b.getMappingFile());
            List<Map<String, Object>> columns = (List<Map<String, Object>>) spec.get("reportColumns");
            String listSeparator = String.valueOf(spec.getOrDefault("listSeparator", "；"));
            String partSeparator = String.valueOf(spec.getOrDefault("partSeparator", "|"));
            Object dtf = spec.get("dateTimeFormat");
            DateTimeFormatter times = dtf == null ? BureauAnswers.ISO_SECONDS : DateTimeFormatter.ofPattern(dtf.toString());
            StringWriter w = new StringWriter();
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\r\n")
                    .setHeader(columns.stream().map(c -> String.valueOf(c.get("header"))).toArray(String[]::new)).get())) {
                List<Object> row = new ArrayList<>();
                for (Map<String, Object> c : columns) {
                    String field = String.valueOf(c.get("field"));
                    Object v = "sentAt".equals(field) ? bureauTime(report) : report.get(field);
                    if (v == null) {
                        row.add("");
                    } else if ("sentAt".equals(field)) {
                        row.add(times.format(OffsetDateTime.parse(v.toString()).atZoneSameInstant(BureauAnswers.SHANGHAI)));
                    } else if (c.get("parts") instanceof List<?> parts && v instanceof List<?> entries) {
                        List<String> out = new ArrayList<>();
                        for (Object e : entries) {
                            Map<String, Object> entry = (Map<String, Object>) e;
                            out.add(String.join(partSeparator, parts.stream().map(part -> text(entry.get(part.toString()))).toList()));
                        }
                        row.add(String.join(listSeparator, out));
                    } else {
                        Map<String, String> code = codes(spec, "reportCodes", field);
                        row.add(code.getOrDefault(text(v), text(v)));
                    }
                }
                p.printRecord(row);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return w.toString().getBytes(cs);
        }
        String xml = "<?xml version=\"1.0\" encoding=\"" + cs.name() + "\"?>\r\n" + reportXml(report, false);
        return xml.getBytes(cs);
    }

    /** The XML and CSV shapes have no Note: a sign-for's note goes in Narrative (where the hub reads it). */
    static Map<String, Object> noteAsNarrative(Map<String, Object> report) {
        if (!"SIGN_FOR".equals(report.get("kind")) || report.get("note") == null || report.get("narrative") != null) {
            return report;
        }
        Map<String, Object> r = new LinkedHashMap<>(report);
        r.put("narrative", r.get("note"));
        return r;
    }

    /** The bureau's own time of the report, whichever kind it is (signedAt, reportedAt, submittedAt, requestedAt). */
    static Object bureauTime(Map<String, Object> report) {
        for (String f : List.of("signedAt", "reportedAt", "submittedAt", "requestedAt")) {
            if (report.get(f) != null) {
                return report.get(f);
            }
        }
        return null;
    }

    /** A value as a bureau writes it: numbers plain ({@code 87.5}, {@code 3}), never in exponent form. */
    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double || v instanceof Float) {
            return BigDecimal.valueOf(((Number) v).doubleValue()).stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }

    /** The fields of {@code BureauReport} in the XSD's order (element = field name with a capital). */
    static final List<String> REPORT_FIELDS = List.of("messageId", "kind", "taskId", "unitCode", "signedBy", "period",
            "percentComplete", "narrative", "summary", "requestedDeadline", "reason", "signedAt", "reportedAt",
            "submittedAt", "requestedAt", "status", "problems", "nextSteps", "reporter");
    static final List<String> KPI_FIELDS = List.of("code", "value", "level", "districtCode", "schoolCode");
    static final List<String> EVIDENCE_FIELDS = List.of("name", "contentType", "size", "sha256", "attachmentId", "content");

    /** {@code BureauReport} of soap/bureau-exchange.xsd, in a SOAP 1.1 envelope or bare (file exchange). */
    @SuppressWarnings("unchecked")
    public String reportXml(Map<String, Object> given, boolean envelope) {
        Map<String, Object> report = noteAsNarrative(given);
        StringBuilder sb = new StringBuilder();
        if (envelope) {
            sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"").append(SOAP)
                    .append("\"><soapenv:Body>");
        }
        sb.append("<b:BureauReport xmlns:b=\"").append(NS).append("\">");
        for (String k : REPORT_FIELDS) {
            element(sb, k, report.get(k));
        }
        if (report.get("kpiValues") instanceof List<?> values && !values.isEmpty()) {
            sb.append("<b:KpiValues>");
            for (Object v : values) {
                sb.append("<b:KpiValue>");
                KPI_FIELDS.forEach(f -> element(sb, f, ((Map<String, Object>) v).get(f)));
                sb.append("</b:KpiValue>");
            }
            sb.append("</b:KpiValues>");
        }
        if (report.get("evidence") instanceof List<?> items && !items.isEmpty()) {
            sb.append("<b:Evidence>");
            for (Object e : items) {
                sb.append("<b:Item>");
                EVIDENCE_FIELDS.forEach(f -> element(sb, f, ((Map<String, Object>) e).get(f)));
                sb.append("</b:Item>");
            }
            sb.append("</b:Evidence>");
        }
        sb.append("</b:BureauReport>");
        if (envelope) {
            sb.append("</soapenv:Body></soapenv:Envelope>");
        }
        return sb.toString();
    }

    private static void element(StringBuilder sb, String field, Object v) {
        if (v != null) {
            String el = Character.toUpperCase(field.charAt(0)) + field.substring(1);
            sb.append("<b:").append(el).append('>').append(escape(text(v))).append("</b:").append(el).append('>');
        }
    }

    public byte[] reportJson(Map<String, Object> report, Charset cs) {
        return json.writeValueAsString(report).getBytes(cs);
    }

    /**
     * An AMQP answer: bureau-api field names plus kind, taskId, unitCode; a {@code json-map} bureau (tsw-json.yaml: 市妇联)
     * keeps its own names for the fields its mapping file names (msgNo, msgType, taskCode, orgCode, remark …), the
     * fields it does not name keep the bureau-api names.
     */
    public byte[] reportJson(SimBureaus.Bureau b, String format, Map<String, Object> report, Charset cs) {
        if (!"json-map".equals(format) || b.getMappingFile() == null) {
            return reportJson(report, cs);
        }
        Map<String, String> names = sub(spec(b.getMappingFile()), "fields");
        Map<String, Object> own = new LinkedHashMap<>();
        report.forEach((k, v) -> own.put(names.getOrDefault(k, k), v));
        return reportJson(own, cs);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> readMap(String text) {
        return json.readValue(text, Map.class);
    }

    public byte[] json(Object o) {
        return json.writeValueAsString(o).getBytes(StandardCharsets.UTF_8);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

}
