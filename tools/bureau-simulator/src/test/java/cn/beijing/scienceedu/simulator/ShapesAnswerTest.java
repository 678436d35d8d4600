package cn.beijing.scienceedu.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.xml.XMLConstants;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.sun.net.httpserver.HttpServer;

import cn.beijing.scienceedu.contracts.bureau.model.ExtensionRequest;
import cn.beijing.scienceedu.contracts.bureau.model.ProgressReport;
import cn.beijing.scienceedu.contracts.bureau.model.SignFor;
import cn.beijing.scienceedu.contracts.bureau.model.Submission;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answers the simulated bureaus write carry every field of the bureau API, in each protocol's own shape: CSV
 * with the new columns (read back with commons-csv), SOAP and file XML valid against contracts'
 * soap/bureau-exchange.xsd, JSON that reads into the generated bureau-api types, evidence beside a CSV answer
 * before it, evidence uploaded first by a REST bureau.
 */
class ShapesAnswerTest {

    static final List<String> NEW_CSV_COLUMNS = List.of("自评状态", "存在问题", "下一步计划", "填报人", "报送时间", "指标数据", "佐证材料");
    static final Charset GB = Charset.forName("GB18030");

    private final Shapes shapes;
    private final BureauAnswers answers = new BureauAnswers(new SyntheticRegister());
    private final JsonMapper strict = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    ShapesAnswerTest() throws Exception {
        shapes = new Shapes(new DefaultResourceLoader());
    }

    /** A progress report with every field set: BLOCKED, problems, KPIs at all three levels, evidence with bytes. */
    Map<String, Object> fullProgress(String unit) {
        Received a = BureauAnswersTest.assignment(unit, "bj-sciedu-20-2024.M04.SJW", 4, Instant.now().minusSeconds(120));
        Map<String, Object> r = answers.answer(a, "PROGRESS", unit + "-P-1", Instant.now());
        r.put("status", "BLOCKED");
        r.put("problems", "跨部门数据共享协议尚未签订，工作受阻。");
        List<Map<String, Object>> kpis = new ArrayList<>();
        kpis.add(kpi("INTERDISCIPLINARY_HOURS_SHARE", new java.math.BigDecimal("12.5"), "SCHOOL", "110108", "SIM11010801"));
        kpis.add(kpi("LAB_EQUIPMENT_USAGE_RATE", new java.math.BigDecimal("87.5"), "DISTRICT", "110108", null));
        kpis.add(kpi("SCIENCE_EDUCATION_BRANDS", java.math.BigDecimal.valueOf(12), "CITY", null, null));
        r.put("kpiValues", kpis);
        r.put("evidence", List.of(answers.evidence("CZJ", "bj-sciedu-20-2024.M04.SJW", "PROGRESS")));
        r.remove(Sender.UPLOAD_FIRST);
        return r;
    }

