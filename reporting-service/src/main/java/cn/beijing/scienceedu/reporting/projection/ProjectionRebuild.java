package cn.beijing.scienceedu.reporting.projection;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.client.RestClient;

import cn.beijing.scienceedu.contracts.reporting.model.RebuildResult;
import cn.beijing.scienceedu.contracts.task.client.ApiClient;
import cn.beijing.scienceedu.contracts.task.client.api.EventsApi;
import cn.beijing.scienceedu.contracts.task.client.model.EventPage;
import cn.beijing.scienceedu.contracts.task.client.model.PublishedEvent;
import cn.beijing.scienceedu.platform.events.CloudEventReader;
import cn.beijing.scienceedu.reporting.ReportingProperties;

/**
 * Rebuilds the read models from scratch, in one transaction (live events wait on the same lock):
 * <ul>
 * <li>{@code task-service}: replays the task-service's {@code GET /api/v1/events?after=&limit=} in order,
 * through the generated task client, with the caller's token relayed; events missing from the local
 * log are added to it, and each keeps the time this service first received it;</li>
 * <li>{@code event-log}: replays the events this service stored as they arrived ({@code event_log}).</li>
 * </ul>
 * Closed-period snapshots are never touched.
 */
@Service
class ProjectionRebuild {

    private final int pageSize;

    private final JdbcClient jdbc;
    private final CloudEventReader reader;
    private final EventIngestor ingestor;
    private final ReportingProperties properties;
    private final org.springframework.context.ApplicationEventPublisher publisher;

    public ProjectionRebuild(JdbcClient jdbc, CloudEventReader reader, EventIngestor ingestor,
            ReportingProperties properties, org.springframework.context.ApplicationEventPublisher publisher,
            @org.springframework.beans.factory.annotation.Value("${hub.reporting.rebuild-page-size:500}") int pageSize) {
        this.pageSize = pageSize;
        this.jdbc = jdbc;
        this.reader = reader;
        this.ingestor = ingestor;
        this.properties = properties;
        this.publisher = publisher;
    }

    @Transactional
    public RebuildResult fromEventLog() {
        OffsetDateTime started = now();
        lock();
        clearProjections();
        int[] count = {0};
        jdbc.sql("select payload, routing_key, received_at from event_log order by arrival")
                .query((java.sql.ResultSet rs) -> {
                    IncomingEvent e = new IncomingEvent(reader.readStructured(rs.getString(1), rs.getString(2)),
                            rs.getTimestamp(3).toInstant().atOffset(ZoneOffset.UTC));
                    ingestor.apply(e, false);
                    count[0]++;
                });
        return result("event-log", count[0], started);
    }

    @Transactional
    public RebuildResult fromTaskService(String bearerToken) {
        OffsetDateTime started = now();
        RestClient.Builder rest = RestClient.builder();
        if (bearerToken != null) {
            rest.defaultHeader("Authorization", "Bearer " + bearerToken);
        }
        ApiClient client = new ApiClient(rest.build());
        client.setBasePath(properties.taskServiceUrl());
        EventsApi events = new EventsApi(client);
        lock();
        clearProjections();
        int count = 0;
        String after = null;
        while (true) {
            EventPage page = events.replayEvents(after, pageSize);
            List<PublishedEvent> items = page.getEvents();
            if (items == null || items.isEmpty()) {
                break;
            }
            for (PublishedEvent item : items) {
                IncomingEvent e = new IncomingEvent(reader.fromValue(item.getEvent(), item.getRoutingKey()), now());
                // keep when this service first received it (corrections of closed periods depend on it)
                ingestor.log(e);
                OffsetDateTime received = jdbc.sql("select received_at from event_log where event_id = :id")
                        .param("id", e.event().id()).query(java.sql.Timestamp.class).single()
                        .toInstant().atOffset(ZoneOffset.UTC);
                ingestor.apply(new IncomingEvent(e.event(), received), false);
                count++;
            }
            after = page.getNextCursor() != null ? page.getNextCursor() : items.get(items.size() - 1).getCursor();
            if (page.getNextCursor() == null) {
                break;
            }
        }
        // delivery outcomes are not the task-service's: re-apply the stored ones
        jdbc.sql("select payload, routing_key, received_at from event_log where routing_key like 'delivery.%' order by arrival")
                .query((java.sql.ResultSet rs) -> {
                    ingestor.apply(new IncomingEvent(reader.readStructured(rs.getString(1), rs.getString(2)),
                            rs.getTimestamp(3).toInstant().atOffset(ZoneOffset.UTC)), false);
                });
        return result("task-service", count, started);
    }

    /**
     * Serialises rebuilds with live ingestion: the rebuild takes the lock exclusively, live events share it
     * ({@link EventIngestor#ingest}), so concurrent consumers do not wait for each other, only for a rebuild.
     */
    void lock() {
        jdbc.sql("select pg_advisory_xact_lock(" + EventIngestor.REBUILD_LOCK + ")").query(Object.class).list();
        publisher.publishEvent(new ProjectionChanged("rebuild", "rebuild", null));
    }

    private void clearProjections() {
        // DELETE, not TRUNCATE: row versions instead of an ACCESS EXCLUSIVE table lock, so reports read meanwhile see
        // the old read models until the rebuild commits, and cannot deadlock with it
        for (String table : List.of("kpi_value", "progress_evidence", "progress_report", "task_change", "task_state", "delivery_parked")) {
            jdbc.sql("delete from " + table).update();
        }
    }

    private RebuildResult result(String source, int count, OffsetDateTime started) {
        RebuildResult r = new RebuildResult();
        r.setSource(source);
        r.setEventsReplayed(count);
        r.setTasks(jdbc.sql("select count(*) from task_state").query(Integer.class).single());
        r.setStartedAt(started);
        r.setFinishedAt(now());
        return r;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    static Timestamp ts(OffsetDateTime t) {
        return Timestamp.from(t.toInstant());
    }
}
