package cn.beijing.scienceedu.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.rabbitmq.RabbitMQContainer;

/**
 * Real RabbitMQ and PostgreSQL for integration tests.
 *
 * <p>Where a Docker daemon answers, Testcontainers starts one broker and one database per JVM. Where
 * none does (this project's CI machine), the local services named by the {@code HUB_*} settings are
 * used. Either way a missing server is a test FAILURE that names it: nothing here skips.
 *
 * <p>Set {@code HUB_TEST_INFRA=local} to force the local services even when Docker runs, or
 * {@code HUB_TEST_INFRA=testcontainers} to require Docker.
 */
public final class HubInfrastructure {

    private static final Set<String> FRESH_DATABASES = ConcurrentHashMap.newKeySet();
    private static final Set<String> FRESH_VHOSTS = ConcurrentHashMap.newKeySet();
    private static volatile PostgreSQLContainer postgresContainer;
    private static volatile RabbitMQContainer rabbitContainer;

    private HubInfrastructure() {
    }

    /** Connection settings of a database that exists and is empty at its first use in this JVM. */
    public record Database(String url, String username, String password) {
    }

    /** Connection settings of a reachable AMQP 0-9-1 broker. */
    public record Broker(String host, int port, String username, String password, String virtualHost) {
    }

    /** Whether this JVM uses Testcontainers (Docker) rather than the local services. */
    public static boolean usesTestcontainers() {
        String mode = setting("HUB_TEST_INFRA", "auto");
        return switch (mode) {
            case "local" -> false;
            case "testcontainers" -> {
                if (!dockerAvailable()) {
                    throw new IllegalStateException(
                            "HUB_TEST_INFRA=testcontainers but no Docker daemon is reachable");
                }
                yield true;
            }
            default -> dockerAvailable();
        };
    }

    /**
     * A database named {@code name}, dropped and created anew the first time this JVM asks for it,
     * so each test run starts from an empty schema that Flyway migrates.
     */
    public static Database postgres(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must be lower-case identifier: " + name);
        }
        String adminUrl;
        String user;
        String password;
        if (usesTestcontainers()) {
            PostgreSQLContainer container = postgresContainer();
            adminUrl = container.getJdbcUrl();
            user = container.getUsername();
            password = container.getPassword();
        } else {
            String url = setting("HUB_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
            adminUrl = url.replaceFirst("/[^/?]*(\\?.*)?$", "/postgres$1");
            user = setting("HUB_DATABASE_USERNAME", "postgres");
            password = setting("HUB_DATABASE_PASSWORD", "");
        }
        if (FRESH_DATABASES.add(name)) {
            recreate(adminUrl, user, password, name);
        }
        return new Database(adminUrl.replaceFirst("/[^/?]*(\\?.*)?$", "/" + name + "$1"), user, password);
    }

    /**
     * The broker with a virtual host of its own, emptied the first time this JVM asks for it, so that
     * modules testing side by side on one broker never see each other's messages. With local services
     * the vhost is made with {@code rabbitmqctl} where that command is usable; where it is not, the
     * configured {@code HUB_RABBITMQ_VHOST} is shared (and said so on stderr).
     */
    public static Broker rabbit(String virtualHost) {
        if (usesTestcontainers()) {
            RabbitMQContainer container = rabbitContainer();
            if (FRESH_VHOSTS.add(virtualHost)) {
                execIn(container, "rabbitmqctl", "add_vhost", virtualHost);
                execIn(container, "rabbitmqctl", "set_permissions", "-p", virtualHost,
                        container.getAdminUsername(), ".*", ".*", ".*");
            }
            Broker broker = new Broker(container.getHost(), container.getAmqpPort(), container.getAdminUsername(),
                    container.getAdminPassword(), virtualHost);
            checkAmqp(broker);
            return broker;
        }
        Broker configured = rabbit();
        if (FRESH_VHOSTS.contains(virtualHost) || recreateVhostLocally(virtualHost, configured.username())) {
            FRESH_VHOSTS.add(virtualHost);
            Broker broker = new Broker(configured.host(), configured.port(), configured.username(),
                    configured.password(), virtualHost);
            checkAmqp(broker);
            return broker;
        }
        System.err.println("[hub-test-support] rabbitmqctl not usable: sharing vhost '" + configured.virtualHost()
                + "' instead of a fresh '" + virtualHost + "'");
        return configured;
    }

