package cn.beijing.scienceedu.systemtests;

import static cn.beijing.scienceedu.systemtests.FlowSteps.GW;
import static cn.beijing.scienceedu.systemtests.FlowSteps.POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The liaison's side of the flow through the gateway, against the real RabbitMQ and PostgreSQL: token issuer,
 * task-service, reporting-service and gateway as separate processes (fresh {@code hub_*_liaison} databases,
 * vhost {@code hub-liaison}). Bureau writes are made the way bureau-adapters makes them — the adapters' own
 * client-credentials identity (role SERVICE) naming the unit in {@code X-Hub-Acting-Unit} — so that the
 * lifecycle, the KPI roll-up and the reports are proven without the adapters; {@link EndToEndThroughGatewayTest}
 * proves the same through the adapters and the simulated bureaus. Budget: 6 minutes, enforced by the harness.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LiaisonFlowThroughGatewayTest {

    static HubUnderTest hub;
    static HubHttp http;
    static HubHttp.LiaisonSession liaison;
    static final String period = FlowSteps.currentQuarter();
    static final Map<String, String> tasks = new LinkedHashMap<>();

    @BeforeAll
    static void startIssuerServicesAndGateway() {
        hub = HubUnderTest.start("liaison", Duration.ofMinutes(6),
                List.of("token-issuer", "task-service", "reporting-service", "gateway"));
        http = hub.http;
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @Order(1)
    void s01_liaisonLogsInThroughTheGatewayAndSeesTheImportedNotice() {
        assertThat(http.get(GW + "/api/v1/policies", null).status()).as("no token, no entry").isEqualTo(401);
        liaison = http.login("liaison", "liaison");
        HubHttp.Answer policies = liaison.get(GW + "/api/v1/policies");
        assertThat(policies.status()).as("GET /api/v1/policies as the liaison: %s", policies).isEqualTo(200);
        assertThat(policies.body()).contains(POLICY);
    }

    @Test
    @Order(2)
    void s02_liaisonPlansTheNoticeInto122TasksWithDeadlines() {
        FlowSteps.plan(liaison);
        HubHttp.Answer lead = liaison.get(GW + "/api/v1/tasks?policyId=" + POLICY + "&measureNo=4&role=LEAD");
        assertThat(lead.status()).isEqualTo(200);
        tasks.put("kpi", lead.json().path("items").get(0).path("id").asString());
        assertThat(lead.json().path("items").get(0).path("deadline").asString()).isNotBlank();
    }

    @Test
    @Order(3)
    void s03_aBureauSystemSeesOnlyItsOwnUnitsTasksAndCannotActAsTheLiaison() {
        String sjw = FlowSteps.plannedTaskOf(http, "SJW");
        assertThat(http.get(GW + "/api/v1/tasks/" + sjw, http.bureauToken("SJW")).status()).isEqualTo(200);
        HubHttp.Answer other = http.get(GW + "/api/v1/tasks/" + sjw, http.bureauToken("CZJ"));
        assertThat(other.status()).as("another unit's task is 404, never 403: %s", other).isEqualTo(404);
        HubHttp.Answer dispatch = http.postJson(GW + "/api/v1/tasks/" + sjw + "/dispatch", http.bureauToken("SJW"), Map.of(), null);
        assertThat(dispatch.status()).as("a bureau dispatching: %s", dispatch).isEqualTo(403);
        HubHttp.Answer signDirect = http.postJson(GW + "/api/v1/tasks/" + sjw + "/sign-for", http.bureauToken("SJW"),
                Map.of("messageId", "x-" + UUID.randomUUID(), "signedAt", OffsetDateTime.now().toString()), null);
        assertThat(signDirect.status()).as("bureau writes go through /api/v1/bureau/**, not the task API: %s", signDirect).isEqualTo(403);
        tasks.put("accept", sjw);
        tasks.put("return", FlowSteps.plannedTaskOf(http, "SKW"));
    }

    @Test
    @Order(4)
    void s04_liaisonDispatchesTasks() {
        tasks.values().forEach(t -> FlowSteps.dispatch(liaison, t, "请按期落实（系统测试）"));
        tasks.values().forEach(t -> assertThat(FlowSteps.status(liaison, t)).isEqualTo("DISPATCHED"));
    }

    @Test
    @Order(5)
    void s05_bureauWritesRelayedAsServiceSignForReportKpisPerSchoolAndSubmit() {
        String service = http.clientToken("bureau-adapters");
        List<String> schools = schoolCodes();
        assertThat(schools).as("the synthetic school register (local profile)").hasSizeGreaterThanOrEqualTo(5);
        for (String task : tasks.values()) {
            String unit = task.substring(task.lastIndexOf('.') + 1);
            String messageId = unit + "-sign-" + UUID.randomUUID();
            Map<String, Object> sign = Map.of("messageId", messageId, "signedAt", OffsetDateTime.now().toString(), "signedBy", "张老师");
            HubHttp.Answer first = actingFor(service, unit, task, "sign-for", sign, messageId);
            assertThat(first.status()).as("sign-for %s: %s", task, first).isIn(200, 201);
            HubHttp.Answer repeat = actingFor(service, unit, task, "sign-for", sign, messageId);
            assertThat(repeat.status()).as("the same message again: the same answer").isEqualTo(first.status());
            assertThat(repeat.body()).isEqualTo(first.body());
            assertThat(FlowSteps.status(liaison, task)).isEqualTo("SIGNED_FOR");

            List<Map<String, Object>> kpis = new ArrayList<>();
            if (task.equals(tasks.get("kpi"))) {
                for (int i = 0; i < 5; i++) {
                    kpis.add(Map.of("kpiCode", "LAB_EQUIPMENT_USAGE_RATE", "value", 70 + 6 * i, "unit", "%",
                            "level", "SCHOOL", "schoolCode", schools.get(i)));
                }
            }
            String progressId = unit + "-progress-" + UUID.randomUUID();
            HubHttp.Answer progress = actingFor(service, unit, task, "progress-reports", Map.of("messageId", progressId,
                    "period", period, "status", "ON_TRACK", "percentComplete", 60,
                    "narrative", "已组织科学教育专题培训3场。", "kpiValues", kpis), progressId);
            assertThat(progress.status()).as("progress %s: %s", task, progress).isIn(200, 201);
            assertThat(FlowSteps.status(liaison, task)).isEqualTo("IN_PROGRESS");
            if (!task.equals(tasks.get("kpi"))) {
                String submitId = unit + "-submit-" + UUID.randomUUID();
                HubHttp.Answer submit = actingFor(service, unit, task, "submission", Map.of("messageId", submitId,
                        "period", period, "status", "COMPLETED", "percentComplete", 100, "narrative", "全部完成。"), submitId);
                assertThat(submit.status()).as("submission %s: %s", task, submit).isIn(200, 201);
                assertThat(FlowSteps.status(liaison, task)).isEqualTo("SUBMITTED");
            }
        }
    }

    @Test
    @Order(6)
    void s06_liaisonAcceptsOneSubmissionAndReturnsAnother() {
        FlowSteps.acceptAndReturn(liaison, tasks.get("accept"), tasks.get("return"));
    }

    @Test
    @Order(7)
    void s07_jointReportJsonXlsxAndDashboardShowIt() throws Exception {
        FlowSteps.jointReportShows(hub, liaison, period, 3, 3, "LAB_EQUIPMENT_USAGE_RATE");
    }

    @Test
    @Order(8)
    void s08_everyProcessShutsDownCleanly() {
        StringBuilder traces = new StringBuilder();
        Map<String, Integer> codes = hub.stopAll(traces);
        System.out.println("[liaison] exit codes: " + codes);
        // a JVM ended by SIGTERM exits with 143 (0 if it calls System.exit itself); 137 would mean SIGKILL after the grace
        assertThat(codes).hasSize(4).allSatisfy((name, code) -> assertThat(code).as(name + " exit code").isIn(0, 143));
        assertThat(traces.toString()).as("stack traces logged while stopping").isEmpty();
        assertThat(hub.processes.remaining()).as("within the suite's budget").isPositive();
    }

    static HubHttp.Answer actingFor(String serviceToken, String unit, String task, String action, Map<String, Object> body,
            String key) {
        return HubHttp.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(GW + "/api/v1/tasks/" + task + "/" + action))
                .header("Authorization", "Bearer " + serviceToken).header("X-Hub-Acting-Unit", unit)
                .header("Idempotency-Key", key).header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(HubHttp.JSON.writeValueAsBytes(body))),
                java.net.http.HttpClient.newHttpClient());
    }

    static List<String> schoolCodes() {
        HubHttp.Answer a = liaison.get(GW + "/api/v1/schools");
        assertThat(a.status()).as("GET /api/v1/schools: %s", a).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        Matcher m = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"").matcher(a.body());
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }
}
