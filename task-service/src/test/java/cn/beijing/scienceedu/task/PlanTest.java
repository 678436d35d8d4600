package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.contracts.catalogue.Catalogues;
import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;

class PlanTest extends IntegrationTest {

    @Test
    void planningTheNoticeMakesOneTaskPerMeasureAndUnitWithTheFirstUnitLeading() throws Exception {
        String id = Catalogues.DEFAULT_POLICY_ID;
        // the committed notice is imported at start
        JsonNode policies = body(mvc.perform(get("/api/v1/policies").header("Authorization", liaison()))
                .andExpect(status().isOk()).andReturn());
        assertThat(policies.findValuesAsString("id")).contains(id);

        long started = System.nanoTime();
        JsonNode plan = body(mvc.perform(jsonPost("/api/v1/policies/" + id + "/plan", liaison(),
                "{\"reportingCycle\":\"QUARTERLY\"}")).andExpect(status().isCreated()).andReturn());
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("[measure] plan creation for " + plan.get("taskCount").asInt() + " tasks: " + millis + " ms");

        assertThat(plan.get("taskCount").asInt()).isEqualTo(122);
        assertThat(plan.get("leadTaskCount").asInt()).isEqualTo(20);

        JsonNode page = body(mvc.perform(get("/api/v1/tasks").param("policyId", id).param("size", "500")
                .header("Authorization", liaison())).andExpect(status().isOk()).andReturn());
        assertThat(page.get("totalItems").asInt()).isEqualTo(122);
        Map<String, JsonNode> byId = new HashMap<>();
        page.get("items").forEach(t -> byId.put(t.get("id").asString(), t));

        Policy catalogue = Catalogues.defaultPolicy();
        int expected = 0;
        for (Measure m : catalogue.getMeasures()) {
            List<String> units = m.getUnitCodes();
            for (int i = 0; i < units.size(); i++) {
                String taskId = String.format("%s.M%02d.%s", id, m.getNo(), units.get(i));
                JsonNode t = byId.get(taskId);
                assertThat(t).as(taskId).isNotNull();
                assertThat(t.get("role").asString()).isEqualTo(i == 0 ? "LEAD" : "COOPERATING");
                assertThat(t.get("leadUnitCode").asString()).isEqualTo(units.get(0));
                assertThat(t.get("status").asString()).isEqualTo("PLANNED");
                assertThat(t.get("deliveryStatus").asString()).isEqualTo("NOT_SENT");
                assertThat(t.get("reportingCycle").asString()).isEqualTo("QUARTERLY");
                assertThat(t.get("workItems").size()).isEqualTo(m.getWorkItems().size());
                expected++;
            }
        }
        assertThat(expected).isEqualTo(122);

        // the lead filter gives one task per measure
        JsonNode leads = body(mvc.perform(get("/api/v1/tasks").param("policyId", id).param("role", "LEAD")
                .param("size", "100").header("Authorization", liaison())).andExpect(status().isOk()).andReturn());
        assertThat(leads.get("totalItems").asInt()).isEqualTo(20);

        // planning again creates nothing
        JsonNode again = body(mvc.perform(jsonPost("/api/v1/policies/" + id + "/plan", liaison(), "{}"))
                .andExpect(status().isOk()).andReturn());
        assertThat(again.get("created").asBoolean()).isFalse();
        assertThat(jdbc.queryForObject("select count(*) from task where policy_id = ?", Integer.class, id)).isEqualTo(122);
        assertThat(jdbc.queryForObject("select count(*) from outbox where routing_key = 'task.planned' and subject like ?",
                Integer.class, id + ".%")).isEqualTo(122);

        // a bureau sees only its own unit's tasks
        JsonNode mine = body(mvc.perform(get("/api/v1/tasks").param("policyId", id).param("size", "500")
                .header("Authorization", bearer(TestTokens.bureau("SJW")))).andExpect(status().isOk()).andReturn());
        mine.get("items").forEach(t -> assertThat(t.get("unitCode").asString()).isEqualTo("SJW"));
        assertThat(mine.get("totalItems").asInt()).isPositive();
    }

    @Test
    void aNoticeTextWithAnOverlayIsImportedAsAnotherPolicyBesideTheFirst() throws Exception {
        Map<String, Object> overlay;
        try (var in = getClass().getClassLoader().getResourceAsStream(Catalogues.OVERLAY_RESOURCE)) {
            overlay = tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readValue(in,
                    new tools.jackson.core.type.TypeReference<Map<String, Object>>() {
                    });
        }
        overlay.put("policyId", "bj-sciedu-20-copy");
        JsonNode imported = body(mvc.perform(jsonPost("/api/v1/policies", liaison(),
                Map.of("noticeText", Catalogues.noticeText(), "overlay", overlay))).andExpect(status().isCreated()).andReturn());
        assertThat(imported.get("id").asString()).isEqualTo("bj-sciedu-20-copy");
        assertThat(imported.get("measureCount").asInt()).isEqualTo(20);
        assertThat(imported.get("planned").asBoolean()).isFalse();
        // the same id again is a conflict
        mvc.perform(jsonPost("/api/v1/policies", liaison(), Map.of("noticeText", Catalogues.noticeText(), "overlay", overlay)))
                .andExpect(status().isConflict());
        JsonNode plan = body(mvc.perform(jsonPost("/api/v1/policies/bj-sciedu-20-copy/plan", liaison(), "{}"))
                .andExpect(status().isCreated()).andReturn());
        assertThat(plan.get("taskCount").asInt()).isEqualTo(122);
        JsonNode policy = body(mvc.perform(get("/api/v1/policies/bj-sciedu-20-copy").header("Authorization", liaison()))
                .andExpect(status().isOk()).andReturn());
        assertThat(policy.get("measures").size()).isEqualTo(20);
        assertThat(policy.get("units").size()).isEqualTo(17);
        JsonNode units = body(mvc.perform(get("/api/v1/units").header("Authorization", liaison()))
                .andExpect(status().isOk()).andReturn());
        assertThat(units.size()).isEqualTo(17);
    }
}
