package cn.beijing.scienceedu.task.outbox;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code hub.queue-type} ({@code HUB_QUEUE_TYPE}: classic or quorum) into the Rabbit binder's boolean
 * {@code quorum.enabled} for the delivery-events consumer, which a placeholder cannot express.
 */
public class QueueTypeEnvironment implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String type = env.getProperty("hub.queue-type", env.getProperty("HUB_QUEUE_TYPE", "classic"));
        boolean quorum = "quorum".equalsIgnoreCase(type.trim());
        env.getPropertySources().addLast(new MapPropertySource("hub-queue-type", Map.of(
                "spring.cloud.stream.rabbit.bindings.deliveryEvents-in-0.consumer.quorum.enabled", quorum)));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
