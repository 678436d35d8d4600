package cn.beijing.scienceedu.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.poi.xssf.usermodel.XSSFWorkbook;

import tools.jackson.databind.JsonNode;

/** Steps both gateway suites share: task reads as the liaison, the joint report and its XLSX export. */
final class FlowSteps {

    static final String POLICY = "bj-sciedu-20-2024";
    static final String GW = HubHttp.GATEWAY;

    private FlowSteps() {
    }

    static String currentQuarter() {
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        return today.getYear() + "-Q" + ((today.getMonthValue() - 1) / 3 + 1);
    }

    static JsonNode task(HubHttp.LiaisonSession liaison, String taskId) {
        HubHttp.Answer a = liaison.get(GW + "/api/v1/tasks/" + taskId);
        if (a.status() != 200) {
            throw new AssertionError("GET task " + taskId + " as the liaison: " + a);
        }
        return a.json();
    }

    /**
     * The task's last progress report, as the task-service keeps it, says what the simulated bureau sent ({@code GET
     * /sim/sent}): the report with the bureau's own reportedAt carries its status, problems, next steps, reporter,
     * percent and narrative unchanged, and (with {@code evidence}) each file's name, size and SHA-256 with the bytes
     * stored (an attachmentId), whichever way the protocol carried them.
     */
    static void progressKeptAsSent(HubHttp.LiaisonSession liaison, HubHttp http, String what, String task, boolean evidence) {
        HubHttp.Answer kept = liaison.get(GW + "/api/v1/tasks/" + task + "/progress-reports");
        assertThat(kept.status()).as("%s: progress reports of %s: %s", what, task, kept).isEqualTo(200);
        JsonNode sent = http.get(HubDemo.SIM + "/sim/sent?taskId=" + task, null).json();
        List<JsonNode> reports = new ArrayList<>();
        kept.json().forEach(r -> {
            if (!"SUBMISSION".equals(r.path("kind").asString()) && !"COMPLETED".equals(r.path("status").asString())) {
                reports.add(r);
            }
        });
        assertThat(reports).as("%s: %s has a progress report", what, task).isNotEmpty();
        JsonNode report = reports.get(reports.size() - 1);
        JsonNode match = null;
        for (JsonNode s : sent) {
            if ("PROGRESS".equals(s.path("kind").asString()) && s.hasNonNull("bureauTime") && report.hasNonNull("reportedAt")
                    && java.time.OffsetDateTime.parse(s.path("bureauTime").asString()).toInstant()
                            .equals(java.time.OffsetDateTime.parse(report.path("reportedAt").asString()).toInstant())) {
                match = s.path("fields");
            }
        }
        assertThat(match).as("%s: %s's report %s carries the bureau's own reportedAt of one it sent: %s", what, task, report, sent)
                .isNotNull();
        for (String f : List.of("status", "problems", "nextSteps", "reporter", "percentComplete", "narrative")) {
            assertThat(report.path(f).asString("")).as("%s: %s of %s kept as sent", what, f, task).isEqualTo(match.path(f).asString(""));
        }
        if (evidence) {
            JsonNode ev = report.path("evidence");
            assertThat(ev.size()).as("%s: evidence of %s: %s", what, task, report).isEqualTo(match.path("evidence").size()).isPositive();
            for (int i = 0; i < ev.size(); i++) {
                JsonNode said = match.path("evidence").get(i);
                assertThat(ev.get(i).path("name").asString()).isEqualTo(said.path("name").asString());
                assertThat(ev.get(i).path("size").asLong()).isEqualTo(said.path("size").asLong());
                assertThat(ev.get(i).path("sha256").asString()).isEqualTo(said.path("sha256").asString());
                assertThat(ev.get(i).hasNonNull("attachmentId")).as("%s: the bytes of %s stored: %s", what, task, ev.get(i)).isTrue();
            }
        }
    }

    static String status(HubHttp.LiaisonSession liaison, String taskId) {
        return task(liaison, taskId).path("status").asString();
    }

    /** The first PLANNED task of a unit, read with the unit's own bureau token. */
    static String plannedTaskOf(HubHttp http, String unit) {
        HubHttp.Answer tasks = http.get(GW + "/api/v1/tasks?policyId=" + POLICY + "&unitCode=" + unit + "&size=50",
                http.bureauToken(unit));
        assertThat(tasks.status()).as("tasks of %s: %s", unit, tasks).isEqualTo(200);
        for (JsonNode t : tasks.json().path("items")) {
            assertThat(t.path("unitCode").asString()).as("a bureau sees only its own unit's tasks").isEqualTo(unit);
        }
        for (JsonNode t : tasks.json().path("items")) {
            if ("PLANNED".equals(t.path("status").asString())) {
                return t.path("id").asString();
            }
        }
        throw new AssertionError("no PLANNED task of " + unit + ": " + tasks);
    }

