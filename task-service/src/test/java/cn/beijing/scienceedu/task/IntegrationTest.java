package cn.beijing.scienceedu.task;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import cn.beijing.scienceedu.contracts.catalogue.Catalogues;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.testsupport.HubInfrastructure;
import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One application context for every integration test: real PostgreSQL (database hub_task_test) and real
 * RabbitMQ (a fresh vhost hub-task-test), the broker reached through a {@link BrokerProxy} a test can cut.
 * The app's own scheduler is off: tests run the scan or their own scheduler instances. The service's clock is a
 * {@link TestClock} a test may move (and puts back). The service listens on a
 * random port too, so tests that must see what a real caller sees (Tomcat, the filter chain, error dispatch) use
 * real HTTP; the others use MockMvc against the same context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@Import(TestClock.Config.class)
public abstract class IntegrationTest {

    protected static final BrokerProxy PROXY;
    /** The same kind of cuttable proxy in front of PostgreSQL: a test takes the database away from this service only. */
    protected static final BrokerProxy DATABASE_PROXY;
    protected static final HubInfrastructure.Broker BROKER;
    protected static final HubInfrastructure.Database DATABASE;

    static {
        DATABASE = HubInfrastructure.postgres("hub_task_test");
        BROKER = HubInfrastructure.rabbit("hub-task-test");
        try {
            PROXY = new BrokerProxy(BROKER.host(), BROKER.port());
            URI db = URI.create(DATABASE.url().substring("jdbc:".length()));
            DATABASE_PROXY = new BrokerProxy(db.getHost(), db.getPort() < 0 ? 5432 : db.getPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The database URL with host and port replaced by {@link #DATABASE_PROXY}'s. */
    private static String proxiedDatabaseUrl() {
        URI db = URI.create(DATABASE.url().substring("jdbc:".length()));
        return "jdbc:postgresql://127.0.0.1:" + DATABASE_PROXY.port() + db.getRawPath()
                + (db.getRawQuery() == null ? "" : "?" + db.getRawQuery());
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", IntegrationTest::proxiedDatabaseUrl);
        r.add("spring.datasource.username", DATABASE::username);
        r.add("spring.datasource.password", DATABASE::password);
        // the PostgreSQL server is shared with every other module's tests: hold fewer connections than production
        r.add("spring.datasource.hikari.maximum-pool-size", () -> "10");
        // a request waits this long for a connection while DatabaseOutageTest has the database cut
        r.add("spring.datasource.hikari.connection-timeout", () -> "2000");
        r.add("spring.rabbitmq.host", () -> "127.0.0.1");
        r.add("spring.rabbitmq.port", PROXY::port);
        r.add("spring.rabbitmq.username", BROKER::username);
        r.add("spring.rabbitmq.password", BROKER::password);
        r.add("spring.rabbitmq.virtual-host", BROKER::virtualHost);
        r.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> TestTokens.PUBLIC_KEY_LOCATION);
        r.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> "");
        r.add("hub.urging.scheduler-enabled", () -> "false");
        r.add("hub.outbox.poll-interval", () -> "200ms");
        r.add("hub.outbox.retry-backoff", () -> "300ms");
    }

    @Autowired
    protected MockMvc mvc;
    @Autowired
    protected JsonMapper json;
    @Autowired
    protected JdbcTemplate jdbc;

    protected static String bearer(String token) {
        return "Bearer " + token;
    }

    protected static String liaison() {
        return bearer(TestTokens.liaison("liaison-wang"));
    }

    protected static String adapters() {
        return bearer(TestTokens.service("bureau-adapters"));
    }

    protected MockHttpServletRequestBuilder jsonPost(String url, String token, Object body) {
        return post(url).header("Authorization", token).contentType(MediaType.APPLICATION_JSON)
                .content(body instanceof String s ? s : json.writeValueAsString(body));
    }

    protected JsonNode body(MvcResult r) throws Exception {
        return json.readTree(r.getResponse().getContentAsString());
    }

    /** Imports a copy of the notice's catalogue under another id and plans it: 122 fresh tasks. */
    protected String freshPlannedPolicy(String id) throws Exception {
        Policy p = Catalogues.defaultPolicy();
        p.setId(id);
        mvc.perform(jsonPost("/api/v1/policies", liaison(), Map.of("catalogue", p))).andExpect(status().isCreated());
        mvc.perform(jsonPost("/api/v1/policies/" + id + "/plan", liaison(), "{}")).andExpect(status().isCreated());
        return id;
    }
}
