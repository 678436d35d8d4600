package cn.beijing.scienceedu.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import cn.beijing.scienceedu.contracts.events.EventTypes;
import tools.jackson.databind.json.JsonMapper;

/** A reader and a writer on the application's mapper; the writer's source from hub.events.source or the application name. */
class PlatformEventsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PlatformEventsAutoConfiguration.class));

    @Test
    void theSourceIsTheApplicationsNameUnlessSet() {
        runner.withPropertyValues("spring.application.name=task-service").run(context -> {
            assertThat(context.getBean(CloudEventWriter.class).source()).isEqualTo("/task-service");
            assertThat(context).hasSingleBean(CloudEventReader.class);
        });
        runner.withPropertyValues("spring.application.name=task-service", "hub.events.source=/elsewhere")
                .run(context -> assertThat(context.getBean(CloudEventWriter.class).source()).isEqualTo("/elsewhere"));
    }

    @Test
    void theApplicationsMapperIsUsed() {
        JsonMapper mapper = JsonMapper.builder().build();
        runner.withBean(JsonMapper.class, () -> mapper).run(context -> {
            String json = context.getBean(CloudEventWriter.class).event(EventTypes.TASK_PLANNED).toJson();
            assertThat(context.getBean(CloudEventReader.class).readStructured(json).routingKey()).isEqualTo("task.planned");
        });
    }
}
