package cn.beijing.scienceedu.adapters.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import cn.beijing.scienceedu.platform.queues.HubQueuesEnvironment;

/**
 * The binder's settings of {@code hub.task-events.adapters} (binding {@code taskEvents-in-0}) as platform's
 * {@link HubQueuesEnvironment} makes them from application.yml's {@code hub.queue-bindings}: HUB_QUEUE_TYPE reaches the
 * binder's own queue, not only the declared ones, and a failed event is republished to {@code hub.dlx} with the
 * queue's name, no DLQ declared by the binder (conventions).
 */
class TaskEventsBinderSettingsTest {

    static final String CONSUMER = "spring.cloud.stream.rabbit.bindings.taskEvents-in-0.consumer.";

    @Test
    void theQueueTypeReachesTheBinderQueue() throws IOException {
        assertThat(quorum(Map.of())).isEqualTo("false");
        assertThat(quorum(Map.of("HUB_QUEUE_TYPE", "quorum"))).isEqualTo("true");
        assertThat(quorum(Map.of("hub.queue-type", "QUORUM"))).isEqualTo("true");
        assertThat(quorum(Map.of("HUB_QUEUE_TYPE", "classic"))).isEqualTo("false");
    }

    private static String quorum(Map<String, Object> overrides) throws IOException {
        return settings(overrides).getProperty(CONSUMER + "quorum.enabled");
    }

    @Test
    void failedEventsAreRepublishedToTheHubDeadLetterExchange() throws IOException {
        StandardEnvironment env = settings(Map.of());
        assertThat(env.getProperty(CONSUMER + "republish-to-dlq")).isEqualTo("true");
        assertThat(env.getProperty(CONSUMER + "auto-bind-dlq")).isEqualTo("false");
        assertThat(env.getProperty(CONSUMER + "dead-letter-exchange")).isEqualTo("hub.dlx");
        assertThat(env.getProperty(CONSUMER + "dead-letter-routing-key")).isEqualTo(AmqpTopology.TASK_EVENTS_QUEUE)
                .isEqualTo("hub.task-events.adapters");
        assertThat(env.getProperty(CONSUMER + "declare-dlx")).isEqualTo("false");
    }

    @Test
    void platformsPostProcessorIsRegistered() throws IOException {
        StringBuilder factories = new StringBuilder();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
            try (InputStream in = url.openStream()) {
                factories.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        assertThat(factories.toString()).contains(HubQueuesEnvironment.class.getName());
    }

    /** application.yml's defaults (its first document), the overrides above them, then platform's post-processor. */
    private static StandardEnvironment settings(Map<String, Object> overrides) throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        // the process environment must not decide the test
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        env.getPropertySources().addFirst(new MapPropertySource("overrides", overrides));
        PropertySource<?> yml = new YamlPropertySourceLoader()
                .load("application.yml", new ClassPathResource("application.yml")).get(0);
        env.getPropertySources().addLast(yml);
        new HubQueuesEnvironment().postProcessEnvironment(env, null);
        return env;
    }
}
