package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import cn.beijing.scienceedu.task.delivery.DeliveryInbox;
import tools.jackson.databind.JsonNode;

class ConcurrencyAndIdempotencyTest extends IntegrationTest {

    @Autowired
    DeliveryInbox inbox;
    TaskActions actions;

    @BeforeEach
    void setUp() {
        actions = new TaskActions(mvc, json, inbox);
    }

    @Test
    void twoConcurrentEditsWithTheSameIfMatchGiveExactlyOne412() throws Exception {
        String policy = freshPlannedPolicy("test-ifmatch");
        String taskId = policy + ".M07.SJW";
        String etag = mvc.perform(get("/api/v1/tasks/" + taskId).header("Authorization", liaison()))
                .andExpect(status().isOk()).andExpect(header().exists("ETag")).andReturn().getResponse().getHeader("ETag");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (String deadline : List.of("2030-06-28", "2030-09-30")) {
            Callable<Integer> edit = () -> {
                start.await();
                return mvc.perform(put("/api/v1/tasks/" + taskId + "/deadline").header("Authorization", liaison())
                        .header("If-Match", etag).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"deadline\":\"" + deadline + "\",\"reason\":\"统筹安排\"}"))
                        .andReturn().getResponse().getStatus();
            };
            results.add(pool.submit(edit));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : results) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses).containsExactlyInAnyOrder(200, 412);
        assertThat(jdbc.queryForObject("select count(*) from outbox where subject = ? and routing_key = 'task.deadline-changed'",
                Integer.class, taskId)).isEqualTo(1);
        // without If-Match the edit is refused (428); a stale one is 412 naming nothing changed
        mvc.perform(put("/api/v1/tasks/" + taskId + "/deadline").header("Authorization", liaison())
                .contentType(MediaType.APPLICATION_JSON).content("{\"deadline\":\"2030-06-28\"}"))
                .andExpect(status().is(428));
        mvc.perform(put("/api/v1/tasks/" + taskId + "/deadline").header("Authorization", liaison()).header("If-Match", etag)
                .contentType(MediaType.APPLICATION_JSON).content("{\"deadline\":\"2030-06-28\"}"))
                .andExpect(status().isPreconditionFailed());
    }

    @Test
    void theSameBureauMessageTwiceHasOneEffectAndTheSameAnswer() throws Exception {
        String policy = freshPlannedPolicy("test-idempotency");
        List<String> cooperating = jdbc.queryForList(
                "select id from task where policy_id = ? and role = 'COOPERATING' order by id limit 2", String.class, policy);
        String taskId = cooperating.get(0);
        actions.bringTo(taskId, "SIGNED_FOR");
        Map<String, Object> report = TaskActions.report("bureau-msg-0001", 30, "ON_TRACK");
        String first = actions.bureau(taskId, "progress-reports", report, null).andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        String second = actions.bureau(taskId, "progress-reports", report, null).andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(second)).isEqualTo(json.readTree(first));
        assertThat(jdbc.queryForObject("select count(*) from progress_report where task_id = ?", Integer.class, taskId))
                .isEqualTo(1);

        // Idempotency-Key (the adapters' message id) wins over the body's, concurrently too
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> answers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 4; i++) {
            Map<String, Object> r = TaskActions.report("body-id-" + i, 50, "ON_TRACK");
            answers.add(pool.submit(() -> {
                start.await();
                return actions.bureau(taskId, "progress-reports", r, "adapters-msg-42").andReturn().getResponse()
                        .getContentAsString();
            }));
        }
        start.countDown();
        List<JsonNode> bodies = new ArrayList<>();
        for (Future<String> f : answers) {
            bodies.add(json.readTree(f.get()));
        }
        pool.shutdown();
        assertThat(bodies).allSatisfy(b -> assertThat(b).isEqualTo(bodies.get(0)));
        assertThat(jdbc.queryForObject("select count(*) from progress_report where task_id = ?", Integer.class, taskId))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from outbox where subject = ? and routing_key = 'task.progress-reported'",
                Integer.class, taskId)).isEqualTo(2);

        // a repeated sign-for message returns the first answer, not a 409
        String other = cooperating.get(1);
        actions.bringTo(other, "DISPATCHED");
        Map<String, Object> signFor = Map.of("messageId", "sf-1", "signedAt", ApiCalls.bureauNow());
        String a = actions.bureau(other, "sign-for", signFor, null).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        String b = actions.bureau(other, "sign-for", signFor, null).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(json.readTree(b)).isEqualTo(json.readTree(a));
    }

    @Test
    void measuredWritesPerSecond() throws Exception {
        String policy = freshPlannedPolicy("test-throughput");
        List<String> ids = jdbc.queryForList("select id from task where policy_id = ? order by id", String.class, policy);
        mvc.perform(jsonPost("/api/v1/policies/" + policy + "/dispatch", liaison(), "{}")).andExpect(status().isOk());
        for (String id : ids) {
            actions.signFor(id).andExpect(status().isOk());
        }
        int writes = 0;
        long started = System.nanoTime();
        for (String id : ids) {
            actions.progress(id).andExpect(status().isCreated());
            writes++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("[measure] %d progress reports in %.2f s: %.0f writes/s (one client thread, MockMvc)%n", writes,
                seconds, writes / seconds);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        started = System.nanoTime();
        for (int round = 0; round < 2; round++) {
            for (String id : ids) {
                done.add(pool.submit(() -> {
                    actions.progress(id).andExpect(status().isCreated());
                    return null;
                }));
            }
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("[measure] %d progress reports in %.2f s: %.0f writes/s (4 client threads, MockMvc)%n",
                done.size(), seconds, done.size() / seconds);
        OutboxTest.waitFor(() -> jdbc.queryForObject("select count(*) from outbox where published_at is null",
                Integer.class) == 0, java.time.Duration.ofSeconds(60), "outbox drained");
        Map<String, Object> lag = jdbc.queryForMap("select percentile_cont(0.5) within group (order by extract(epoch from "
                + "published_at - created_at)) as p50, percentile_cont(0.99) within group (order by extract(epoch from "
                + "published_at - created_at)) as p99, max(extract(epoch from published_at - created_at)) as max "
                + "from outbox where subject like ? and routing_key = 'task.progress-reported'", policy + ".%");
        System.out.println("[measure] outbox publish lag (commit → confirmed) p50/p99/max s: " + lag);
    }
}
