package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.simulator.Received;

/** Each protocol, both ways, against the simulated bureau systems. */
class ProtocolRoundTripTest extends AdaptersIntegrationTest {

    /** One unit per protocol and shape: REST hub-json, REST own fields, SOAP, FILE csv GB18030, FILE xml, SFTP csv, SFTP xml GB18030, AMQP, AMQP own fields. */
    static final List<String> UNITS = List.of("SJW", "FGW", "SKW", "CZJ", "GHZRW", "NNJ", "TXGLJ", "XCB", "FL");

    @Test
    void everyProtocolDeliversAnAssignmentTheBureauCanRead() {
        Map<String, String> tasks = new java.util.LinkedHashMap<>();
        for (String unit : UNITS) {
            String taskId = newTaskId(unit);
            tasks.put(unit, taskId);
            publish("task.dispatched", taskId, unit, 1, Map.of());
        }
        tasks.forEach((unit, taskId) -> await().untilAsserted(() -> {
            List<Received> got = received(unit, taskId, "ASSIGNMENT");
            assertThat(got).as(unit).hasSize(1);
            assertThat(got.get(0).valid()).as(unit + " " + got.get(0).errors()).isTrue();
            assertThat(got.get(0).fields().get("taskId")).isEqualTo(taskId);
        }));
        // the bureau's own shapes arrived as such
        assertThat(new String(received("FGW", tasks.get("FGW")).get(0).raw(), StandardCharsets.UTF_8))
                .contains("\"rwbh\"").contains("\"wcsx\":\"20250630\"").contains("\"xxlx\":\"01\"");
        assertThat(new String(received("SKW", tasks.get("SKW")).get(0).raw(), StandardCharsets.UTF_8))
                .contains("<b:TaskMessage").contains("soapenv:Envelope");
        assertThat(new String(received("GHZRW", tasks.get("GHZRW")).get(0).raw(), StandardCharsets.UTF_8)).contains("<RWXX>");
        assertThat(new String(received("TXGLJ", tasks.get("TXGLJ")).get(0).raw(), java.nio.charset.Charset.forName("GB18030")))
                .startsWith("<?xml version=\"1.0\" encoding=\"GB18030\"?>").contains("加强学校实验教学");
        // traceparent from the event into the outgoing HTTP and AMQP headers
        for (String unit : List.of("SJW", "SKW", "XCB")) {
            assertThat(received(unit, tasks.get(unit)).get(0).traceparent()).as(unit).isEqualTo(TRACEPARENT);
        }
        await().untilAsserted(() -> {
            Integer delivered = jdbc.queryForObject(
                    "select count(*) from delivery where status = 'DELIVERED' and task_id in ("
                            + String.join(",", tasks.values().stream().map(t -> "'" + t + "'").toList()) + ")", Integer.class);
            assertThat(delivered).isEqualTo(UNITS.size());
        });
        List<Map<String, Object>> events = deliveryEvents();
        assertThat(events.stream().filter(e -> tasks.containsValue(e.get("subject")))
                .filter(e -> e.get("type").equals("cn.beijing.scienceedu.hub.delivery.succeeded.v1")).count())
                .isEqualTo(UNITS.size());
    }

    @Test
    void gb18030FileIsByteForByteTheCommittedSample() throws Exception {
        byte[] event;
        try (InputStream in = getClass().getResourceAsStream("/samples/events/task.dispatched-CZJ.json")) {
            event = in.readAllBytes();
        }
        byte[] expected;
        try (InputStream in = getClass().getResourceAsStream("/samples/file/CZJ-assignment-gb18030.csv")) {
            expected = in.readAllBytes();
        }
        // the committed file holds a four-byte GB18030 character (𠀀 U+20000 = 95 32 82 36)
        assertThat(java.util.HexFormat.of().formatHex(expected)).contains("95328236");
        publishRaw("task.dispatched", event);
        await().untilAsserted(() -> assertThat(received("CZJ", "T-CZJ-M09", "ASSIGNMENT")).hasSize(1));
        Received r = received("CZJ", "T-CZJ-M09", "ASSIGNMENT").get(0);
        assertThat(r.raw()).isEqualTo(expected);
        assertThat(java.nio.file.Files.readAllBytes(SimulatorHarness.EXCHANGE_DIR.resolve("CZJ/processed").resolve(r.fileName())))
                .isEqualTo(expected);
    }

