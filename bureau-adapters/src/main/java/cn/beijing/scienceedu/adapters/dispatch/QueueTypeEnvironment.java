package cn.beijing.scienceedu.adapters.dispatch;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code hub.queue-type} ({@code HUB_QUEUE_TYPE}: classic or quorum) into the Rabbit binder's
 * boolean {@code quorum.enabled} for the {@code hub.task-events.adapters} consumer queue, which a
 * placeholder cannot express. Added last: an explicit binder setting still wins.
 */
public class QueueTypeEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String BINDER_QUORUM = "spring.cloud.stream.rabbit.bindings.taskEvents-in-0.consumer.quorum.enabled";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        env.getPropertySources().addLast(new MapPropertySource("hub-queue-type", Map.of(BINDER_QUORUM, quorum(env))));
    }

    static boolean quorum(ConfigurableEnvironment env) {
        String type = env.getProperty("hub.queue-type", env.getProperty("HUB_QUEUE_TYPE", "classic"));
        return "quorum".equalsIgnoreCase(type.trim());
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
