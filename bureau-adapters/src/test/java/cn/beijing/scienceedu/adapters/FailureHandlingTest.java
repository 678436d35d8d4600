package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
        HttpResponse<String> health = get("/api/v1/operations/bureaus", operator());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"unitCode\":\"SKX\"").containsPattern("\"SKX\",\"protocol\":\"REST\",\"circuitState\":\"(OPEN|HALF_OPEN)\"");
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
}
