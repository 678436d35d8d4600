package cn.beijing.scienceedu.adapters;

import static cn.beijing.scienceedu.adapters.FullReportRoundTripTest.CSV_HEADER;
import static cn.beijing.scienceedu.adapters.FullReportRoundTripTest.EVIDENCE;
import static cn.beijing.scienceedu.adapters.FullReportRoundTripTest.EVIDENCE_NAME;
import static cn.beijing.scienceedu.adapters.FullReportRoundTripTest.GB18030;
import static cn.beijing.scienceedu.adapters.FullReportRoundTripTest.SHA;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;

import cn.beijing.scienceedu.simulator.Received;
import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;

/**
 * Issue 15's bad input, on every protocol: an unknown status, a school-level KPI value without its school, evidence
 * over 5 MiB or whose size or SHA-256 do not match its bytes, a CSV answer missing a new column or with shifted
 * columns, a malformed KPI cell, a bureau time the task-service refuses. Each is a clear refusal in the bureau's own
 * terms — an RFC 9457 problem (REST), a REJECTED receipt with the reasons (SOAP, AMQP), the answer parked with the
 * reason (FILE) — and never a partial effect: no report reaches the task-service, no evidence is stored.
 */
class BureauReportBadInputTest extends AdaptersIntegrationTest {

    private static final String OK_ROW_TAIL = "LAB_EQUIPMENT_USAGE_RATE|SCHOOL|110108|S110108001|87.5";

    // ------------------------------------------------------------------------------------------------ REST

    @Test
    void restUnknownStatusSchoolKpiWithoutSchoolAndMismatchedEvidenceAreProblems() throws Exception {
        String t = dispatched("SJW");
        String bureau = TestTokens.bureau("SJW");
        HttpResponse<String> status = post("/api/v1/bureau/tasks/" + t + "/progress-reports", bureau,
                progress("\"status\":\"GREAT\""));
        assertProblem(status, 400, "status");

        HttpResponse<String> school = post("/api/v1/bureau/tasks/" + t + "/progress-reports", bureau, progress(
                "\"kpiValues\":[{\"code\":\"LAB_EQUIPMENT_USAGE_RATE\",\"value\":87.5,\"level\":\"SCHOOL\",\"districtCode\":\"110108\"}]"));
        assertProblem(school, 400, "kpiValues[0].schoolCode");

        HttpResponse<String> sha = post("/api/v1/bureau/tasks/" + t + "/progress-reports", bureau, progress(evidence(
                EVIDENCE.length, "0".repeat(64), EVIDENCE)));
        assertProblem(sha, 400, "sha256: does not match");

        HttpResponse<String> size = post("/api/v1/bureau/tasks/" + t + "/progress-reports", bureau, progress(evidence(
                EVIDENCE.length + 1, SHA, EVIDENCE)));
        assertProblem(size, 400, "size: says " + (EVIDENCE.length + 1));

        HttpResponse<String> huge = post("/api/v1/bureau/tasks/" + t + "/progress-reports", bureau, progress(
                "\"evidence\":[{\"name\":\"大.pdf\",\"size\":5242881,\"sha256\":\"" + SHA + "\"}]"));
        assertProblem(huge, 400, "size");

        assertNoEffect(t);
    }

    @Test
    void evidenceUploadsForAnotherUnitsTaskOrOfAFileTypeTheTaskServiceRefusesAreProblems() throws Exception {
        String other = dispatched("SKX");
        HttpResponse<String> foreign = upload("SJW", other, EVIDENCE_NAME, EVIDENCE);
        assertProblem(foreign, 404, "not found");
        assertThat(SimulatorHarness.TASK_SERVICE.uploadsFor(other)).isEmpty();

        String t = dispatched("SJW");
        SimulatorHarness.TASK_SERVICE.answer(t + "/attachments", 415);
        assertProblem(upload("SJW", t, "程序.exe", EVIDENCE), 415, "file type refused by task-service");
        HttpResponse<String> empty = upload("SJW", t, "空.txt", new byte[0]);
        assertThat(empty.statusCode()).as(empty.body()).isEqualTo(400);
        assertThat(SimulatorHarness.TASK_SERVICE.uploadsFor(t)).isEmpty();
    }

