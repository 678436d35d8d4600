package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import cn.beijing.scienceedu.contracts.catalogue.Catalogues;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.testsupport.HubInfrastructure;
import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.json.JsonMapper;

/**
 * One application on real PostgreSQL ({@code hub_reporting_test}) and RabbitMQ (vhost
 * {@code hub-reporting-test}); every test class uses its own copy of the committed policy under
 * another id, so their figures never mix.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class ReportingTestBase {

    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final ActionRecorder RECORDER = ActionRecorder.start();
    private static HubInfrastructure.Broker broker;

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        HubInfrastructure.registerDatabase(registry, "hub_reporting_test");
        broker = HubInfrastructure.registerBroker(registry, "hub-reporting-test");
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> TestTokens.PUBLIC_KEY_LOCATION);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> "");
        registry.add("hub.reporting.dashboard.task-api-base", RECORDER::baseUrl);
        registry.add("hub.reporting.dashboard.refresh-seconds", () -> 1);
        registry.add("hub.reporting.task-service-url", RECORDER::baseUrl);
        registry.add("hub.reporting.rebuild-page-size", () -> 7);
    }

    /** Registers a copy of the committed catalogue under {@code policyId}. */
    protected void policyCopy(String policyId) {
        Policy p = Catalogues.defaultPolicy();
        p.setId(policyId);
        jdbc.sql("""
                insert into policy_catalogue (policy_id, title, body, imported_at) values (:id, :t, :b, now())
                on conflict (policy_id) do nothing""")
                .param("id", policyId).param("t", p.getTitle()).param("b", JSON.writeValueAsString(p)).update();
    }

    protected static void publish(String exchange, String routingKey, String json) {
        publish(exchange, routingKey, json, java.util.Map.of());
    }

    /** Publishes with AMQP headers (e.g. the {@code traceparent} the task-service copies into each message). */
    protected static synchronized void publish(String exchange, String routingKey, String json,
            java.util.Map<String, Object> headers) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(broker.host());
        f.setPort(broker.port());
        f.setUsername(broker.username());
        f.setPassword(broker.password());
        f.setVirtualHost(broker.virtualHost());
        try (Connection c = f.newConnection("reporting-test"); Channel ch = c.createChannel()) {
            ch.basicPublish(exchange, routingKey, new AMQP.BasicProperties.Builder()
                    .contentType("application/cloudevents+json").deliveryMode(2).headers(headers).build(),
                    json.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + exchange, e);
        }
    }

    protected static void publish(TaskEvents e) {
        publish("hub.task-events", e.key(), e.json());
    }

    protected static long dlqDepth(String queue) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(broker.host());
        f.setPort(broker.port());
        f.setUsername(broker.username());
        f.setPassword(broker.password());
        f.setVirtualHost(broker.virtualHost());
        try (Connection c = f.newConnection("reporting-test"); Channel ch = c.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    protected HttpResponse<byte[]> get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET(), token);
    }

    protected HttpResponse<byte[]> get(String path, String token, String accept) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Accept", accept).GET(), token);
    }

    protected HttpResponse<byte[]> post(String path, String token, String contentType, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), token);
    }

    /** A POST of these very bytes (a body that is not UTF-8, a declared charset that is not the bytes'). */
    protected HttpResponse<byte[]> post(String path, String token, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), token);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b, String token) {
        if (token != null) {
            b.header("Authorization", TestTokens.bearer(token));
        }
        try {
            return http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected tools.jackson.databind.JsonNode getJson(String path) {
        HttpResponse<byte[]> r = get(path, liaison());
        assertThat(r.statusCode()).as(path + " → " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    protected static String liaison() {
        return TestTokens.liaison("liaison-wang");
    }

    protected static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    protected int eventsApplied(String policy) {
        return jdbc.sql("select count(*) from task_change where policy_id = :p").param("p", policy)
                .query(Integer.class).single();
    }
}
