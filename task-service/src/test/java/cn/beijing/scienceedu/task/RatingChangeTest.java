package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;

import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.task.calendar.WorkingCalendar;
import cn.beijing.scienceedu.task.delivery.DeliveryInbox;
import cn.beijing.scienceedu.task.urging.DeadlineScan;
import tools.jackson.databind.JsonNode;

/**
 * A rating that changes with time alone (the deadline comes near, then passes) is published by the deadline scan as
 * task.rating-changed — through the outbox like every change (history row, version = sequence) — and reaches the
 * broker with the new rating and its reason; nothing else about the task changed.
 */
class RatingChangeTest extends IntegrationTest {

    @Autowired
    DeliveryInbox inbox;
    @Autowired
    TestClock clock;
    @Autowired
    DeadlineScan scan;
    @Autowired
    WorkingCalendar calendar;

    private JsonNode task(String taskId) throws Exception {
        return body(mvc.perform(get("/api/v1/tasks/" + taskId).header("Authorization", liaison()))
                .andExpect(status().isOk()).andReturn());
    }

    private List<JsonNode> ratingEvents(String taskId) {
        return jdbc.queryForList("select payload from outbox where subject = ? and routing_key = ? order by seq",
                String.class, taskId, EventTypes.TASK_RATING_CHANGED).stream().map(json::readTree).toList();
    }

    /** The CloudEvent of {@code taskId} with {@code rating} that reached the broker, waiting for the relay. */
    private JsonNode published(BrokerTap tap, String taskId, String rating) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until) {
            for (String m : tap.received) {
                JsonNode ce = json.readTree(m);
                if (taskId.equals(ce.path("subject").asString())
                        && rating.equals(ce.path("data").path("task").path("rating").asString())) {
                    return ce;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no task.rating-changed with " + rating + " for " + taskId + " reached the broker; got "
                + tap.received.size() + " messages");
    }

    @Test
    void aRatingThatChangesWithTimeAloneIsPublishedByTheDeadlineScan() throws Exception {
        String policy = freshPlannedPolicy("test-rating-time");
        String taskId = policy + ".M10.SJW";
        TaskActions actions = new TaskActions(mvc, json, inbox);
        actions.bringTo(taskId, "SIGNED_FOR");
        actions.bureau(taskId, "progress-reports", TaskActions.report("pr-90", 90, "ON_TRACK"), null)
                .andExpect(status().isCreated());
        LocalDate today = calendar.today();
        LocalDate deadline = calendar.plusWorkingDays(today, 12);
        mvc.perform(put("/api/v1/tasks/" + taskId + "/deadline").header("Authorization", liaison())
                .header("If-Match", "\"" + task(taskId).get("version").asLong() + "\"")
                .contentType(MediaType.APPLICATION_JSON).content("{\"deadline\":\"" + deadline + "\",\"reason\":\"统筹\"}"))
                .andExpect(status().isOk());
        JsonNode before = task(taskId);
        assertThat(before.get("rating").asString() + ":" + before.get("ratingReason").asString()).isEqualTo("GREEN:ON_TRACK");
        // a row as Flyway V3 leaves one from before (a cancelled task rated GREEN by the old rule, no reason yet)
        String old = policy + ".M11.SJW";
        actions.cancel(old).andExpect(status().isOk());
        jdbc.update("update task set rating = 'GREEN', rating_reason = null where id = ?", old);
        scan.run();
        assertThat(ratingEvents(taskId)).as("nothing changed with time yet").isEmpty();
        assertThat(ratingEvents(old)).singleElement().satisfies(e -> {
            assertThat(e.at("/data/task/rating").asString()).isEqualTo("GREY");
            assertThat(e.at("/data/task/ratingReason").asString()).isEqualTo("CANCELLED");
            assertThat(e.at("/data/change/reason").asString()).isEqualTo("rating GREEN → GREY (CANCELLED)");
        });

        // three working days before the deadline
        LocalDate day = today;
        while (calendar.workingDaysBetween(day, deadline) > 3) {
            day = day.plusDays(1);
        }
        try (BrokerTap tap = new BrokerTap(BROKER).listen("hub.task-events", EventTypes.TASK_RATING_CHANGED)) {
            clock.setOffset(Duration.ofDays(ChronoUnit.DAYS.between(today, day)));
            assertThat(calendar.today()).isEqualTo(day);
            scan.run();
            JsonNode amber = published(tap, taskId, "AMBER");
            assertThat(amber.get("type").asString()).isEqualTo("cn.beijing.scienceedu.hub.task.rating-changed.v1");
            assertThat(amber.at("/data/task/ratingReason").asString()).isEqualTo("DUE_SOON");
            assertThat(amber.at("/data/change/reason").asString()).contains("GREEN (ON_TRACK) → AMBER (DUE_SOON)");
            assertThat(amber.at("/data/task/version").asLong()).isEqualTo(amber.get("sequence").asLong())
                    .isEqualTo(before.get("version").asLong() + 1);
            assertThat(task(taskId).get("ratingReason").asString()).isEqualTo("DUE_SOON");
            // scanned again: nothing new about the rating
            scan.run();
            assertThat(ratingEvents(taskId)).hasSize(1);

            // the day after the deadline: RED, overdue
            clock.setOffset(Duration.ofDays(ChronoUnit.DAYS.between(today, deadline.plusDays(1))));
            scan.run();
            JsonNode red = published(tap, taskId, "RED");
            assertThat(red.at("/data/task/ratingReason").asString()).isEqualTo("OVERDUE");
            assertThat(red.at("/data/task/overdue").asBoolean()).isTrue();
            assertThat(red.at("/data/change/reason").asString()).contains("AMBER (DUE_SOON) → RED (OVERDUE)");
        } finally {
            clock.reset();
        }

        // each change is in the history, and the rating change comes before the reminder / overdue notice it goes with
        JsonNode history = body(mvc.perform(get("/api/v1/tasks/" + taskId + "/history").header("Authorization", liaison()))
                .andExpect(status().isOk()).andReturn());
        List<String> kinds = new java.util.ArrayList<>();
        history.forEach(h -> kinds.add(h.get("kind").asString()));
        assertThat(kinds.subList(kinds.indexOf("task.deadline-changed") + 1, kinds.size())).containsSubsequence(
                "task.rating-changed", "task.urged", "task.rating-changed", "task.overdue");
        assertThat(history.get(kinds.indexOf("task.rating-changed")).get("actor").asString()).isNotBlank();

        // and the events are the contract's
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
                b -> b.schemaMappers(m -> m.mapPrefix("https://scienceedu.beijing.cn/hub/events/", "classpath:events/")));
        JsonSchema envelope = factory.getSchema(SchemaLocation.of("classpath:events/cloud-event.schema.json"));
        JsonSchema data = factory.getSchema(SchemaLocation.of("classpath:events/task.rating-changed.schema.json"));
        List<JsonNode> events = ratingEvents(taskId);
        assertThat(events).hasSize(2);
        for (JsonNode e : events) {
            assertThat(envelope.validate(json.writeValueAsString(e), InputFormat.JSON)).isEmpty();
            assertThat(data.validate(json.writeValueAsString(e.get("data")), InputFormat.JSON)).isEmpty();
        }
        assertThat(Map.of("ratings", events.stream().map(e -> e.at("/data/task/rating").asString()).toList()))
                .containsEntry("ratings", List.of("AMBER", "RED"));
    }
}
