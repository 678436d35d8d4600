package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;

/**
 * Parked answer files as an operations resource: listed with why they were parked, shown (text and bytes),
 * replayed once the cause is fixed — exactly once in effect, whatever is replayed or resent — or parked again
 * with the new reason, or discarded with a reason; every replay and discard in the message log. Real files in
 * the real exchange and parked directories, the real operations HTTP endpoint, real PostgreSQL and RabbitMQ.
 */
class ParkedAnswersTest extends AdaptersIntegrationTest {

    private static final Charset GB18030 = Charset.forName("GB18030");
    private static final String CSV_HEADER = "消息编号,报送类型,任务编号,单位代码,签收人,报告期,完成百分比,进展说明,成果摘要,申请时限,理由,自评状态,存在问题,下一步计划,填报人,报送时间,指标数据,佐证材料\r\n";
    private static final String API = "/api/v1/operations/parked-answers";

    @Test
    void aParkedFileIsShownAndReplayedOnceAfterTheBureausCorrectedCopyReplacedIt() throws Exception {
        String t = dispatched("CZJ");
        String signFor = "m-" + UUID.randomUUID() + ",签收," + t + ",CZJ,张三,,,,,,,,,,,,,\r\n";
        String progress = "m-" + UUID.randomUUID() + ",进展," + t + ",CZJ,,2025-Q5,40,按计划推进,,,,,,,,,,\r\n";
        byte[] bad = (CSV_HEADER + signFor + progress).getBytes(GB18030);
        String name = drop("CZJ", "progress.csv", bad);

        // listed, with why, what it is and where it is kept
        JsonNode parked = awaitParked("CZJ", name);
        String id = parked.get("answerId").asString();
        assertThat(parked.get("status").asString()).isEqualTo("PARKED");
        assertThat(parked.get("protocol").asString()).isEqualTo("FILE");
        assertThat(parked.get("reason").asString()).contains("report 2").contains("period");
        assertThat(parked.get("size").asLong()).isEqualTo(bad.length);
        assertThat(parked.get("sha256").asString()).isEqualTo(MessageLog.sha256(bad));
        assertThat(parked.get("storedAs").asString()).startsWith("CZJ/").endsWith(name);
        assertThat(parked.hasNonNull("parkedAt")).isTrue();
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).isEmpty();

        // shown: its text in the unit's charset (GB18030), and byte for byte
        JsonNode one = ok(get(API + "/" + id, operator()));
        assertThat(one.get("preview").asString()).contains("张三").contains("2025-Q5");
        HttpResponse<byte[]> content = http.send(request(API + "/" + id + "/content")
                .header("Authorization", "Bearer " + operator()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(content.body()).isEqualTo(bad);

        // the bureau's corrected copy (same message ids) takes the parked file's place
        byte[] fixed = (CSV_HEADER + signFor + progress.replace("2025-Q5", "2025-Q1")).getBytes(GB18030);
        Files.write(parkedFile(parked), fixed);
        assertThat(ok(get(API + "/" + id, operator())).get("sha256").asString()).isEqualTo(MessageLog.sha256(fixed));

        JsonNode replayed = ok(post(API + "/" + id + "/replay", operator(), ""));
        assertThat(replayed.get("status").asString()).isEqualTo("REPLAYED");
        assertThat(replayed.get("lastReplayOutcome").asString()).isEqualTo("2 report(s): ACCEPTED 2");
        assertThat(replayed.get("lastReplayBy").asString()).isEqualTo("ops-zhao");
        assertThat(replayed.get("replays").asInt()).isEqualTo(1);
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).extracting(FakeTaskService.Call::path)
                .containsExactly("/api/v1/tasks/" + t + "/sign-for", "/api/v1/tasks/" + t + "/progress-reports");

        // once: a second replay is refused; the bureau sending the corrected file again is answered as duplicates
        HttpResponse<String> again = post(API + "/" + id + "/replay", operator(), "");
        assertProblem(again, 409);
        assertThat(json.readTree(again.body()).get("currentState").asString()).isEqualTo("REPLAYED");
        drop("CZJ", "progress-again.csv", fixed);
        await().untilAsserted(() -> assertThat(messageLog("CZJ", t, "OUT").stream()
                .filter(r -> "DUPLICATE".equals(r.path("outcome").asString(null))).count()).isEqualTo(2));
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).hasSize(2);

