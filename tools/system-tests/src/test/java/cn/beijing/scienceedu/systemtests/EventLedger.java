package cn.beijing.scienceedu.systemtests;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import tools.jackson.databind.JsonNode;

/**
 * What the task-service recorded, read from its event feed ({@code GET /api/v1/events}, through the gateway as the
 * liaison): per task, per event kind (routing key), the distinct event ids. A sign-for reflected once in the
 * task-service is exactly one {@code task.signed-for} event of that task, whatever number of copies reached the hub.
 * The ledger only ever moves forward from its cursor, the way the reporting-service follows the feed: an event the
 * feed skipped would be missing from the counts (the feed once paged by insert sequence and did skip; it now pages by
 * a position stamped after commit).
 */
final class EventLedger {

    private final HubHttp.LiaisonSession liaison;
    private final Map<String, Map<String, Set<String>>> byTask = new ConcurrentHashMap<>();
    private volatile String cursor;
    private volatile long events;

    EventLedger(HubHttp.LiaisonSession liaison) {
        this.liaison = liaison;
    }

    /** Reads every event after the cursor. Throws when the feed cannot be read (the caller tries again). */
    synchronized void catchUp() {
        while (true) {
            String url = FlowSteps.GW + "/api/v1/events?limit=1000"
                    + (cursor == null ? "" : "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            HubHttp.Answer a = liaison.get(url);
            if (a.status() != 200) {
                throw new IllegalStateException("event feed: " + a);
            }
            JsonNode page = a.json();
            JsonNode items = page.path("events");
            for (JsonNode item : items) {
                JsonNode event = item.path("event");
                String task = event.path("data").path("task").path("taskId").asString(null);
                if (task != null) {
                    byTask.computeIfAbsent(task, k -> new ConcurrentHashMap<>())
                            .computeIfAbsent(item.path("routingKey").asString(), k -> ConcurrentHashMap.newKeySet())
                            .add(event.path("id").asString());
                }
                events++;
                cursor = item.path("cursor").asString();
            }
            String next = page.path("nextCursor").asString(null);
            if (items.isEmpty() || next == null) {
                return;
            }
            cursor = next;
        }
    }

    /** How many distinct events of this kind the task has. */
    int count(String task, String routingKey) {
        Map<String, Set<String>> kinds = byTask.get(task);
        if (kinds == null) {
            return 0;
        }
        Set<String> ids = kinds.get(routingKey);
        return ids == null ? 0 : ids.size();
    }

    List<String> tasksWith(String routingKey) {
        return byTask.entrySet().stream().filter(e -> e.getValue().containsKey(routingKey)).map(Map.Entry::getKey).toList();
    }

    long events() {
        return events;
    }
}