    static void plan(HubHttp.LiaisonSession liaison) {
        HubHttp.Answer plan = liaison.post(GW + "/api/v1/policies/" + POLICY + "/plan", Map.of("reportingCycle", "QUARTERLY"));
        assertThat(plan.status()).as("plan: %s", plan).isIn(200, 201);
        assertThat(plan.json().path("taskCount").asInt()).as("plan: %s", plan).isEqualTo(122);
        assertThat(plan.json().path("leadTaskCount").asInt()).isEqualTo(20);
        HubHttp.Answer all = liaison.get(GW + "/api/v1/tasks?policyId=" + POLICY + "&size=200");
        assertThat(all.status()).as("task list: %s", all).isEqualTo(200);
        assertThat(all.json().path("totalItems").asInt()).isEqualTo(122);
    }

    static void dispatch(HubHttp.LiaisonSession liaison, String taskId, String note) {
        HubHttp.Answer d = liaison.post(GW + "/api/v1/tasks/" + taskId + "/dispatch", Map.of("note", note));
        assertThat(d.status()).as("dispatch %s: %s", taskId, d).isEqualTo(200);
    }

    static void acceptAndReturn(HubHttp.LiaisonSession liaison, String accepted, String returned) {
        HubHttp.Answer a = liaison.post(GW + "/api/v1/tasks/" + accepted + "/accept", Map.of());
        assertThat(a.status()).as("accept: %s", a).isEqualTo(200);
        HubHttp.Answer r = liaison.post(GW + "/api/v1/tasks/" + returned + "/return", Map.of("reason", "请补充量化指标"));
        assertThat(r.status()).as("return: %s", r).isEqualTo(200);
        assertThat(status(liaison, accepted)).isEqualTo("ACCEPTED");
        assertThat(status(liaison, returned)).isEqualTo("RETURNED");
        HubHttp.Answer again = liaison.post(GW + "/api/v1/tasks/" + returned + "/accept", Map.of());
        assertThat(again.status()).as("accepting a RETURNED task: %s", again).isEqualTo(409);
        assertThat(again.json().path("currentState").asString()).isEqualTo("RETURNED");
    }

    /** Waits until the joint report (JSON, through the gateway) has at least these counts, then checks the XLSX and the dashboard. */
    static JsonNode jointReportShows(HubUnderTest hub, HubHttp.LiaisonSession liaison, String period, int signedFor,
            int progressReports, String kpiCode) throws Exception {
        String url = GW + "/api/v1/reports/joint?policy=" + POLICY + "&period=" + period;
        JsonNode report = hub.await("the joint report of " + period + " shows 1 accepted, 1 returned, " + signedFor
                + " signed for, " + progressReports + " progress reports", Duration.ofSeconds(60), () -> {
                    HubHttp.Answer a = liaison.get(url);
                    if (a.status() != 200) {
                        throw new AssertionError("joint report: " + a);
                    }
                    JsonNode s = a.json().path("summary");
                    return s.path("acceptedCount").asInt() >= 1 && s.path("returnedCount").asInt() >= 1
                            && s.path("signedForCount").asInt() >= signedFor
                            && s.path("progressReportCount").asInt() >= progressReports ? a.json() : null;
                });
        System.out.println("joint report " + period + " summary: " + report.path("summary"));
        assertThat(report.path("summary").path("taskCount").asInt()).isEqualTo(122);
        assertThat(report.path("measures").size()).isEqualTo(20);
        assertThat(report.path("units").size()).isEqualTo(17);
        if (kpiCode != null) {
            assertThat(report.path("kpis").toString()).as("KPI roll-up").contains(kpiCode);
        }

        HubHttp.Answer xlsx = liaison.getBytes(url + "&format=xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assertThat(xlsx.status()).as("XLSX export: %s", xlsx.status()).isEqualTo(200);
        try (XSSFWorkbook book = new XSSFWorkbook(new ByteArrayInputStream(xlsx.response().body()))) {
            List<String> sheets = new ArrayList<>();
            book.forEach(s -> sheets.add(s.getSheetName()));
            assertThat(sheets).contains("按措施", "按单位");
            assertThat(book.getSheet("按措施").getLastRowNum()).as("header + 20 measures").isGreaterThanOrEqualTo(20);
            StringBuilder units = new StringBuilder();
            book.getSheet("按单位").forEach(row -> row.forEach(cell -> units.append(cell).append('|')));
            assertThat(units.toString()).contains("SJW");
            if (kpiCode != null && sheets.contains("指标")) {
                StringBuilder kpis = new StringBuilder();
                book.getSheet("指标").forEach(row -> row.forEach(cell -> kpis.append(cell).append('|')));
                assertThat(kpis.toString()).contains(kpiCode);
            }
        }
        HubHttp.Answer dashboard = liaison.page(GW + "/dashboard?policy=" + POLICY + "&period=" + period);
        assertThat(dashboard.status()).isEqualTo(200);
        assertThat(EmbeddedDefaultsSmokeTest.count(dashboard.body(), "class=\"heat-row\"")).isEqualTo(20);
        return report;
    }
}
