package cn.beijing.scienceedu.gateway;

import static cn.beijing.scienceedu.gateway.GatewayIdentityAndRoutingTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import cn.beijing.scienceedu.testsupport.TestTokens;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two gateway replicas count one client's requests against one limit in Redis (HUB_REDIS_URL, default
 * redis://localhost:6379; this test fails, never skips, when Redis is not there). The memory store, for the local
 * run, counts per replica.
 */
class SharedRateLimitTest {

    static final String REDIS_URL = System.getenv().getOrDefault("HUB_REDIS_URL", "redis://127.0.0.1:6379");
    static final Backends backends = new Backends();
    static final List<ConfigurableApplicationContext> gateways = new ArrayList<>();

    @BeforeAll
    static void redisIsThere() {
        RedisClient client = RedisClient.create(REDIS_URL);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().ping()).as("Redis at " + REDIS_URL).isEqualTo("PONG");
        } finally {
            client.shutdown();
        }
    }

    @AfterAll
    static void stopAll() {
        gateways.forEach(ConfigurableApplicationContext::close);
        backends.task.close();
        backends.adapters.close();
        backends.reporting.close();
    }

    static String startGateway(String store, String prefix) {
        return startGateway(store, prefix, REDIS_URL);
    }

    static String startGateway(String store, String prefix, String redisUrl) {
        List<String> args = new ArrayList<>(List.of(backends.args()));
        args.addAll(List.of("--server.port=0",
                "--hub.identity.public-key-location=" + TestTokens.PUBLIC_KEY_LOCATION,
                "--hub.gateway.rate-limit.store=" + store,
                "--hub.gateway.rate-limit.redis-url=" + redisUrl,
                "--hub.gateway.rate-limit.key-prefix=" + prefix,
                "--hub.gateway.rate-limit.roles.BUREAU.capacity=5",
                "--hub.gateway.rate-limit.roles.BUREAU.period=1h",
                "--hub.gateway.rate-limit.clients.FL.capacity=8",
                "--hub.gateway.rate-limit.clients.FL.period=1h"));
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(cn.beijing.scienceedu.gateway.GatewayApplication.class)
                .run(args.toArray(String[]::new));
        gateways.add(ctx);
        return "http://localhost:" + ((WebServerApplicationContext) ctx).getWebServer().getPort();
    }

    @Test
    void twoGatewayReplicasShareOneLimitPerUnitThroughRedis() {
        String prefix = "hub:test:" + UUID.randomUUID() + ":";
        String first = startGateway("redis", prefix);
        String second = startGateway("redis", prefix);
        String sjw = TestTokens.bureau("SJW");

        int ok = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = Http.get(i % 2 == 0 ? first : second, "/api/v1/tasks", sjw);
            if (response.statusCode() == 200) {
                ok++;
            } else {
                refused = response;
            }
        }
        assertThat(ok).as("5 per hour for a bureau, across both replicas").isEqualTo(5);
        JsonNode problem = assertProblem(refused, 429);
        assertThat(problem.get("unit").asString()).isEqualTo("SJW");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);

        // another unit has its own bucket; a configured unit its own limit
        assertThat(Http.get(second, "/api/v1/tasks", TestTokens.bureau("SKW")).statusCode()).isEqualTo(200);
        int fl = 0;
        for (int i = 0; i < 12; i++) {
            if (Http.get(i % 2 == 0 ? first : second, "/api/v1/tasks", TestTokens.bureau("FL")).statusCode() == 200) {
                fl++;
            }
        }
        assertThat(fl).isEqualTo(8);
    }

    @Test
    void whileRedisIsUnreachableTheGatewayKeepsServingAndCountsInMemory() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String gateway = startGateway("redis", "hub:test:" + UUID.randomUUID() + ":", "redis://127.0.0.1:" + closedPort);
        String token = TestTokens.bureau("NNJ");
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 8; i++) {
            int status = Http.get(gateway, "/api/v1/tasks", token).statusCode();
            ok += status == 200 ? 1 : 0;
            limited += status == 429 ? 1 : 0;
        }
        assertThat(ok).isEqualTo(5);
        assertThat(limited).isEqualTo(3);
    }

    @Test
    void theMemoryStoreCountsPerReplicaForTheLocalRun() {
        String prefix = "hub:test:" + UUID.randomUUID() + ":";
        String first = startGateway("memory", prefix);
        String second = startGateway("memory", prefix);
        String token = TestTokens.bureau("TSW");
        int ok = 0;
        for (int i = 0; i < 20; i++) {
            if (Http.get(i % 2 == 0 ? first : second, "/api/v1/tasks", token).statusCode() == 200) {
                ok++;
            }
        }
        assertThat(ok).isEqualTo(10);
    }
}
