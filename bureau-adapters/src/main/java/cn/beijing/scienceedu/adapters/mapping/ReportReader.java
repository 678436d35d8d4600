package cn.beijing.scienceedu.adapters.mapping;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URL;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.contracts.bureau.model.BureauReportStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what a bureau wrote, in any of its shapes, into the bureau API's own types ({@link BureauWrite}): JSON (AMQP
 * replies, JSON answer files — bureau-api field names plus {@code kind}, {@code taskId}, {@code unitCode}; a
 * {@code json-map} bureau's mapped names for the old fields are taken too), {@code BureauReport} XML (SOAP, XML answer
 * files: element names = field names with a capital; checked against bureau-exchange.xsd) and CSV (columns of the
 * bureau's mapping file, {@code reportColumns}). Every shape is first made into one tree in bureau-api field names, then
 * converted by the generated types, so no shape can carry a field another drops. What cannot be read is named in the
 * write's problems (it is refused with them), or — when not even kind, task and message can be told — a
 * {@link MappingException} (the answer is parked).
 */
@Component
public class ReportReader {

    static final ZoneId BUSINESS_ZONE = ZoneId.of("Asia/Shanghai");
    static final List<String> TIME_FIELDS = List.of("signedAt", "reportedAt", "submittedAt", "requestedAt");
    static final List<String> KPI_LEVELS = List.of("SCHOOL", "DISTRICT", "CITY");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final PayloadMapper mapper;
    /** Lenient about fields the type does not know (another kind's time, a bureau's extra field): never fatal. */
    private final JsonMapper json;
    private final Schema exchangeSchema;

    public ReportReader(PayloadMapper mapper, JsonMapper json) {
        this.mapper = mapper;
        // the bureau's times keep the offset it sent (not turned into UTC)
        this.json = json.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(tools.jackson.databind.cfg.DateTimeFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE).build();
        try {
            URL xsd = getClass().getResource("/soap/bureau-exchange.xsd");
            this.exchangeSchema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd);
        } catch (Exception e) {
            throw new IllegalStateException("bureau-exchange.xsd: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------- the shapes

    /** An answer file from a bureau's outbox (CSV per its mapping, {@code BureauReport} XML, or JSON). */
    public List<BureauWrite> readFile(Bureau bureau, byte[] bytes, String fileName, OffsetDateTime receivedAt) {
        try {
            // strictly in the declared charset: a wrong charset is refused, not read as mojibake
            byte[] content = AnswerDecoder.withoutBom(bytes, bureau.charset());
            String text = AnswerDecoder.decode(content, bureau.charset());
            List<BureauWrite> writes;
            if ("csv".equals(bureau.mapping().format())) {
                if (!text.endsWith("\n")) {
                    // every record the bureau writes ends with a line break: without one the file was cut off
                    throw new MappingException("truncated: the last record has no line end");
                }
                writes = readCsv(mapper.spec(bureau.mapping().file()), text, receivedAt);
            } else if (fileName.endsWith(".json")) {
                writes = List.of(readJson(bureau, text, receivedAt));
            } else {
                Document doc = SafeXml.parse(content);
                List<String> invalid = validate(doc);
                if (!invalid.isEmpty()) {
                    throw new MappingException("BureauReport does not match bureau-exchange.xsd: " + String.join("; ", invalid));
                }
                writes = List.of(readXml(doc, receivedAt));
            }
            if (writes.isEmpty()) {
                throw new MappingException("no report in the file");
            }
            return writes;
        } catch (MappingException e) {
            throw e;
        } catch (Exception e) {
            throw new MappingException("cannot parse " + fileName + ": " + e.getMessage(), e);
        }
    }

    /** A JSON answer (AMQP reply, JSON answer file) in the bureau's charset. */
    public BureauWrite readJson(Bureau bureau, byte[] bytes, OffsetDateTime receivedAt) {
        return readJson(bureau, AnswerDecoder.decode(AnswerDecoder.withoutBom(bytes, bureau.charset()), bureau.charset()),
                receivedAt);
    }

    public BureauWrite readJson(Bureau bureau, String text, OffsetDateTime receivedAt) {
        Map<String, Object> tree;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = json.readValue(text, Map.class);
            tree = m;
        } catch (RuntimeException e) {
            throw new MappingException("unparseable JSON answer: " + e.getMessage(), e);
        }
        if (tree == null) {
            throw new MappingException("empty JSON answer");
        }
        if (bureau != null && "json-map".equals(bureau.mapping().format()) && bureau.mapping().file() != null) {
            tree = unmapFields(mapper.spec(bureau.mapping().file()), tree);
        }
        return fromTree(tree, receivedAt);
    }

    /** A json-map bureau's own names for the old fields, taken back to the bureau-api names (the hub's win). */
    static Map<String, Object> unmapFields(MappingSpec spec, Map<String, Object> in) {
        Map<String, Object> out = new LinkedHashMap<>(in);
        spec.fields.forEach((field, own) -> {
            if (!out.containsKey(field) && out.containsKey(own)) {
                out.put(field, out.remove(own));
            }
        });
        Map<String, String> kinds = spec.reportCodes.get("kind");
        if (kinds != null && out.get("kind") != null) {
            String k = String.valueOf(out.get("kind"));
            kinds.forEach((kind, code) -> {
                if (code.equals(k)) {
                    out.put("kind", kind);
                }
            });
        }
        return out;
    }

    /** What does not match bureau-exchange.xsd in a bare {@code BureauReport} document (empty: it matches). */
    public List<String> validate(Document doc) {
        List<String> errors = new ArrayList<>();
        try {
            Validator v = exchangeSchema.newValidator();
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            v.validate(new DOMSource(doc));
        } catch (org.xml.sax.SAXException e) {
            errors.add(e.getMessage());
        } catch (IOException e) {
            errors.add(e.getMessage());
        }
        return errors;
    }

    /** {@code BureauReport} of an already (safely) parsed document, bare or inside a SOAP envelope. */
    public BureauWrite readXml(Document doc, OffsetDateTime receivedAt) {
        return fromTree(xmlTree(doc), receivedAt);
    }

    /** The {@code BureauReport} element as a tree in bureau-api names (lists for KpiValues and Evidence). */
    public static Map<String, Object> xmlTree(Document doc) {
        NodeList reports = doc.getElementsByTagNameNS("*", "BureauReport");
        if (reports.getLength() != 1) {
            throw new MappingException("no BureauReport element");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Element e : children((Element) reports.item(0))) {
            String name = field(e.getLocalName());
            switch (name) {
                case "kpiValues" -> m.put(name, children(e).stream().map(ReportReader::flat).toList());
                case "evidence" -> m.put(name, children(e).stream().map(ReportReader::flat).toList());
                default -> m.put(name, e.getTextContent());
            }
        }
        return m;
    }

    private static Map<String, Object> flat(Element parent) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Element e : children(parent)) {
            String name = field(e.getLocalName());
            String text = e.getTextContent();
            // xs:base64Binary may be folded over lines
            m.put(name, "content".equals(name) ? WHITESPACE.matcher(text).replaceAll("") : text);
        }
        return m;
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static String field(String element) {
        return Character.toLowerCase(element.charAt(0)) + element.substring(1);
    }

    /** The CSV answer columns of a mapping ({@code reportColumns}): header exactly these, in this order. */
    public List<BureauWrite> readCsv(MappingSpec spec, String text, OffsetDateTime receivedAt) throws IOException {
        List<BureauWrite> out = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        Map<String, String> kindCodes = reverse(spec.reportCodes.get("kind"));
        Map<String, String> statusCodes = reverse(spec.reportCodes.get("status"));
        try (CSVParser parser = CSVParser.parse(text, format)) {
            checkHeader(spec, parser.getHeaderNames());
            for (CSVRecord r : parser) {
                if (!r.isConsistent()) {
                    throw new MappingException("csv record " + r.getRecordNumber() + " has " + r.size()
                            + " fields, the header " + parser.getHeaderNames().size() + " (truncated or malformed)");
                }
                Map<String, Object> tree = new LinkedHashMap<>();
                List<String> problems = new ArrayList<>();
                for (MappingSpec.Column c : spec.reportColumns) {
                    String v = r.get(c.header);
                    if (v == null || v.isEmpty()) {
                        continue;
                    }
                    switch (c.field) {
                        case "kind" -> tree.put("kind", kindCodes.getOrDefault(v, v));
                        case "status" -> {
                            String status = statusCodes.getOrDefault(v, v);
                            tree.put("status", status);
                        }
                        case "kpiValues", "evidence" -> tree.put(c.field, entries(spec, c, v, problems));
                        case "sentAt" -> tree.put("sentAt", csvTime(spec, c, v, problems));
                        default -> tree.put(c.field, v);
                    }
                }
                BureauWrite w = fromTree(tree, receivedAt);
                out.add(problems.isEmpty() ? w : w.withProblems(problems));
            }
        }
        return out;
    }

    /** Every report column present, none shifted: the header is the mapping's columns in the mapping's order. */
    static void checkHeader(MappingSpec spec, List<String> header) {
        for (MappingSpec.Column c : spec.reportColumns) {
            if (!header.contains(c.header)) {
                throw new MappingException("csv answer lacks column " + c.header);
            }
        }
        List<String> expected = spec.reportColumns.stream().map(c -> c.header).toList();
        for (int i = 0; i < expected.size(); i++) {
            if (i >= header.size() || !expected.get(i).equals(header.get(i))) {
                throw new MappingException("csv answer column " + (i + 1) + " is " + (i < header.size() ? header.get(i) : "missing")
                        + ", expected " + expected.get(i) + " (columns shifted; expected " + String.join(",", expected) + ")");
            }
        }
        if (header.size() > expected.size()) {
            throw new MappingException("csv answer has unknown column(s) after " + expected.get(expected.size() - 1)
                    + ": " + header.subList(expected.size(), header.size()));
        }
    }

    /** A list cell ({@code 指标数据}, {@code 佐证材料}): entries by listSeparator, parts by partSeparator. */
    static List<Map<String, Object>> entries(MappingSpec spec, MappingSpec.Column c, String cell, List<String> problems) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<String> parts = c.parts == null ? List.of() : c.parts;
        String[] items = cell.split(Pattern.quote(spec.listSeparator), -1);
        for (int i = 0; i < items.length; i++) {
            String item = items[i].trim();
            String[] p = item.split(Pattern.quote(spec.partSeparator), -1);
            if (p.length != parts.size()) {
                problems.add(c.header + " entry " + (i + 1) + " '" + item + "': " + parts.size() + " parts "
                        + String.join(spec.partSeparator, parts) + " expected, found " + p.length);
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            for (int j = 0; j < p.length; j++) {
                String v = p[j].trim();
                if (v.isEmpty()) {
                    continue;
                }
                String field = parts.get(j);
                if (field.equals("value") || field.equals("size")) {
                    try {
                        m.put(field, new BigDecimal(v));
                    } catch (NumberFormatException e) {
                        problems.add(c.header + " entry " + (i + 1) + ": " + field + " '" + v + "' is not a number");
                        continue;
                    }
                } else {
                    m.put(field, v);
                }
            }
            out.add(m);
        }
        return out;
    }

    /** {@code 报送时间}: the mapping's dateTimeFormat in Asia/Shanghai, or ISO-8601 with an offset. */
    static String csvTime(MappingSpec spec, MappingSpec.Column c, String v, List<String> problems) {
        try {
            return OffsetDateTime.parse(v).toString();
        } catch (DateTimeParseException notIso) {
            try {
                return LocalDateTime.parse(v, DateTimeFormatter.ofPattern(spec.dateTimeFormat == null
                        ? "yyyy-MM-dd HH:mm:ss" : spec.dateTimeFormat)).atZone(BUSINESS_ZONE).toOffsetDateTime().toString();
            } catch (DateTimeParseException e) {
                problems.add(c.header + " '" + v + "': " + (spec.dateTimeFormat == null ? "yyyy-MM-dd HH:mm:ss" : spec.dateTimeFormat)
                        + " (Asia/Shanghai) or ISO-8601 with offset expected");
                return null;
            }
        }
    }

    private static Map<String, String> reverse(Map<String, String> codes) {
        Map<String, String> r = new LinkedHashMap<>();
        if (codes != null) {
            codes.forEach((k, v) -> r.put(v, k));
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------- one tree → the type

    /**
     * A tree in bureau-api names (+ kind, taskId, unitCode) into the write. Kind, task and message id are read first
     * (without them the answer cannot even be answered: parked); every other field is the generated type's business.
     */
    public BureauWrite fromTree(Map<String, Object> in, OffsetDateTime receivedAt) {
        Map<String, Object> tree = new LinkedHashMap<>(in);
        Object kindValue = tree.remove("kind");
        BureauWrite.Kind kind;
        try {
            kind = BureauWrite.Kind.valueOf(String.valueOf(kindValue));
        } catch (RuntimeException e) {
            throw new MappingException("unknown report kind " + kindValue);
        }
        String taskId = text(tree.remove("taskId"));
        String unitCode = text(tree.remove("unitCode"));
        String messageId = text(tree.get("messageId"));
        List<String> problems = new ArrayList<>();
        // the bureau's own time, named for its kind (CSV has one column for all four)
        Object sentAt = tree.remove("sentAt");
        if (sentAt != null && tree.get(kind.timeField()) == null) {
            tree.put(kind.timeField(), sentAt);
        }
        for (String f : TIME_FIELDS) {
            if (tree.get(f) instanceof String s) {
                tree.put(f, isoTime(f, s, problems));
            }
        }
        if (kind == BureauWrite.Kind.SIGN_FOR) {
            // the XML and CSV shapes carry a sign-for's note as Narrative; a CSV signer may be named as reporter only
            if (tree.get("note") == null && tree.get("narrative") != null) {
                tree.put("note", tree.get("narrative"));
            }
            if (tree.get("signedBy") == null && tree.get("reporter") != null) {
                tree.put("signedBy", tree.get("reporter"));
            }
        }
        Object status = tree.get("status");
        if (status != null && kind == BureauWrite.Kind.PROGRESS) {
            try {
                BureauReportStatus.fromValue(String.valueOf(status));
            } catch (IllegalArgumentException e) {
                problems.add("status: unknown value '" + status + "' (" + Arrays.stream(BureauReportStatus.values())
                        .map(BureauReportStatus::getValue).reduce((a, b) -> a + ", " + b).orElse("") + ")");
                tree.remove("status");
            }
        }
        if (tree.get("kpiValues") instanceof Collection<?> kpis) {
            int i = 0;
            for (Object k : kpis) {
                if (k instanceof Map<?, ?> m && m.get("level") != null && !KPI_LEVELS.contains(String.valueOf(m.get("level")))) {
                    problems.add("kpiValues[" + i + "].level: unknown value '" + m.get("level") + "' (SCHOOL, DISTRICT, CITY)");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> mm = (Map<String, Object>) m;
                    mm.remove("level");
                }
                i++;
            }
        }
        Object body = null;
        try {
            body = json.convertValue(tree, kind.type());
        } catch (JacksonException e) {
            problems.add(describe(e));
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return new BureauWrite(kind, messageId, taskId, unitCode, body, problems, receivedAt);
    }

    /** A time as ISO-8601 with offset: one without an offset is taken in Asia/Shanghai. */
    static Object isoTime(String field, String v, List<String> problems) {
        String t = v.trim();
        try {
            return OffsetDateTime.parse(t).toString();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(t).atZone(BUSINESS_ZONE).toOffsetDateTime().toString();
            } catch (DateTimeParseException e) {
                problems.add(field + " '" + v + "': an ISO-8601 date-time expected");
                return null;
            }
        }
    }

    /** A conversion failure named by the field it happened in. */
    static String describe(JacksonException e) {
        String path = e.getPath().stream().map(r -> r.getPropertyName() != null ? r.getPropertyName()
                : "[" + r.getIndex() + "]").reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
        String msg = e.getOriginalMessage();
        int nl = msg == null ? -1 : msg.indexOf('\n');
        return (path.isEmpty() ? "" : path + ": ") + (nl > 0 ? msg.substring(0, nl) : msg);
    }

    private static String text(Object o) {
        return o == null || o instanceof Collection || o instanceof Map ? null : String.valueOf(o);
    }
}
