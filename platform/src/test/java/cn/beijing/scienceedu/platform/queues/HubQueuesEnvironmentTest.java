package cn.beijing.scienceedu.platform.queues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The bindings named in hub.queue-bindings get the binder's quorum and dead-letter settings; the service's own win. */
class HubQueuesEnvironmentTest {

    private static final String C = "spring.cloud.stream.rabbit.bindings.deliveryEvents-in-0.consumer.";

    static StandardEnvironment env(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("application", properties));
        new HubQueuesEnvironment().postProcessEnvironment(env, new SpringApplication());
        return env;
    }

    @Test
    void aListedBindingGetsTheQueueTypeAndTheDeadLetterSettings() {
        StandardEnvironment env = env(Map.of("hub.queue-type", "quorum", "hub.queue-bindings", "deliveryEvents-in-0",
                "spring.cloud.stream.bindings.deliveryEvents-in-0.destination", "hub.delivery-events",
                "spring.cloud.stream.bindings.deliveryEvents-in-0.group", "task-service"));

        assertThat(env.getProperty(C + "quorum.enabled", Boolean.class)).isTrue();
        assertThat(env.getProperty(C + "republish-to-dlq", Boolean.class)).isTrue();
        assertThat(env.getProperty(C + "auto-bind-dlq", Boolean.class)).isFalse();
        assertThat(env.getProperty(C + "declare-dlx", Boolean.class)).isFalse();
        assertThat(env.getProperty(C + "dead-letter-exchange")).isEqualTo("hub.dlx");
        assertThat(env.getProperty(C + "dead-letter-routing-key")).isEqualTo("hub.delivery-events.task-service");
    }

    @Test
    void classicByDefaultAndFromTheVariable() {
        Map<String, Object> binding = Map.of("hub.queue-bindings", "deliveryEvents-in-0",
                "spring.cloud.stream.bindings.deliveryEvents-in-0.destination", "hub.delivery-events",
                "spring.cloud.stream.bindings.deliveryEvents-in-0.group", "task-service");
        assertThat(env(binding).getProperty(C + "quorum.enabled", Boolean.class)).isFalse();
        Map<String, Object> withVariable = new java.util.HashMap<>(binding);
        withVariable.put("HUB_QUEUE_TYPE", "quorum");
        assertThat(env(withVariable).getProperty(C + "quorum.enabled", Boolean.class)).isTrue();
    }

    @Test
    void severalBindingsAsAList() {
        StandardEnvironment env = env(Map.of("hub.queue-bindings[0]", "taskEvents-in-0",
                "hub.queue-bindings[1]", "deliveryEvents-in-0",
                "spring.cloud.stream.bindings.taskEvents-in-0.destination", "hub.task-events",
                "spring.cloud.stream.bindings.taskEvents-in-0.group", "reporting",
                "spring.cloud.stream.bindings.deliveryEvents-in-0.destination", "hub.delivery-events",
                "spring.cloud.stream.bindings.deliveryEvents-in-0.group", "reporting"));

        assertThat(env.getProperty("spring.cloud.stream.rabbit.bindings.taskEvents-in-0.consumer.dead-letter-routing-key"))
                .isEqualTo("hub.task-events.reporting");
        assertThat(env.getProperty(C + "dead-letter-routing-key")).isEqualTo("hub.delivery-events.reporting");
    }

    @Test
    void aSettingTheServiceMakesItselfWins() {
        StandardEnvironment env = env(Map.of("hub.queue-type", "quorum", "hub.queue-bindings", "deliveryEvents-in-0",
                "spring.cloud.stream.bindings.deliveryEvents-in-0.destination", "hub.delivery-events",
                "spring.cloud.stream.bindings.deliveryEvents-in-0.group", "task-service",
                C + "quorum.enabled", "false"));

        assertThat(env.getProperty(C + "quorum.enabled", Boolean.class)).isFalse();
    }

    @Test
    void nothingWithoutListedBindings() {
        StandardEnvironment env = env(Map.of("hub.queue-type", "quorum"));

        assertThat(env.getPropertySources().contains(HubQueuesEnvironment.PROPERTY_SOURCE)).isFalse();
    }

    @Test
    void aListedBindingWithoutDestinationOrGroupStopsTheStart() {
        assertThatThrownBy(() -> env(Map.of("hub.queue-bindings", "deliveryEvents-in-0",
                "spring.cloud.stream.bindings.deliveryEvents-in-0.destination", "hub.delivery-events")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("deliveryEvents-in-0")
                .hasMessageContaining("group");
    }

    @Test
    void anUnknownQueueTypeStopsTheStart() {
        assertThatThrownBy(() -> env(Map.of("hub.queue-type", "fast", "hub.queue-bindings", "deliveryEvents-in-0",
                "spring.cloud.stream.bindings.deliveryEvents-in-0.destination", "hub.delivery-events",
                "spring.cloud.stream.bindings.deliveryEvents-in-0.group", "task-service")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fast");
    }

    @Test
    void theAutoConfigurationGivesHubQueuesOfTheSetting() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PlatformQueuesAutoConfiguration.class))
                .withPropertyValues("hub.queue-type=quorum")
                .run(context -> assertThat(context.getBean(HubQueues.class).quorum()).isTrue());
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PlatformQueuesAutoConfiguration.class))
                .withPropertyValues("hub.queue-type=fast")
                .run(context -> assertThat(context).hasFailed());
    }
}
