package cn.beijing.scienceedu.adapters.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.platform.events.CloudEventReader;
import cn.beijing.scienceedu.platform.events.HubEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code task.rating-changed} (the task-service's deadline scan: a rating that changed with time alone) is nothing a
 * bureau is sent: the adapters' queue is not bound to it, and were one to arrive anyway it asks for no message.
 */
class RatingChangedIgnoredTest {

    @Test
    void theAdaptersQueueIsNotBoundToRatingChanges() throws Exception {
        JsonNode yml;
        try (InputStream in = getClass().getResourceAsStream("/application.yml")) {
            // the first document (the defaults; the profiles follow)
            yml = YAMLMapper.builder().disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build()
                    .readValue(in, JsonNode.class);
        }
        String keys = yml.at("/spring/cloud/stream/rabbit/bindings/taskEvents-in-0/consumer/binding-routing-key").asString();
        List<String> bound = Arrays.stream(keys.split(",")).map(String::trim).toList();
        assertThat(bound).contains(EventTypes.TASK_DISPATCHED).doesNotContain(EventTypes.TASK_RATING_CHANGED);
    }

    @Test
    void aRatingChangeThatArrivesAnywayAsksForNoBureauMessage() {
        // no store, registry or known tasks: an event that asks for no message touches none of them
        TaskEventIntake intake = new TaskEventIntake(JsonMapper.builder().build(), null, null, null);
        HubEvent event = CloudEventReader.standard().fromValue(Map.of("specversion", "1.0", "id", "evt-1",
                "source", "/task-service", "type", EventTypes.typeOf(EventTypes.TASK_RATING_CHANGED),
                "subject", "T-1", "data", Map.of("task", Map.of("taskId", "T-1", "unitCode", "SJW"))), null);
        assertThat(event.routingKey()).isEqualTo(EventTypes.TASK_RATING_CHANGED);
        assertThat(intake.accept(event)).isNull();
    }
}
