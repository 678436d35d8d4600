package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;

class ProjectionTest extends ReportingTestBase {

    private static final String POLICY = "projection-test";
    private static final OffsetDateTime T0 = OffsetDateTime.of(2025, 2, 3, 9, 0, 0, 0, ZoneOffset.ofHours(8));

    @Test
    void duplicatesAndOutOfOrderEventsLeaveTheHighestVersion() {
        policyCopy(POLICY);
        String task = "proj-m1-SJW";
        TaskEvents planned = TaskEvents.task("task.planned", POLICY, task, 1, "SJW", "SJW", "PLANNED", 1, T0)
                .deadline(LocalDate.of(2025, 6, 30));
        TaskEvents dispatched = TaskEvents.task("task.dispatched", POLICY, task, 1, "SJW", "SJW", "DISPATCHED", 2,
                T0.plusHours(1)).from("PLANNED").deadline(LocalDate.of(2025, 6, 30));
        TaskEvents signed = TaskEvents.task("task.signed-for", POLICY, task, 1, "SJW", "SJW", "SIGNED_FOR", 3,
                T0.plusHours(5)).from("DISPATCHED").deadline(LocalDate.of(2025, 6, 30)).messageLog("ml-1");
        TaskEvents progress = TaskEvents.task("task.progress-reported", POLICY, task, 1, "SJW", "SJW", "IN_PROGRESS", 4,
                T0.plusDays(10)).from("SIGNED_FOR").deadline(LocalDate.of(2025, 6, 30)).messageLog("ml-2")
                .progress("pr-proj-1", "2025-02", "ON_TRACK", 40, "课程方案已印发", null);

        // newest first, then the older ones, and every one of them twice
        publish(progress);
        publish(signed);
        publish(planned);
        publish(progress);
        publish(dispatched);
        publish(signed);
        await("four distinct events applied", Duration.ofSeconds(20), () -> eventsApplied(POLICY) == 4);

        assertThat(jdbc.sql("select version from task_state where task_id = :t").param("t", task)
                .query(Long.class).single()).isEqualTo(4L);
        assertThat(jdbc.sql("select status from task_state where task_id = :t").param("t", task)
                .query(String.class).single()).isEqualTo("IN_PROGRESS");
        assertThat(jdbc.sql("select count(*) from progress_report where task_id = :t").param("t", task)
                .query(Integer.class).single()).isEqualTo(1);

        JsonNode units = getJson("/api/v1/reports/units?policy=" + POLICY + "&period=2025-Q1");
        JsonNode sjw = null;
        for (JsonNode u : units) {
            if (u.get("unitCode").asText().equals("SJW")) {
                sjw = u;
            }
        }
        assertThat(sjw.get("taskCount").asInt()).isEqualTo(1);
        assertThat(sjw.get("signedForCount").asInt()).isEqualTo(1);
        assertThat(sjw.get("signedForOnTimeCount").asInt()).isEqualTo(1);
        assertThat(sjw.get("reportedCount").asInt()).isEqualTo(1);
        assertThat(sjw.get("percentComplete").asInt()).isEqualTo(40);

        // an older version arriving last changes nothing
        publish(TaskEvents.task("task.planned", POLICY, task, 1, "SJW", "SJW", "PLANNED", 1, T0));
        await("late old version recorded in history", Duration.ofSeconds(20), () -> eventsApplied(POLICY) == 5);
        assertThat(jdbc.sql("select status from task_state where task_id = :t").param("t", task)
                .query(String.class).single()).isEqualTo("IN_PROGRESS");
    }

    @Test
    void rebuildFromTheEventLogGivesTheSameReport() {
        policyCopy(POLICY + "-rb");
        String p = POLICY + "-rb";
        for (int m = 1; m <= 3; m++) {
            publish(TaskEvents.task("task.planned", p, "rb-" + m, m, "SJW", "SJW", "PLANNED", 1, T0)
                    .deadline(LocalDate.of(2025, 1, 20)));
            publish(TaskEvents.task("task.progress-reported", p, "rb-" + m, m, "SJW", "SJW", "IN_PROGRESS", 2,
                    T0.plusDays(3)).progress("pr-rb-" + m, "2025-Q1", "AT_RISK", 10 * m, "进展" + m, null));
        }
        await("six events", Duration.ofSeconds(20), () -> eventsApplied(p) == 6);
        String before = withoutGeneratedAt(getJson("/api/v1/reports/joint?policy=" + p + "&period=2025-Q1"));

        var denied = post("/api/v1/reports/rebuild?source=event-log", liaison(), "application/json", "");
        assertThat(denied.statusCode()).isEqualTo(403);
        var r = post("/api/v1/reports/rebuild?source=event-log", TestTokens.operator("ops-li"), "application/json", "");
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode result = JSON.readTree(r.body());
        assertThat(result.get("eventsReplayed").asInt()).isGreaterThanOrEqualTo(6);

        String after = withoutGeneratedAt(getJson("/api/v1/reports/joint?policy=" + p + "&period=2025-Q1"));
        assertThat(after).isEqualTo(before);
    }