    @Test
    void everyProtocolBringsReportsBackAndAnswersInKind() {
        Map<String, String> units = Map.of("SJW", "REST", "SKW", "SOAP", "CZJ", "FILE", "NNJ", "SFTP", "XCB", "AMQP");
        Map<String, String> tasks = new java.util.LinkedHashMap<>();
        units.keySet().forEach(u -> {
            String t = newTaskId(u);
            tasks.put(u, t);
            publish("task.dispatched", t, u, 1, Map.of());
        });
        tasks.forEach((u, t) -> await().until(() -> !received(u, t, "ASSIGNMENT").isEmpty()));
        Map<String, Map<String, Object>> answers = new java.util.LinkedHashMap<>();
        tasks.forEach((u, t) -> answers.put(u, send(u, "SIGN_FOR", t, u + "-sign-" + UUID.randomUUID())));

        // the task-service got each write as SERVICE acting for the unit
        tasks.forEach((u, t) -> await().untilAsserted(() -> {
            List<FakeTaskService.Call> calls = SimulatorHarness.TASK_SERVICE.callsFor(t);
            assertThat(calls).as(u).hasSize(1);
            assertThat(calls.get(0).path()).isEqualTo("/api/v1/tasks/" + t + "/sign-for");
            assertThat(calls.get(0).actingUnit()).isEqualTo(u);
            assertThat(calls.get(0).idempotencyKey()).endsWith(String.valueOf(answers.get(u).get("messageId")));
            assertThat(calls.get(0).authorization()).startsWith("Bearer ");
        }));
        // REST and SOAP answered synchronously
        assertThat(answers.get("SJW").toString()).contains("status=200").contains("ACCEPTED");
        assertThat(answers.get("SKW").toString()).contains("status=200").contains("<b:Outcome>ACCEPTED</b:Outcome>");
        // file, SFTP and AMQP bureaus got a receipt in their own protocol
        for (String u : List.of("CZJ", "NNJ", "XCB")) {
            await().untilAsserted(() -> {
                List<Received> receipts = received(u, tasks.get(u), "RECEIPT");
                assertThat(receipts).as(u).hasSize(1);
                assertThat(receipts.get(0).valid()).isTrue();
                assertThat(receipts.get(0).fields().get("status")).isEqualTo("ACCEPTED");
                // the task's status after the sign-for and the bureau's signing time as kept, as REST and SOAP say them
                assertThat(receipts.get(0).fields().get("taskStatus")).as(u).isEqualTo("SIGNED_FOR");
                assertThat(receipts.get(0).fields().get("sentAt")).as(u).isNotNull();
            });
        }
    }

