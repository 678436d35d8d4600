package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import cn.beijing.scienceedu.simulator.Received;

/**
 * Two replicas side by side: one active consumer of the task events, one dispatcher per bureau at a
 * time (advisory lock), so each message is delivered once and in order per task.
 */
class ScaleOutTest extends AdaptersIntegrationTest {

    @Autowired
    ApplicationContext applicationContext;

    @Test
    void twoReplicasDeliverEachMessageOnceAndInOrderPerTask() {
        var env = applicationContext.getEnvironment();
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(BureauAdaptersApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + env.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + env.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + env.getProperty("spring.datasource.password", ""),
                "--spring.rabbitmq.host=" + env.getProperty("spring.rabbitmq.host"),
                "--spring.rabbitmq.port=" + env.getProperty("spring.rabbitmq.port"),
                "--spring.rabbitmq.username=" + env.getProperty("spring.rabbitmq.username"),
                "--spring.rabbitmq.password=" + env.getProperty("spring.rabbitmq.password"),
                "--spring.rabbitmq.virtual-host=" + env.getProperty("spring.rabbitmq.virtual-host"),
                "--HUB_SIMULATOR_URL=" + SimulatorHarness.url(), "--HUB_SFTP_PORT=" + SimulatorHarness.sftpPort(),
                "--HUB_EXCHANGE_DIR=" + SimulatorHarness.EXCHANGE_DIR,
                "--hub.adapters.task-service.url=" + SimulatorHarness.TASK_SERVICE.url(),
                "--spring.security.oauth2.resourceserver.jwt.public-key-location=classpath:hub-test-issuer.pub",
                "--hub.adapters.message-log.checkpoint-file=" + SimulatorHarness.WORK.resolve("checkpoints-2.log"),
                "--spring.main.banner-mode=off", "--spring.jmx.enabled=false")) {
            List<String> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(newTaskId("WXB"));
            }
            for (int v = 1; v <= 3; v++) {
                for (String t : tasks) {
                    switch (v) {
                        case 1 -> publish("task.dispatched", t, "WXB", 1, Map.of());
                        case 2 -> publish("task.urged", t, "WXB", 2, Map.of("urging", Map.of("kind", "URGING", "level", 1)));
                        default -> publish("task.cancelled", t, "WXB", 3, Map.of());
                    }
                }
            }
            for (String t : tasks) {
                await().untilAsserted(() -> assertThat(received("WXB", t).stream().map(Received::kind).toList())
                        .containsExactly("ASSIGNMENT", "URGING", "CANCELLATION"));
            }
            ProtocolRoundTripTest.sleep(1000);
            for (String t : tasks) {
                assertThat(received("WXB", t)).hasSize(3);
            }
        }
    }
}
