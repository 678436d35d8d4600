package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import cn.beijing.scienceedu.testsupport.TestTokens;

/**
 * W3C trace context: a request's {@code traceparent} is continued, and the log lines written while serving it
 * (and while applying an event that carried one in its AMQP headers) name that trace id.
 */
@ExtendWith(OutputCaptureExtension.class)
class TraceContextTest extends ReportingTestBase {

    private static final String P = "trace-test";

    @Autowired
    LoggingSystem logging;

    @Test
    void aRequestsTraceparentIsContinuedInItsLogLines(CapturedOutput output) throws Exception {
        policyCopy(P);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(url("/api/v1/reports/periods/2024-11/close?policy=" + P)))
                .header("Authorization", TestTokens.bearer(liaison()))
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String line = output.getAll().lines().filter(l -> l.contains("period 2024-11 of " + P + " closed")).findFirst()
                .orElseThrow(() -> new AssertionError("no close log line in " + output.getAll()));
        // [application,traceId,spanId]: the caller's trace, a span of this service
        assertThat(line).containsPattern("\\[reporting-service," + traceId + ",[0-9a-f]{16}\\]");
        assertThat(line).doesNotContain("00f067aa0ba902b7");
    }

    @Test
    void anEventsTraceparentIsContinuedWhileItIsApplied(CapturedOutput output) {
        policyCopy(P);
        logging.setLogLevel("cn.beijing.scienceedu.reporting.projection.EventIngestor", LogLevel.DEBUG);
        try {
            String traceId = "0af7651916cd43dd8448eb211c80319c";
            TaskEvents e = TaskEvents.task("task.signed-for", P, "trace-m2-SJW", 2, "SJW", "SJW", "SIGNED_FOR", 3,
                    OffsetDateTime.of(2025, 3, 3, 9, 0, 0, 0, ZoneOffset.ofHours(8))).deadline(LocalDate.of(2025, 6, 30));
            publish("hub.task-events", e.key(), e.json(), Map.of("traceparent", "00-" + traceId + "-b7ad6b7169203331-01"));
            await("the event's log line", Duration.ofSeconds(20), () -> output.getAll().lines()
                    .anyMatch(l -> l.contains("(task.signed-for) APPLIED") && l.contains(traceId)));
            String line = output.getAll().lines().filter(l -> l.contains("(task.signed-for) APPLIED")
                    && l.contains(traceId)).findFirst().orElseThrow();
            assertThat(line).containsPattern("\\[reporting-service," + traceId + ",[0-9a-f]{16}\\]");
        } finally {
            logging.setLogLevel("cn.beijing.scienceedu.reporting.projection.EventIngestor", null);
        }
    }
}
