package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import cn.beijing.scienceedu.task.delivery.DeliveryInbox;
import cn.beijing.scienceedu.task.outbox.OutboxRelay;
import tools.jackson.databind.JsonNode;

class OutboxTest extends IntegrationTest {

    @Autowired
    OutboxRelay relay;
    @Autowired
    DeliveryInbox inbox;

    @Test
    void aBrokerDownAtCommitTimeDelaysEventsAndLosesNone() throws Exception {
        String policy = freshPlannedPolicy("test-outbox-outage");
        try (BrokerTap tap = new BrokerTap(BROKER).listen("hub.task-events", "task.#")) {
            waitFor(() -> pending() == 0, Duration.ofSeconds(30), "outbox drained before the outage");
            tap.received.clear();

            PROXY.cut();
            // every write commits while the broker is unreachable
            JsonNode dispatched = body(mvc.perform(jsonPost("/api/v1/policies/" + policy + "/dispatch", liaison(), "{}"))
                    .andExpect(status().isOk()).andReturn());
            assertThat(dispatched.get("dispatched").asInt()).isEqualTo(122);
            TaskActions actions = new TaskActions(mvc, json, inbox);
            for (String id : List.of(policy + ".M01.SJW", policy + ".M02.SJW", policy + ".M03.SJW")) {
                actions.signFor(id).andExpect(status().isOk());
                actions.progress(id).andExpect(status().isCreated());
            }
            Set<String> expected = new HashSet<>(jdbc.queryForList(
                    "select event_id from outbox where published_at is null and subject like ?", String.class, policy + ".%"));
            assertThat(expected).hasSize(122 + 6);
            Thread.sleep(1500); // several relay attempts fail meanwhile
            assertThat(tap.received).isEmpty();
            assertThat(pending()).isGreaterThanOrEqualTo(128);
            assertThat(relay.brokerUp()).isFalse();

            PROXY.restore();
            long restored = System.nanoTime();
            waitFor(() -> receivedIds(tap).containsAll(expected), Duration.ofSeconds(60), "every event published");
            System.out.println("[measure] outbox: " + expected.size() + " events published "
                    + (System.nanoTime() - restored) / 1_000_000 + " ms after the broker returned");
            // marked published once the whole batch is confirmed
            waitFor(() -> pending() == 0, Duration.ofSeconds(30), "outbox marked published");
            // in commit order per task
            assertThat(tap.routingKeys).contains("task.dispatched", "task.signed-for", "task.progress-reported");
        } finally {
            PROXY.restore();
        }
    }

    @Test
    void eventsReachTheExchangeAsStructuredCloudEventsAndTheReplayFeedListsThemInOrder() throws Exception {
        try (BrokerTap tap = new BrokerTap(BROKER).listen("hub.task-events", "#")) {
            String policy = freshPlannedPolicy("test-outbox-feed");
            waitFor(() -> tap.received.size() >= 123, Duration.ofSeconds(30), "policy.imported and 122 task.planned");
            JsonNode ce = json.readTree(tap.received.get(tap.received.size() - 1));
            assertThat(ce.get("specversion").asString()).isEqualTo("1.0");
            assertThat(ce.get("source").asString()).isEqualTo("/task-service");
            assertThat(ce.get("type").asString()).isEqualTo("cn.beijing.scienceedu.hub.task.planned.v1");
            assertThat(ce.get("data").get("task").get("policyId").asString()).isEqualTo(policy);

            JsonNode page = body(mvc.perform(get("/api/v1/events").param("limit", "1000")
                    .header("Authorization", adapters())).andExpect(status().isOk()).andReturn());
            long previous = 0;
            for (JsonNode e : page.get("events")) {
                long cursor = Long.parseLong(e.get("cursor").asString());
                assertThat(cursor).isGreaterThan(previous);
                previous = cursor;
            }
            JsonNode next = body(mvc.perform(get("/api/v1/events").param("after", page.get("nextCursor").asString())
                    .header("Authorization", adapters())).andExpect(status().isOk()).andReturn());
            for (JsonNode e : next.get("events")) {
                assertThat(Long.parseLong(e.get("cursor").asString())).isGreaterThan(previous);
            }
            mvc.perform(get("/api/v1/events").header("Authorization", bearer(
                    cn.beijing.scienceedu.testsupport.TestTokens.bureau("SJW")))).andExpect(status().isForbidden());
        }
    }

    @Test
    void deliveryOutcomesFromTheBrokerMoveTasksOnceAndPoisonGoesToTheDeadLetterQueue() throws Exception {
        String policy = freshPlannedPolicy("test-outbox-delivery");
        String taskId = policy + ".M04.SJW";
        TaskActions actions = new TaskActions(mvc, json, inbox);
        actions.dispatch(taskId).andExpect(status().isOk());
        try (BrokerTap tap = new BrokerTap(BROKER)) {
            String event = actions.deliveryEvent(taskId, "SUCCEEDED");
            tap.publish("hub.delivery-events", "delivery.succeeded", event);
            tap.publish("hub.delivery-events", "delivery.succeeded", event); // redelivered duplicate
            waitFor(() -> "DELIVERED".equals(jdbc.queryForObject("select status from task where id = ?", String.class,
                    taskId)), Duration.ofSeconds(30), "task delivered");
            Thread.sleep(500);
            assertThat(jdbc.queryForObject("select count(*) from task_history where task_id = ? and kind = 'task.delivered'",
                    Integer.class, taskId)).isEqualTo(1);

            tap.publish("hub.delivery-events", "delivery.failed", "{not json");
            waitFor(() -> {
                try {
                    return tap.channel.messageCount("hub.delivery-events.task-service.dlq") >= 1;
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(30), "poison message dead-lettered");
        }
    }

    private Set<String> receivedIds(BrokerTap tap) {
        Set<String> ids = new HashSet<>();
        for (String m : tap.received) {
            ids.add(json.readTree(m).get("id").asString());
        }
        return ids;
    }

    private int pending() {
        return jdbc.queryForObject("select count(*) from outbox where published_at is null", Integer.class);
    }

    static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }
}
