package cn.beijing.scienceedu.task.outbox;

import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.RestController;

import cn.beijing.scienceedu.contracts.task.api.EventsApi;
import cn.beijing.scienceedu.contracts.task.model.EventPage;
import cn.beijing.scienceedu.contracts.task.model.PublishedEvent;
import cn.beijing.scienceedu.task.security.Callers;
import cn.beijing.scienceedu.task.web.ApiException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox as a replay feed: every event the task-service published (or is about to), in commit order. The
 * cursor is the row's feed position, stamped after commit by {@link OutboxRelay#stampFeedPositions()}, so a reader
 * following the cursor forward never skips an event; a row appears here within one relay pass of its commit.
 */
@RestController
class EventsController implements EventsApi {

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Callers callers;

    EventsController(JdbcTemplate jdbc, JsonMapper json, Callers callers) {
        this.jdbc = jdbc;
        this.json = json;
        this.callers = callers;
    }

    @Override
    public ResponseEntity<EventPage> replayEvents(String after, Integer limit) {
        callers.anyOf("OPERATOR", "ADMIN", "SERVICE", "LIAISON");
        long from = cursor(after);
        int n = limit == null ? 200 : limit;
        List<PublishedEvent> events = jdbc.query("select feed_position, routing_key, payload, published_at is not null as pub "
                + "from outbox where feed_position > ? order by feed_position limit ?", (rs, i) -> {
                    PublishedEvent e = new PublishedEvent();
                    e.setCursor(String.valueOf(rs.getLong(1)));
                    e.setRoutingKey(rs.getString(2));
                    e.setEvent(json.readValue(rs.getString(3), new TypeReference<Map<String, Object>>() {
                    }));
                    e.setPublished(rs.getBoolean(4));
                    return e;
                }, from, n);
        EventPage page = new EventPage();
        page.setEvents(events);
        if (!events.isEmpty()) {
            page.setNextCursor(events.get(events.size() - 1).getCursor());
        }
        return ResponseEntity.ok(page);
    }

    /** The contract allows up to 19 digits, which can exceed a long: such a cursor was never handed out. */
    private static long cursor(String after) {
        if (after == null) {
            return 0;
        }
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw ApiException.badField("after", "not a cursor this feed handed out");
        }
    }
}
