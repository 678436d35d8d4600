package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.ResultActions;

import cn.beijing.scienceedu.task.delivery.DeliveryInbox;
import tools.jackson.databind.JsonNode;

class LifecycleTest extends IntegrationTest {

    @Autowired
    DeliveryInbox inbox;
    TaskActions actions;

    @BeforeEach
    void setUp() {
        actions = new TaskActions(mvc, json, inbox);
    }

    interface Action {
        ResultActions run(String taskId) throws Exception;
    }

    @Test
    void everyActionIsAllowedExactlyInItsStatesAndOtherwiseAConflictNamingTheCurrentState() throws Exception {
        String policy = freshPlannedPolicy("test-lifecycle-matrix");
        Iterator<String> tasks = jdbc.queryForList("select id from task where policy_id = ? order by id", String.class,
                policy).iterator();
        Map<String, Action> actionsByName = new LinkedHashMap<>();
        actionsByName.put("dispatch", actions::dispatch);
        actionsByName.put("sign-for", actions::signFor);
        actionsByName.put("progress", actions::progress);
        actionsByName.put("submit", actions::submit);
        actionsByName.put("accept", actions::accept);
        actionsByName.put("return", actions::returnTask);
        actionsByName.put("cancel", actions::cancel);
        actionsByName.put("urge", actions::urge);
        Map<String, Set<String>> legal = Map.of(
                "dispatch", Set.of("PLANNED"),
                "sign-for", Set.of("DISPATCHED", "DELIVERED"),
                "progress", Set.of("SIGNED_FOR", "IN_PROGRESS", "RETURNED"),
                "submit", Set.of("SIGNED_FOR", "IN_PROGRESS", "RETURNED"),
                "accept", Set.of("SUBMITTED"),
                "return", Set.of("SUBMITTED"),
                "cancel", Set.of("PLANNED", "DISPATCHED", "DELIVERED", "SIGNED_FOR", "IN_PROGRESS", "SUBMITTED", "RETURNED"),
                "urge", Set.of("DISPATCHED", "DELIVERED", "SIGNED_FOR", "IN_PROGRESS", "RETURNED"));
        Map<String, String> target = Map.of("dispatch", "DISPATCHED", "sign-for", "SIGNED_FOR", "progress",
                "IN_PROGRESS", "submit", "SUBMITTED", "accept", "ACCEPTED", "return", "RETURNED", "cancel", "CANCELLED");
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String state : TaskActions.STATES) {
            for (var entry : actionsByName.entrySet()) {
                String taskId = tasks.next();
                actions.bringTo(taskId, state);
                var response = entry.getValue().run(taskId).andReturn().getResponse();
                boolean allowed = legal.get(entry.getKey()).contains(state);
                JsonNode body = json.readTree(response.getContentAsString());
                String what = entry.getKey() + " from " + state;
                if (allowed) {
                    if (response.getStatus() >= 300) {
                        failures.add(what + ": expected success, got " + response.getStatus() + " " + body);
                    }
                    String expectedState = target.getOrDefault(entry.getKey(), state);
                    String now = jdbc.queryForObject("select status from task where id = ?", String.class, taskId);
                    if (!expectedState.equals(now)) {
                        failures.add(what + ": expected " + expectedState + " but is " + now);
                    }
                } else if (response.getStatus() != 409 || !state.equals(body.path("currentState").asString())
                        || !response.getContentType().startsWith("application/problem+json")) {
                    failures.add(what + ": expected 409 naming " + state + ", got " + response.getStatus() + " " + body);
                }
                checked++;
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).isEqualTo(72);
    }

