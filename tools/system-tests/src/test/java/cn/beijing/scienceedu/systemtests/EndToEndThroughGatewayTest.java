package cn.beijing.scienceedu.systemtests;

import static cn.beijing.scienceedu.systemtests.FlowSteps.GW;
import static cn.beijing.scienceedu.systemtests.FlowSteps.POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import cn.beijing.scienceedu.launcher.HubService;
import tools.jackson.databind.JsonNode;

/**
 * The whole flow (issue 7, item 3): all six processes started by the harness against the REAL RabbitMQ and
 * PostgreSQL (fresh databases {@code hub_task_e2e}, {@code hub_adapters_e2e}, {@code hub_reporting_e2e}, vhost
 * {@code hub-e2e}), driven through the gateway only — bureau systems with their client-credentials tokens from
 * the token issuer, the liaison with a browser login — and the simulated bureaus answering in their own protocol:
 * with their own signing times (kept as sent), and (issue 15) progress reports with the bureau's own status,
 * problems, next steps and evidence that the task-service keeps as sent and rates the task by.
 * Budget: 10 minutes, enforced by the harness.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class EndToEndThroughGatewayTest {

    static final String SIM = "http://localhost:8090";
    /** One bureau per protocol of the default registry (bureau-adapters' bureaus.yaml). */
    static final Map<String, String> PROTOCOL_UNIT = new LinkedHashMap<>();
    static {
        PROTOCOL_UNIT.put("REST", "SJW");
        PROTOCOL_UNIT.put("SOAP", "SKW");
        PROTOCOL_UNIT.put("FILE", "CZJ");
        PROTOCOL_UNIT.put("SFTP", "NNJ");
        PROTOCOL_UNIT.put("AMQP", "XCB");
    }
    static final String DOWN_UNIT = "FGW"; // a REST bureau, for the outage

    static HubUnderTest hub;
    static HubHttp http;
    static HubHttp.LiaisonSession liaison;
    static final String period = FlowSteps.currentQuarter();
    static final Map<String, String> taskOfProtocol = new LinkedHashMap<>();

    /**
     * An 18th bureau added the documented way: a registry file of its own, named beside the hub's in the environment
     * variable {@code HUB_BUREAU_REGISTRY} of bureau-adapters and the simulator (an environment variable, as the chart
     * and an operator set it — the old name broke exactly there).
     */
    static final String EXTRA_BUREAU = """
            hub:
              bureaus:
                KXZX:
                  name: 北京科学中心
                  full-name: 北京科学中心（首都科技发展战略研究院）
                  protocol: REST
                  endpoint: ${HUB_SIMULATOR_URL:http://localhost:8090}/sim/rest/KXZX
            """;

    @BeforeAll
    static void startEveryProcess() throws java.io.IOException {
        java.nio.file.Path extra = java.nio.file.Files.createTempFile("bureaus-extra", ".yaml");
        java.nio.file.Files.writeString(extra, EXTRA_BUREAU, java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> registry = Map.of("HUB_BUREAU_REGISTRY", "classpath:bureaus.yaml,file:" + extra);
        hub = HubUnderTest.start("e2e", Duration.ofMinutes(10), HubService.ALL.stream().map(HubService::name).toList(),
                Map.of("bureau-adapters", registry, "bureau-simulator", registry), true);
        http = hub.http;
    }

    @Test
    @Order(0)
    void s00_anExtraBureauFileNamedInTheEnvironmentIsRead() {
        HubHttp.LiaisonSession operator = http.login("ops", "ops");
        HubHttp.Answer bureaus = operator.get(GW + "/api/v1/operations/bureaus");
        assertThat(bureaus.status()).as("GET /api/v1/operations/bureaus as the operator: %s", bureaus).isEqualTo(200);
        assertThat(bureaus.json().size()).as("17 bureaus of the registry and the 18th of the extra file").isEqualTo(18);
        assertThat(bureaus.body()).contains("{\"unitCode\":\"KXZX\",\"protocol\":\"REST\"");
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @Order(1)
    void s01_liaisonLogsInThroughTheGatewayAndPlansTheNotice() {
        liaison = http.login("liaison", "liaison");
        FlowSteps.plan(liaison);
    }

    @Test
    @Order(2)
    void s02_dispatchedTasksReachEachBureauInItsOwnProtocol() {
        PROTOCOL_UNIT.forEach((protocol, unit) -> taskOfProtocol.put(protocol, FlowSteps.plannedTaskOf(http, unit)));
        taskOfProtocol.values().forEach(t -> FlowSteps.dispatch(liaison, t, "请按期落实（端到端测试）"));
        taskOfProtocol.forEach((protocol, task) -> {
            String unit = PROTOCOL_UNIT.get(protocol);
            JsonNode received = hub.await("the " + protocol + " bureau " + unit + " receives " + task, Duration.ofSeconds(90),
                    () -> assignmentAt(unit, task));
            assertThat(received.path("protocol").asString()).isEqualTo(protocol);
            assertThat(received.path("valid").asBoolean()).as("the bureau could read it: %s", received).isTrue();
            hub.await(task + " DELIVERED", Duration.ofSeconds(60), () -> "DELIVERED".equals(FlowSteps.status(liaison, task)) ? true : null);
        });
    }

    @Test
    @Order(3)
    void s03_bureausSignForInTheirOwnProtocolAtTheirOwnTime() {
        Map<String, String> signedAt = new LinkedHashMap<>();
        taskOfProtocol.forEach((protocol, task) -> {
            String unit = PROTOCOL_UNIT.get(protocol);
            if (protocol.equals("REST") || protocol.equals("SOAP")) {
                // HTTP bureaus call the hub through the gateway with their own token, with their own signing time
                String at = OffsetDateTime.now(ZoneOffset.ofHours(8)).truncatedTo(ChronoUnit.SECONDS).toString();
                signedAt.put(task, at);
                HubHttp.Answer a = http.postJson(GW + "/api/v1/bureau/tasks/" + task + "/sign-for", http.bureauToken(unit),
                        Map.of("messageId", unit + "-sign-" + UUID.randomUUID(), "signedBy", "张老师", "signedAt", at),
                        UUID.randomUUID().toString());
                assertThat(a.status()).as("sign-for through the gateway: %s", a).isIn(200, 201, 202);
            } else {
                // the simulated bureau stamps its own clock (signedAt in its shape: CSV 报送时间, XML SignedAt, JSON)
                simulatorSends(unit, Map.of("kind", "SIGN_FOR", "taskId", task, "signedBy", unit + " 联络员"));
                signedAt.put(task, sentBureauTime(unit, task, "SIGN_FOR"));
            }
        });
        taskOfProtocol.forEach((protocol, task) -> hub.await(task + " SIGNED_FOR (" + protocol + ")", Duration.ofSeconds(90),
                () -> "SIGNED_FOR".equals(FlowSteps.status(liaison, task)) ? true : null));
        // issue 15: kept as the bureau sent it, not replaced by the hub's clock
        taskOfProtocol.forEach((protocol, task) -> {
            JsonNode t = FlowSteps.task(liaison, task);
            assertThat(t.hasNonNull("signedAt")).as("%s %s: signedAt", protocol, task).isTrue();
            assertThat(OffsetDateTime.parse(t.path("signedAt").asString()).toInstant()).as("%s %s: the bureau's own signedAt", protocol, task)
                    .isEqualTo(OffsetDateTime.parse(signedAt.get(task)).toInstant());
        });
    }

    @Test
    @Order(4)
    void s04_bureausReportProgressWithKpiValues() {
        taskOfProtocol.forEach((protocol, task) -> {
            String unit = PROTOCOL_UNIT.get(protocol);
            if (protocol.equals("REST")) {
                HubHttp.Answer a = http.postJson(GW + "/api/v1/bureau/tasks/" + task + "/progress-reports", http.bureauToken(unit),
                        Map.of("messageId", unit + "-progress-" + UUID.randomUUID(), "period", period, "percentComplete", 60,
                                "narrative", "已组织科学教育专题培训3场。",
                                "kpiValues", List.of(Map.of("code", "SCIENCE_EDUCATION_BRANDS", "value", 12, "level", "CITY"))),
                        UUID.randomUUID().toString());
                assertThat(a.status()).as("progress through the gateway: %s", a).isIn(200, 201, 202);
            } else {
                // the whole report the bureau writes by itself (its status, problems, next steps, KPI values of its
                // measure, evidence), in its own shape
                simulatorSends(unit, Map.of("kind", "PROGRESS", "taskId", task, "period", period, "auto", true));
            }
        });
        taskOfProtocol.forEach((protocol, task) -> hub.await(task + " IN_PROGRESS (" + protocol + ")", Duration.ofSeconds(90),
                () -> "IN_PROGRESS".equals(FlowSteps.status(liaison, task)) ? true : null));
        // issue 15: what each bureau said arrives whole — its own status rates the task, its report is kept as sent
        JsonNode plan = http.get(SIM + "/sim/answers", null).json();
        taskOfProtocol.forEach((protocol, task) -> {
            if (protocol.equals("REST")) {
                return;
            }
            String said = plan.path(PROTOCOL_UNIT.get(protocol)).path("status").asString();
            JsonNode t = FlowSteps.task(liaison, task);
            assertThat(t.path("bureauStatus").asString()).as("%s %s: the bureau's own status", protocol, task).isEqualTo(said);
            if (!said.equals("ON_TRACK")) {
                assertThat(t.path("ratingReason").asString()).as("%s %s rated by it", protocol, task).isEqualTo("BUREAU_" + said);
                assertThat(t.path("rating").asString()).isEqualTo(said.equals("AT_RISK") ? "AMBER" : "RED");
            }
            FlowSteps.progressKeptAsSent(liaison, http, protocol, task,
                    !"NONE".equals(plan.path(PROTOCOL_UNIT.get(protocol)).path("evidence").asString()));
        });
    }

    @Test
    @Order(5)
    void s05_bureausSubmitTheirCompletionReports() {
        for (String protocol : List.of("REST", "SOAP")) {
            String task = taskOfProtocol.get(protocol);
            String unit = PROTOCOL_UNIT.get(protocol);
            HubHttp.Answer a = http.postJson(GW + "/api/v1/bureau/tasks/" + task + "/submission", http.bureauToken(unit),
                    Map.of("messageId", unit + "-submit-" + UUID.randomUUID(), "summary", "全部完成。"), UUID.randomUUID().toString());
            assertThat(a.status()).as("submission through the gateway: %s", a).isIn(200, 201, 202);
        }
        simulatorSends(PROTOCOL_UNIT.get("AMQP"), Map.of("kind", "SUBMISSION", "taskId", taskOfProtocol.get("AMQP"),
                "summary", "任务已完成，成果已报送"));
        for (String protocol : List.of("REST", "SOAP", "AMQP")) {
            String task = taskOfProtocol.get(protocol);
            hub.await(task + " SUBMITTED (" + protocol + ")", Duration.ofSeconds(90),
                    () -> "SUBMITTED".equals(FlowSteps.status(liaison, task)) ? true : null);
        }
    }

    @Test
    @Order(6)
    void s06_liaisonAcceptsOneSubmissionAndReturnsAnother() {
        FlowSteps.acceptAndReturn(liaison, taskOfProtocol.get("REST"), taskOfProtocol.get("SOAP"));
    }

    @Test
    @Order(7)
    void s07_jointReportJsonXlsxAndDashboardShowIt() throws Exception {
        FlowSteps.jointReportShows(hub, liaison, period, 5, 5, "SCIENCE_EDUCATION_BRANDS");
    }

    @Test
    @Order(8)
    void s08_aBureauDownAndBackLosesNothing() {
        String task = FlowSteps.plannedTaskOf(http, DOWN_UNIT);
        simulatorBehaviour(DOWN_UNIT, "DOWN");
        FlowSteps.dispatch(liaison, task, "停机期间下发");
        HubUnderTest.sleep(Duration.ofSeconds(8));
        assertThat(FlowSteps.status(liaison, task)).as("not delivered while the bureau is down").isEqualTo("DISPATCHED");
        assertThat(assignmentAt(DOWN_UNIT, task)).as("nothing accepted by the bureau while down").isNull();
        simulatorBehaviour(DOWN_UNIT, "NORMAL");
        hub.await(task + " delivered after the bureau came back", Duration.ofSeconds(150),
                () -> "DELIVERED".equals(FlowSteps.status(liaison, task)) ? true : null);
        JsonNode got = http.get(SIM + "/sim/received?unit=" + DOWN_UNIT + "&taskId=" + task, null).json();
        long valid = 0;
        for (JsonNode r : got) {
            if ("ASSIGNMENT".equals(r.path("kind").asString()) && r.path("valid").asBoolean()) {
                valid++;
            }
        }
        assertThat(valid).as("the assignment arrived exactly once: %s", got).isEqualTo(1);
        assertThat(FlowSteps.task(liaison, task).path("deliveryStatus").asString()).as("never parked for an outage")
                .isNotEqualTo("PARKED");
    }

    @Test
    @Order(9)
    void s09_everyProcessShutsDownCleanly() {
        StringBuilder traces = new StringBuilder();
        Map<String, Integer> codes = hub.stopAll(traces);
        System.out.println("[e2e] exit codes: " + codes);
        assertThat(codes).hasSize(6).allSatisfy((name, code) -> assertThat(code).as(name + " exit code").isIn(0, 143));
        assertThat(traces.toString()).as("stack traces logged while stopping").isEmpty();
        assertThat(hub.processes.remaining()).as("within the suite's budget").isPositive();
    }

    // ------------------------------------------------------------------ the simulator's API

    static JsonNode assignmentAt(String unit, String taskId) {
        HubHttp.Answer a = http.get(SIM + "/sim/received?unit=" + unit + "&taskId=" + taskId, null);
        if (a.status() != 200) {
            throw new AssertionError("bureau simulator /sim/received: " + a);
        }
        for (JsonNode r : a.json()) {
            if ("ASSIGNMENT".equals(r.path("kind").asString())) {
                return r;
            }
        }
        return null;
    }

    static void simulatorSends(String unit, Map<String, Object> report) {
        HubHttp.Answer a = http.postJson(SIM + "/sim/bureaus/" + unit + "/send", null, report, null);
        assertThat(a.status()).as("simulator %s sends %s: %s", unit, report.get("kind"), a).isEqualTo(200);
        assertThat(a.body()).as("simulator %s sent %s", unit, report.get("kind")).doesNotContain("\"error\"");
    }

    /** The bureau's own time of the last answer of this kind the simulated bureau sent for the task. */
    static String sentBureauTime(String unit, String task, String kind) {
        JsonNode sent = http.get(SIM + "/sim/sent?unit=" + unit + "&taskId=" + task + "&kind=" + kind, null).json();
        assertThat(sent.size()).as("%s sent %s for %s", unit, kind, task).isPositive();
        return sent.get(sent.size() - 1).path("bureauTime").asString();
    }

    static void simulatorBehaviour(String unit, String mode) {
        HubHttp.Answer a = http.postJson(SIM + "/sim/bureaus/" + unit + "/behaviour", null, Map.of("mode", mode), null);
        assertThat(a.status()).as("simulator behaviour %s %s: %s", unit, mode, a).isEqualTo(200);
    }
}
