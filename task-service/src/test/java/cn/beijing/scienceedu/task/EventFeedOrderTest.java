package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

/**
 * The replay feed ({@code GET /api/v1/events}) as the reporting-service follows it: forward from its last cursor.
 * Outbox rows get their seq at insert but become visible at commit, so writers that commit out of seq order must
 * not let a forward reader step past an event.
 */
class EventFeedOrderTest extends IntegrationTest {

    private static final String KIND = "test.feed-order";

    @Autowired
    DataSource dataSource;

    /** A forward reader's position in the feed and what it has read. */
    private final class Reader {
        String cursor;
        final List<String> seen = new ArrayList<>();

        Reader() throws Exception {
            // start at the feed's current end: earlier tests' events are not this reader's business
            while (true) {
                JsonNode page = page(cursor);
                if (page.get("events").isEmpty()) {
                    return;
                }
                cursor = page.get("nextCursor").asString();
            }
        }

        /** Reads every page after the cursor; returns how many events arrived. */
        int follow() throws Exception {
            int n = 0;
            while (true) {
                JsonNode page = page(cursor);
                if (page.get("events").isEmpty()) {
                    return n;
                }
                for (JsonNode e : page.get("events")) {
                    seen.add(e.get("event").get("id").asString());
                    n++;
                }
                cursor = page.get("nextCursor").asString();
            }
        }

        private JsonNode page(String after) throws Exception {
            var request = get("/api/v1/events").param("limit", "100").header("Authorization", adapters());
            if (after != null) {
                request = request.param("after", after);
            }
            return body(mvc.perform(request).andExpect(status().isOk()).andReturn());
        }
    }

    @Test
    void anEventWhoseCommitCameLateIsStillReadByAReaderAlreadyPastALaterOne() throws Exception {
        Reader reader = new Reader();
        try (Connection early = dataSource.getConnection(); Connection late = dataSource.getConnection()) {
            early.setAutoCommit(false);
            late.setAutoCommit(false);
            String first = insert(early); // lower seq, commits last
            String second = insert(late);
            late.commit();
            awaitRead(reader, second);
            assertThat(reader.seen).doesNotContain(first);

            early.commit();
            awaitRead(reader, first);
            assertThat(reader.seen).containsExactly(second, first);
        }
    }

    @Test
    void aReaderFollowingTheFeedWhileManyWritersCommitEndsWithExactlyTheEventsWritten() throws Exception {
        int writers = 6;
        int perWriter = 60;
        Reader reader = new Reader();
        Set<String> written = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        try (Connection c = dataSource.getConnection()) {
                            c.setAutoCommit(false);
                            String id = insert(c);
                            // hold the transaction open a little so commits overtake each other's seq order
                            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 4));
                            c.commit();
                            written.add(id);
                        }
                    }
                    return null;
                }));
            }
            while (done.stream().anyMatch(f -> !f.isDone())) {
                reader.follow();
                Thread.sleep(5);
            }
            for (Future<?> f : done) {
                f.get(); // a writer's failure fails the test
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!new HashSet<>(reader.seen).containsAll(written) && System.nanoTime() < end) {
            reader.follow();
            Thread.sleep(100);
        }
        Thread.sleep(1000); // anything extra (a duplicate) would show up within a relay pass or two
        reader.follow();
        assertThat(written).hasSize(writers * perWriter);
        assertThat(reader.seen).as("events read forward, each once").hasSize(written.size())
                .containsExactlyInAnyOrderElementsOf(written);
    }

    private void awaitRead(Reader reader, String eventId) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!reader.seen.contains(eventId) && System.nanoTime() < end) {
            reader.follow();
            Thread.sleep(50);
        }
        assertThat(reader.seen).as("the feed read forward from the reader's cursor").contains(eventId);
    }

    /** Writes an outbox row the way OutboxWriter does (same table, same transaction as the caller's change). */
    private static String insert(Connection c) throws Exception {
        String id = UUID.randomUUID().toString();
        try (PreparedStatement ps = c.prepareStatement(
                "insert into outbox (event_id, routing_key, subject, payload) values (?,?,?,?)")) {
            ps.setString(1, id);
            ps.setString(2, KIND);
            ps.setString(3, "feed-order");
            ps.setString(4, "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"" + KIND + "\"}");
            ps.executeUpdate();
        }
        return id;
    }
}