    @Test
    void aTaskFollowsItsWholeLifeAndEveryChangeIsInItsHistory() throws Exception {
        String policy = freshPlannedPolicy("test-lifecycle-life");
        String taskId = policy + ".M05.SKW";
        actions.dispatch(taskId).andExpect(status().isOk());
        actions.deliver(taskId, "SUCCEEDED");
        actions.signFor(taskId).andExpect(status().isOk());
        actions.progress(taskId).andExpect(status().isCreated());
        actions.submit(taskId).andExpect(status().isCreated());
        actions.returnTask(taskId).andExpect(status().isOk());
        actions.progress(taskId).andExpect(status().isCreated());
        actions.submit(taskId).andExpect(status().isCreated());
        actions.accept(taskId).andExpect(status().isOk());

        JsonNode history = body(mvc.perform(get("/api/v1/tasks/" + taskId + "/history").header("Authorization", liaison()))
                .andExpect(status().isOk()).andReturn());
        List<String> kinds = new ArrayList<>();
        history.forEach(h -> kinds.add(h.get("kind").asString() + ":" + h.path("toStatus").asString()));
        assertThat(kinds).containsExactly("task.planned:PLANNED", "task.dispatched:DISPATCHED",
                "task.delivered:DELIVERED", "task.signed-for:SIGNED_FOR", "task.progress-reported:IN_PROGRESS",
                "task.submitted:SUBMITTED", "task.returned:RETURNED", "task.progress-reported:IN_PROGRESS",
                "task.submitted:SUBMITTED", "task.accepted:ACCEPTED");
        assertThat(history.get(6).get("reason").asString()).isEqualTo("请补充量化指标");
        assertThat(history.get(6).get("actor").asString()).isEqualTo("liaison-wang");
        assertThat(history.get(3).get("actorUnit").asString()).isEqualTo("SKW");

        JsonNode reports = body(mvc.perform(get("/api/v1/tasks/" + taskId + "/progress-reports")
                .header("Authorization", liaison())).andExpect(status().isOk()).andReturn());
        assertThat(reports.size()).isEqualTo(4);

        // the events carry the snapshot, with sequence = version, in order
        List<Map<String, Object>> events = jdbc.queryForList(
                "select routing_key, payload from outbox where subject = ? order by seq", taskId);
        assertThat(events).hasSize(10);
        long previous = -1;
        for (Map<String, Object> e : events) {
            JsonNode ce = json.readTree((String) e.get("payload"));
            assertThat(ce.get("type").asString()).isEqualTo("cn.beijing.scienceedu.hub." + e.get("routing_key") + ".v1");
            assertThat(ce.get("data").get("task").get("version").asLong()).isEqualTo(ce.get("sequence").asLong());
            assertThat(ce.get("sequence").asLong()).isGreaterThan(previous);
            previous = ce.get("sequence").asLong();
        }
    }

    @Test
    void aSignForBeforeTheDeliveryConfirmationImpliesDeliveryAndAParkedDeliveryStaysDispatched() throws Exception {
        String policy = freshPlannedPolicy("test-lifecycle-delivery");
        String early = policy + ".M01.SJW";
        actions.dispatch(early).andExpect(status().isOk());
        JsonNode signed = body(actions.signFor(early).andExpect(status().isOk()).andReturn());
        assertThat(signed.get("status").asString()).isEqualTo("SIGNED_FOR");
        assertThat(signed.get("deliveryStatus").asString()).isEqualTo("DELIVERED");
        actions.deliver(early, "SUCCEEDED"); // the late confirmation changes nothing
        assertThat(jdbc.queryForObject("select status from task where id = ?", String.class, early)).isEqualTo("SIGNED_FOR");

        String parked = policy + ".M02.SJW";
        actions.dispatch(parked).andExpect(status().isOk());
        actions.deliver(parked, "PARKED");
        JsonNode task = body(mvc.perform(get("/api/v1/tasks/" + parked).header("Authorization", liaison()))
                .andExpect(status().isOk()).andReturn());
        assertThat(task.get("status").asString()).isEqualTo("DISPATCHED");
        assertThat(task.get("deliveryStatus").asString()).isEqualTo("PARKED");
        actions.deliver(parked, "SUCCEEDED"); // replayed by an operator later
        assertThat(jdbc.queryForObject("select status from task where id = ?", String.class, parked)).isEqualTo("DELIVERED");
    }

    @Test
    void dispatchingAMeasureOrAPolicyDispatchesOnlyItsPlannedTasks() throws Exception {
        String policy = freshPlannedPolicy("test-lifecycle-scope");
        JsonNode measure = body(mvc.perform(jsonPost("/api/v1/policies/" + policy + "/measures/5/dispatch", liaison(), "{}"))
                .andExpect(status().isOk()).andReturn());
        int m5 = jdbc.queryForObject("select count(*) from task where policy_id = ? and measure_no = 5", Integer.class, policy);
        assertThat(measure.get("dispatched").asInt()).isEqualTo(m5);
        JsonNode all = body(mvc.perform(jsonPost("/api/v1/policies/" + policy + "/dispatch", liaison(), "{}"))
                .andExpect(status().isOk()).andReturn());
        assertThat(all.get("dispatched").asInt()).isEqualTo(122 - m5);
        assertThat(all.get("skipped").asInt()).isEqualTo(m5);
        mvc.perform(jsonPost("/api/v1/policies/" + policy + "/measures/99/dispatch", liaison(), "{}"))
                .andExpect(status().isNotFound());
        JsonNode measures = body(mvc.perform(get("/api/v1/policies/" + policy + "/measures")
                .header("Authorization", liaison())).andExpect(status().isOk()).andReturn());
        assertThat(measures.size()).isEqualTo(20);
        assertThat(measures.get(4).get("measureNo").asInt()).isEqualTo(5);
        assertThat(measures.get(4).get("taskCount").asInt()).isEqualTo(m5);
        assertThat(measures.get(4).get("tasksByStatus").get("DISPATCHED").asInt()).isEqualTo(m5);
        assertThat(measures.get(4).get("rating").asString()).isIn("GREEN", "AMBER", "RED");
    }
}
