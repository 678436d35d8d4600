package cn.beijing.scienceedu.adapters;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import cn.beijing.scienceedu.simulator.Behaviours;
import cn.beijing.scienceedu.simulator.BureauSimulatorApplication;
import cn.beijing.scienceedu.simulator.BureauTokens;
import cn.beijing.scienceedu.simulator.Recorder;
import cn.beijing.scienceedu.simulator.Sender;
import cn.beijing.scienceedu.simulator.SftpServerRunner;
import cn.beijing.scienceedu.testsupport.HubInfrastructure;
import cn.beijing.scienceedu.testsupport.TestTokens;

/**
 * One bureau simulator per test JVM, in-process on random ports, reading the same registry YAML as the
 * adapters (plus the 18th bureau's file), talking to the adapters on {@link #ADAPTERS_PORT}.
 */
public final class SimulatorHarness {

    public static final String VHOST = "hub-adapters-test";
    public static final int ADAPTERS_PORT = freePort();
    public static final Path WORK;
    public static final Path EXCHANGE_DIR;
    public static final Path SFTP_ROOT;
    public static final FakeTaskService TASK_SERVICE;
    private static ConfigurableApplicationContext sim;

    static {
        try {
            WORK = Files.createTempDirectory("hub-adapters-test");
            EXCHANGE_DIR = Files.createDirectories(WORK.resolve("exchange"));
            SFTP_ROOT = Files.createDirectories(WORK.resolve("sftp"));
            TASK_SERVICE = new FakeTaskService();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private SimulatorHarness() {
    }

    /** Excluded in the simulator's context: the adapters' own infrastructure is on the shared test classpath. */
    static final String EXCLUDE = String.join(",",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration",
            "org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration",
            "org.springframework.boot.security.oauth2.client.autoconfigure.servlet.OAuth2ClientWebSecurityAutoConfiguration",
            "org.apache.camel.spring.boot.CamelAutoConfiguration",
            "org.springframework.cloud.stream.config.BindingServiceConfiguration",
            "org.springframework.cloud.stream.function.FunctionConfiguration");

    public static synchronized ConfigurableApplicationContext simulator() {
        if (sim == null) {
            HubInfrastructure.Broker broker = HubInfrastructure.rabbit(VHOST);
            BureauTokens tokens = unit -> TestTokens.mint("bureau-" + unit.toLowerCase(), b -> b.claim("unit", unit)
                    .claim("roles", List.of("BUREAU")).expirationTime(Date.from(Instant.now().plusSeconds(7200))));
            sim = new SpringApplicationBuilder(BureauSimulatorApplication.class)
                    .initializers(ctx -> ctx.getBeanFactory().registerSingleton("bureauTokens", tokens))
                    .run("--server.port=0", "--sim.sftp-port=0", "--sim.sftp-root=" + SFTP_ROOT,
                            "--sim.file-poll-interval=PT0.1S",
                            "--sim.hub-url=http://localhost:" + ADAPTERS_PORT,
                            "--HUB_EXCHANGE_DIR=" + EXCHANGE_DIR,
                            "--HUB_BUREAU_REGISTRY=classpath:bureaus.yaml,classpath:bureaus-18th.yaml",
                            "--spring.rabbitmq.host=" + broker.host(), "--spring.rabbitmq.port=" + broker.port(),
                            "--spring.rabbitmq.username=" + broker.username(),
                            "--spring.rabbitmq.password=" + broker.password(),
                            "--spring.rabbitmq.virtual-host=" + broker.virtualHost(),
                            "--spring.autoconfigure.exclude=" + EXCLUDE,
                            "--spring.main.banner-mode=off", "--spring.jmx.enabled=false",
                            "--spring.application.name=bureau-simulator-test", "--spring.config.name=bureau-simulator");
        }
        return sim;
    }

    public static String url() {
        return "http://localhost:" + simulator().getEnvironment().getProperty("local.server.port");
    }

    public static int sftpPort() {
        return simulator().getBean(SftpServerRunner.class).port();
    }

    public static Recorder recorder() {
        return simulator().getBean(Recorder.class);
    }

    public static Behaviours behaviours() {
        return simulator().getBean(Behaviours.class);
    }

    public static Sender sender() {
        return simulator().getBean(Sender.class);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
