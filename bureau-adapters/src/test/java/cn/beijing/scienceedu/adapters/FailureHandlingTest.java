package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.simulator.Behaviours;
import cn.beijing.scienceedu.simulator.Received;
import cn.beijing.scienceedu.testsupport.TestTokens;

/** Transient failures wait (in order), permanent ones park; operators replay or discard. */
class FailureHandlingTest extends AdaptersIntegrationTest {

    @Test
    void bureauDownLongerThanItsRetryScheduleLosesNothingAndKeepsOrderPerTask() throws Exception {
        SimulatorHarness.behaviours().set("SKX", new Behaviours.Behaviour(Behaviours.Mode.DOWN, 0));
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String t = newTaskId("SKX");
            tasks.add(t);
            publish("task.dispatched", t, "SKX", 1, Map.of());
            publish("task.urged", t, "SKX", 2, Map.of("urging", Map.of("kind", "URGING", "level", 1, "note", "请尽快签收")));
            publish("task.returned", t, "SKX", 3, Map.of());
        }
        // the whole retry schedule (2 redeliveries, <= 0.4 s each) is long over after 5 s
        ProtocolRoundTripTest.sleep(5000);
        Integer parked = jdbc.queryForObject("select count(*) from delivery where unit_code = 'SKX' and status = 'PARKED'",
                Integer.class);
        assertThat(parked).isZero();
        await().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from delivery where unit_code = 'SKX' and status = 'PENDING'", Integer.class)).isEqualTo(9));
        await().untilAsserted(() -> {
            HttpResponse<String> health = get("/api/v1/operations/bureaus", operator());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"unitCode\":\"SKX\"")
                    .containsPattern("\"SKX\",\"protocol\":\"REST\",\"circuitState\":\"(OPEN|HALF_OPEN)\"");
        });
        HttpResponse<String> prometheus = get("/actuator/prometheus", operator());
        assertThat(prometheus.body()).contains("hub_adapters_parked_messages").contains("hub_adapters_backlog_messages");

        SimulatorHarness.behaviours().set("SKX", new Behaviours.Behaviour(Behaviours.Mode.NORMAL, 0));
        for (String t : tasks) {
            await().untilAsserted(() -> assertThat(received("SKX", t).stream().filter(Received::valid).map(Received::kind).toList())
                    .containsExactly("ASSIGNMENT", "URGING", "RETURN"));
        }
        await().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from delivery where unit_code = 'SKX' and status <> 'DELIVERED'", Integer.class)).isZero());
    }

    @Test
    void bureauRejectingContentIsParkedThenReplayedAfterTheFix() throws Exception {
        SimulatorHarness.behaviours().set("SJW", new Behaviours.Behaviour(Behaviours.Mode.REJECT, 0));
        String t = newTaskId("SJW");
        publish("task.dispatched", t, "SJW", 1, Map.of());
        await().until(() -> !jdbc.queryForList("select id from delivery where task_id = ? and status = 'PARKED'", String.class, t).isEmpty());
        String id = jdbc.queryForObject("select id from delivery where task_id = ?", String.class, t);
        // a later message for the same task waits behind the parked one (order per task)
        publish("task.urged", t, "SJW", 2, Map.of("urging", Map.of("kind", "URGING", "level", 1)));
        HttpResponse<String> list = get("/api/v1/operations/parked-deliveries?unit=SJW", operator());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(id).contains("bureau rejected the content");
        HttpResponse<String> one = get("/api/v1/operations/parked-deliveries/" + id, operator());
        assertThat(one.body()).contains("\"attempts\":1").contains("\"payload\"");
        await().untilAsserted(() -> assertThat(deliveryEventsSeen).anyMatch(e -> t.equals(e.get("subject"))
                && "cn.beijing.scienceedu.hub.delivery.parked.v1".equals(e.get("type"))));
        ProtocolRoundTripTest.sleep(800);
        assertThat(received("SJW", t, "URGING")).isEmpty();
        // bureaus and liaisons may not replay
        assertThat(post("/api/v1/operations/parked-deliveries/" + id + "/replay", TestTokens.bureau("SJW"), "").statusCode())
                .isEqualTo(403);

        SimulatorHarness.behaviours().set("SJW", new Behaviours.Behaviour(Behaviours.Mode.NORMAL, 0));
        HttpResponse<String> replay = post("/api/v1/operations/parked-deliveries/" + id + "/replay", operator(), "");
        assertThat(replay.statusCode()).isEqualTo(200);
        // the simulator records everything: the rejected assignment, then the replayed one, then the urging behind it
        await().untilAsserted(() -> assertThat(received("SJW", t).stream().map(Received::kind).toList())
                .containsExactly("ASSIGNMENT", "ASSIGNMENT", "URGING"));
        await().untilAsserted(() -> assertThat(jdbc.queryForList(
                "select status from delivery where task_id = ? order by enqueue_seq", String.class, t))
                .containsExactly("DELIVERED", "DELIVERED"));
        assertThat(get("/api/v1/operations/parked-deliveries?unit=SJW", operator()).body()).doesNotContain(id);
    }

    private final List<Map<String, Object>> deliveryEventsSeen = new java.util.concurrent.CopyOnWriteArrayList<>() {
        @Override
        public java.util.stream.Stream<Map<String, Object>> stream() {
            addAll(deliveryEvents());
            return super.stream();
        }
    };

    @Test
    void garbageReplyIsParkedAndCanBeDiscardedWithAReason() throws Exception {
        SimulatorHarness.behaviours().set("JXJ", new Behaviours.Behaviour(Behaviours.Mode.GARBAGE, 0));
        String t = newTaskId("JXJ");
        publish("task.dispatched", t, "JXJ", 1, Map.of());
        await().until(() -> !jdbc.queryForList("select id from delivery where task_id = ? and status = 'PARKED'", String.class, t).isEmpty());
        Map<String, Object> row = jdbc.queryForMap("select id, reason, attempts from delivery where task_id = ?", t);
        assertThat(String.valueOf(row.get("reason"))).contains("unparseable");
        assertThat(post("/api/v1/operations/parked-deliveries/" + row.get("id") + "/discard", operator(), "{}").statusCode())
                .isEqualTo(400);
        HttpResponse<String> discard = post("/api/v1/operations/parked-deliveries/" + row.get("id") + "/discard", operator(),
                "{\"reason\":\"bureau re-entered it by hand\"}");
        assertThat(discard.statusCode()).isEqualTo(200);
        assertThat(discard.body()).contains("DISCARDED").contains("re-entered");
    }

    @Test
    void slowAndFailingBureausAreRetriedNotParked() {
        SimulatorHarness.behaviours().set("RSJ", new Behaviours.Behaviour(Behaviours.Mode.ERROR_5XX, 0));
        String t = newTaskId("RSJ");
        publish("task.dispatched", t, "RSJ", 1, Map.of());
        await().until(() -> jdbc.queryForList("select attempts from delivery where task_id = ?", Integer.class, t).stream()
                .anyMatch(a -> a >= 3));
        assertThat(jdbc.queryForObject("select status from delivery where task_id = ?", String.class, t)).isEqualTo("PENDING");
        SimulatorHarness.behaviours().set("RSJ", new Behaviours.Behaviour(Behaviours.Mode.SLOW, 300));
        await().untilAsserted(() -> assertThat(received("RSJ", t, "ASSIGNMENT").stream().filter(Received::valid).count()).isEqualTo(1));
    }

    @Test
    void sftpServerRefusingLoginsIsWaitedOutNotParked() {
        SimulatorHarness.behaviours().set("NNJ", new Behaviours.Behaviour(Behaviours.Mode.DOWN, 0));
        String t = newTaskId("NNJ");
        publish("task.dispatched", t, "NNJ", 1, Map.of());
        publish("task.urged", t, "NNJ", 2, Map.of("urging", Map.of("kind", "URGING", "level", 2)));
        await().until(() -> jdbc.queryForList("select attempts from delivery where task_id = ?", Integer.class, t).stream()
                .anyMatch(a -> a >= 3));
        assertThat(jdbc.queryForList("select status from delivery where task_id = ?", String.class, t)).containsOnly("PENDING");
        SimulatorHarness.behaviours().set("NNJ", new Behaviours.Behaviour(Behaviours.Mode.NORMAL, 0));
        await().untilAsserted(() -> assertThat(received("NNJ", t).stream().map(Received::kind).toList())
                .containsExactly("ASSIGNMENT", "URGING"));
    }

    /**
     * An AMQP bureau whose system is down leaves its inbox unread: the adapter's delivery is done once the broker
     * confirms it, and the message waits in the bureau's queue until the bureau reads it — once. (The simulator used
     * to reject and requeue in a hot loop while DOWN; the long fault run logged 1.7 GB of that in ten minutes.)
     */
    @Test
    void anAmqpBureauThatIsDownFindsItsMessagesWaitingInItsQueue() {
        SimulatorHarness.behaviours().set("WXB", new Behaviours.Behaviour(Behaviours.Mode.DOWN, 0));
        try {
            String t = newTaskId("WXB");
            publish("task.dispatched", t, "WXB", 1, Map.of());
            await().until(() -> "DELIVERED".equals(jdbc.queryForList("select status from delivery where task_id = ?",
                    String.class, t).stream().findFirst().orElse(null)));
            await().during(java.time.Duration.ofSeconds(2)).atMost(java.time.Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(received("WXB", t)).isEmpty());
            Integer waiting = rabbit.execute(ch -> ch.queueDeclarePassive("hub.bureau.WXB.inbox").getMessageCount());
            assertThat(waiting).as("the assignment waits in WXB's queue").isEqualTo(1);

            SimulatorHarness.behaviours().set("WXB", new Behaviours.Behaviour(Behaviours.Mode.NORMAL, 0));
            await().untilAsserted(() -> assertThat(received("WXB", t).stream().map(Received::kind).toList())
                    .containsExactly("ASSIGNMENT"));
        } finally {
            SimulatorHarness.behaviours().set("WXB", new Behaviours.Behaviour(Behaviours.Mode.NORMAL, 0));
        }
    }

    @Test
    void deadLetterQueuesAreListedAndReplayed() throws Exception {
        // an event the adapters cannot read goes to the dead-letter queue (binder republish)
        publishRaw("task.dispatched", "{not json".getBytes());
        await().untilAsserted(() -> assertThat(get("/api/v1/operations/dead-letter-queues", operator()).body())
                .contains("\"name\":\"hub.task-events.adapters.dlq\"").contains("\"messageCount\":1")
                .contains("\"originalQueue\":\"hub.task-events.adapters\""));
        HttpResponse<String> discard = post("/api/v1/operations/dead-letter-queues/hub.task-events.adapters.dlq/discard",
                operator(), "{\"reason\":\"malformed test event\"}");
        assertThat(discard.body()).contains("\"count\":1");
        assertThat(post("/api/v1/operations/dead-letter-queues/no.such.dlq/replay", operator(), "").statusCode()).isEqualTo(404);
    }

    @Test
    void aFailingDeliveryPublishesDeliveryFailedOnceAndARejectedOneParksThenAReplayDeliversItOnce() throws Exception {
        deliveryEvents(); // drain what earlier tests left
        // the bureau answers 5xx: delivery.failed once (not per retry), the delivery waits, never parked
        SimulatorHarness.behaviours().set("TSW", new Behaviours.Behaviour(Behaviours.Mode.ERROR_5XX, 0));
        String t = newTaskId("TSW");
        publish("task.dispatched", t, "TSW", 1, Map.of());
        await().until(() -> jdbc.queryForList("select attempts from delivery where task_id = ?", Integer.class, t).stream()
                .anyMatch(a -> a >= 3));
        List<Map<String, Object>> events = new ArrayList<>(deliveryEvents());
        List<Map<String, Object>> failed = events.stream().filter(e -> t.equals(e.get("subject")))
                .filter(e -> "cn.beijing.scienceedu.hub.delivery.failed.v1".equals(e.get("type"))).toList();
        assertThat(failed).hasSize(1);
        assertThat(String.valueOf(failed.get(0).get("data"))).contains("FAILED").contains("TSW");
        assertThat(jdbc.queryForObject("select status from delivery where task_id = ?", String.class, t)).isEqualTo("PENDING");

        // now it rejects the content: permanent, parked, delivery.parked
        SimulatorHarness.behaviours().set("TSW", new Behaviours.Behaviour(Behaviours.Mode.REJECT, 0));
        await().until(() -> "PARKED".equals(jdbc.queryForObject("select status from delivery where task_id = ?", String.class, t)));
        String id = jdbc.queryForObject("select id from delivery where task_id = ?", String.class, t);
        await().untilAsserted(() -> {
            events.addAll(deliveryEvents());
            assertThat(events.stream().filter(e -> t.equals(e.get("subject")))
                    .filter(e -> "cn.beijing.scienceedu.hub.delivery.parked.v1".equals(e.get("type")))).hasSize(1);
        });
        HttpResponse<String> parked = get("/api/v1/operations/parked-deliveries?unit=TSW", operator());
        assertThat(parked.body()).contains(id).contains("\"status\":\"PARKED\"");

        // the bureau is fixed; the operator replays; it is delivered once more (the simulator records every copy,
        // the rejected one included), and delivery.succeeded follows
        int copiesBefore = received("TSW", t, "ASSIGNMENT").size();
        SimulatorHarness.behaviours().set("TSW", new Behaviours.Behaviour(Behaviours.Mode.NORMAL, 0));
        HttpResponse<String> replay = post("/api/v1/operations/parked-deliveries/" + id + "/replay", operator(), "");
        assertThat(replay.statusCode()).isEqualTo(200);
        await().until(() -> "DELIVERED".equals(jdbc.queryForObject("select status from delivery where task_id = ?", String.class, t)));
        // a second replay of a delivered message is refused, not sent again
        assertThat(post("/api/v1/operations/parked-deliveries/" + id + "/replay", operator(), "").statusCode()).isEqualTo(409);
        ProtocolRoundTripTest.sleep(1000);
        assertThat(received("TSW", t, "ASSIGNMENT")).hasSize(copiesBefore + 1);
        await().untilAsserted(() -> {
            events.addAll(deliveryEvents());
            assertThat(events.stream().filter(e -> t.equals(e.get("subject")))
                    .filter(e -> "cn.beijing.scienceedu.hub.delivery.succeeded.v1".equals(e.get("type")))).hasSize(1);
        });
    }

    @Test
    void anEventReplayedFromTheDeadLetterQueueIsDeliveredOnce() throws Exception {
        // an event the binder gave up on sits in the DLQ (as republish-to-dlq leaves it); the operator replays it,
        // and it is there twice (replayed copies, redeliveries): one delivery to the bureau
        String t2 = newTaskId("SJW");
        String event2 = "evt-" + java.util.UUID.randomUUID();
        for (int i = 0; i < 2; i++) {
            rabbit.send("", "hub.task-events.adapters.dlq", org.springframework.amqp.core.MessageBuilder
                    .withBody(cloudEvent(event2, t2).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .setContentType("application/cloudevents+json").build());
        }
        await().untilAsserted(() -> assertThat(get("/api/v1/operations/dead-letter-queues", operator()).body())
                .contains("\"name\":\"hub.task-events.adapters.dlq\"").contains("\"messageCount\":2"));
        HttpResponse<String> replay = post("/api/v1/operations/dead-letter-queues/hub.task-events.adapters.dlq/replay",
                operator(), "");
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("\"count\":2");
        await().untilAsserted(() -> assertThat(received("SJW", t2, "ASSIGNMENT")).hasSize(1));
        ProtocolRoundTripTest.sleep(1500);
        assertThat(received("SJW", t2, "ASSIGNMENT")).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from delivery where task_id = ?", Integer.class, t2)).isEqualTo(1);
        boolean empty = false;
        for (var q : json.readTree(get("/api/v1/operations/dead-letter-queues", operator()).body())) {
            if (q.get("name").asString().equals("hub.task-events.adapters.dlq")) {
                empty = q.get("messageCount").asInt() == 0;
            }
        }
        assertThat(empty).as("the DLQ is empty after the replay").isTrue();
    }

    private String cloudEvent(String id, String taskId) {
        Map<String, Object> task = new java.util.LinkedHashMap<>();
        task.put("taskId", taskId);
        task.put("policyId", "bj-sciedu-20-2024");
        task.put("measureNo", 4);
        task.put("measureTitle", "加强学校实验教学");
        task.put("unitCode", "SJW");
        task.put("leadUnitCode", "SJW");
        task.put("role", "LEAD");
        task.put("status", "DISPATCHED");
        task.put("deadline", "2025-06-30");
        task.put("workItems", List.of("配齐实验设备"));
        task.put("version", 1);
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("task", task);
        data.put("change", Map.of("actor", "liaison-li", "actorRole", "LIAISON", "at", "2025-01-06T01:00:00Z", "reason", "v1"));
        return taskServiceEvent(EventTypes.TASK_DISPATCHED).id(id).time(EVENT_TIME).subject(taskId).sequence(1L)
                .data(data).toJson();
    }
}
