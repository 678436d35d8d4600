package cn.beijing.scienceedu.adapters.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.Protocol;
import cn.beijing.scienceedu.contracts.bureau.model.BureauTaskMessage;
import cn.beijing.scienceedu.contracts.bureau.model.BureauTaskMessage.ExtensionDecisionEnum;
import cn.beijing.scienceedu.contracts.bureau.model.BureauTaskMessage.KindEnum;
import cn.beijing.scienceedu.contracts.bureau.model.BureauTaskMessage.RoleEnum;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a bureau receives, shape by shape, without Spring, database or broker: the hub's message ({@link
 * BureauTaskMessage}) as the outbox keeps it, as hub-json, as a bureau's own JSON names ({@code json-map}), as a CSV
 * exchange file in GB18030 or UTF-8, and as the canonical XML the SOAP envelope and exchange XML are made from. Every
 * field a shape carries arrives with its value — Chinese text and characters outside the BMP (𠀀 U+20000, 𪚥 U+2A6A5)
 * intact, in the bureau's own character set, commas, quotes, line breaks and markup characters escaped and read back
 * whole — and a field the message lacks is left out, never written as {@code null}.
 */
class PayloadMapperTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    final PayloadMapper payloads = new PayloadMapper(new DefaultResourceLoader(), JSON);

    static final Charset GB18030 = Charset.forName("GB18030");
    /** 09:00:00 in Beijing. */
    static final OffsetDateTime ISSUED = OffsetDateTime.parse("2025-01-06T01:00:00Z");
    /** A bureau's own time with a fraction, 16:05:00.25 in Beijing, sent in UTC. */
    static final OffsetDateTime SENT = OffsetDateTime.parse("2025-01-05T08:05:00.25Z");
    static final String RARE = "联系人：张𠀀、王𪚥";
    static final String AWKWARD = "经费到位率 <80% & \"待复核\", 见附件\n第二行";

    /** Every field of the contract set, Chinese text, rare characters, and text that needs escaping in every shape. */
    static BureauTaskMessage full() {
        return new BureauTaskMessage("7d0c2a4e-9f1b-3c5d-8e7f-0a1b2c3d4e5f", KindEnum.EXTENSION_DECISION, "T-CZJ-M09", "CZJ")
                .policyId("bj-sciedu-20-2024").measureNo(9).measureTitle("加强科学教育经费保障")
                .role(RoleEnum.COOPERATING).leadUnitCode("SJW").status("IN_PROGRESS").deadline(LocalDate.of(2025, 6, 30))
                .workItems(new ArrayList<>(List.of("保障科学教育经费投入", RARE, AWKWARD)))
                .reason("同意延期至 2025-07-31；" + AWKWARD).urgingLevel(2).extensionDecision(ExtensionDecisionEnum.APPROVED)
                .version(7).issuedAt(ISSUED).sentAt(SENT).taskStatus("IN_PROGRESS");
    }

    /** Only what the contract requires, and the hub's time every message has. */
    static BureauTaskMessage minimal() {
        return new BureauTaskMessage("m-min", KindEnum.CANCELLATION, "T-SJW-M01", "SJW").workItems(new ArrayList<>())
                .issuedAt(ISSUED);
    }

    static Bureau bureau(String code, Protocol protocol, String format, String file, Charset charset) {
        return new Bureau(code, code, null, protocol, "https://203.0.113.10/" + code, null, new Bureau.Mapping(format, file),
                charset, null, new Bureau.Schedule(Duration.ofSeconds(5)),
                new Bureau.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)),
                new Bureau.Retry(3, Duration.ofMillis(500), 2.0, Duration.ofMinutes(5), 0.25, Duration.ofSeconds(30)));
    }

    static final Bureau SJW = bureau("SJW", Protocol.REST, "hub-json", null, StandardCharsets.UTF_8);
    static final Bureau FGW = bureau("FGW", Protocol.REST, "json-map", "classpath:mappings/fgw-json.yaml",
            StandardCharsets.UTF_8);
    static final Bureau CZJ = bureau("CZJ", Protocol.FILE, "csv", "classpath:mappings/csv-gb.yaml", GB18030);
    static final Bureau NNJ = bureau("NNJ", Protocol.SFTP, "csv", "classpath:mappings/csv-gb.yaml", StandardCharsets.UTF_8);
    static final Bureau SKW = bureau("SKW", Protocol.SOAP, "xslt", "classpath:mappings/soap-task-message.xsl",
            StandardCharsets.UTF_8);
    static final Bureau TXGLJ = bureau("TXGLJ", Protocol.SFTP, "xslt", "classpath:mappings/file-task-xml.xsl", GB18030);

    /**
     * The fields of the contract that a shape has no place for today (its exchange format lacks them). Listed so that a
     * field added to bureau-api.yaml cannot go missing from a shape unnoticed: it must be carried, or named here.
     */
    static final Map<String, Set<String>> NOT_CARRIED_TODAY = Map.of(
            "hub-json", Set.of(),
            "mappings/fgw-json.yaml", Set.of(),
            "mappings/tsw-json.yaml", Set.of("policyId", "leadUnitCode", "urgingLevel", "extensionDecision"),
            "mappings/csv-gb.yaml", Set.of("policyId", "leadUnitCode", "urgingLevel", "extensionDecision"),
            // TaskMessage of soap/bureau-exchange.xsd
            "mappings/soap-task-message.xsl", Set.of("policyId", "leadUnitCode", "status", "urgingLevel",
                    "extensionDecision", "sentAt", "taskStatus"),
            // RWXX; status, taskStatus and sentAt for a receipt (回执) only
            "mappings/file-task-xml.xsl", Set.of("policyId", "leadUnitCode", "urgingLevel", "extensionDecision"));

    // ---- the outbox and hub-json ----------------------------------------------------------------------------------

    @Test
    void theOutboxKeepsEveryFieldOfTheContractAndReadsBackTheSameMessage() throws Exception {
        Set<String> contract = BureauFieldCoverageTest.properties(BureauFieldCoverageTest.schemas(), "BureauTaskMessage");
        Map<String, Object> asJson = JSON.readValue(JSON.writeValueAsString(full()), new TypeReference<>() { });
        assertThat(asJson.keySet()).as("the test message sets every field of the contract").containsAll(contract);
        assertThat(PayloadMapper.fields(full()).keySet()).as("fields the outbox keeps").containsExactlyElementsOf(contract);

        // what TaskEventIntake stores and OutboundGateway reads back before rendering
        BureauTaskMessage again = JSON.readValue(JSON.writeValueAsString(PayloadMapper.fields(full())), BureauTaskMessage.class);
        assertThat(again).usingRecursiveComparison()
                .withComparatorForType((a, b) -> a.toInstant().compareTo(b.toInstant()), OffsetDateTime.class)
                .isEqualTo(full());
        assertThat(again.getWorkItems()).containsExactly("保障科学教育经费投入", RARE, AWKWARD);
        assertThat(PayloadMapper.fields(again)).isEqualTo(PayloadMapper.fields(full()));
    }

    @Test
    void theHubsTimesAreWrittenInBeijingTimeWithSecondsAndTheBureausTimeKeepsItsFraction() {
        Map<String, Object> f = PayloadMapper.fields(full().issuedAt(OffsetDateTime.parse("2025-03-31T16:00:00Z")));
        // xs:dateTime needs the seconds even when they are zero (OffsetDateTime.toString would drop them)
        assertThat(f.get("issuedAt")).isEqualTo("2025-04-01T00:00:00+08:00");
        assertThat(f.get("sentAt")).isEqualTo("2025-01-05T16:05:00.25+08:00");
        assertThat(f.get("deadline")).isEqualTo("2025-06-30");
        assertThat(f.get("kind")).isEqualTo("EXTENSION_DECISION");
        assertThat(f.get("role")).isEqualTo("COOPERATING");
        assertThat(f.get("extensionDecision")).isEqualTo("APPROVED");
    }

    @Test
    void hubJsonCarriesEveryFieldInTheBureausCharset() throws Exception {
        for (Charset charset : List.of(StandardCharsets.UTF_8, GB18030)) {
            byte[] wire = payloads.render(bureau("SJW", Protocol.REST, "hub-json", null, charset), full());
            Map<String, Object> read = JSON.readValue(decodeStrictly(wire, charset), new TypeReference<>() { });
            assertThat(read).as(charset.name()).isEqualTo(PayloadMapper.fields(full()));
            // the characters themselves, in the bureau's encoding (not \\u escapes a legacy reader may not undo)
            assertThat(HexFormat.of().formatHex(wire)).as(charset.name())
                    .contains(HexFormat.of().formatHex("张𠀀".getBytes(charset)));
        }
        assertThat(HexFormat.of().formatHex(payloads.render(bureau("X", Protocol.AMQP, "hub-json", null, GB18030), full())))
                .as("𠀀 is four bytes in GB18030").contains("95328236");
    }

    @Test
    void aMessageWithoutItsOptionalFieldsLeavesThemOutOfEveryShapeInsteadOfWritingNull() throws Exception {
        Map<String, Object> f = PayloadMapper.fields(minimal());
        assertThat(f.keySet()).containsExactly("messageId", "kind", "taskId", "unitCode", "issuedAt");

        String json = new String(payloads.render(SJW, minimal()), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("null").doesNotContain("workItems");
        BureauTaskMessage again = JSON.readValue(json, BureauTaskMessage.class);
        assertThat(again.getPolicyId()).isNull();
        assertThat(again.getMeasureNo()).isNull();
        assertThat(again.getExtensionDecision()).isNull();
        assertThat(again.getSentAt()).isNull();

        Map<String, Object> fgw = payloads.mapFields(payloads.spec("classpath:mappings/fgw-json.yaml"), minimal());
        assertThat(fgw).containsOnlyKeys("xxbh", "xxlx", "rwbh", "dwdm", "fssj").doesNotContainValue(null);

        Map<String, String> row = csvRows(payloads.render(NNJ, minimal()), StandardCharsets.UTF_8).get(0);
        assertThat(row).containsEntry("消息编号", "m-min").containsEntry("消息类型", "撤销").containsEntry("措施序号", "")
                .containsEntry("工作要求", "").containsEntry("原报送时间", "");
        assertThat(row.values()).doesNotContain("null");

        String xml = payloads.canonicalXml(minimal());
        assertThat(xml).doesNotContain("null").doesNotContain("<policyId").doesNotContain("<workItems");
        String soap = ReceiptShapesTest.xslt("mappings/soap-task-message.xsl", xml);
        validSoapEnvelope(soap);
        assertThat(soap).doesNotContain("MeasureNo").doesNotContain("WorkItems");
    }

    // ---- a bureau's own JSON names (json-map) -------------------------------------------------------------------

    @Test
    void aJsonMapBureauGetsEveryMappedFieldByItsOwnNamesCodesAndDateFormats() throws Exception {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("xxbh", full().getMessageId());
        expected.put("xxlx", "04");
        expected.put("rwbh", "T-CZJ-M09");
        expected.put("dwdm", "CZJ");
        expected.put("zcbh", "bj-sciedu-20-2024");
        expected.put("csxh", 9);
        expected.put("csmc", "加强科学教育经费保障");
        expected.put("zrlx", "2");
        expected.put("qtdw", "SJW");
        expected.put("rwzt", "IN_PROGRESS");
        expected.put("wcsx", "20250630");
        expected.put("gzyq", List.of("保障科学教育经费投入", RARE, AWKWARD));
        expected.put("yy", full().getReason());
        expected.put("dbjb", 2);
        expected.put("yqpf", "TY");
        expected.put("bbh", 7);
        expected.put("fssj", "20250106090000");
        expected.put("hzrwzt", "IN_PROGRESS");
        expected.put("ybssj", "20250105160500");
        Map<String, Object> wire = JSON.readValue(decodeStrictly(payloads.render(FGW, full()), StandardCharsets.UTF_8),
                new TypeReference<>() { });
        assertThat(wire).isEqualTo(expected);
    }

    @Test
    void aJsonMapMessageWithoutARequiredFieldOrWithACodeOutsideTheBureausListIsRefused() {
        assertThatThrownBy(() -> payloads.render(FGW, full().unitCode(null)))
                .isInstanceOf(MappingException.class).hasMessage("mapped message lacks required field dwdm");
        MappingSpec narrow = new MappingSpec();
        narrow.fields.put("kind", "k");
        narrow.codes.put("kind", Map.of("ASSIGNMENT", "01"));
        assertThatThrownBy(() -> payloads.mapFields(narrow, full()))
                .isInstanceOf(MappingException.class).hasMessageContaining("no code for kind=EXTENSION_DECISION");
    }

    // ---- CSV exchange files -------------------------------------------------------------------------------------

    @Test
    void theGb18030AssignmentFileIsByteForByteTheCommittedSample() throws Exception {
        // samples/events/task.dispatched-CZJ.json as TaskEventIntake turns it into the message
        BureauTaskMessage m = new BureauTaskMessage(
                UUID.nameUUIDFromBytes("evt-sample-czj-dispatched-0001|CZJ|ASSIGNMENT".getBytes(StandardCharsets.UTF_8))
                        .toString(), KindEnum.ASSIGNMENT, "T-CZJ-M09", "CZJ")
                .policyId("bj-sciedu-20-2024").measureNo(9).measureTitle("加强科学教育经费保障").role(RoleEnum.COOPERATING)
                .leadUnitCode("SJW").status("DISPATCHED").deadline(LocalDate.of(2025, 6, 30))
                .workItems(new ArrayList<>(List.of("保障科学教育经费投入", "联系人：张𠀀"))).version(1)
                .issuedAt(OffsetDateTime.parse("2025-01-06T09:00:00+08:00"));
        byte[] expected;
        try (InputStream in = getClass().getResourceAsStream("/samples/file/CZJ-assignment-gb18030.csv")) {
            assertThat(in).as("contracts samples/file/CZJ-assignment-gb18030.csv").isNotNull();
            expected = in.readAllBytes();
        }
        assertThat(HexFormat.of().formatHex(expected)).contains("95328236");
        assertThat(payloads.render(CZJ, m)).isEqualTo(expected);
    }

    @Test
    void aCsvFileHasTheMappingsColumnsAndOneRecordWithEveryValueInTheBureausCharset() throws Exception {
        MappingSpec spec = payloads.spec("classpath:mappings/csv-gb.yaml");
        for (Bureau b : List.of(CZJ, NNJ)) {
            byte[] wire = payloads.render(b, full());
            String text = decodeStrictly(wire, b.charset());
            assertThat(text).as(b.code()).startsWith(String.join(",", spec.columns.stream().map(c -> c.header).toList())
                    + "\r\n").endsWith("\r\n");
            List<Map<String, String>> rows = csvRows(wire, b.charset());
            assertThat(rows).as(b.code()).hasSize(1);
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("消息编号", full().getMessageId());
            expected.put("消息类型", "延期批复");
            expected.put("任务编号", "T-CZJ-M09");
            expected.put("单位代码", "CZJ");
            expected.put("措施序号", "9");
            expected.put("措施名称", "加强科学教育经费保障");
            expected.put("责任类型", "配合");
            expected.put("完成时限", "2025-06-30");
            expected.put("工作要求", String.join("；", "保障科学教育经费投入", RARE, AWKWARD));
            expected.put("原因", full().getReason());
            expected.put("版本号", "7");
            expected.put("状态", "IN_PROGRESS");
            expected.put("发送时间", "2025-01-06 09:00:00");
            expected.put("任务状态", "IN_PROGRESS");
            expected.put("原报送时间", "2025-01-05 16:05:00");
            assertThat(rows.get(0)).as(b.code()).isEqualTo(expected);
        }
        assertThat(HexFormat.of().formatHex(payloads.render(CZJ, full()))).contains("95328236");
        assertThat(HexFormat.of().formatHex(payloads.render(NNJ, full()))).contains("f0a08080");
    }

    // ---- the canonical XML: SOAP envelope and exchange XML --------------------------------------------------------

    @Test
    void theCanonicalXmlHasEveryFieldAsAnElementAndReadsBackWhole() {
        Document doc = SafeXml.parse(payloads.canonicalXml(full()).getBytes(StandardCharsets.UTF_8));
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("task-message");
        Map<String, Object> read = new LinkedHashMap<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                NodeList items = e.getElementsByTagName("item");
                if (items.getLength() > 0) {
                    List<String> list = new ArrayList<>();
                    for (int i = 0; i < items.getLength(); i++) {
                        list.add(items.item(i).getTextContent());
                    }
                    read.put(e.getTagName(), list);
                } else {
                    read.put(e.getTagName(), e.getTextContent());
                }
            }
        }
        Map<String, Object> expected = new LinkedHashMap<>();
        PayloadMapper.fields(full()).forEach((k, v) -> expected.put(k, v instanceof List<?> ? v : String.valueOf(v)));
        assertThat(read).isEqualTo(expected);
        assertThat(read.keySet()).containsExactlyElementsOf(expected.keySet());
    }

    @Test
    void aSoapBureauGetsAValidEnvelopeWithEveryFieldItsSchemaHas() throws Exception {
        String soap = ReceiptShapesTest.xslt("mappings/soap-task-message.xsl", payloads.canonicalXml(full()));
        validSoapEnvelope(soap);
        Document doc = SafeXml.parse(soap.getBytes(StandardCharsets.UTF_8));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("MessageId", full().getMessageId());
        expected.put("Kind", "EXTENSION_DECISION");
        expected.put("TaskId", "T-CZJ-M09");
        expected.put("UnitCode", "CZJ");
        expected.put("MeasureNo", "9");
        expected.put("MeasureTitle", "加强科学教育经费保障");
        expected.put("Role", "COOPERATING");
        expected.put("Deadline", "2025-06-30");
        expected.put("Reason", full().getReason());
        expected.put("Version", "7");
        expected.put("IssuedAt", "2025-01-06T09:00:00+08:00");
        expected.forEach((element, value) -> assertThat(ns(doc, element)).as(element).containsExactly(value));
        assertThat(ns(doc, "Item")).containsExactly("保障科学教育经费投入", RARE, AWKWARD);
    }

    @Test
    void anExchangeXmlBureauGetsEveryFieldOfItsFormatInItsCharset() throws Exception {
        String xml = ReceiptShapesTest.xslt("mappings/file-task-xml.xsl", payloads.canonicalXml(full()));
        Document doc = SafeXml.parse(xml.getBytes(StandardCharsets.UTF_8));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("XXBH", full().getMessageId());
        expected.put("XXLX", "EXTENSION_DECISION");
        expected.put("RWBH", "T-CZJ-M09");
        expected.put("DWDM", "CZJ");
        expected.put("CSXH", "9");
        expected.put("CSMC", "加强科学教育经费保障");
        expected.put("ZRLX", "配合");
        expected.put("WCSX", "20250630");
        expected.put("YY", full().getReason());
        expected.put("BBH", "7");
        expected.put("FSSJ", "2025-01-06T09:00:00+08:00");
        expected.forEach((element, value) -> assertThat(text(doc, element)).as(element).containsExactly(value));
        assertThat(text(doc, "TM")).containsExactly("保障科学教育经费投入", RARE, AWKWARD);
        // the route declares the bureau's charset and writes the bytes in it: every character has a GB18030 form
        assertThat(GB18030.newEncoder().canEncode(xml)).isTrue();
        assertThat(payloads.contentType(TXGLJ)).isEqualTo("application/xml; charset=GB18030");
    }

    // ---- what each shape carries; content types ------------------------------------------------------------------

    @Test
    void everyFieldOfTheContractIsCarriedByEveryShapeOrNamedAsNotCarried() throws Exception {
        Set<String> contract = BureauFieldCoverageTest.properties(BureauFieldCoverageTest.schemas(), "BureauTaskMessage");
        Map<String, Set<String>> carried = new LinkedHashMap<>();
        carried.put("hub-json", PayloadMapper.fields(full()).keySet());
        for (String file : List.of("mappings/fgw-json.yaml", "mappings/tsw-json.yaml")) {
            carried.put(file, payloads.spec("classpath:" + file).fields.keySet());
        }
        Set<String> csv = new LinkedHashSet<>();
        payloads.spec("classpath:mappings/csv-gb.yaml").columns.forEach(c -> csv.add(c.field));
        carried.put("mappings/csv-gb.yaml", csv);
        for (String xsl : List.of("mappings/soap-task-message.xsl", "mappings/file-task-xml.xsl")) {
            carried.put(xsl, readBy(xsl, contract));
        }
        assertThat(carried.keySet()).containsExactlyInAnyOrderElementsOf(NOT_CARRIED_TODAY.keySet());
        carried.forEach((shape, fields) -> {
            Set<String> missing = new TreeSet<>(contract);
            missing.removeAll(fields);
            assertThat(missing).as("fields of BureauTaskMessage that " + shape + " does not carry")
                    .containsExactlyInAnyOrderElementsOf(NOT_CARRIED_TODAY.get(shape));
        });
    }

    @Test
    void eachShapeIsLabelledWithItsMediaTypeCharsetAndFileExtension() {
        assertThat(payloads.contentType(SJW)).isEqualTo("application/json; charset=UTF-8");
        assertThat(payloads.contentType(FGW)).isEqualTo("application/json; charset=UTF-8");
        assertThat(payloads.contentType(CZJ)).isEqualTo("text/csv; charset=GB18030");
        assertThat(payloads.contentType(SKW)).isEqualTo("text/xml; charset=UTF-8");
        assertThat(payloads.fileExtension(CZJ)).isEqualTo("csv");
        assertThat(payloads.fileExtension(TXGLJ)).isEqualTo("xml");
        assertThat(payloads.fileExtension(SJW)).isEqualTo("json");
        assertThatThrownBy(() -> payloads.render(SKW, full())).isInstanceOf(MappingException.class)
                .hasMessageContaining("rendered by XSLT");
        assertThatThrownBy(() -> payloads.spec("classpath:mappings/no-such-file.yaml")).isInstanceOf(MappingException.class)
                .hasMessageContaining("cannot read mapping file classpath:mappings/no-such-file.yaml");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** Decodes as a bureau would: bytes that are not valid in its charset are an error, never replaced. */
    static String decodeStrictly(byte[] bytes, Charset charset) throws CharacterCodingException {
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    static List<Map<String, String>> csvRows(byte[] bytes, Charset charset) throws Exception {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (CSVParser p = CSVParser.parse(new StringReader(decodeStrictly(bytes, charset)), format)) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord r : p) {
                rows.add(r.toMap());
            }
            return rows;
        }
    }

    static void validSoapEnvelope(String soap) throws Exception {
        var url = PayloadMapperTest.class.getClassLoader().getResource("soap/soap-envelope-1.1.xsd");
        assertThat(url).as("contracts soap/soap-envelope-1.1.xsd").isNotNull();
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(url).newValidator()
                .validate(new StreamSource(new StringReader(soap)));
    }

    static List<String> ns(Document doc, String localName) {
        return texts(doc.getElementsByTagNameNS("urn:cn:beijing:scienceedu:hub:bureau:v1", localName));
    }

    static List<String> text(Document doc, String name) {
        return texts(doc.getElementsByTagName(name));
    }

    static List<String> texts(NodeList nodes) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    /** The fields of the canonical XML a stylesheet reads (its select and test expressions). */
    static Set<String> readBy(String stylesheet, Set<String> fields) throws Exception {
        String xsl;
        try (InputStream in = PayloadMapperTest.class.getClassLoader().getResourceAsStream(stylesheet)) {
            xsl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder expressions = new StringBuilder();
        Matcher m = Pattern.compile("(?:select|test)=\"([^\"]*)\"").matcher(xsl.replaceAll("(?s)<!--.*?-->", ""));
        while (m.find()) {
            expressions.append(m.group(1)).append(' ');
        }
        Set<String> read = new LinkedHashSet<>();
        for (String f : fields) {
            if (Pattern.compile("\\b" + f + "\\b").matcher(expressions).find()) {
                read.add(f);
            }
        }
        return read;
    }
}