    @Test
    void progressSubmissionAndExtensionRequestReachTheTaskService() {
        String t = newTaskId("SKX");
        publish("task.dispatched", t, "SKX", 1, Map.of());
        await().until(() -> !received("SKX", t, "ASSIGNMENT").isEmpty());
        send("SKX", "PROGRESS", t, "skx-p-" + UUID.randomUUID());
        send("SKX", "SUBMISSION", t, "skx-s-" + UUID.randomUUID());
        send("SKX", "EXTENSION_REQUEST", t, "skx-e-" + UUID.randomUUID());
        await().untilAsserted(() -> assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).extracting(FakeTaskService.Call::path)
                .containsExactly("/api/v1/tasks/" + t + "/progress-reports", "/api/v1/tasks/" + t + "/submission",
                        "/api/v1/tasks/" + t + "/extension-requests"));
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t).get(0).body()).contains("\"percentComplete\":40")
                .contains("2025-Q1");
    }

    @Test
    void anotherUnitsTaskIsRefusedOnEveryInboundPath() {
        String t = newTaskId("SJW");
        publish("task.dispatched", t, "SJW", 1, Map.of());
        await().until(() -> !received("SJW", t, "ASSIGNMENT").isEmpty());

        Map<String, Object> rest = send("SKX", "SIGN_FOR", t, "skx-" + UUID.randomUUID());
        assertThat(rest.toString()).contains("status=404");
        Map<String, Object> soap = send("SKW", "SIGN_FOR", t, "skw-" + UUID.randomUUID());
        assertThat(soap.toString()).contains("status=404").contains("Client").contains("not found");
        for (String u : List.of("CZJ", "NNJ", "XCB")) {
            send(u, "SIGN_FOR", t, u + "-" + UUID.randomUUID());
        }
        for (String u : List.of("CZJ", "NNJ", "XCB")) {
            await().untilAsserted(() -> {
                List<Received> receipts = received(u, t, "RECEIPT");
                assertThat(receipts).as(u).hasSize(1);
                assertThat(receipts.get(0).fields().get("status")).isEqualTo("REJECTED");
                assertThat(String.valueOf(receipts.get(0).fields().get("reason"))).contains("task not found");
            });
        }
        // nothing reached the task-service for that task
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).isEmpty();
    }

    @Test
    void sameEventTwiceGivesOneDelivery() {
        String t = newTaskId("SJW");
        String id = "evt-dup-" + UUID.randomUUID();
        publishWithId(id, "task.dispatched", t, "SJW", 1, Map.of());
        publishWithId(id, "task.dispatched", t, "SJW", 1, Map.of());
        // and a stale one (older version) after a newer one is dropped
        publish("task.urged", t, "SJW", 2, Map.of("urging", Map.of("kind", "URGING", "level", 1, "note", "请尽快签收")));
        await().until(() -> received("SJW", t, "URGING").size() == 1);
        publish("task.dispatched", t, "SJW", 1, Map.of());
        sleep(1500);
        assertThat(received("SJW", t, "ASSIGNMENT")).hasSize(1);
        assertThat(received("SJW", t, "URGING")).hasSize(1);
    }

    @Test
    void sameWebhookFileAndReplyTwiceGiveOneEffect() throws Exception {
        Map<String, String> tasks = new java.util.LinkedHashMap<>();
        for (String u : List.of("SJW", "CZJ", "XCB", "NNJ")) {
            String t = newTaskId(u);
            tasks.put(u, t);
            publish("task.dispatched", t, u, 1, Map.of());
        }
        tasks.forEach((u, t) -> await().until(() -> !received(u, t, "ASSIGNMENT").isEmpty()));
        tasks.keySet().forEach(u -> SimulatorHarness.behaviours().set(u,
                new cn.beijing.scienceedu.simulator.Behaviours.Behaviour(cn.beijing.scienceedu.simulator.Behaviours.Mode.DUPLICATE, 0)));
        Map<String, Map<String, Object>> answers = new java.util.LinkedHashMap<>();
        tasks.forEach((u, t) -> answers.put(u, send(u, "SIGN_FOR", t, u + "-dup-" + UUID.randomUUID())));
        // the REST caller got the first answer again, marked duplicate
        assertThat(answers.get("SJW").toString()).contains("\"duplicate\":true");
        // file, SFTP and AMQP bureaus: one receipt for the message, however often it came
        tasks.forEach((u, t) -> {
            if (!u.equals("SJW")) {
                await().untilAsserted(() -> assertThat(received(u, t, "RECEIPT")).as(u).hasSize(1));
            }
        });
        sleep(1500);
        tasks.forEach((u, t) -> {
            if (!u.equals("SJW")) {
                assertThat(received(u, t, "RECEIPT")).as(u).hasSize(1);
            }
        });
        tasks.forEach((u, t) -> assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).as(u).hasSize(1));
    }

    @Test
    void taskServiceRefusalIsTheBureausAnswerAndItsOutageIsRetried() {
        String t = newTaskId("SJW");
        publish("task.dispatched", t, "SJW", 1, Map.of());
        await().until(() -> !received("SJW", t, "ASSIGNMENT").isEmpty());
        SimulatorHarness.TASK_SERVICE.answer(t, 409);
        assertThat(send("SJW", "SIGN_FOR", t, "sjw-409-" + UUID.randomUUID()).toString()).contains("status=409")
                .contains("REJECTED").contains("refused by task-service");

        String f = newTaskId("CZJ");
        publish("task.dispatched", f, "CZJ", 1, Map.of());
        await().until(() -> !received("CZJ", f, "ASSIGNMENT").isEmpty());
        SimulatorHarness.TASK_SERVICE.answer(f, 503);
        send("CZJ", "SIGN_FOR", f, "czj-503-" + UUID.randomUUID());
        // the file stays in the outbox and is read again on the next polls; no receipt yet
        await().until(() -> SimulatorHarness.TASK_SERVICE.callsFor(f).size() >= 2);
        assertThat(received("CZJ", f, "RECEIPT")).isEmpty();
        SimulatorHarness.TASK_SERVICE.answer(f, 200);
        await().untilAsserted(() -> {
            List<Received> receipts = received("CZJ", f, "RECEIPT");
            assertThat(receipts).hasSize(1);
            assertThat(receipts.get(0).fields().get("status")).isEqualTo("ACCEPTED");
        });
    }

    @Test
    void hubPollsARestBureausStatusApiAndTakesASilentSignFor() {
        String t = newTaskId("SKX");
        publish("task.dispatched", t, "SKX", 1, Map.of());
        await().until(() -> !received("SKX", t, "ASSIGNMENT").isEmpty());
        sleep(2500);
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).isEmpty(); // status RECEIVED: nothing to take
        SimulatorHarness.simulator().getBean(cn.beijing.scienceedu.simulator.SimHttpController.class)
                .setStatus("SKX", t, "SIGNED_FOR");
        await().untilAsserted(() -> {
            List<FakeTaskService.Call> calls = SimulatorHarness.TASK_SERVICE.callsFor(t);
            assertThat(calls).hasSize(1);
            assertThat(calls.get(0).path()).endsWith("/sign-for");
            assertThat(calls.get(0).actingUnit()).isEqualTo("SKX");
            assertThat(calls.get(0).idempotencyKey()).isEqualTo("status:" + t + ":SIGN_FOR");
        });
        sleep(4500); // later polls find it signed for: still one effect
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).hasSize(1);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
