package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;

import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.simulator.Received;
import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15: a progress report with every field of the bureau API set — the bureau's own status, 工作进展, 存在问题,
 * 下一步计划, 填报人, its own time, a school- and a district-level KPI value and a file of evidence — reaches the
 * task-service field for field, whichever protocol and shape carries it: REST (evidence uploaded first), SOAP
 * (evidence inline), CSV in GB18030 over FILE and over SFTP (evidence in the answer's {@code .evidence/} directory), XML
 * over FILE, XML in GB18030 over SFTP and AMQP JSON (evidence inline). The stand-in task-service is a real HTTP endpoint that
 * records the requests it receives (the task-service runs in another process); the evidence bytes it stores are the
 * bureau's and the report links them by their attachment id.
 */
class FullReportRoundTripTest extends AdaptersIntegrationTest {

    static final String NS = "urn:cn:beijing:scienceedu:hub:bureau:v1";
    static final Charset GB18030 = Charset.forName("GB18030");
    static final String EVIDENCE_NAME = "实验室使用台账.txt";
    static final byte[] EVIDENCE = "实验室使用台账：2025年第一季度，实验开出率 96%，𠀀\n".getBytes(StandardCharsets.UTF_8);
    static final String SHA = MessageLog.sha256(EVIDENCE);
    static final String REPORTED_AT = "2025-04-02T16:05:00+08:00";
    static final String NARRATIVE = "已完成两所学校实验室改造";
    static final String PROBLEMS = "部分设备采购延迟，影响三所学校开课";
    static final String NEXT_STEPS = "三季度完成设备验收并开课";
    static final String REPORTER = "李填报";
    static final String CSV_HEADER = "消息编号,报送类型,任务编号,单位代码,签收人,报告期,完成百分比,进展说明,成果摘要,申请时限,理由,"
            + "自评状态,存在问题,下一步计划,填报人,报送时间,指标数据,佐证材料";

    @Test
    void restReportWithEvidenceUploadedFirstArrivesWhole() throws Exception {
        String t = dispatched("SJW");
        HttpResponse<String> stored = uploadEvidence("SJW", t, EVIDENCE_NAME, EVIDENCE);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
        JsonNode s = json.readTree(stored.body());
        assertThat(s.get("name").asString()).isEqualTo(EVIDENCE_NAME);
        assertThat(s.get("size").asLong()).isEqualTo(EVIDENCE.length);
        assertThat(s.get("sha256").asString()).isEqualTo(SHA);
        String attachmentId = s.get("attachmentId").asString();

        String messageId = "sjw-full-" + UUID.randomUUID();
        String body = """
                {"messageId":"%s","period":"2025-Q1","percentComplete":35,"status":"AT_RISK","narrative":"%s",
                 "problems":"%s","nextSteps":"%s","reporter":"%s","reportedAt":"%s","kpiValues":%s,
                 "evidence":[{"name":"%s","contentType":"text/plain","size":%d,"sha256":"%s","attachmentId":"%s"}]}"""
                .formatted(messageId, NARRATIVE, PROBLEMS, NEXT_STEPS, REPORTER, REPORTED_AT, kpisJson(), EVIDENCE_NAME,
                        EVIDENCE.length, SHA, attachmentId);
        HttpResponse<String> res = post("/api/v1/bureau/tasks/" + t + "/progress-reports", TestTokens.bureau("SJW"), body);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode receipt = json.readTree(res.body());
        assertThat(receipt.get("outcome").asString()).isEqualTo("ACCEPTED");
        assertThat(OffsetDateTime.parse(receipt.get("sentAt").asString()).toInstant())
                .isEqualTo(OffsetDateTime.parse(REPORTED_AT).toInstant());
        assertThat(receipt.get("at").asString()).isNotBlank();

        assertArrivedWhole(t, "SJW", messageId, "AT_RISK");
    }

    @Test
    void soapReportWithInlineEvidenceArrivesWholeAndTheReceiptSaysBothTimes() throws Exception {
        String t = dispatched("SKW");
        String messageId = "skw-full-" + UUID.randomUUID();
        String envelope = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                + "<soapenv:Body>" + reportXml(messageId, t, "SKW", "DELAYED", true) + "</soapenv:Body></soapenv:Envelope>";
        HttpResponse<String> res = send(request("/soap/bureau").header("Authorization", "Bearer " + TestTokens.bureau("SKW"))
                .header("Content-Type", "text/xml; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8)));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.body()).contains("<b:Outcome>ACCEPTED</b:Outcome>").contains("<b:SentAt>2025-04-02T16:05:00")
                .contains("+08:00</b:SentAt>").contains("<b:At>");
        assertArrivedWhole(t, "SKW", messageId, "DELAYED");
    }

    @Test
    void gb18030CsvOverFileWithItsEvidenceDirectoryArrivesWhole() throws Exception {
        String t = dispatched("CZJ");
        String messageId = "czj-full-" + UUID.randomUUID();
        String csv = csv(messageId, "进展", t, "CZJ", "", "2025-Q1", "35", NARRATIVE, "工作受阻", "2025-04-02 16:05:00");
        Path outbox = SimulatorHarness.EXCHANGE_DIR.resolve("CZJ/outbox");
        String name = t + "-progress.csv";
        Path evidence = Files.createDirectories(outbox.resolve(name + ".evidence"));
        Files.write(evidence.resolve(EVIDENCE_NAME), EVIDENCE);
        drop(outbox, name, csv.getBytes(GB18030));

        assertArrivedWhole(t, "CZJ", messageId, "BLOCKED");
        assertReceipt("CZJ", t, "ACCEPTED", REPORTED_AT, "IN_PROGRESS");
        // taken: the evidence is the task-service's now, the directory is gone with the answer
        await().until(() -> !Files.exists(evidence));
    }

    @Test
    void xmlOverFileArrivesWhole() throws Exception {
        String t = dispatched("GHZRW");
        String messageId = "ghzrw-full-" + UUID.randomUUID();
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n" + reportXml(messageId, t, "GHZRW", "AT_RISK", true);
        drop(Files.createDirectories(SimulatorHarness.EXCHANGE_DIR.resolve("GHZRW/outbox")), t + "-progress.xml",
                xml.getBytes(StandardCharsets.UTF_8));
        assertArrivedWhole(t, "GHZRW", messageId, "AT_RISK");
        assertReceipt("GHZRW", t, "ACCEPTED", REPORTED_AT, "IN_PROGRESS");
    }

    @Test
    void gb18030XmlOverSftpArrivesWhole() throws Exception {
        String t = dispatched("TXGLJ");
        String messageId = "txglj-full-" + UUID.randomUUID();
        String xml = "<?xml version=\"1.0\" encoding=\"GB18030\"?>\r\n" + reportXml(messageId, t, "TXGLJ", "DELAYED", true);
        drop(Files.createDirectories(SimulatorHarness.SFTP_ROOT.resolve("TXGLJ/outbox")), t + "-progress.xml",
                xml.getBytes(GB18030));
        assertArrivedWhole(t, "TXGLJ", messageId, "DELAYED");
        assertReceipt("TXGLJ", t, "ACCEPTED", REPORTED_AT, "IN_PROGRESS");
    }

    @Test
    void gb18030CsvOverSftpWithItsEvidenceDirectoryArrivesWhole() throws Exception {
        String t = dispatched("KXY");
        String messageId = "kxy-full-" + UUID.randomUUID();
        String csv = csv(messageId, "进展", t, "KXY", "", "2025-Q1", "35", NARRATIVE, "存在风险", REPORTED_AT);
        Path outbox = Files.createDirectories(SimulatorHarness.SFTP_ROOT.resolve("KXY/outbox"));
        String name = t + "-progress.csv";
        Path evidence = Files.createDirectories(outbox.resolve(name + ".evidence"));
        Files.write(evidence.resolve(EVIDENCE_NAME), EVIDENCE);
        drop(outbox, name, csv.getBytes(GB18030));

        assertArrivedWhole(t, "KXY", messageId, "AT_RISK");
        assertReceipt("KXY", t, "ACCEPTED", REPORTED_AT, "IN_PROGRESS");
        // fetched over SFTP, then removed from the bureau's server with the answer
        await().until(() -> !Files.exists(evidence));
    }

    @Test
    void amqpJsonWithInlineEvidenceArrivesWhole() {
        String t = dispatched("XCB");
        String messageId = "xcb-full-" + UUID.randomUUID();
        String body = """
                {"messageId":"%s","kind":"PROGRESS","taskId":"%s","unitCode":"XCB","period":"2025-Q1","percentComplete":35,
                 "status":"BLOCKED","narrative":"%s","problems":"%s","nextSteps":"%s","reporter":"%s","reportedAt":"%s",
                 "kpiValues":%s,"evidence":[{"name":"%s","contentType":"text/plain","size":%d,"sha256":"%s","content":"%s"}]}"""
                .formatted(messageId, t, NARRATIVE, PROBLEMS, NEXT_STEPS, REPORTER, REPORTED_AT, kpisJson(), EVIDENCE_NAME,
                        EVIDENCE.length, SHA, Base64.getEncoder().encodeToString(EVIDENCE));
        reply("XCB", body);
        assertArrivedWhole(t, "XCB", messageId, "BLOCKED");
        assertReceipt("XCB", t, "ACCEPTED", REPORTED_AT, "IN_PROGRESS");
    }

    @Test
    void aJsonMapBureauOverAmqpKeepsItsOwnNamesForTheOldFieldsAndTheBureauApiNamesForTheNew() {
        String t = dispatched("FL");
        String messageId = "fl-full-" + UUID.randomUUID();
        String body = """
                {"msgNo":"%s","msgType":"PROGRESS","taskCode":"%s","orgCode":"FL","period":"2025-Q1","percentComplete":35,
                 "status":"AT_RISK","narrative":"%s","problems":"%s","nextSteps":"%s","reporter":"%s","reportedAt":"%s",
                 "kpiValues":%s,"evidence":[{"name":"%s","contentType":"text/plain","size":%d,"sha256":"%s","content":"%s"}]}"""
                .formatted(messageId, t, NARRATIVE, PROBLEMS, NEXT_STEPS, REPORTER, REPORTED_AT, kpisJson(), EVIDENCE_NAME,
                        EVIDENCE.length, SHA, Base64.getEncoder().encodeToString(EVIDENCE));
        reply("FL", body);
        assertArrivedWhole(t, "FL", messageId, "AT_RISK");
        // its receipt by the bureau API's names too, the time in its own format
        assertReceipt("FL", t, "ACCEPTED", REPORTED_AT, "IN_PROGRESS");
    }

    @Test
    void theBureausOwnSigningTimeIsKeptAndWithoutOneTheReceiptTimeIsSent() throws Exception {
        // REST with the bureau's time
        String rest = dispatched("SKX");
        HttpResponse<String> res = post("/api/v1/bureau/tasks/" + rest + "/sign-for", TestTokens.bureau("SKX"),
                "{\"messageId\":\"skx-sign-" + UUID.randomUUID() + "\",\"signedBy\":\"王签收\",\"signedAt\":\"2025-01-07T09:00:00+08:00\"}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(forwarded(rest, "/sign-for").get("signedAt").asString()).isEqualTo("2025-01-07T09:00:00+08:00");
        assertThat(forwarded(rest, "/sign-for").get("signedBy").asString()).isEqualTo("王签收");

        // CSV 报送时间 (Asia/Shanghai) for a sign-for
        String file = dispatched("STHJJ");
        String csv = csv("sthjj-sign-" + UUID.randomUUID(), "签收", file, "STHJJ", "张𠀀", "", "", "", "", "2025-01-07 09:30:00");
        drop(SimulatorHarness.EXCHANGE_DIR.resolve("STHJJ/outbox"), file + "-sign.csv", csv.getBytes(GB18030));
        await().untilAsserted(() -> assertThat(SimulatorHarness.TASK_SERVICE.callsFor(file)).hasSize(1));
        JsonNode signed = forwarded(file, "/sign-for");
        assertThat(OffsetDateTime.parse(signed.get("signedAt").asString())).isEqualTo(OffsetDateTime.parse("2025-01-07T09:30:00+08:00"));
        assertThat(signed.get("signedBy").asString()).isEqualTo("张𠀀");
        assertReceipt("STHJJ", file, "ACCEPTED", "2025-01-07T09:30:00+08:00", "SIGNED_FOR");

        // AMQP without a time: the hub's time of receipt
        String amqp = dispatched("WXB");
        OffsetDateTime before = OffsetDateTime.now();
        reply("WXB", "{\"messageId\":\"wxb-sign-" + UUID.randomUUID() + "\",\"kind\":\"SIGN_FOR\",\"taskId\":\"" + amqp
                + "\",\"unitCode\":\"WXB\",\"signedBy\":\"赵网信\"}");
        await().untilAsserted(() -> assertThat(SimulatorHarness.TASK_SERVICE.callsFor(amqp)).hasSize(1));
        OffsetDateTime sent = OffsetDateTime.parse(forwarded(amqp, "/sign-for").get("signedAt").asString());
        assertThat(sent).isBetween(before.minusSeconds(1), OffsetDateTime.now().plusSeconds(1));
        // its receipt says the time the hub kept for it, the one the task-service got
        assertReceipt("WXB", amqp, "ACCEPTED", sent.toString(), "SIGNED_FOR");
    }

    @Test
    void submissionAndExtensionRequestCarryReporterKpisEvidenceAndTheBureausTimes() {
        String t = dispatched("SGW");
        String sub = "sgw-sub-" + UUID.randomUUID();
        reply("SGW", """
                {"messageId":"%s","kind":"SUBMISSION","taskId":"%s","unitCode":"SGW","summary":"成果已完成","reporter":"%s",
                 "submittedAt":"2025-06-30T17:20:00+08:00","kpiValues":%s,
                 "evidence":[{"name":"%s","contentType":"text/plain","size":%d,"sha256":"%s","content":"%s"}]}"""
                .formatted(sub, t, REPORTER, kpisJson(), EVIDENCE_NAME, EVIDENCE.length, SHA,
                        Base64.getEncoder().encodeToString(EVIDENCE)));
        await().untilAsserted(() -> assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).hasSize(1));
        JsonNode s = forwarded(t, "/submission");
        assertThat(s.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(s.get("narrative").asString()).isEqualTo("成果已完成");
        assertThat(s.get("reporter").asString()).isEqualTo(REPORTER);
        assertThat(OffsetDateTime.parse(s.get("reportedAt").asString())).isEqualTo(OffsetDateTime.parse("2025-06-30T17:20:00+08:00"));
        assertKpis(s.get("kpiValues"));
        assertEvidence(t, "SGW", s.get("evidence"));

        String ext = "sgw-ext-" + UUID.randomUUID();
        reply("SGW", """
                {"messageId":"%s","kind":"EXTENSION_REQUEST","taskId":"%s","unitCode":"SGW","requestedDeadline":"2025-09-30",
                 "reason":"设备采购延迟","reporter":"%s","requestedAt":"2025-06-01T10:00:00+08:00"}""".formatted(ext, t, REPORTER));
        await().untilAsserted(() -> assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).hasSize(2));
        JsonNode e = forwarded(t, "/extension-requests");
        assertThat(e.get("reporter").asString()).isEqualTo(REPORTER);
        assertThat(e.get("requestedDeadline").asString()).isEqualTo("2025-09-30");
        assertThat(OffsetDateTime.parse(e.get("requestedAt").asString())).isEqualTo(OffsetDateTime.parse("2025-06-01T10:00:00+08:00"));
    }

    @Test
    void aReportWithoutAStatusIsOnTrack() {
        String t = dispatched("XCB");
        reply("XCB", "{\"messageId\":\"xcb-plain-" + UUID.randomUUID() + "\",\"kind\":\"PROGRESS\",\"taskId\":\"" + t
                + "\",\"unitCode\":\"XCB\",\"period\":\"2025-Q1\",\"percentComplete\":20}");
        await().untilAsserted(() -> assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).hasSize(1));
        assertThat(forwarded(t, "/progress-reports").get("status").asString()).isEqualTo("ON_TRACK");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** What the task-service received for the task: the report field for field, the evidence bytes stored once. */
    void assertArrivedWhole(String t, String unit, String messageId, String status) {
        await().untilAsserted(() -> assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).hasSize(1));
        FakeTaskService.Call call = SimulatorHarness.TASK_SERVICE.callsFor(t).get(0);
        assertThat(call.path()).isEqualTo("/api/v1/tasks/" + t + "/progress-reports");
        assertThat(call.actingUnit()).isEqualTo(unit);
        JsonNode r = json.readTree(call.body());
        assertThat(r.get("messageId").asString()).isEqualTo(messageId);
        assertThat(r.get("period").asString()).isEqualTo("2025-Q1");
        assertThat(r.get("percentComplete").asInt()).isEqualTo(35);
        assertThat(r.get("status").asString()).as(call.body()).isEqualTo(status);
        assertThat(r.get("narrative").asString()).isEqualTo(NARRATIVE);
        assertThat(r.get("problems").asString()).isEqualTo(PROBLEMS);
        assertThat(r.get("nextSteps").asString()).isEqualTo(NEXT_STEPS);
        assertThat(r.get("reporter").asString()).isEqualTo(REPORTER);
        assertThat(OffsetDateTime.parse(r.get("reportedAt").asString())).as(call.body())
                .isEqualTo(OffsetDateTime.parse(REPORTED_AT));
        assertKpis(r.get("kpiValues"));
        assertEvidence(t, unit, r.get("evidence"));
    }

    static void assertKpis(JsonNode kpis) {
        assertThat(kpis).hasSize(2);
        JsonNode school = kpis.get(0);
        assertThat(school.get("kpiCode").asString()).isEqualTo("LAB_EQUIPMENT_USAGE_RATE");
        assertThat(school.get("level").asString()).isEqualTo("SCHOOL");
        assertThat(school.get("districtCode").asString()).isEqualTo("110108");
        assertThat(school.get("schoolCode").asString()).isEqualTo("S110108001");
        assertThat(school.get("value").decimalValue()).isEqualByComparingTo("87.5");
        JsonNode district = kpis.get(1);
        assertThat(district.get("kpiCode").asString()).isEqualTo("SCIENCE_TEACHER_RATIO");
        assertThat(district.get("level").asString()).isEqualTo("DISTRICT");
        assertThat(district.get("districtCode").asString()).isEqualTo("110108");
        assertThat(district.hasNonNull("schoolCode")).isFalse();
        assertThat(district.get("value").decimalValue()).isEqualByComparingTo("0.8");
    }

    static void assertEvidence(String t, String unit, JsonNode evidence) {
        List<FakeTaskService.Upload> uploads = SimulatorHarness.TASK_SERVICE.uploadsFor(t);
        assertThat(uploads).hasSize(1);
        FakeTaskService.Upload u = uploads.get(0);
        assertThat(u.bytes()).isEqualTo(EVIDENCE);
        assertThat(u.actingUnit()).isEqualTo(unit);
        assertThat(u.fileName()).isEqualTo(EVIDENCE_NAME);
        assertThat(u.contentType()).startsWith("text/plain");
        assertThat(evidence).hasSize(1);
        JsonNode e = evidence.get(0);
        assertThat(e.get("name").asString()).isEqualTo(EVIDENCE_NAME);
        assertThat(e.get("contentType").asString()).isEqualTo("text/plain");
        assertThat(e.get("size").asLong()).isEqualTo(EVIDENCE.length);
        assertThat(e.get("sha256").asString()).isEqualTo(SHA);
        assertThat(e.get("attachmentId").asString()).isEqualTo(u.id());
        assertThat(e.has("content")).isFalse();
    }

    JsonNode forwarded(String t, String pathEnd) {
        return SimulatorHarness.TASK_SERVICE.callsFor(t).stream().filter(c -> c.path().endsWith(pathEnd))
                .map(c -> json.readTree(c.body())).findFirst().orElseThrow();
    }

    /**
     * The receipt a FILE, SFTP or AMQP bureau got, read back from its own shape: the outcome, the bureau's own time of
     * the answered message as the hub kept it (the same instant as {@code sentAt}) and the task's status after it — what
     * the REST and SOAP receipts say.
     */
    static void assertReceipt(String unit, String t, String outcome, String sentAt, String taskStatus) {
        await().untilAsserted(() -> {
            List<Received> receipts = received(unit, t, "RECEIPT");
            assertThat(receipts).as(unit).hasSize(1);
            Received r = receipts.get(0);
            assertThat(r.valid()).as(unit + " " + r.errors()).isTrue();
            Map<String, Object> f = r.fields();
            if (r.raw().length > 0 && new String(r.raw(), StandardCharsets.ISO_8859_1).contains("<RWXX>")) {
                // the exchange XML (RWXX): 状态 ZT, 任务状态 RWZT, 原报送时间 YBSSJ
                org.w3c.dom.Element root = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                        .parse(new java.io.ByteArrayInputStream(r.raw())).getDocumentElement();
                f = Map.of("status", text(root, "ZT"), "taskStatus", text(root, "RWZT"), "sentAt", text(root, "YBSSJ"));
            }
            assertThat(f.get("status")).as(unit + " outcome").isEqualTo(outcome);
            assertThat(f.get("taskStatus")).as(unit + " taskStatus").isEqualTo(taskStatus);
            assertThat(f.get("sentAt")).as(unit + " sentAt").isNotNull();
            assertThat(instant(String.valueOf(f.get("sentAt")))).as(unit + " sentAt " + f.get("sentAt"))
                    .isEqualTo(OffsetDateTime.parse(sentAt).toInstant());
        });
    }

    static String text(org.w3c.dom.Element root, String name) {
        org.w3c.dom.NodeList n = root.getElementsByTagName(name);
        return n.getLength() == 0 ? null : n.item(0).getTextContent();
    }

    /** A time as a bureau shape writes it: ISO-8601 with offset, or a dateTimeFormat of a mapping in Asia/Shanghai. */
    static java.time.Instant instant(String s) {
        if (s.contains("T")) {
            return OffsetDateTime.parse(s).toInstant();
        }
        String pattern = s.contains("/") ? "yyyy/MM/dd HH:mm:ss" : s.contains("-") ? "yyyy-MM-dd HH:mm:ss" : "yyyyMMddHHmmss";
        return java.time.LocalDateTime.parse(s, java.time.format.DateTimeFormatter.ofPattern(pattern))
                .atZone(java.time.ZoneId.of("Asia/Shanghai")).toInstant();
    }

    String dispatched(String unit) {
        String t = newTaskId(unit);
        publish("task.dispatched", t, unit, 1, Map.of());
        await().until(() -> !received(unit, t, "ASSIGNMENT").isEmpty());
        return t;
    }

    static String kpisJson() {
        return "[{\"code\":\"LAB_EQUIPMENT_USAGE_RATE\",\"value\":87.5,\"level\":\"SCHOOL\",\"districtCode\":\"110108\","
                + "\"schoolCode\":\"S110108001\"},{\"code\":\"SCIENCE_TEACHER_RATIO\",\"value\":0.8,\"level\":\"DISTRICT\","
                + "\"districtCode\":\"110108\"}]";
    }

    /** A {@code BureauReport} with every progress field, in the XSD's order. */
    static String reportXml(String messageId, String t, String unit, String status, boolean inlineEvidence) {
        return "<b:BureauReport xmlns:b=\"" + NS + "\"><b:MessageId>" + messageId + "</b:MessageId><b:Kind>PROGRESS</b:Kind>"
                + "<b:TaskId>" + t + "</b:TaskId><b:UnitCode>" + unit + "</b:UnitCode><b:Period>2025-Q1</b:Period>"
                + "<b:PercentComplete>35</b:PercentComplete><b:Narrative>" + NARRATIVE + "</b:Narrative>"
                + "<b:ReportedAt>" + REPORTED_AT + "</b:ReportedAt><b:Status>" + status + "</b:Status>"
                + "<b:Problems>" + PROBLEMS + "</b:Problems><b:NextSteps>" + NEXT_STEPS + "</b:NextSteps>"
                + "<b:Reporter>" + REPORTER + "</b:Reporter><b:KpiValues>"
                + "<b:KpiValue><b:Code>LAB_EQUIPMENT_USAGE_RATE</b:Code><b:Value>87.5</b:Value><b:Level>SCHOOL</b:Level>"
                + "<b:DistrictCode>110108</b:DistrictCode><b:SchoolCode>S110108001</b:SchoolCode></b:KpiValue>"
                + "<b:KpiValue><b:Code>SCIENCE_TEACHER_RATIO</b:Code><b:Value>0.8</b:Value><b:Level>DISTRICT</b:Level>"
                + "<b:DistrictCode>110108</b:DistrictCode></b:KpiValue></b:KpiValues>"
                + "<b:Evidence><b:Item><b:Name>" + EVIDENCE_NAME + "</b:Name><b:ContentType>text/plain</b:ContentType>"
                + "<b:Size>" + EVIDENCE.length + "</b:Size><b:Sha256>" + SHA + "</b:Sha256>"
                + (inlineEvidence ? "<b:Content>" + Base64.getMimeEncoder().encodeToString(EVIDENCE) + "</b:Content>" : "")
                + "</b:Item></b:Evidence></b:BureauReport>";
    }

    /** One answer row of csv-gb.yaml's report columns, header first, CRLF. */
    static String csv(String messageId, String kind, String t, String unit, String signedBy, String period, String percent,
            String narrative, String status, String sentAt) throws Exception {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\r\n").get())) {
            p.printRecord((Object[]) CSV_HEADER.split(","));
            boolean progress = kind.equals("进展");
            p.printRecord(messageId, kind, t, unit, signedBy, period, percent, narrative, "", "", "", status,
                    progress ? PROBLEMS : "", progress ? NEXT_STEPS : "", progress ? REPORTER : signedBy, sentAt,
                    progress ? "LAB_EQUIPMENT_USAGE_RATE|SCHOOL|110108|S110108001|87.5；SCIENCE_TEACHER_RATIO|DISTRICT|110108||0.8" : "",
                    progress ? EVIDENCE_NAME + "|" + EVIDENCE.length + "|" + SHA : "");
        }
        return w.toString();
    }

    /** Written under a temporary name, then renamed: the pickup never sees half a file. */
    static void drop(Path outbox, String name, byte[] bytes) throws Exception {
        Files.createDirectories(outbox);
        Path tmp = outbox.resolve(".tmp-" + name + ".part");
        Files.write(tmp, bytes);
        Files.move(tmp, outbox.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    void reply(String unit, String body) {
        rabbit.send("", "hub.bureau." + unit + ".replies", MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
                .setContentType("application/json").setMessageId(UUID.randomUUID().toString()).build());
    }

    HttpResponse<String> uploadEvidence(String unit, String t, String name, byte[] bytes) throws Exception {
        String boundary = "hub-test-" + UUID.randomUUID();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(bytes);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request("/api/v1/bureau/tasks/" + t + "/attachments").header("Authorization", "Bearer " + TestTokens.bureau(unit))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
    }
}
