package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;

import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;

/**
 * School- and district-level KPI values (学校/区级指标) of a progress report reach the task-service with
 * their {@code schoolCode} and {@code districtCode}, whichever protocol carries the report in JSON
 * (REST, an AMQP reply, a JSON answer file).
 */
class KpiValuesPassThroughTest extends AdaptersIntegrationTest {

    private static final String KPIS = """
            [{"code":"LAB_EQUIPMENT_USAGE_RATE","value":87.5,"level":"SCHOOL","districtCode":"110108","schoolCode":"HD-ZGC-001"},
             {"code":"SCIENCE_TEACHER_RATIO","value":0.8,"level":"DISTRICT","districtCode":"110108"}]""";

    @Test
    void restProgressReportCarriesSchoolAndDistrictCodesToTheTaskService() throws Exception {
        String t = dispatched("SJW");
        var res = post("/api/v1/bureau/tasks/" + t + "/progress-reports", TestTokens.bureau("SJW"),
                "{\"messageId\":\"sjw-kpi-" + UUID.randomUUID() + "\",\"period\":\"2025-Q1\",\"percentComplete\":50,"
                        + "\"kpiValues\":" + KPIS + "}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertForwardedKpis(t);
    }

    @Test
    void amqpReplyCarriesSchoolAndDistrictCodesToTheTaskService() {
        String t = dispatched("XCB");
        String body = "{\"messageId\":\"xcb-kpi-" + UUID.randomUUID() + "\",\"kind\":\"PROGRESS\",\"taskId\":\"" + t
                + "\",\"unitCode\":\"XCB\",\"period\":\"2025-Q1\",\"percentComplete\":50,\"kpiValues\":" + KPIS + "}";
        rabbit.send("", "hub.bureau.XCB.replies", MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
                .setContentType("application/json").setMessageId(UUID.randomUUID().toString()).build());
        assertForwardedKpis(t);
    }

    @Test
    void jsonAnswerFileCarriesSchoolAndDistrictCodesToTheTaskService() throws Exception {
        String t = dispatched("GHZRW");
        String body = "{\"messageId\":\"ghzrw-kpi-" + UUID.randomUUID() + "\",\"kind\":\"PROGRESS\",\"taskId\":\"" + t
                + "\",\"unitCode\":\"GHZRW\",\"period\":\"2025-Q1\",\"percentComplete\":50,\"kpiValues\":" + KPIS + "}";
        Path outbox = Files.createDirectories(SimulatorHarness.EXCHANGE_DIR.resolve("GHZRW/outbox"));
        Path tmp = outbox.resolve(".tmp-" + t);
        Files.writeString(tmp, body);
        Files.move(tmp, outbox.resolve(t + "-progress.json"));
        assertForwardedKpis(t);
    }

    @Test
    void anOverlongSchoolCodeIsRefusedAndNothingReachesTheTaskService() throws Exception {
        String t = dispatched("SJW");
        var res = post("/api/v1/bureau/tasks/" + t + "/progress-reports", TestTokens.bureau("SJW"),
                "{\"messageId\":\"sjw-kpi-" + UUID.randomUUID() + "\",\"period\":\"2025-Q1\",\"percentComplete\":50,"
                        + "\"kpiValues\":[{\"code\":\"LAB_EQUIPMENT_USAGE_RATE\",\"value\":1,\"level\":\"SCHOOL\","
                        + "\"schoolCode\":\"" + "X".repeat(65) + "\"}]}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(400);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).isEmpty();
    }

    private String dispatched(String unit) {
        String t = newTaskId(unit);
        publish("task.dispatched", t, unit, 1, Map.of());
        await().until(() -> !received(unit, t, "ASSIGNMENT").isEmpty());
        return t;
    }

    private void assertForwardedKpis(String taskId) {
        await().untilAsserted(() -> assertThat(SimulatorHarness.TASK_SERVICE.callsFor(taskId)).hasSize(1));
        FakeTaskService.Call call = SimulatorHarness.TASK_SERVICE.callsFor(taskId).get(0);
        assertThat(call.path()).endsWith("/progress-reports");
        JsonNode kpis = json.readTree(call.body()).get("kpiValues");
        assertThat(kpis).as(call.body()).hasSize(2);
        assertThat(kpis.get(0).get("kpiCode").asString()).isEqualTo("LAB_EQUIPMENT_USAGE_RATE");
        assertThat(kpis.get(0).get("level").asString()).isEqualTo("SCHOOL");
        assertThat(kpis.get(0).get("schoolCode").asString()).isEqualTo("HD-ZGC-001");
        assertThat(kpis.get(0).get("districtCode").asString()).isEqualTo("110108");
        assertThat(kpis.get(0).get("value").decimalValue()).isEqualByComparingTo("87.5");
        assertThat(kpis.get(1).get("districtCode").asString()).isEqualTo("110108");
        assertThat(kpis.get(1).has("schoolCode") && !kpis.get(1).get("schoolCode").isNull()).isFalse();
        assertThat(List.of(call.actingUnit())).doesNotContainNull();
    }
}
