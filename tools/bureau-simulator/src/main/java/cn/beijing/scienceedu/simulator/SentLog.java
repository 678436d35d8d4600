package cn.beijing.scienceedu.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/**
 * What the simulated bureaus sent to the hub ({@code GET /sim/sent}), the last {@code sim.recorder-capacity}
 * answers: the answer's fields without evidence bytes (so a test can compare what the hub kept — the bureau's own
 * time, status, KPI values, evidence names and hashes — with what the bureau said), and what each protocol answered.
 */
@Component
public class SentLog {

    private final ConcurrentLinkedDeque<Map<String, Object>> sent = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong seq = new AtomicLong();
    private final int capacity;

    public SentLog(SimSettings settings) {
        this.capacity = Math.max(1, settings.getRecorderCapacity());
    }

    @SuppressWarnings("unchecked")
    public void record(String unit, String protocol, Map<String, Object> report, List<Object> results) {
        Map<String, Object> fields = new LinkedHashMap<>(report);
        if (fields.get("evidence") instanceof List<?> items) {
            List<Object> noBytes = new ArrayList<>();
            for (Object e : items) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) e);
                copy.remove("content");
                noBytes.add(copy);
            }
            fields.put("evidence", noBytes);
        }
        fields.remove("rawFile");
        fields.remove("rawMessage");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq.incrementAndGet());
        m.put("unit", unit);
        m.put("protocol", protocol);
        m.put("kind", report.get("kind"));
        m.put("taskId", report.get("taskId"));
        m.put("messageId", report.get("messageId"));
        m.put("bureauTime", Shapes.bureauTime(report));
        m.put("at", Instant.now().toString());
        m.put("fields", fields);
        m.put("results", results);
        sent.addLast(m);
        if (size.incrementAndGet() > capacity && sent.pollFirst() != null) {
            size.decrementAndGet();
        }
    }

    public List<Map<String, Object>> query(String unit, String taskId, String kind) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> m : sent) {
            if ((unit == null || unit.equals(m.get("unit"))) && (taskId == null || taskId.equals(m.get("taskId")))
                    && (kind == null || kind.equals(m.get("kind")))) {
                out.add(m);
            }
        }
        return out;
    }

    public void clear() {
        while (sent.pollFirst() != null) {
            size.decrementAndGet();
        }
    }
}
