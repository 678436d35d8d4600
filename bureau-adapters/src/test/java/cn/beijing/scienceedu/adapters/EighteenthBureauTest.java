package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import org.springframework.cloud.stream.binding.BindingsLifecycleController;

import cn.beijing.scienceedu.adapters.dispatch.Dispatcher;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.simulator.Received;

/**
 * An 18th bureau is a YAML file and a restart: the running adapters know 17 bureaus; restarted with
 * {@code HUB_BUREAUS_CONFIG} naming {@code bureaus-18th.yaml} too, they deliver to it in its own shape.
 */
@org.junit.jupiter.api.Order(Integer.MAX_VALUE)
class EighteenthBureauTest extends AdaptersIntegrationTest {

    @Test
    void eighteenthBureauAddedByYamlAndARestart() {
        ConfigurableApplicationContext running = null;
        // the running adapters know the 17 bureaus (and the tests' own REBIND bureau)
        assertThat(registry().all()).hasSize(18);
        assertThat(registry().find("KXZX")).isEmpty();
        // "restart": this instance stops taking events and delivering; a new one starts with one more registry file
        BindingsLifecycleController bindings = applicationContext.getBean(BindingsLifecycleController.class);
        Dispatcher dispatcher = applicationContext.getBean(Dispatcher.class);
        bindings.changeState("taskEvents-in-0", BindingsLifecycleController.State.STOPPED);
        dispatcher.setEnabled(false);
        try {
            // the registry files named as an operator names them: an environment variable, read with Spring's
            // relaxed binding (HUB_BUREAUS_CONFIG, the old name, bound as a bureau named "config" there and stopped the start)
            org.springframework.core.env.StandardEnvironment environment = new org.springframework.core.env.StandardEnvironment();
            environment.getPropertySources().addFirst(new org.springframework.core.env.SystemEnvironmentPropertySource(
                    "operator-environment", Map.of("HUB_BUREAU_REGISTRY", "classpath:bureaus.yaml,classpath:bureaus-18th.yaml")));
            running = new SpringApplicationBuilder(BureauAdaptersApplication.class).environment(environment).run(
                    "--server.port=0",
                    "--spring.datasource.url=" + jdbcUrl(), "--spring.datasource.username=" + env("spring.datasource.username"),
                    "--spring.datasource.password=" + env("spring.datasource.password"),
                    "--spring.rabbitmq.host=" + env("spring.rabbitmq.host"), "--spring.rabbitmq.port=" + env("spring.rabbitmq.port"),
                    "--spring.rabbitmq.username=" + env("spring.rabbitmq.username"),
                    "--spring.rabbitmq.password=" + env("spring.rabbitmq.password"),
                    "--spring.rabbitmq.virtual-host=" + env("spring.rabbitmq.virtual-host"),
                    "--HUB_SIMULATOR_URL=" + SimulatorHarness.url(),
                    "--HUB_SFTP_PORT=" + SimulatorHarness.sftpPort(), "--HUB_EXCHANGE_DIR=" + SimulatorHarness.EXCHANGE_DIR,
                    "--spring.security.oauth2.resourceserver.jwt.public-key-location=classpath:hub-test-issuer.pub",
                    "--hub.adapters.message-log.checkpoint-file=" + SimulatorHarness.WORK.resolve("checkpoints-18.log"),
                    "--spring.main.banner-mode=off", "--spring.jmx.enabled=false");
            BureauRegistry restarted = running.getBean(BureauRegistry.class);
            assertThat(restarted.all()).hasSize(18);
            String t = newTaskId("KXZX");
            publish("task.dispatched", t, "KXZX", 1, Map.of());
            await().untilAsserted(() -> {
                List<Received> got = received("KXZX", t, "ASSIGNMENT");
                assertThat(got).hasSize(1);
                assertThat(got.get(0).valid()).as(String.valueOf(got.get(0).errors())).isTrue();
                // its own shape (tsw-json mapping): Chinese code words, slashed dates
                assertThat(new String(got.get(0).raw(), java.nio.charset.StandardCharsets.UTF_8))
                        .contains("\"msgType\":\"下发\"").contains("\"dueDate\":\"2025/06/30\"");
            });
        } finally {
            if (running != null) {
                running.close();
            }
            dispatcher.setEnabled(true);
            bindings.changeState("taskEvents-in-0", BindingsLifecycleController.State.STARTED);
        }
    }

    private BureauRegistry registry() {
        return applicationContext.getBean(BureauRegistry.class);
    }

    private String env(String key) {
        return applicationContext.getEnvironment().getProperty(key, "");
    }

    private String jdbcUrl() {
        return env("spring.datasource.url");
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.context.ApplicationContext applicationContext;
}
