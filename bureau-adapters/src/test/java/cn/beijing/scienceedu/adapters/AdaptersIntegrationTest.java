package cn.beijing.scienceedu.adapters;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import cn.beijing.scienceedu.platform.events.CloudEventWriter;
import cn.beijing.scienceedu.simulator.Received;
import cn.beijing.scienceedu.testsupport.HubInfrastructure;
import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real RabbitMQ and PostgreSQL (test-support), the bureau simulator in-process, a stand-in task-service,
 * and bureau-adapters on a fixed free port. Retry schedules are shortened here by configuration. Names under
 * {@code .bureau.test} are resolved by {@link TestDns}; one test-only REST bureau, {@code REBIND}, is reached
 * by such a name ({@link RecordingBureau}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@org.springframework.context.annotation.Import(TestDns.Config.class)
public abstract class AdaptersIntegrationTest {

    /** The test-only REST bureau's host name: its address is whatever {@link TestDns} answers. */
    protected static final String REBIND_HOST = "rebind.bureau.test";

    protected static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    protected static final OffsetDateTime EVENT_TIME = OffsetDateTime.parse("2025-01-06T01:00:00Z");
    protected static final String DELIVERY_EVENTS_QUEUE = "test.delivery-events";

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        HubInfrastructure.registerDatabase(registry, "hub_adapters_test");
        HubInfrastructure.registerBroker(registry, SimulatorHarness.VHOST);
        SimulatorHarness.simulator();
        registry.add("server.port", () -> SimulatorHarness.ADAPTERS_PORT);
        registry.add("HUB_SIMULATOR_URL", SimulatorHarness::url);
        registry.add("HUB_SFTP_PORT", SimulatorHarness::sftpPort);
        registry.add("HUB_SFTP_HOST", () -> "localhost");
        registry.add("HUB_EXCHANGE_DIR", SimulatorHarness.EXCHANGE_DIR::toString);
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> TestTokens.PUBLIC_KEY_LOCATION);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> TestTokens.ISSUER);
        registry.add("hub.adapters.task-service.url", SimulatorHarness.TASK_SERVICE::url);
        registry.add("hub.adapters.task-service.token", () -> TestTokens.mint("bureau-adapters",
                b -> b.claim("roles", List.of("SERVICE")).expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(7200)))));
        registry.add("hub.adapters.message-log.checkpoint-file", () -> SimulatorHarness.WORK.resolve("checkpoints.log").toString());
        registry.add("hub.adapters.message-log.archive-dir", () -> SimulatorHarness.WORK.resolve("archive").toString());
        // shortened retry schedule: 2 redeliveries, 50 ms doubling, capped at 400 ms; breaker open 1 s
        registry.add("hub.bureau-defaults.max-redeliveries", () -> "2");
        registry.add("hub.bureau-defaults.initial-delay", () -> "PT0.05S");
        registry.add("hub.bureau-defaults.max-delay", () -> "PT0.4S");
        registry.add("hub.bureau-defaults.breaker-open-for", () -> "PT1S");
        registry.add("hub.bureau-defaults.read-timeout", () -> "PT3S");
        registry.add("hub.bureau-defaults.connect-timeout", () -> "PT1S");
        registry.add("hub.adapters.status-poll.interval", () -> "PT2S");
        registry.add("hub.adapters.status-poll.min-age", () -> "PT0S");
        // small limits, so oversize bodies and answer files are cheap to make
        registry.add("hub.adapters.inbound.max-body-size", () -> "64KB");
        registry.add("hub.adapters.inbound.max-file-size", () -> "64KB");
        registry.add("hub.adapters.inbound.parked-dir", () -> SimulatorHarness.WORK.resolve("parked").toString());
        // the simulator runs on this machine: its loopback address allowed, nothing else internal (so 127.0.0.2,
        // loopback too, stands for an internal address in DnsRebindingTest)
        registry.add("hub.adapters.outbound.allowed-networks", () -> "127.0.0.1/32,::1/128");
        // a REST bureau the simulator does not play: reached by a name only TestDns answers
        registry.add("hub.bureaus.REBIND.name", () -> "改址测试");
        registry.add("hub.bureaus.REBIND.protocol", () -> "REST");
        registry.add("hub.bureaus.REBIND.endpoint", () -> "http://" + REBIND_HOST + ":" + RecordingBureau.INSTANCE.port() + "/rest");
        registry.add("hub.bureaus.REBIND.mapping-format", () -> "hub-json");
    }

    @Autowired
    protected RabbitTemplate rabbit;
    @Autowired
    protected org.springframework.amqp.core.AmqpAdmin admin;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected JsonMapper json;

    protected final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void declareTestQueues() {
        Queue q = new Queue(DELIVERY_EVENTS_QUEUE, false, false, false);
        admin.declareQueue(q);
        admin.declareBinding(BindingBuilder.bind(q).to(new TopicExchange("hub.delivery-events")).with("delivery.#"));
        SimulatorHarness.behaviours().reset();
    }

    @AfterEach
    void resetBehaviours() {
        SimulatorHarness.behaviours().reset();
    }

    protected static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100));
    }

    protected static String newTaskId(String unit) {
        return "T-" + unit + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Publishes a task event the way the task-service does (structured CloudEvent on hub.task-events). */
    protected String publish(String kind, String taskId, String unit, int version, Map<String, Object> extra) {
        String id = "evt-" + UUID.randomUUID();
        publishWithId(id, kind, taskId, unit, version, extra);
        return id;
    }

    protected void publishWithId(String id, String kind, String taskId, String unit, int version, Map<String, Object> extra) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("taskId", taskId);
        task.put("policyId", "bj-sciedu-20-2024");
        task.put("measureNo", 4);
        task.put("measureTitle", "加强学校实验教学");
        task.put("unitCode", unit);
        task.put("leadUnitCode", "SJW");
        task.put("role", "COOPERATING");
        task.put("status", kind.equals("task.cancelled") ? "CANCELLED" : kind.equals("task.returned") ? "RETURNED" : "DISPATCHED");
        task.put("deadline", "2025-06-30");
        task.put("workItems", List.of("配齐实验设备", "开足实验课程"));
        task.put("version", version);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task", task);
        data.put("change", Map.of("actor", "liaison-li", "actorRole", "LIAISON", "at", "2025-01-06T01:00:00Z",
                "reason", "v" + version));
        data.putAll(extra);
        publishRaw(kind, taskServiceEvent(kind).id(id).time(EVENT_TIME).subject(taskId).traceparent(TRACEPARENT)
                .sequence((long) version).data(data).toJsonBytes());
    }

    /** A CloudEvent as the task-service writes it (platform's writer, source {@code /task-service}). */
    protected CloudEventWriter.Draft taskServiceEvent(String routingKey) {
        return new CloudEventWriter(json, "/task-service").event(routingKey);
    }

    /**
     * Publishes and waits for the broker's confirm, so that consecutive events are queued in the order
     * they were sent even when the template uses different channels for them (as a publisher must).
     */
    protected void publishRaw(String routingKey, byte[] body) {
        publisher().send("hub.task-events", routingKey, org.springframework.amqp.core.MessageBuilder.withBody(body)
                .setContentType("application/cloudevents+json").build());
    }

    private static RabbitTemplate publisher;

    /** The test's own publisher: one connection, one channel, one thread, so events keep their order. */
    private synchronized RabbitTemplate publisher() {
        if (publisher == null) {
            var env = rabbit.getConnectionFactory();
            org.springframework.amqp.rabbit.connection.CachingConnectionFactory cf =
                    new org.springframework.amqp.rabbit.connection.CachingConnectionFactory(env.getHost(), env.getPort());
            cf.setUsername(broker.username());
            cf.setPassword(broker.password());
            cf.setVirtualHost(env.getVirtualHost());
            cf.setChannelCacheSize(1);
            publisher = new RabbitTemplate(cf);
        }
        return publisher;
    }

    private static final HubInfrastructure.Broker broker = HubInfrastructure.rabbit(SimulatorHarness.VHOST);

    protected static List<Received> received(String unit, String taskId) {
        return SimulatorHarness.recorder().query(unit, taskId);
    }

    protected static List<Received> received(String unit, String taskId, String kind) {
        return received(unit, taskId).stream().filter(r -> kind.equals(r.kind())).toList();
    }

    /** A bureau report, sent by the simulated bureau in its own protocol. */
    protected static Map<String, Object> send(String unit, String kind, String taskId, String messageId) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("messageId", messageId);
        r.put("kind", kind);
        r.put("taskId", taskId);
        r.put("unitCode", unit);
        switch (kind) {
            case "SIGN_FOR" -> r.put("signedBy", "张𠀀");
            case "PROGRESS" -> {
                r.put("period", "2025-Q1");
                r.put("percentComplete", 40);
                r.put("narrative", "按计划推进");
            }
            case "SUBMISSION" -> r.put("summary", "已完成");
            default -> {
                r.put("requestedDeadline", "2025-09-30");
                r.put("reason", "设备采购延迟");
            }
        }
        return SimulatorHarness.sender().send(unit, r);
    }

    protected HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + SimulatorHarness.ADAPTERS_PORT + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + SimulatorHarness.ADAPTERS_PORT + path))
                .timeout(Duration.ofSeconds(30));
    }

    protected HttpResponse<String> post(String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + SimulatorHarness.ADAPTERS_PORT + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    protected List<Map<String, Object>> deliveryEvents() {
        List<Map<String, Object>> out = new ArrayList<>();
        org.springframework.amqp.core.Message m;
        while ((m = rabbit.receive(DELIVERY_EVENTS_QUEUE)) != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> e = json.readValue(new String(m.getBody(), StandardCharsets.UTF_8), Map.class);
            out.add(e);
        }
        return out;
    }

    protected static String operator() {
        return TestTokens.operator("ops-zhao");
    }
}
