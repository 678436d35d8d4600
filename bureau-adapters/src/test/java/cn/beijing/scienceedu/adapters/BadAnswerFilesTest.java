package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;

import tools.jackson.databind.JsonNode;

/**
 * Bad answers from file-exchange bureaus (前置机 outbox) and AMQP bureaus: each one is parked with a reason
 * an operator sees in the operations API's message log, kept byte for byte with a reason file, and none
 * of it reaches the task-service — not even the good reports of a file that also holds a bad one.
 * Real files in the real exchange directories the adapters poll; real RabbitMQ queues.
 */
class BadAnswerFilesTest extends AdaptersIntegrationTest {

    private static final Charset GB18030 = Charset.forName("GB18030");
    private static final String CSV_HEADER = "消息编号,报送类型,任务编号,单位代码,签收人,报告期,完成百分比,进展说明,成果摘要,申请时限,理由,自评状态,存在问题,下一步计划,填报人,报送时间,指标数据,佐证材料\r\n";
    private static final String NS = "urn:cn:beijing:scienceedu:hub:bureau:v1";

    @Test
    void truncatedCsvIsParkedAndNothingOfItTakesEffect() throws Exception {
        String t = dispatched("CZJ");
        String good = "m-" + UUID.randomUUID() + ",签收," + t + ",CZJ,张三,,,,,,,,,,,,,\r\n";
        String cut = "m-" + UUID.randomUUID() + ",进展," + t + ",CZJ,,2025-Q1,4";
        String reason = parkedReason("CZJ", drop("CZJ", "truncated.csv", (CSV_HEADER + good + cut).getBytes(GB18030)));
        assertThat(reason).contains("truncated");
        assertNoEffect(t);
    }

    @Test
    void csvCutInsideAQuotedFieldIsParked() throws Exception {
        String t = dispatched("CZJ");
        String row = "m-" + UUID.randomUUID() + ",进展," + t + ",CZJ,,2025-Q1,40,\"按计划推进，\r\n";
        assertThat(parkedReason("CZJ", drop("CZJ", "open-quote.csv", (CSV_HEADER + row).getBytes(GB18030))))
                .contains("cannot parse");
        assertNoEffect(t);
    }

    @Test
    void aFileWithOneBadReportIsParkedWholeBeforeAnyReportTakesEffect() throws Exception {
        String t = dispatched("CZJ");
        String good = "m-" + UUID.randomUUID() + ",签收," + t + ",CZJ,张三,,,,,,,,,,,,,\r\n";
        String bad = "m-" + UUID.randomUUID() + ",进展," + t + ",CZJ,,2025-Q5,40,按计划推进,,,,,,,,,,\r\n";
        assertThat(parkedReason("CZJ", drop("CZJ", "one-bad.csv", (CSV_HEADER + good + bad).getBytes(GB18030))))
                .contains("report 2").contains("period");
        assertNoEffect(t);
    }

    @Test
    void utf8BytesWhereTheBureauDeclaresGb18030AreParked() throws Exception {
        String t = dispatched("CZJ");
        String row = "m-" + UUID.randomUUID() + ",签收," + t + ",CZJ,张三,,,,,,,,,,,,,\r\n";
        assertThat(parkedReason("CZJ", drop("CZJ", "utf8.csv", (CSV_HEADER + row).getBytes(StandardCharsets.UTF_8))))
                .contains("GB18030"); // strictly decoded: not GB18030 text, or UTF-8 bytes
        assertNoEffect(t);
    }

    @Test
    void gbkBytesWhereTheBureauDeclaresUtf8AreParked() throws Exception {
        String t = dispatched("GHZRW");
        String body = "{\"messageId\":\"m-" + UUID.randomUUID() + "\",\"kind\":\"SIGN_FOR\",\"taskId\":\"" + t
                + "\",\"unitCode\":\"GHZRW\",\"signedBy\":\"张三\"}";
        assertThat(parkedReason("GHZRW", drop("GHZRW", "gbk.json", body.getBytes(Charset.forName("GBK")))))
                .contains("not UTF-8 text");
        assertNoEffect(t);
    }

