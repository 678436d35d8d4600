package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;

import cn.beijing.scienceedu.task.delivery.DeliveryInbox;
import tools.jackson.databind.JsonNode;

class DeadlinesAndOperationsTest extends IntegrationTest {

    @Autowired
    DeliveryInbox inbox;
    TaskActions actions;

    @BeforeEach
    void setUp() {
        actions = new TaskActions(mvc, json, inbox);
    }

    @Test
    void anExtensionRequestedBeforeTheDeadlineAndApprovedMovesTheDeadline() throws Exception {
        String policy = freshPlannedPolicy("test-extension");
        String taskId = policy + ".M06.SJW";
        actions.bringTo(taskId, "IN_PROGRESS");
        LocalDate deadline = LocalDate.parse(jdbc.queryForObject("select deadline::text from task where id = ?",
                String.class, taskId));
        String requested = deadline.plusMonths(3).toString();
        JsonNode req = body(actions.bureau(taskId, "extension-requests",
                Map.of("messageId", "ext-1", "requestedDeadline", requested, "reason", "受疫情影响需顺延"), null)
                .andExpect(status().isCreated()).andReturn());
        assertThat(req.get("decision").asString()).isEqualTo("PENDING");
        // one pending at a time
        actions.bureau(taskId, "extension-requests",
                Map.of("messageId", "ext-2", "requestedDeadline", requested, "reason", "再次申请"), null)
                .andExpect(status().isConflict());
        // a bureau may not decide
        mvc.perform(jsonPost("/api/v1/tasks/" + taskId + "/extension-requests/" + req.get("id").asString() + "/decision",
                bearer(cn.beijing.scienceedu.testsupport.TestTokens.bureau("SJW")), "{\"decision\":\"APPROVED\"}"))
                .andExpect(status().isForbidden());
        JsonNode decided = body(mvc.perform(jsonPost("/api/v1/tasks/" + taskId + "/extension-requests/"
                + req.get("id").asString() + "/decision", liaison(), "{\"decision\":\"APPROVED\",\"note\":\"同意\"}"))
                .andExpect(status().isOk()).andReturn());
        assertThat(decided.get("decision").asString()).isEqualTo("APPROVED");
        assertThat(jdbc.queryForObject("select deadline::text from task where id = ?", String.class, taskId)).isEqualTo(requested);
        // deciding twice is a conflict naming the decision
        JsonNode again = body(mvc.perform(jsonPost("/api/v1/tasks/" + taskId + "/extension-requests/"
                + req.get("id").asString() + "/decision", liaison(), "{\"decision\":\"REJECTED\"}"))
                .andExpect(status().isConflict()).andReturn());
        assertThat(again.get("currentState").asString()).isEqualTo("APPROVED");
        assertThat(jdbc.queryForList("select routing_key from outbox where subject = ? and routing_key like 'task.extension%' "
                + "order by seq", String.class, taskId)).containsExactly("task.extension-requested", "task.extension-decided");

        // after the deadline, no extension may be asked
        String late = policy + ".M07.SJW";
        actions.bringTo(late, "SIGNED_FOR");
        jdbc.update("update task set deadline = current_date - 3 where id = ?", late);
        JsonNode refused = body(actions.bureau(late, "extension-requests",
                Map.of("messageId", "ext-late", "requestedDeadline", LocalDate.now().plusMonths(1).toString(), "reason", "晚了"), null)
                .andExpect(status().isConflict()).andReturn());
        assertThat(refused.get("currentState").asString()).isEqualTo("SIGNED_FOR");
    }

    @Test
    void policyAndMeasureSettingsApplyWithoutOverridingMoreSpecificOnes() throws Exception {
        String policy = freshPlannedPolicy("test-settings");
        String m3lead = jdbc.queryForObject("select id from task where policy_id = ? and measure_no = 3 and role = 'LEAD'",
                String.class, policy);
        JsonNode m = body(mvc.perform(put("/api/v1/policies/" + policy + "/measures/3/settings").header("Authorization", liaison())
                .contentType(MediaType.APPLICATION_JSON).content("{\"deadline\":\"2030-06-28\",\"reportingCycle\":\"MONTHLY\"}"))
                .andExpect(status().isOk()).andReturn());
        int m3 = jdbc.queryForObject("select count(*) from task where policy_id = ? and measure_no = 3", Integer.class, policy);
        assertThat(m.get("changedTasks").asInt()).isEqualTo(m3);
        JsonNode p = body(mvc.perform(put("/api/v1/policies/" + policy + "/settings").header("Authorization", liaison())
                .contentType(MediaType.APPLICATION_JSON).content("{\"deadline\":\"2030-12-31\"}"))
                .andExpect(status().isOk()).andReturn());
        assertThat(p.get("changedTasks").asInt()).isEqualTo(122 - m3);
        JsonNode task = body(mvc.perform(get("/api/v1/tasks/" + m3lead).header("Authorization", liaison()))
                .andExpect(status().isOk()).andReturn());
        assertThat(task.get("deadline").asString()).isEqualTo("2030-06-28");
        assertThat(task.get("reportingCycle").asString()).isEqualTo("MONTHLY");
        mvc.perform(put("/api/v1/policies/" + policy + "/measures/42/settings").header("Authorization", liaison())
                .contentType(MediaType.APPLICATION_JSON).content("{\"deadline\":\"2030-06-28\"}")).andExpect(status().isNotFound());
    }

    @Test
    void anAttachmentOverTheLimitIs413() throws Exception {
        String policy = freshPlannedPolicy("test-attachment-limit");
        String taskId = policy + ".M01.SJW";
        byte[] big = new byte[10 * 1024 * 1024 + 1];
        big[0] = '%';
        big[1] = 'P';
        big[2] = 'D';
        big[3] = 'F';
        JsonNode problem = body(mvc.perform(multipart("/api/v1/tasks/" + taskId + "/attachments")
                .file(new MockMultipartFile("file", "big.pdf", "application/pdf", big))
                .header("Authorization", adapters()).header("X-Hub-Acting-Unit", "SJW"))
                .andExpect(status().is(413)).andReturn());
        assertThat(problem.get("status").asInt()).isEqualTo(413);
    }

    @Test
    void probesAndMetricsAreServed() throws Exception {
        JsonNode readiness = body(mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk()).andReturn());
        assertThat(readiness.get("status").asString()).isEqualTo("UP");
        assertThat(readiness.path("components").has("db")).isTrue();
        assertThat(readiness.path("components").has("rabbit")).isFalse();
        mvc.perform(get("/actuator/health/liveness")).andExpect(status().isOk());
        String prometheus = mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(prometheus).contains("hub_outbox_lag_seconds", "hub_outbox_pending", "hub_outbox_publish_lag_seconds",
                "hub_broker_up");
    }
}
