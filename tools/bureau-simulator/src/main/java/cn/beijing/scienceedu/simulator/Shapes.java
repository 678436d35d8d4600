package cn.beijing.scienceedu.simulator;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.net.URL;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
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

    /** A report (SIGN_FOR, PROGRESS, SUBMISSION, EXTENSION_REQUEST) as the bureau writes it into its outbox. */
    @SuppressWarnings("unchecked")
    public byte[] reportFile(SimBureaus.Bureau b, String format, Charset cs, Map<String, Object> report) {
        if ("csv".equals(format)) {
            Map<String, Object> spec = spec(b.getMappingFile());
            List<Map<String, String>> columns = (List<Map<String, String>>) spec.get("reportColumns");
            Map<String, String> kinds = codes(spec, "reportCodes", "kind");
            StringWriter w = new StringWriter();
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\r\n")
                    .setHeader(columns.stream().map(c -> c.get("header")).toArray(String[]::new)).get())) {
                List<Object> row = new ArrayList<>();
                for (Map<String, String> c : columns) {
                    Object v = report.get(c.get("field"));
                    if ("kind".equals(c.get("field")) && v != null) {
                        v = kinds.getOrDefault(v.toString(), v.toString());
                    }
                    row.add(v == null ? "" : v);
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

    public String reportXml(Map<String, Object> report, boolean envelope) {
        StringBuilder sb = new StringBuilder();
        if (envelope) {
            sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"").append(SOAP)
                    .append("\"><soapenv:Body>");
        }
        sb.append("<b:BureauReport xmlns:b=\"").append(NS).append("\">");
        for (String k : List.of("messageId", "kind", "taskId", "unitCode", "signedBy", "period", "percentComplete",
                "narrative", "summary", "requestedDeadline", "reason")) {
            Object v = report.get(k);
            if (v != null) {
                String el = Character.toUpperCase(k.charAt(0)) + k.substring(1);
                sb.append("<b:").append(el).append('>').append(escape(v.toString())).append("</b:").append(el).append('>');
            }
        }
        sb.append("</b:BureauReport>");
        if (envelope) {
            sb.append("</soapenv:Body></soapenv:Envelope>");
        }
        return sb.toString();
    }

    public byte[] reportJson(Map<String, Object> report, Charset cs) {
        return json.writeValueAsString(report).getBytes(cs);
    }

    public byte[] json(Object o) {
        return json.writeValueAsString(o).getBytes(StandardCharsets.UTF_8);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

}