    @Test
    void aUtf8ByteOrderMarkIsAcceptedFromAUtf8BureauAndRefusedFromAGb18030One() throws Exception {
        // Excel's "CSV UTF-8" and Notepad write a BOM; it carries no data, so a UTF-8 bureau's BOM is dropped
        String t = dispatched("GHZRW");
        String body = "{\"messageId\":\"m-" + UUID.randomUUID() + "\",\"kind\":\"SIGN_FOR\",\"taskId\":\"" + t
                + "\",\"unitCode\":\"GHZRW\",\"signedBy\":\"张三\"}";
        drop("GHZRW", "bom.json", withBom(body.getBytes(StandardCharsets.UTF_8)));
        await().untilAsserted(() -> assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).hasSize(1));
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t).get(0).body()).contains("张三");

        // ... but a UTF-8 BOM on a file of a GB18030 bureau says the file is not in its charset
        String t2 = dispatched("CZJ");
        String row = "m-" + UUID.randomUUID() + ",签收," + t2 + ",CZJ,张三,,,,,,,,,,,,,\r\n";
        assertThat(parkedReason("CZJ", drop("CZJ", "bom.csv", withBom((CSV_HEADER + row).getBytes(StandardCharsets.UTF_8)))))
                .contains("byte-order mark");
        assertNoEffect(t2);
    }

    @Test
    void xmlWithAnExternalEntityIsParkedUnresolved() throws Exception {
        String t = dispatched("GHZRW");
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>\n"
                + "<BureauReport xmlns=\"" + NS + "\"><MessageId>&xxe;</MessageId><Kind>SIGN_FOR</Kind><TaskId>" + t
                + "</TaskId><UnitCode>GHZRW</UnitCode></BureauReport>\n";
        assertThat(parkedReason("GHZRW", drop("GHZRW", "xxe.xml", xml.getBytes(StandardCharsets.UTF_8)))).contains("DOCTYPE");
        assertNoEffect(t);
    }

    @Test
    void xmlEntityExpansionIsParkedWithoutExpanding() throws Exception {
        String t = dispatched("GHZRW");
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");
        String xml = "<?xml version=\"1.0\"?>\n" + dtd + "\n<BureauReport xmlns=\"" + NS + "\"><MessageId>m</MessageId>"
                + "<Kind>PROGRESS</Kind><TaskId>" + t + "</TaskId><UnitCode>GHZRW</UnitCode><Narrative>&lol9;</Narrative></BureauReport>\n";
        long start = System.nanoTime();
        assertThat(parkedReason("GHZRW", drop("GHZRW", "laughs.xml", xml.getBytes(StandardCharsets.UTF_8)))).contains("DOCTYPE");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(30_000);
        assertNoEffect(t);
    }

    @Test
    void anOversizeFileIsParkedUnread() throws Exception {
        String t = dispatched("GHZRW");
        String body = "{\"messageId\":\"m-" + UUID.randomUUID() + "\",\"kind\":\"PROGRESS\",\"taskId\":\"" + t
                + "\",\"unitCode\":\"GHZRW\",\"period\":\"2025-Q1\",\"percentComplete\":40,\"narrative\":\""
                + "进".repeat(30_000) + "\"}";
        String name = drop("GHZRW", "big.json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(parkedReason("GHZRW", name)).contains("oversize").contains("max-file-size");
        assertNoEffect(t);
        // kept whole for the operator
        try (var files = Files.list(SimulatorHarness.WORK.resolve("parked/GHZRW"))) {
            Path kept = files.filter(p -> p.getFileName().toString().endsWith(name)).findFirst().orElseThrow();
            assertThat(Files.size(kept)).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void anEmptyFileIsParked() throws Exception {
        assertThat(parkedReason("CZJ", drop("CZJ", "empty.csv", new byte[0]))).contains("empty");
    }

    @Test
    void garbageXmlAndOversizeRepliesOnAnAmqpBureauQueueAreParked() {
        String t = dispatched("XCB");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]><r>&xxe;</r>";
        String big = "{\"messageId\":\"m-" + UUID.randomUUID() + "\",\"kind\":\"SUBMISSION\",\"taskId\":\"" + t
                + "\",\"unitCode\":\"XCB\",\"summary\":\"" + "成".repeat(30_000) + "\"}";
        Map<String, byte[]> replies = Map.of("garbage", "}{ not json".getBytes(StandardCharsets.UTF_8),
                "xml", xxe.getBytes(StandardCharsets.UTF_8),
                "gbk", ("{\"messageId\":\"m-1\",\"kind\":\"SUBMISSION\",\"taskId\":\"" + t + "\",\"summary\":\"已完成\"}")
                        .getBytes(Charset.forName("GBK")),
                "big", big.getBytes(StandardCharsets.UTF_8));
        replies.forEach((what, body) -> {
            String id = what + "-" + UUID.randomUUID();
            rabbit.send("", "hub.bureau.XCB.replies", MessageBuilder.withBody(body).setMessageId(id).build());
            String reason = parkedReason("XCB", "amqp-" + id + ".json");
            assertThat(reason).as(what).isNotBlank();
            if (what.equals("big")) {
                assertThat(reason).contains("oversize");
            }
        });
        assertNoEffect(t);
    }

    // --- helpers

    private String dispatched(String unit) {
        String t = newTaskId(unit);
        publish("task.dispatched", t, unit, 1, Map.of());
        await().until(() -> !received(unit, t, "ASSIGNMENT").isEmpty());
        return t;
    }

    /** Writes the file the way a bureau does (temporary name, then rename) into its outbox. */
    private static String drop(String unit, String name, byte[] bytes) throws Exception {
        String unique = UUID.randomUUID().toString().substring(0, 8) + "-" + name;
        Path outbox = Files.createDirectories(SimulatorHarness.EXCHANGE_DIR.resolve(unit).resolve("outbox"));
        Path tmp = outbox.resolve(".tmp-" + unique);
        Files.write(tmp, bytes);
        Files.move(tmp, outbox.resolve(unique));
        return unique;
    }

    /** What an operator sees: the parked answer in the message log (operations API), with its reason. */
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
        try (var files = Files.list(SimulatorHarness.WORK.resolve("parked").resolve(unit))) {
            List<Path> kept = files.filter(p -> p.getFileName().toString().endsWith(name + ".reason.txt")).toList();
            assertThat(kept).as("reason file for " + name).hasSize(1);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return outcome[0];
    }

    private static void assertNoEffect(String taskId) {
        // give the poller time to have acted, then nothing may have reached the task-service
        ProtocolRoundTripTest.sleep(1500);
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(taskId)).isEmpty();
    }

    private static byte[] withBom(byte[] bytes) {
        byte[] out = new byte[bytes.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF;
        System.arraycopy(bytes, 0, out, 3, bytes.length);
        return out;
    }
}