        // in the message log, with the hash of the bytes that were replayed
        JsonNode record = messageLog("CZJ", null, "IN").stream().filter(r -> name.equals(r.path("messageId").asString(null))
                && r.path("outcome").asString("").startsWith("REPLAYED: ")).findFirst().orElseThrow();
        assertThat(record.get("outcome").asString()).contains("2 report(s): ACCEPTED 2").contains(id).contains("ops-zhao");
        assertThat(record.get("payloadHash").asString()).isEqualTo(MessageLog.sha256(fixed));
        assertThat(record.get("messageKind").asString()).isEqualTo("PARKED_ANSWER");
        // no longer among the parked ones; among the replayed
        assertThat(ids(API + "?unit=CZJ&limit=1000")).doesNotContain(id);
        assertThat(ids(API + "?unit=CZJ&status=REPLAYED&limit=1000")).contains(id);
    }

    @Test
    void aReplayThatFailsAgainParksItWithTheNewReasonAndADiscardIsFinal() throws Exception {
        String t = dispatched("GHZRW");
        String body = "{\"messageId\":\"m-" + UUID.randomUUID() + "\",\"kind\":\"SIGN_FOR\",\"taskId\":\"" + t
                + "\",\"unitCode\":\"GHZRW\",\"signedBy\":\"张三\"}";
        String name = drop("GHZRW", "gbk.json", body.getBytes(Charset.forName("GBK")));
        JsonNode parked = awaitParked("GHZRW", name);
        String id = parked.get("answerId").asString();
        assertThat(parked.get("reason").asString()).contains("not UTF-8 text");

        // a "corrected" copy that is still no report: parked again, with the new reason
        Path file = parkedFile(parked);
        Files.writeString(file, "{\"messageId\":", StandardCharsets.UTF_8);
        JsonNode again = ok(post(API + "/" + id + "/replay", operator(), ""));
        assertThat(again.get("status").asString()).isEqualTo("PARKED");
        assertThat(again.get("reason").asString()).contains("unparseable JSON answer").doesNotContain("UTF-8");
        assertThat(again.get("replays").asInt()).isEqualTo(1);
        assertThat(again.get("lastReplayOutcome").asString()).startsWith("parked again: unparseable JSON answer");
        assertThat(Files.readString(file.resolveSibling(file.getFileName() + ".reason.txt"))).contains("unparseable JSON answer");
        assertThat(messageLog("GHZRW", null, "IN")).anyMatch(r -> name.equals(r.path("messageId").asString(null))
                && r.path("outcome").asString("").startsWith("PARKED: unparseable JSON answer")
                && r.path("outcome").asString("").contains("replay of answer " + id + " by ops-zhao"));

        // a discard needs a reason
        assertProblem(post(API + "/" + id + "/discard", operator(), "{}"), 400);
        assertProblem(post(API + "/" + id + "/discard", operator(), "{\"reason\":\"  \"}"), 400);
        JsonNode discarded = ok(post(API + "/" + id + "/discard", operator(), "{\"reason\":\"the bureau sent it again by REST\"}"));
        assertThat(discarded.get("status").asString()).isEqualTo("DISCARDED");
        assertThat(discarded.get("discardReason").asString()).isEqualTo("the bureau sent it again by REST");
        assertThat(discarded.get("discardedBy").asString()).isEqualTo("ops-zhao");
        assertThat(Files.exists(file)).as("kept as evidence").isTrue();

        // final: neither replayed nor discarded again
        HttpResponse<String> replay = post(API + "/" + id + "/replay", operator(), "");
        assertProblem(replay, 409);
        assertThat(json.readTree(replay.body()).get("currentState").asString()).isEqualTo("DISCARDED");
        assertThat(json.readTree(replay.body()).get("detail").asString()).contains("the bureau sent it again by REST");
        assertProblem(post(API + "/" + id + "/discard", operator(), "{\"reason\":\"twice\"}"), 409);
        assertThat(messageLog("GHZRW", null, "IN")).anyMatch(r -> name.equals(r.path("messageId").asString(null))
                && r.path("outcome").asString("").startsWith("DISCARDED: the bureau sent it again by REST"));
        assertThat(ids(API + "?unit=GHZRW&limit=1000")).doesNotContain(id);
        assertThat(ids(API + "?unit=GHZRW&status=DISCARDED&limit=1000")).contains(id);
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).isEmpty();
    }

    @Test
    void aReplayInProgressIsNotStartedTwiceAndATaskServiceOutageLeavesTheFileParked() throws Exception {
        String t1 = dispatched("CZJ");
        String t2 = dispatched("CZJ");
        String first = "m-" + UUID.randomUUID() + ",签收," + t1 + ",CZJ,张三,,,,,,,,,,,,,\r\n";
        String second = "m-" + UUID.randomUUID() + ",签收," + t2 + ",CZJ,李四,,,,,,,,,,,,,\r\n";
        String bad = "m-" + UUID.randomUUID() + ",进展," + t2 + ",CZJ,,2025-13,40,按计划推进,,,,,,,,,,\r\n";
        String name = drop("CZJ", "two.csv", (CSV_HEADER + first + second + bad).getBytes(GB18030));
        JsonNode parked = awaitParked("CZJ", name);
        String id = parked.get("answerId").asString();
        String reason = parked.get("reason").asString();
        Files.write(parkedFile(parked), (CSV_HEADER + first + second).getBytes(GB18030));

        // the task-service is away for the second report: 503, still parked; the first report is taken
        SimulatorHarness.TASK_SERVICE.answer(t2, 503);
        assertProblem(post(API + "/" + id + "/replay", operator(), ""), 503);
        JsonNode still = ok(get(API + "/" + id, operator()));
        assertThat(still.get("status").asString()).isEqualTo("PARKED");
        assertThat(still.get("reason").asString()).isEqualTo(reason);
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t1)).hasSize(1);
        assertThat(messageLog("CZJ", null, "IN")).anyMatch(r -> name.equals(r.path("messageId").asString(null))
                && r.path("outcome").asString("").startsWith("REPLAY INTERRUPTED: task-service unavailable after 1 of 2"));

        // back but slow: while one replay waits on it, another is refused, and so is a discard
        SimulatorHarness.TASK_SERVICE.answer(t2, 200);
        SimulatorHarness.TASK_SERVICE.hold(t2);
        CompletableFuture<HttpResponse<String>> waiting;
        try {
            waiting = http.sendAsync(request(API + "/" + id + "/replay").header("Authorization", "Bearer " + operator())
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            await().until(() -> SimulatorHarness.TASK_SERVICE.callsFor(t2).size() == 2);
            assertThat(ok(get(API + "/" + id, operator())).get("status").asString()).isEqualTo("REPLAYING");
            HttpResponse<String> twice = post(API + "/" + id + "/replay", operator(), "");
            assertProblem(twice, 409);
            assertThat(json.readTree(twice.body()).get("currentState").asString()).isEqualTo("REPLAYING");
            assertThat(json.readTree(twice.body()).get("detail").asString()).contains("being processed");
            assertProblem(post(API + "/" + id + "/discard", operator(), "{\"reason\":\"no\"}"), 409);
        } finally {
            SimulatorHarness.TASK_SERVICE.release(t2);
        }
        JsonNode replayed = json.readTree(waiting.get(30, TimeUnit.SECONDS).body());
        assertThat(replayed.get("status").asString()).isEqualTo("REPLAYED");
        assertThat(replayed.get("lastReplayOutcome").asString()).isEqualTo("2 report(s): DUPLICATE 1, ACCEPTED 1");
        // each report took effect once: t1 on the first replay; t2 refused (503) once, then taken
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t1)).hasSize(1);
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t2)).hasSize(2);
    }

    @Test
    void aParkedAmqpReplyIsReplayedFromItsKeptBytes() throws Exception {
        String t = dispatched("XCB");
        String messageId = "garbage-" + UUID.randomUUID();
        rabbit.send("", "hub.bureau.XCB.replies", org.springframework.amqp.core.MessageBuilder
                .withBody("}{ not json".getBytes(StandardCharsets.UTF_8)).setMessageId(messageId).build());
        JsonNode parked = awaitParked("XCB", "amqp-" + messageId + ".json");
        assertThat(parked.get("protocol").asString()).isEqualTo("AMQP");
        Files.writeString(parkedFile(parked), "{\"messageId\":\"m-" + UUID.randomUUID() + "\",\"kind\":\"SUBMISSION\",\"taskId\":\""
                + t + "\",\"unitCode\":\"XCB\",\"summary\":\"已完成\"}", StandardCharsets.UTF_8);
        JsonNode replayed = ok(post(API + "/" + parked.get("answerId").asString() + "/replay", operator(), ""));
        assertThat(replayed.get("status").asString()).isEqualTo("REPLAYED");
        assertThat(replayed.get("lastReplayOutcome").asString()).isEqualTo("1 report(s): ACCEPTED 1");
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).extracting(FakeTaskService.Call::path)
                .containsExactly("/api/v1/tasks/" + t + "/submission");
    }

    @Test
    void unknownAnswersAreNotFoundBadFiltersAreBadRequestsAndBureausMayNotLook() throws Exception {
        String unknown = UUID.randomUUID().toString();
        assertProblem(get(API + "/" + unknown, operator()), 404);
        assertProblem(get(API + "/" + unknown + "/content", operator()), 404);
        assertProblem(post(API + "/" + unknown + "/replay", operator(), ""), 404);
        assertProblem(post(API + "/" + unknown + "/discard", operator(), "{\"reason\":\"x\"}"), 404);
        assertProblem(get(API + "/not-an-answer-id", operator()), 404);
        assertProblem(post(API + "/CZJ..20261129-000000-000-a.csv/replay", operator(), ""), 404);
        assertProblem(get(API + "?status=LOST", operator()), 400);
        assertProblem(get(API + "?unit=czj", operator()), 400);
        assertProblem(get(API + "?limit=0", operator()), 400);
        assertProblem(get(API, TestTokens.bureau("CZJ")), 403);
        assertProblem(post(API + "/" + unknown + "/replay", TestTokens.liaison("li"), ""), 403);
        assertThat(get(API, TestTokens.admin("root")).statusCode()).isEqualTo(200);
    }

    @Test
    void afterTheUnitsCharsetIsFixedInTheRegistryAndARestartTheParkedFileIsReplayed() throws Exception {
        // GHZRW is registered as UTF-8 but writes GB18030: parked, "not UTF-8 text"
        String t = dispatched("GHZRW");
        String body = "{\"messageId\":\"m-" + UUID.randomUUID() + "\",\"kind\":\"SIGN_FOR\",\"taskId\":\"" + t
                + "\",\"unitCode\":\"GHZRW\",\"signedBy\":\"张三\"}";
        String name = drop("GHZRW", "gb18030.json", body.getBytes(GB18030));
        JsonNode parked = awaitParked("GHZRW", name);
        assertThat(parked.get("reason").asString()).contains("not UTF-8 text");

        // the operator corrects the registry entry (charset GB18030) and the adapters restart: a second instance
        // with the corrected entry stands for the restarted one (same database, broker and parked directory)
        var env = applicationContext.getEnvironment();
        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(BureauAdaptersApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + env.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + env.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + env.getProperty("spring.datasource.password", ""),
                "--spring.rabbitmq.host=" + env.getProperty("spring.rabbitmq.host"),
                "--spring.rabbitmq.port=" + env.getProperty("spring.rabbitmq.port"),
                "--spring.rabbitmq.username=" + env.getProperty("spring.rabbitmq.username"),
                "--spring.rabbitmq.password=" + env.getProperty("spring.rabbitmq.password"),
                "--spring.rabbitmq.virtual-host=" + env.getProperty("spring.rabbitmq.virtual-host"),
                "--HUB_SIMULATOR_URL=" + SimulatorHarness.url(), "--HUB_SFTP_PORT=" + SimulatorHarness.sftpPort(),
                "--HUB_EXCHANGE_DIR=" + SimulatorHarness.EXCHANGE_DIR,
                "--hub.adapters.task-service.url=" + SimulatorHarness.TASK_SERVICE.url(),
                "--hub.adapters.task-service.token=" + env.getProperty("hub.adapters.task-service.token"),
                "--hub.adapters.inbound.parked-dir=" + SimulatorHarness.WORK.resolve("parked"),
                "--hub.bureaus.GHZRW.charset=GB18030",
                "--spring.security.oauth2.resourceserver.jwt.public-key-location=classpath:hub-test-issuer.pub",
                "--hub.adapters.message-log.checkpoint-file=" + SimulatorHarness.WORK.resolve("checkpoints-charset.log"),
                "--spring.main.banner-mode=off", "--spring.jmx.enabled=false")) {
            String port = restarted.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + API
                    + "/" + parked.get("answerId").asString() + "/replay")).header("Authorization", "Bearer " + operator())
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode replayed = ok(res);
            assertThat(replayed.get("status").asString()).isEqualTo("REPLAYED");
            assertThat(replayed.get("lastReplayOutcome").asString()).isEqualTo("1 report(s): ACCEPTED 1");
        }
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).hasSize(1);
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t).get(0).body()).contains("张三");
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.context.ApplicationContext applicationContext;

    @Test
    void filesParkedBeforeTheirRowExistedAreListedAtStartUp() throws Exception {
        String name = UUID.randomUUID().toString().substring(0, 8) + "-legacy.csv";
        Path dir = Files.createDirectories(SimulatorHarness.WORK.resolve("parked").resolve("CZJ"));
        byte[] bytes = (CSV_HEADER + "m-1,签收,T-CZJ-legacy,CZJ,张三").getBytes(GB18030);
        Files.write(dir.resolve("20250101-101500-000-" + name), bytes);
        Files.writeString(dir.resolve("20250101-101500-000-" + name + ".reason.txt"),
                "truncated: the last record has no line end\n", StandardCharsets.UTF_8);
        parkedAnswers.adoptUnlisted();
        parkedAnswers.adoptUnlisted(); // a second replica starting: still one row
        JsonNode a = awaitParked("CZJ", name);
        assertThat(a.get("reason").asString()).isEqualTo("truncated: the last record has no line end");
        assertThat(a.get("sha256").asString()).isEqualTo(MessageLog.sha256(bytes));
        assertThat(a.get("storedAs").asString()).isEqualTo("CZJ/20250101-101500-000-" + name);
        assertThat(jdbc.queryForObject("select count(*) from parked_answer where stored_name = ?", Integer.class,
                "20250101-101500-000-" + name)).isEqualTo(1);
    }

    @org.springframework.beans.factory.annotation.Autowired
    cn.beijing.scienceedu.adapters.inbound.ParkedAnswers parkedAnswers;

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

    private JsonNode awaitParked(String unit, String fileName) {
        JsonNode[] found = new JsonNode[1];
        await().untilAsserted(() -> {
            found[0] = null;
            for (JsonNode a : ok(get(API + "?unit=" + unit + "&limit=1000", operator()))) {
                if (fileName.equals(a.path("fileName").asString(null))) {
                    found[0] = a;
                }
            }
            assertThat(found[0]).as("parked answer " + fileName).isNotNull();
        });
        return found[0];
    }

    private static Path parkedFile(JsonNode answer) {
        return SimulatorHarness.WORK.resolve("parked").resolve(answer.get("storedAs").asString());
    }

    private List<String> ids(String path) throws Exception {
        return ok(get(path, operator())).valueStream().map(a -> a.get("answerId").asString()).toList();
    }

    private List<JsonNode> messageLog(String unit, String taskId, String direction) throws Exception {
        return ok(get("/api/v1/operations/message-log?unit=" + unit + (taskId == null ? "" : "&taskId=" + taskId)
                + "&direction=" + direction + "&limit=1000", operator())).valueStream().toList();
    }

    private JsonNode ok(HttpResponse<String> res) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return json.readTree(res.body());
    }

    private void assertProblem(HttpResponse<String> res, int status) {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(json.readTree(res.body()).get("status").asInt()).isEqualTo(status);
    }
}