    static Map<String, Object> kpi(String code, Object value, String level, String district, String school) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("value", value);
        m.put("level", level);
        if (district != null) {
            m.put("districtCode", district);
        }
        if (school != null) {
            m.put("schoolCode", school);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    List<String> reportHeaders() {
        List<Map<String, Object>> cols = (List<Map<String, Object>>) shapes.spec("classpath:mappings/csv-gb.yaml").get("reportColumns");
        return cols.stream().map(c -> String.valueOf(c.get("header"))).toList();
    }

    static CSVRecord onlyRecord(byte[] bytes, Charset cs, List<String> headerOut) throws Exception {
        try (CSVParser p = CSVParser.parse(new InputStreamReader(new ByteArrayInputStream(bytes), cs),
                CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get())) {
            headerOut.addAll(p.getHeaderNames());
            List<CSVRecord> rows = p.getRecords();
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).isConsistent()).isTrue();
            return rows.get(0);
        }
    }

    @Test
    void aCsvAnswerCarriesTheNewColumnsInOrderInTheBureausCharset() throws Exception {
        SimBureaus.Bureau czj = SamplesValidateTest.bureau("CZJ", "FILE", "csv", "classpath:mappings/csv-gb.yaml", "GB18030");
        Map<String, Object> report = fullProgress("CZJ");
        byte[] bytes = shapes.reportFile(czj, "csv", GB, report);

        String text = new String(bytes, GB);
        assertThat(text).endsWith("\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\n");
        List<String> header = new ArrayList<>();
        CSVRecord row = onlyRecord(bytes, GB, header);
        assertThat(header).isEqualTo(reportHeaders());
        assertThat(header.subList(header.size() - NEW_CSV_COLUMNS.size(), header.size())).as("the new columns last, in this order")
                .isEqualTo(NEW_CSV_COLUMNS);
        assertThat(row.get("报送类型")).isEqualTo("进展");
        assertThat(row.get("自评状态")).isEqualTo("工作受阻");
        assertThat(row.get("存在问题")).isEqualTo("跨部门数据共享协议尚未签订，工作受阻。");
        assertThat(row.get("下一步计划")).isEqualTo(report.get("nextSteps")).isNotBlank();
        assertThat(row.get("填报人")).isEqualTo(answers.person("CZJ"));
        String shanghai = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .format(OffsetDateTime.parse((String) report.get("reportedAt")).atZoneSameInstant(ZoneId.of("Asia/Shanghai")));
        assertThat(row.get("报送时间")).isEqualTo(shanghai);
        assertThat(row.get("指标数据")).isEqualTo("INTERDISCIPLINARY_HOURS_SHARE|SCHOOL|110108|SIM11010801|12.5；"
                + "LAB_EQUIPMENT_USAGE_RATE|DISTRICT|110108||87.5；SCIENCE_EDUCATION_BRANDS|CITY|||12");
        Map<?, ?> e = (Map<?, ?>) ((List<?>) report.get("evidence")).get(0);
        assertThat(row.get("佐证材料")).isEqualTo(e.get("name") + "|" + e.get("size") + "|" + e.get("sha256"));
        assertThat(row.get("完成百分比")).isEqualTo(String.valueOf(report.get("percentComplete")));

        // a sign-for: its own time in 报送时间, no status, no KPI, no evidence
        Received a = BureauAnswersTest.assignment("CZJ", "t-1", 17, Instant.now().minusSeconds(60));
        Map<String, Object> sign = answers.answer(a, "SIGN_FOR", "CZJ-S-1", Instant.now());
        CSVRecord s = onlyRecord(shapes.reportFile(czj, "csv", GB, sign), GB, new ArrayList<>());
        assertThat(s.get("报送类型")).isEqualTo("签收");
        assertThat(s.get("签收人")).isEqualTo(answers.person("CZJ"));
        assertThat(s.get("进展说明")).as("the sign-for's note, where the hub reads it").isEqualTo(sign.get("note"));
        assertThat(OffsetDateTime.parse((String) sign.get("signedAt")).toInstant())
                .isEqualTo(java.time.LocalDateTime.parse(s.get("报送时间").replace(' ', 'T')).atZone(ZoneId.of("Asia/Shanghai")).toInstant());
        assertThat(s.get("自评状态")).isEmpty();
        assertThat(s.get("指标数据")).isEmpty();
        assertThat(s.get("佐证材料")).isEmpty();
    }

    static Schema bureauExchange() throws Exception {
        return SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(ShapesAnswerTest.class.getResource("/soap/bureau-exchange.xsd"));
    }

    /** The element names of BureauReport's sequence in the XSD (what the XML shape can carry). */
    static Set<String> xsdReportElements() throws Exception {
        Document xsd;
        try (InputStream in = ShapesAnswerTest.class.getResourceAsStream("/soap/bureau-exchange.xsd")) {
            xsd = Shapes.parse(in.readAllBytes());
        }
        NodeList elements = xsd.getElementsByTagNameNS(XMLConstants.W3C_XML_SCHEMA_NS_URI, "element");
        for (int i = 0; i < elements.getLength(); i++) {
            Element e = (Element) elements.item(i);
            if ("BureauReport".equals(e.getAttribute("name"))) {
                Element seq = (Element) e.getElementsByTagNameNS(XMLConstants.W3C_XML_SCHEMA_NS_URI, "sequence").item(0);
                Set<String> names = new LinkedHashSet<>();
                for (var n = seq.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element c && "element".equals(c.getLocalName())) {
                        names.add(c.getAttribute("name"));
                    }
                }
                return names;
            }
        }
        throw new AssertionError("no BureauReport in the XSD");
    }

    static Set<String> children(Element parent) {
        Set<String> names = new LinkedHashSet<>();
        for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c) {
                names.add(c.getLocalName());
            }
        }
        return names;
    }

    @Test
    void soapAndFileXmlAnswersAreValidAgainstTheContractXsdAndCarryEveryElement() throws Exception {
        Schema schema = bureauExchange();
        Received a = BureauAnswersTest.assignment("SKW", "bj-sciedu-20-2024.M11.SKW", 11, Instant.now().minusSeconds(90));
        Map<String, Object> progress = fullProgress("SKW");
        Map<String, Object> extension = answers.answer(a, "EXTENSION_REQUEST", "SKW-E-1", Instant.now());
        Set<String> carried = new LinkedHashSet<>();
        for (Map<String, Object> report : List.of(answers.answer(a, "SIGN_FOR", "SKW-S-1", Instant.now()), progress,
                answers.answer(a, "SUBMISSION", "SKW-U-1", Instant.now()), extension)) {
            // SOAP: a SOAP 1.1 envelope whose body is a valid BureauReport
            byte[] soap = shapes.reportXml(report, true).getBytes(StandardCharsets.UTF_8);
            Document doc = Shapes.parse(soap);
            assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("Envelope");
            Element body = (Element) doc.getElementsByTagNameNS(Shapes.SOAP, "Body").item(0);
            Element br = (Element) body.getElementsByTagNameNS(Shapes.NS, "BureauReport").item(0);
            schema.newValidator().validate(new DOMSource(br));
            carried.addAll(children(br));
            // FILE / SFTP XML: the bare BureauReport in the bureau's charset (TXGLJ: GB18030)
            byte[] file = shapes.reportFile(SamplesValidateTest.bureau("TXGLJ", "SFTP", "xslt", null, "GB18030"), "xslt", GB, report);
            assertThat(new String(file, GB)).startsWith("<?xml version=\"1.0\" encoding=\"GB18030\"?>");
            schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(file)));
        }
        assertThat(carried).as("every element of BureauReport is written by some answer").containsAll(xsdReportElements());

        Element br = (Element) Shapes.parse(shapes.reportXml(progress, false).getBytes(StandardCharsets.UTF_8)).getDocumentElement();
        Element kv = (Element) br.getElementsByTagNameNS(Shapes.NS, "KpiValue").item(0);
        assertThat(children(kv)).containsExactly("Code", "Value", "Level", "DistrictCode", "SchoolCode");
        Element item = (Element) br.getElementsByTagNameNS(Shapes.NS, "Item").item(0);
        assertThat(children(item)).containsExactly("Name", "ContentType", "Size", "Sha256", "Content");
        Map<?, ?> e = (Map<?, ?>) ((List<?>) progress.get("evidence")).get(0);
        byte[] content = Base64.getMimeDecoder().decode(item.getElementsByTagNameNS(Shapes.NS, "Content").item(0).getTextContent());
        assertThat(BureauAnswers.sha256(content)).isEqualTo(e.get("sha256"));
        assertThat(br.getElementsByTagNameNS(Shapes.NS, "Status").item(0).getTextContent()).isEqualTo("BLOCKED");
    }

    /** Every property of a generated bureau-api type is set (the answer carries every field of the contract). */
    static void everyPropertySet(Object model, String... except) throws Exception {
        List<String> skip = List.of(except);
        for (Method m : model.getClass().getMethods()) {
            if (m.getName().startsWith("get") && m.getParameterCount() == 0 && m.getDeclaringClass() == model.getClass()
                    && !skip.contains(m.getName())) {
                Object v = m.invoke(model);
                assertThat(v).as("%s.%s()", model.getClass().getSimpleName(), m.getName()).isNotNull();
                if (v instanceof List<?> l) {
                    assertThat(l).as("%s.%s()", model.getClass().getSimpleName(), m.getName()).isNotEmpty();
                }
            }
        }
    }

    Map<String, Object> restBody(Map<String, Object> report) {
        Map<String, Object> body = new LinkedHashMap<>(report);
        body.remove("kind");
        body.remove("taskId");
        body.remove("unitCode");
        body.remove(Sender.UPLOAD_FIRST);
        return body;
    }

    @Test
    void jsonAnswersReadIntoTheGeneratedBureauApiTypesWithEveryFieldSet() throws Exception {
        Received a = BureauAnswersTest.assignment("XCB", "bj-sciedu-20-2024.M11.XCB", 11, Instant.now().minusSeconds(90));
        Map<String, Object> progress = fullProgress("XCB");
        // AMQP: the bureau-api names plus kind, taskId, unitCode
        Map<String, Object> amqp = shapes.readMap(new String(shapes.reportJson(progress, StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertThat(amqp).containsEntry("kind", "PROGRESS").containsEntry("taskId", "bj-sciedu-20-2024.M04.SJW").containsKey("unitCode");
        ProgressReport p = strict.readValue(shapes.json(restBody(amqp)), ProgressReport.class);
        everyPropertySet(p);
        p.getEvidence().forEach(ev -> {
            try {
                everyPropertySet(ev, "getAttachmentId");
            } catch (Exception x) {
                throw new AssertionError(x);
            }
        });
        assertThat(p.getKpiValues()).extracting(k -> k.getLevel().getValue()).containsExactly("SCHOOL", "DISTRICT", "CITY");
        assertThat(p.getReportedAt().toInstant()).isEqualTo(OffsetDateTime.parse((String) progress.get("reportedAt")).toInstant());

        // 市妇联 (AMQP, tsw-json.yaml): its own names for the fields its mapping file names, bureau-api names for the rest
        SimBureaus.Bureau fl = SamplesValidateTest.bureau("FL", "AMQP", "json-map", "classpath:mappings/tsw-json.yaml", null);
        Map<String, Object> own = shapes.readMap(new String(shapes.reportJson(fl, "json-map", progress, StandardCharsets.UTF_8),
                StandardCharsets.UTF_8));
        assertThat(own).containsEntry("msgNo", progress.get("messageId")).containsEntry("msgType", "PROGRESS")
                .containsEntry("taskCode", progress.get("taskId")).containsEntry("orgCode", progress.get("unitCode"))
                .containsKeys("status", "problems", "nextSteps", "reporter", "reportedAt", "kpiValues", "evidence")
                .doesNotContainKeys("messageId", "kind", "taskId", "unitCode");

        everyPropertySet(strict.readValue(shapes.json(restBody(answers.answer(a, "SIGN_FOR", "1", Instant.now()))), SignFor.class));
        Map<String, Object> submission = answers.answer(a, "SUBMISSION", "2", Instant.now());
        submission.put("kpiValues", progress.get("kpiValues"));
        submission.put("evidence", progress.get("evidence"));
        everyPropertySet(strict.readValue(shapes.json(restBody(submission)), Submission.class));
        everyPropertySet(strict.readValue(shapes.json(restBody(answers.answer(a, "EXTENSION_REQUEST", "3", Instant.now()))),
                ExtensionRequest.class), "getMessageLogId");
    }

    static SimSettings settings(Path root, String hubUrl) {
        SimSettings s = new SimSettings();
        s.setSftpRoot(root);
        s.setHubUrl(hubUrl);
        return s;
    }

    Sender sender(SimBureaus.Bureau b, SimSettings settings, SentLog log) {
        SimBureaus bureaus = new SimBureaus();
        bureaus.setBureaus(new LinkedHashMap<>(Map.of(b.code(), b)));
        return new Sender(bureaus, settings, shapes, new Behaviours(), unit -> "token-" + unit, null, log);
    }

    @Test
    void aCsvBureauWritesItsEvidenceBesideTheAnswerFileBeforeTheAnswer(@TempDir Path dir) throws Exception {
        SimBureaus.Bureau czj = SamplesValidateTest.bureau("CZJ", "FILE", "csv", "classpath:mappings/csv-gb.yaml", "GB18030");
        czj.setEndpoint(dir.resolve("CZJ").toString());
        Path outbox = dir.resolve("CZJ/outbox");
        Files.createDirectories(outbox);
        SimSettings settings = settings(dir, "http://localhost:1");
        SentLog log = new SentLog(settings);
        Map<String, Object> report = fullProgress("CZJ");

        List<String> created = new ArrayList<>();
        try (WatchService watch = outbox.getFileSystem().newWatchService()) {
            outbox.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            sender(czj, settings, log).send("CZJ", report);
            WatchKey key;
            while ((key = watch.poll(500, TimeUnit.MILLISECONDS)) != null) {
                for (WatchEvent<?> ev : key.pollEvents()) {
                    created.add(ev.context().toString());
                }
                key.reset();
            }
        }
        List<String> answers = created.stream().filter(n -> n.endsWith(".csv") && !n.startsWith(".")).toList();
        assertThat(answers).hasSize(1);
        String answer = answers.get(0);
        assertThat(created).as("appearance order in the outbox").containsSubsequence(answer + ".evidence", answer);

        Map<?, ?> e = (Map<?, ?>) ((List<?>) report.get("evidence")).get(0);
        byte[] bytes = Files.readAllBytes(outbox.resolve(answer + ".evidence").resolve((String) e.get("name")));
        assertThat(bytes).hasSize((Integer) e.get("size"));
        assertThat(BureauAnswers.sha256(bytes)).isEqualTo(e.get("sha256"));
        CSVRecord row = onlyRecord(Files.readAllBytes(outbox.resolve(answer)), GB, new ArrayList<>());
        assertThat(row.get("佐证材料")).isEqualTo(e.get("name") + "|" + bytes.length + "|" + e.get("sha256"));

        Map<String, Object> kept = log.query("CZJ", null, "PROGRESS").get(0);
        assertThat(kept).containsEntry("bureauTime", report.get("reportedAt"));
        assertThat(kept.get("fields").toString()).doesNotContain((String) e.get("content"));
    }

    @Test
    void anUploadFirstRestBureauUploadsEachFileThenReferencesItsAttachmentId(@TempDir Path dir) throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        HttpServer hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hub.createContext("/api/v1/bureau/tasks/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            calls.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Content-Type")
                    + " " + ex.getRequestHeaders().getFirst("Authorization"));
            bodies.add(body);
            byte[] answer = ex.getRequestURI().getPath().endsWith("/attachments")
                    ? "{\"attachmentId\":\"att-1\",\"name\":\"x\",\"size\":1,\"sha256\":\"0\"}".getBytes(StandardCharsets.UTF_8)
                    : "{\"accepted\":true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(ex.getRequestURI().getPath().endsWith("/attachments") ? 201 : 200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        hub.start();
        try {
            SimBureaus.Bureau sjw = SamplesValidateTest.bureau("SJW", "REST", "hub-json", null, null);
            Received a = BureauAnswersTest.assignment("SJW", "bj-sciedu-20-2024.M04.SJW", 4, Instant.now().minusSeconds(60));
            Map<String, Object> report = answers.answer(a, "PROGRESS", "SJW-P-1", Instant.now());
            assertThat(report).containsEntry(Sender.UPLOAD_FIRST, true);
            Map<?, ?> e = (Map<?, ?>) ((List<?>) report.get("evidence")).get(0);

            sender(sjw, settings(dir, "http://127.0.0.1:" + hub.getAddress().getPort()), new SentLog(new SimSettings())).send("SJW", report);

            assertThat(calls).hasSize(2);
            assertThat(calls.get(0)).startsWith("POST /api/v1/bureau/tasks/bj-sciedu-20-2024.M04.SJW/attachments multipart/form-data; boundary=")
                    .endsWith("Bearer token-SJW");
            String multipart = new String(bodies.get(0), StandardCharsets.UTF_8);
            assertThat(multipart).contains("name=\"file\"; filename=\"" + e.get("name") + "\"").contains("Content-Type: " + e.get("contentType"));
            byte[] bytes = Base64.getDecoder().decode((String) e.get("content"));
            assertThat(new String(bodies.get(0), StandardCharsets.ISO_8859_1)).contains(new String(bytes, StandardCharsets.ISO_8859_1));
            assertThat(calls.get(1)).startsWith("POST /api/v1/bureau/tasks/bj-sciedu-20-2024.M04.SJW/progress-reports application/json");
            ProgressReport sent = strict.readValue(bodies.get(1), ProgressReport.class);
            assertThat(sent.getEvidence()).hasSize(1);
            assertThat(sent.getEvidence().get(0).getAttachmentId()).isEqualTo("att-1");
            assertThat(sent.getEvidence().get(0).getContent()).isNull();
            assertThat(sent.getEvidence().get(0).getSha256()).isEqualTo(e.get("sha256"));
            assertThat(sent.getStatus().getValue()).isEqualTo("ON_TRACK");
            assertThat(sent.getKpiValues()).extracting(k -> k.getCode()).contains("LAB_EQUIPMENT_USAGE_RATE", "LAB_EQUIPMENT_COMPLIANCE_RATE");
            assertThat(new String(bodies.get(1), StandardCharsets.UTF_8)).doesNotContain(Sender.UPLOAD_FIRST);
        } finally {
            hub.stop(0);
        }
    }
}