    @Test
    void aBureauTimeTheTaskServiceRefusesIsItsProblemForRestAndARejectedReceiptForAmqp() throws Exception {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"invalid bureau time\","
                + "\"errors\":[{\"field\":\"reportedAt\",\"message\":\"more than 5 minutes in the future\"}]}";
        String rest = dispatched("SJW");
        SimulatorHarness.TASK_SERVICE.answer(rest, 400, problem);
        HttpResponse<String> res = post("/api/v1/bureau/tasks/" + rest + "/progress-reports", TestTokens.bureau("SJW"),
                progress("\"reportedAt\":\"2099-01-01T00:00:00+08:00\""));
        assertProblem(res, 400, "reportedAt: more than 5 minutes in the future");
        JsonNode p = json.readTree(res.body());
        assertThat(p.get("errors").get(0).get("field").asString()).isEqualTo("reportedAt");
        assertThat(p.get("outcome").asString()).isEqualTo("REJECTED");

        String amqp = dispatched("XCB");
        SimulatorHarness.TASK_SERVICE.answer(amqp, 400, problem);
        reply("XCB", amqpProgress(amqp, "\"reportedAt\":\"2099-01-01T00:00:00+08:00\""));
        assertRejected("XCB", amqp, "reportedAt: more than 5 minutes in the future");
    }

    // ------------------------------------------------------------------------------------------------ SOAP

