package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import tools.jackson.databind.JsonNode;

/**
 * The task database goes away (the findings of the fault run: a read then answered 500). A caller must get a 503
 * problem with {@code Retry-After} — its request was fine and can be sent again — nothing must be half-written, and
 * the service must answer normally once the database is back, without a restart. Real HTTP (Tomcat, the filter
 * chain), real PostgreSQL behind a proxy this test cuts.
 */
class DatabaseOutageTest extends IntegrationTest {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aLostDatabaseIsA503ProblemAndTheServiceRecoversWhenItReturns() throws Exception {
        String policy = freshPlannedPolicy("test-db-outage");
        String task = policy + ".M01.SJW";
        int historyBefore = rows("task_history", task);
        int reportsBefore = rows("progress_report", task);

        DATABASE_PROXY.cut();
        try {
            HttpResponse<String> read = send(HttpRequest.newBuilder(uri("/api/v1/tasks?policyId=" + policy))
                    .header("Authorization", liaison()).GET());
            assertUnavailable(read);

            HttpResponse<String> write = send(HttpRequest.newBuilder(uri("/api/v1/tasks/" + task + "/progress-reports"))
                    .header("Authorization", adapters()).header("X-Hub-Acting-Unit", "SJW")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                            TaskActions.report("pr-" + UUID.randomUUID(), 40, "ON_TRACK")))));
            assertUnavailable(write);
        } finally {
            DATABASE_PROXY.restore();
        }

        // back without a restart: the pool opens new connections
        HttpResponse<String> again = send(HttpRequest.newBuilder(uri("/api/v1/tasks?policyId=" + policy))
                .header("Authorization", liaison()).GET());
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json.readTree(again.body()).toString()).contains(task);
        // the refused write left nothing behind
        assertThat(rows("task_history", task)).isEqualTo(historyBefore);
        assertThat(rows("progress_report", task)).isEqualTo(reportsBefore);
    }

    private void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("Retry-After")).contains("5");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("detail").asString()).contains("try again");
        assertThat(response.body()).doesNotContain("Exception", "at org.", "PSQL");
    }

    private int rows(String table, String task) {
        Integer n = jdbc.queryForObject("select count(*) from " + table + " where task_id = ?", Integer.class, task);
        return n == null ? 0 : n;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
