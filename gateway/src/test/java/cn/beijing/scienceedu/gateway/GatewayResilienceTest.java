package cn.beijing.scienceedu.gateway;

import static cn.beijing.scienceedu.gateway.GatewayIdentityAndRoutingTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import cn.beijing.scienceedu.testsupport.TestTokens;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * One slow or downed service must not take the hub down: 503 problem when a service is down, the breaker opens
 * and closes again, 504 when a service is too slow, retries only for idempotent requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.identity.public-key-location=" + TestTokens.PUBLIC_KEY_LOCATION,
        "hub.gateway.rate-limit.store=memory",
        "hub.gateway.rate-limit.roles.LIAISON.capacity=100000",
        "hub.gateway.rate-limit.roles.BUREAU.capacity=100000",
        "hub.gateway.resilience.breakers.reporting-service.sliding-window-size=4",
        "hub.gateway.resilience.breakers.reporting-service.minimum-number-of-calls=4",
        "hub.gateway.resilience.breakers.reporting-service.failure-rate-threshold=50",
        "hub.gateway.resilience.breakers.reporting-service.wait-duration-in-open-state=2s",
        "hub.gateway.resilience.breakers.reporting-service.permitted-calls-in-half-open-state=1",
        "hub.gateway.resilience.breakers.bureau-adapters.minimum-number-of-calls=1000",
        "hub.gateway.resilience.breakers.task-service.minimum-number-of-calls=1000",
        "hub.gateway.resilience.breakers.task-service.timeout=10s"})
class GatewayResilienceTest {

    static final Backends backends = new Backends();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        backends.register(registry);
        // the task API answers within 1 s or the gateway gives up (504)
        registry.add("hub.gateway.timeouts.task-api", () -> "1000");
    }

    @AfterAll
    static void stopBackends() {
        backends.task.close();
        backends.adapters.close();
        backends.reporting.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    ReactiveResilience4JCircuitBreakerFactory breakers;

    String base() {
        return "http://localhost:" + port;
    }

    @BeforeEach
    void reset() {
        backends.reset();
    }

    @Test
    void aDownedServiceGivesA503ProblemAndItsBreakerOpensThenClosesWhenTheServiceIsBack() throws Exception {
        String liaison = TestTokens.liaison("li.ming");
        backends.reporting.stop();
        try {
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> down = Http.get(base(), "/api/v1/reports/joint", liaison);
                JsonNode problem = assertProblem(down, 503);
                assertThat(problem.get("service").asString()).isEqualTo("reporting-service");
                assertThat(down.headers().firstValue("Retry-After")).isPresent();
            }
            CircuitBreaker breaker = breakers.getCircuitBreakerRegistry().circuitBreaker("reporting-service");
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

            // after the wait the breaker lets one trial call through (half-open); the service is still down, so
            // the trial fails and the breaker opens again
            Thread.sleep(2_200);
            JsonNode trial = assertProblem(Http.get(base(), "/api/v1/reports/joint", liaison), 503);
            assertThat(trial.has("circuitBreaker")).as("the trial call reached for the service").isFalse();
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        } finally {
            backends.reporting.restart();
        }

        // open: the service is back but the gateway does not call it yet
        HttpResponse<String> open = Http.get(base(), "/api/v1/reports/joint", liaison);
        JsonNode problem = assertProblem(open, 503);
        assertThat(problem.get("circuitBreaker").asString()).isEqualTo("OPEN");
        assertThat(backends.reporting.received()).isEmpty();

        // after the wait, one trial call goes through (half-open) and, the service being back, closes the breaker
        Thread.sleep(2_200);
        assertThat(Http.get(base(), "/api/v1/reports/joint", liaison).statusCode()).isEqualTo(200);
        assertThat(breakers.getCircuitBreakerRegistry().circuitBreaker("reporting-service").getState())
                .isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(Http.get(base(), "/api/v1/districts", liaison).statusCode()).isEqualTo(200);
        assertThat(backends.reporting.received()).hasSize(2);
    }

    @Test
    void aServiceTooSlowGivesA504Problem() {
        // warm the route first: on a loaded machine the very first proxied call (connection, JIT) can itself take 1 s
        int warm = 0;
        for (int i = 0; i < 5 && warm != 200; i++) {
            warm = Http.get(base(), "/api/v1/tasks", TestTokens.liaison("li.ming")).statusCode();
        }
        assertThat(warm).isEqualTo(200);
        backends.task.answer(r -> new RecordingBackend.Answer(200, Duration.ofSeconds(6)));
        long start = System.nanoTime();
        HttpResponse<String> slow = Http.get(base(), "/api/v1/tasks", TestTokens.liaison("li.ming"));
        JsonNode problem = assertProblem(slow, 504);
        assertThat(problem.get("service").asString()).isEqualTo("task-service");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(5_000));
    }

    @Test
    void idempotentReadsAreRetriedButWritesAreNot() {
        AtomicInteger calls = new AtomicInteger();
        backends.adapters.answer(r -> new RecordingBackend.Answer(calls.incrementAndGet() == 1 ? 503 : 200, Duration.ZERO));
        HttpResponse<String> read = Http.get(base(), "/api/v1/operations/parked-deliveries", TestTokens.operator("ops.wang"));
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(backends.adapters.received()).hasSize(2);

        backends.reset();
        calls.set(0);
        backends.adapters.answer(r -> new RecordingBackend.Answer(calls.incrementAndGet() == 1 ? 503 : 200, Duration.ZERO));
        HttpResponse<String> write = Http.send(Http.request(base(),
                "/api/v1/bureau/tasks/bj-sciedu-20-2024.M05.SJW/sign-for", TestTokens.bureau("SJW"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messageId\":\"m-1\"}")));
        assertThat(write.statusCode()).as("the service's own 503 passes through, not retried").isEqualTo(503);
        assertThat(backends.adapters.received()).hasSize(1);
    }
}