    @Test
    void soapUnknownStatusIsARejectedReceiptWithTheReason() throws Exception {
        String t = dispatched("SKW");
        String xml = FullReportRoundTripTest.reportXml("skw-bad-" + UUID.randomUUID(), t, "SKW", "GREAT", true);
        HttpResponse<String> res = send(request("/soap/bureau").header("Authorization", "Bearer " + TestTokens.bureau("SKW"))
                .header("Content-Type", "text/xml; charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(
                        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>" + xml
                                + "</soapenv:Body></soapenv:Envelope>", StandardCharsets.UTF_8)));
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.body()).contains("<b:Outcome>REJECTED</b:Outcome>").contains("GREAT").contains("<b:At>");
        assertNoEffect(t);
    }

    // ------------------------------------------------------------------------------------------------ AMQP

    @Test
    void amqpUnknownStatusAndMismatchedEvidenceAreRejectedReceiptsWithTheReasons() {
        String t = dispatched("XCB");
        reply("XCB", amqpProgress(t, "\"status\":\"GREAT\""));
        assertRejected("XCB", t, "status: unknown value 'GREAT'");

        String u = dispatched("XCB");
        reply("XCB", amqpProgress(u, evidence(EVIDENCE.length, "ab".repeat(32), EVIDENCE)));
        assertRejected("XCB", u, "sha256: does not match");

        String v = dispatched("XCB");
        reply("XCB", amqpProgress(v,
                "\"kpiValues\":[{\"code\":\"LAB_EQUIPMENT_USAGE_RATE\",\"value\":1,\"level\":\"SCHOOL\",\"districtCode\":\"110108\"}]"));
        assertRejected("XCB", v, "kpiValues[0].schoolCode");
        assertNoEffect(t);
        assertNoEffect(u);
        assertNoEffect(v);
    }

    /** The year 0000, which bureau-api's period pattern excludes, is refused on the queue path as on REST. */
    @Test
    void amqpPeriodOfTheYear0000IsARejectedReceipt() {
        String t = dispatched("XCB");
        reply("XCB", amqpProgress(t, "\"status\":\"ON_TRACK\"").replace("\"period\":\"2025-Q1\"", "\"period\":\"0000-Q1\""));
        assertRejected("XCB", t, "period: must be 2025, 2025-Q1 or 2025-03");
        assertNoEffect(t);
    }

    // ------------------------------------------------------------------------------------------------ FILE (CSV)

    @Test
    void aCsvAnswerMissingANewColumnIsParkedNamingIt() throws Exception {
        String t = dispatched("CZJ");
        String header = CSV_HEADER.replace(",自评状态", "");
        String row = "m-" + UUID.randomUUID() + ",进展," + t + ",CZJ,,2025-Q1,40,按计划推进,,,,,,李填报,2025-04-02 16:05:00,"
                + OK_ROW_TAIL + ",\r\n";
        assertThat(parkedReason("CZJ", drop("CZJ", "no-status.csv", (header + "\r\n" + row).getBytes(GB18030), null)))
                .contains("lacks column 自评状态");
        assertNoEffect(t);
    }

    @Test
    void aCsvAnswerWithShiftedColumnsIsParked() throws Exception {
        String t = dispatched("CZJ");
        String header = CSV_HEADER.replace("指标数据,佐证材料", "佐证材料,指标数据");
        String row = row(t, "存在风险", OK_ROW_TAIL, "");
        assertThat(parkedReason("CZJ", drop("CZJ", "shifted.csv", (header + "\r\n" + row).getBytes(GB18030), null)))
                .contains("column 17 is 佐证材料, expected 指标数据");
        assertNoEffect(t);
    }

    @Test
    void malformedKpiCellsUnknownStatusAndSchoolWithoutSchoolCodeParkTheAnswer() throws Exception {
        String t = dispatched("CZJ");
        assertThat(parkedReason("CZJ", drop("CZJ", "kpi.csv",
                (CSV_HEADER + "\r\n" + row(t, "存在风险", "LAB_EQUIPMENT_USAGE_RATE|SCHOOL|87.5", "")).getBytes(GB18030), null)))
                .contains("指标数据 entry 1").contains("5 parts");
        assertThat(parkedReason("CZJ", drop("CZJ", "kpi-value.csv",
                (CSV_HEADER + "\r\n" + row(t, "存在风险", "LAB_EQUIPMENT_USAGE_RATE|SCHOOL|110108|S1|八十", "")).getBytes(GB18030), null)))
                .contains("value '八十' is not a number");
        assertThat(parkedReason("CZJ", drop("CZJ", "status.csv",
                (CSV_HEADER + "\r\n" + row(t, "很好", OK_ROW_TAIL, "")).getBytes(GB18030), null)))
                .contains("status: unknown value '很好'");
        assertThat(parkedReason("CZJ", drop("CZJ", "school.csv",
                (CSV_HEADER + "\r\n" + row(t, "存在风险", "LAB_EQUIPMENT_USAGE_RATE|SCHOOL|110108||87.5", "")).getBytes(GB18030), null)))
                .contains("kpiValues[0].schoolCode");
        assertNoEffect(t);
    }

    @Test
    void evidenceOverFiveMibOrNotMatchingItsShaParksTheAnswerAndNothingIsStored() throws Exception {
        String t = dispatched("CZJ");
        byte[] big = new byte[5 * 1024 * 1024 + 1];
        String bigRow = row(t, "存在风险", OK_ROW_TAIL, "大文件.pdf|" + big.length + "|" + SHA);
        String name = drop("CZJ", "big.csv", (CSV_HEADER + "\r\n" + bigRow).getBytes(GB18030), Map.of("大文件.pdf", big));
        assertThat(parkedReason("CZJ", name)).contains("more than 5 MiB");
        // the parked answer keeps its evidence beside it (for a replay after the bureau's fix)
        try (var files = Files.list(SimulatorHarness.WORK.resolve("parked/CZJ"))) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(name + ".evidence")).toList()).hasSize(1);
        }

        String wrongRow = row(t, "存在风险", OK_ROW_TAIL, EVIDENCE_NAME + "|" + EVIDENCE.length + "|" + "c".repeat(64));
        assertThat(parkedReason("CZJ", drop("CZJ", "sha.csv", (CSV_HEADER + "\r\n" + wrongRow).getBytes(GB18030),
                Map.of(EVIDENCE_NAME, EVIDENCE)))).contains("sha256: does not match");
        assertNoEffect(t);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private HttpResponse<String> upload(String unit, String t, String name, byte[] bytes) throws Exception {
        String boundary = "hub-test-" + UUID.randomUUID();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(bytes);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request("/api/v1/bureau/tasks/" + t + "/attachments").header("Authorization", "Bearer " + TestTokens.bureau(unit))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
    }

    private static String row(String t, String status, String kpis, String evidence) {
        return "m-" + UUID.randomUUID() + ",进展," + t + ",CZJ,,2025-Q1,40,按计划推进,,,," + status
                + ",设备未到,验收,李填报,2025-04-02 16:05:00," + kpis + "," + evidence + "\r\n";
    }

    private static String progress(String extra) {
        return "{\"messageId\":\"bad-" + UUID.randomUUID() + "\",\"period\":\"2025-Q1\",\"percentComplete\":40," + extra + "}";
    }

    private static String amqpProgress(String t, String extra) {
        return "{\"messageId\":\"bad-" + UUID.randomUUID() + "\",\"kind\":\"PROGRESS\",\"taskId\":\"" + t
                + "\",\"unitCode\":\"XCB\",\"period\":\"2025-Q1\",\"percentComplete\":40," + extra + "}";
    }

    private static String evidence(long size, String sha, byte[] bytes) {
        return "\"evidence\":[{\"name\":\"" + EVIDENCE_NAME + "\",\"contentType\":\"text/plain\",\"size\":" + size
                + ",\"sha256\":\"" + sha + "\",\"content\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}]";
    }

    private void assertProblem(HttpResponse<String> res, int status, String says) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(res.body()).contains(says);
    }

    private static void assertRejected(String unit, String t, String reason) {
        await().untilAsserted(() -> {
            List<Received> receipts = received(unit, t, "RECEIPT");
            assertThat(receipts).as(unit).hasSize(1);
            assertThat(receipts.get(0).fields().get("status")).isEqualTo("REJECTED");
            assertThat(String.valueOf(receipts.get(0).fields().get("reason"))).contains(reason);
        });
    }

    private void reply(String unit, String body) {
        rabbit.send("", "hub.bureau." + unit + ".replies", MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
                .setContentType("application/json").setMessageId(UUID.randomUUID().toString()).build());
    }

    private String dispatched(String unit) {
        String t = newTaskId(unit);
        publish("task.dispatched", t, unit, 1, Map.of());
        await().until(() -> !received(unit, t, "ASSIGNMENT").isEmpty());
        return t;
    }

    /** Evidence files first, then the answer (temporary name, then rename), as a bureau does. */
    private static String drop(String unit, String name, byte[] bytes, Map<String, byte[]> evidence) throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8) + "-" + name;
        Path outbox = Files.createDirectories(SimulatorHarness.EXCHANGE_DIR.resolve(unit).resolve("outbox"));
        if (evidence != null) {
            Path dir = Files.createDirectories(outbox.resolve(unique + ".evidence"));
            for (var e : evidence.entrySet()) {
                Files.write(dir.resolve(e.getKey()), e.getValue());
            }
        }
        Path tmp = outbox.resolve(".tmp-" + unique);
        Files.write(tmp, bytes);
        Files.move(tmp, outbox.resolve(unique));
        return unique;
    }

    /** The parked answer's reason, as an operator sees it in the message log (operations API). */
    private String parkedReason(String unit, String name) {
        String[] outcome = new String[1];
        await().untilAsserted(() -> {
            var res = get("/api/v1/operations/message-log?unit=" + unit + "&direction=IN&limit=1000", operator());
            assertThat(res.statusCode()).isEqualTo(200);
            JsonNode found = null;
            for (JsonNode r : json.readTree(res.body())) {
                if (name.equals(r.path("messageId").asString(null))) {
                    found = r;
                }
            }
            assertThat(found).as("message-log record for " + name).isNotNull();
            outcome[0] = found.get("outcome").asString();
        });
        assertThat(outcome[0]).startsWith("PARKED: ");
        return outcome[0];
    }

    private static void assertNoEffect(String taskId) {
        ProtocolRoundTripTest.sleep(1500);
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(taskId)).isEmpty();
        assertThat(SimulatorHarness.TASK_SERVICE.uploadsFor(taskId)).isEmpty();
    }
}
