package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import cn.beijing.scienceedu.task.delivery.DeliveryInbox;

/** Every event the service wrote validates against the contracts' envelope and per-type data schemas. */
class EventContractTest extends IntegrationTest {

    @Autowired
    DeliveryInbox inbox;

    @Test
    void everyPublishedEventMatchesItsSchemas() throws Exception {
        String policy = freshPlannedPolicy("test-event-contract");
        TaskActions actions = new TaskActions(mvc, json, inbox);
        String t = policy + ".M08.SJW";
        actions.bringTo(t, "RETURNED");
        actions.urge(t);
        actions.cancel(policy + ".M09.SJW");

        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
                b -> b.schemaMappers(m -> m.mapPrefix("https://scienceedu.beijing.cn/hub/events/", "classpath:events/")));
        JsonSchema envelope = factory.getSchema(SchemaLocation.of("classpath:events/cloud-event.schema.json"));
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select routing_key, payload from outbox where subject = ? or subject = ? or subject = ? order by seq",
                policy, t, policy + ".M09.SJW");
        Set<String> kinds = new java.util.TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String kind = (String) row.get("routing_key");
            String payload = (String) row.get("payload");
            kinds.add(kind);
            for (ValidationMessage m : envelope.validate(payload, InputFormat.JSON)) {
                problems.add(kind + " envelope: " + m.getMessage());
            }
            JsonSchema data = factory.getSchema(SchemaLocation.of("classpath:events/" + kind + ".schema.json"));
            String dataJson = json.writeValueAsString(json.readTree(payload).get("data"));
            for (ValidationMessage m : data.validate(dataJson, InputFormat.JSON)) {
                problems.add(kind + " data: " + m.getMessage());
            }
        }
        assertThat(problems).isEmpty();
        // the schemas do bite: an empty envelope and a snapshot without its task fail
        assertThat(envelope.validate("{}", InputFormat.JSON)).isNotEmpty();
        assertThat(factory.getSchema(SchemaLocation.of("classpath:events/task.signed-for.schema.json"))
                .validate("{\"change\":{}}", InputFormat.JSON)).isNotEmpty();
        assertThat(kinds).contains("policy.imported", "task.planned", "task.dispatched", "task.delivered", "task.signed-for",
                "task.progress-reported", "task.submitted", "task.returned", "task.urged", "task.cancelled");
    }
}