    /** The broker, checked to accept an AMQP connection. */
    public static Broker rabbit() {
        Broker broker;
        if (usesTestcontainers()) {
            RabbitMQContainer container = rabbitContainer();
            broker = new Broker(container.getHost(), container.getAmqpPort(), container.getAdminUsername(),
                    container.getAdminPassword(), "/");
        } else {
            broker = new Broker(setting("HUB_RABBITMQ_HOST", "127.0.0.1"),
                    Integer.parseInt(setting("HUB_RABBITMQ_PORT", "5672")),
                    setting("HUB_RABBITMQ_USERNAME", "guest"), setting("HUB_RABBITMQ_PASSWORD", "guest"),
                    setting("HUB_RABBITMQ_VHOST", "/"));
        }
        checkAmqp(broker);
        return broker;
    }

    /** Registers {@code spring.datasource.*} for {@link #postgres(String)}. */
    public static Database registerDatabase(DynamicPropertyRegistry registry, String databaseName) {
        Database db = postgres(databaseName);
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::username);
        registry.add("spring.datasource.password", db::password);
        return db;
    }

    /** Registers {@code spring.rabbitmq.*} for {@link #rabbit(String)}: a fresh vhost of that name. */
    public static Broker registerBroker(DynamicPropertyRegistry registry, String virtualHost) {
        Broker broker = rabbit(virtualHost);
        registry.add("spring.rabbitmq.host", broker::host);
        registry.add("spring.rabbitmq.port", broker::port);
        registry.add("spring.rabbitmq.username", broker::username);
        registry.add("spring.rabbitmq.password", broker::password);
        registry.add("spring.rabbitmq.virtual-host", broker::virtualHost);
        return broker;
    }

    private static void recreate(String adminUrl, String user, String password, String name) {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + adminUrl + " as " + user
                    + " (set HUB_DATABASE_URL/USERNAME/PASSWORD, or run Docker for Testcontainers): "
                    + e.getMessage(), e);
        }
    }

    private static void checkAmqp(Broker broker) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(broker.host(), broker.port()), 3000);
        } catch (IOException e) {
            throw new IllegalStateException("RabbitMQ is not reachable at " + broker.host() + ":" + broker.port()
                    + " (set HUB_RABBITMQ_HOST/PORT, or run Docker for Testcontainers): " + e.getMessage(), e);
        }
        com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
        factory.setHost(broker.host());
        factory.setPort(broker.port());
        factory.setUsername(broker.username());
        factory.setPassword(broker.password());
        factory.setVirtualHost(broker.virtualHost());
        factory.setConnectionTimeout(3000);
        try (com.rabbitmq.client.Connection ignored = factory.newConnection("hub-test-support-check")) {
            // an AMQP handshake, not just an open port
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ at " + broker.host() + ":" + broker.port() + " vhost '"
                    + broker.virtualHost() + "' refused an AMQP connection as " + broker.username() + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean recreateVhostLocally(String vhost, String user) {
        if (!setting("HUB_RABBITMQ_HOST", "127.0.0.1").matches("127\\.0\\.0\\.1|localhost")) {
            return false;
        }
        try {
            run("rabbitmqctl", "-q", "delete_vhost", vhost); // may not exist yet
            return run("rabbitmqctl", "-q", "add_vhost", vhost) == 0
                    && run("rabbitmqctl", "-q", "set_permissions", "-p", vhost, user, ".*", ".*", ".*") == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static void execIn(RabbitMQContainer container, String... command) {
        try {
            container.execInContainer(command);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + " in the RabbitMQ container", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static synchronized PostgreSQLContainer postgresContainer() {
        if (postgresContainer == null) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            postgresContainer = container;
        }
        return postgresContainer;
    }

    private static synchronized RabbitMQContainer rabbitContainer() {
        if (rabbitContainer == null) {
            RabbitMQContainer container = new RabbitMQContainer("rabbitmq:3.13-management-alpine");
            container.start();
            rabbitContainer = container;
        }
        return rabbitContainer;
    }

    private static volatile Boolean docker;

    private static boolean dockerAvailable() {
        if (docker == null) {
            try {
                docker = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException e) {
                docker = false;
            }
        }
        return docker;
    }

    static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
