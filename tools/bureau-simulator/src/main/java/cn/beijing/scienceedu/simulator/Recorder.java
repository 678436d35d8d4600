package cn.beijing.scienceedu.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.springframework.stereotype.Component;

/**
 * Everything the simulated bureaus received, in arrival order — the last {@code sim.recorder-capacity} messages.
 * Appends are the hot path (a bench posts thousands a second, a long local run keeps receiving), queries are
 * rare: a lock-free deque, oldest dropped first, so an append never copies what is already there. Beside it, a
 * small tally per (kind, unit, task) — copies, invalid copies, distinct message ids — that is never dropped, so a
 * fault run over thousands of tasks can check "exactly once" ({@code GET /sim/tally}) past the capacity.
 */
@Component
public class Recorder {

    private final ConcurrentLinkedDeque<Received> received = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong seq = new AtomicLong();
    private final List<Consumer<Received>> listeners = new CopyOnWriteArrayList<>();
    private final int capacity;
    private final Map<String, Counts> tallies = new java.util.concurrent.ConcurrentHashMap<>();

    /** How often one kind of message for one task arrived, and how many distinct message ids (effects) it had. */
    public record Tally(String unit, String taskId, String kind, int copies, int invalid, int effects, List<String> messageIds) {
    }

    private static final class Counts {
        final String unit;
        final String taskId;
        final String kind;
        int copies;
        int invalid;
        final java.util.Set<String> messageIds = new java.util.LinkedHashSet<>();

        Counts(String unit, String taskId, String kind) {
            this.unit = unit;
            this.taskId = taskId;
            this.kind = kind;
        }

        synchronized void add(Received r) {
            copies++;
            if (!r.valid()) {
                invalid++;
            }
            if (r.messageId() != null) {
                messageIds.add(r.messageId());
            }
        }

        synchronized Tally snapshot() {
            return new Tally(unit, taskId, kind, copies, invalid, messageIds.size(), List.copyOf(messageIds));
        }
    }

    public Recorder(SimSettings settings) {
        this.capacity = Math.max(1, settings.getRecorderCapacity());
    }

    public Received record(String unit, String protocol, Map<String, Object> fields, List<String> errors,
            String fileName, byte[] raw, String traceparent) {
        Received r;
        synchronized (received) { // numbering and appending together, so seq order is arrival order (O(1) inside)
            r = new Received(seq.incrementAndGet(), unit, protocol, str(fields.get("kind")),
                    str(fields.get("messageId")), str(fields.get("taskId")), Instant.now(), errors.isEmpty(),
                    List.copyOf(errors), fields, fileName, raw, traceparent);
            received.addLast(r);
        }
        tallies.computeIfAbsent(r.kind() + "|" + unit + "|" + r.taskId(), k -> new Counts(unit, r.taskId(), r.kind())).add(r);
        if (size.incrementAndGet() > capacity && received.pollFirst() != null) {
            size.decrementAndGet();
        }
        listeners.forEach(l -> l.accept(r));
        return r;
    }

    public List<Received> query(String unit, String taskId) {
        List<Received> out = new ArrayList<>();
        for (Received r : received) {
            if ((unit == null || unit.equals(r.unit())) && (taskId == null || taskId.equals(r.taskId()))) {
                out.add(r);
            }
        }
        return out;
    }

    /** The tallies of one kind of message ({@code null}: all kinds), by unit and task. */
    public List<Tally> tallies(String kind) {
        List<Tally> out = new ArrayList<>();
        for (Counts c : tallies.values()) {
            if (kind == null || kind.equals(c.kind)) {
                out.add(c.snapshot());
            }
        }
        out.sort(java.util.Comparator.comparing(Tally::unit).thenComparing(t -> String.valueOf(t.taskId())));
        return out;
    }

    public void clear() {
        Received r;
        while ((r = received.pollFirst()) != null) {
            size.decrementAndGet();
        }
        tallies.clear();
    }

    public void onReceived(Consumer<Received> listener) {
        listeners.add(listener);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