    @Test
    void reportsReadWhileARebuildRunsAreAnsweredNotFailed() throws Exception {
        String p = POLICY + "-concurrent";
        policyCopy(p);
        for (int m = 1; m <= 4; m++) {
            publish(TaskEvents.task("task.progress-reported", p, "cc-" + m, m, "SJW", "SJW", "IN_PROGRESS", 2,
                    T0.plusDays(m)).progress("pr-cc-" + m, "2025-0" + m, "ON_TRACK", 20 * m, "进展", null));
        }
        await("four events", Duration.ofSeconds(20), () -> eventsApplied(p) == 4);
        var rebuild = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                post("/api/v1/reports/rebuild?source=event-log", TestTokens.admin("admin-zhao"), "application/json", ""));
        java.util.List<String> failures = new java.util.ArrayList<>();
        int reads = 0;
        // reads of every kind that load the read models, for as long as the rebuild runs (and a few after)
        while (!rebuild.isDone() || reads < 12) {
            String period = "2025-0" + (reads % 9 + 1);
            for (String path : java.util.List.of("/api/v1/reports/joint?policy=" + p + "&period=" + period,
                    "/api/v1/reports/lineage?policy=" + p + "&period=" + period + "&figure=summary",
                    "/api/v1/reports/tasks/cc-1")) {
                var r = get(path, liaison());
                if (r.statusCode() != 200) {
                    failures.add(path + " → " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
                }
            }
            reads++;
        }
        assertThat(rebuild.get().statusCode()).isEqualTo(200);
        assertThat(failures).isEmpty();
        assertThat(getJson("/api/v1/reports/joint?policy=" + p + "&period=2025").get("summary").get("taskCount").asInt())
                .isEqualTo(4);
    }

    @Test
    void rebuildFromTheTaskServiceReplaysItsEventFeedThroughTheGeneratedClient() {
        String p = POLICY + "-ts";
        policyCopy(p);
        publish(TaskEvents.task("task.planned", p, "ts-1", 4, "SJW", "SJW", "PLANNED", 1, T0));
        await("one event", Duration.ofSeconds(20), () -> eventsApplied(p) == 1);
        // the task-service's feed: everything this service has seen, plus a fact it never received
        java.util.List<String> feed = new java.util.ArrayList<>();
        jdbc.sql("select arrival, routing_key, payload from event_log where routing_key not like 'delivery.%' order by arrival")
                .query((java.sql.ResultSet rs) -> {
                    feed.add("{\"cursor\":\"" + rs.getLong(1) + "\",\"routingKey\":\"" + rs.getString(2)
                            + "\",\"published\":true,\"event\":" + rs.getString(3) + "}");
                });
        TaskEvents missed = TaskEvents.task("task.signed-for", p, "ts-1", 4, "SJW", "SJW", "SIGNED_FOR", 2, T0.plusDays(1));
        feed.add("{\"cursor\":\"999999\",\"routingKey\":\"task.signed-for\",\"published\":true,\"event\":"
                + missed.json() + "}");
        RECORDER.feed(feed);
        int tasksBefore = jdbc.sql("select count(*) from task_state").query(Integer.class).single();

        String operator = TestTokens.operator("ops-li");
        var r = post("/api/v1/reports/rebuild?source=task-service", operator, "application/json", "");
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode result = JSON.readTree(r.body());
        assertThat(result.get("source").asText()).isEqualTo("task-service");
        assertThat(result.get("eventsReplayed").asInt()).isEqualTo(feed.size());
        assertThat(result.get("tasks").asInt()).isEqualTo(tasksBefore);
        assertThat(jdbc.sql("select status from task_state where task_id = 'ts-1'").query(String.class).single())
                .isEqualTo("SIGNED_FOR");
        assertThat(RECORDER.requests().stream().filter(x -> x.path().startsWith("/api/v1/events"))
                .allMatch(x -> TestTokens.bearer(operator).equals(x.authorization()))).isTrue();
    }

    @Test
    void anEventThatCannotBeReadGoesToTheDeadLetterQueue() {
        long before = dlqDepth("hub.task-events.reporting.dlq");
        publish("hub.task-events", "task.planned", "{\"this is\": \"not a cloud event\"");
        await("dead letter", Duration.ofSeconds(30), () -> dlqDepth("hub.task-events.reporting.dlq") == before + 1);
    }

    @Test
    void projectionLagIsExported() {
        var r = get("/actuator/prometheus", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("hub_reporting_projection_lag_seconds");
    }

    @Test
    void reportsNeedALiaisonToken() {
        assertThat(get("/api/v1/reports/joint?policy=" + POLICY + "&period=2025", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/reports/joint?policy=" + POLICY + "&period=2025", TestTokens.bureau("SJW"))
                .statusCode()).isEqualTo(403);
        var bad = get("/api/v1/reports/joint?policy=" + POLICY + "&period=2025-13", liaison());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(get("/api/v1/reports/joint?policy=no-such-policy&period=2025", liaison()).statusCode())
                .isEqualTo(404);
    }

    private static String withoutGeneratedAt(JsonNode n) {
        ((tools.jackson.databind.node.ObjectNode) n).remove("generatedAt");
        return n.toString();
    }
}
