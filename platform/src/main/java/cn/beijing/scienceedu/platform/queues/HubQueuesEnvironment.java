package cn.beijing.scienceedu.platform.queues;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * For every Spring Cloud Stream binding named in {@code hub.queue-bindings}, sets the Rabbit binder's consumer settings
 * of the conventions ({@link HubQueues#binderConsumerProperties}): {@code quorum.enabled} from {@code hub.queue-type}
 * (a boolean a placeholder cannot express) and the dead-letter republish to {@code hub.dlx} with the queue's name
 * ({@code <destination>.<group>}) as routing key. Added last: a setting the service makes itself still wins. Nothing
 * without {@code hub.queue-bindings}.
 */
public class HubQueuesEnvironment implements EnvironmentPostProcessor, Ordered {

    /** Name of the property source this adds. */
    public static final String PROPERTY_SOURCE = "hub-queues";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        List<String> bindings = Binder.get(env).bind(HubQueues.BINDINGS_PROPERTY, Bindable.listOf(String.class))
                .orElse(List.of());
        if (bindings.isEmpty()) {
            return;
        }
        QueueType type = HubQueues.typeOf(env);
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String binding : bindings) {
            String b = binding.trim();
            if (b.isEmpty()) {
                continue;
            }
            String destination = env.getProperty("spring.cloud.stream.bindings." + b + ".destination");
            String group = env.getProperty("spring.cloud.stream.bindings." + b + ".group");
            if (destination == null || destination.isBlank() || group == null || group.isBlank()) {
                throw new IllegalStateException(HubQueues.BINDINGS_PROPERTY + " names " + b
                        + ", which has no destination and group (spring.cloud.stream.bindings." + b
                        + ".destination / .group): its queue <destination>.<group> has no name");
            }
            settings.putAll(HubQueues.binderConsumerProperties(b, HubQueues.queueName(destination.trim(), group.trim()), type));
        }
        env.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE, settings));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
