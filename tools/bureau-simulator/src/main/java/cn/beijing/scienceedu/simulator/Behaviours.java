package cn.beijing.scienceedu.simulator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import org.springframework.stereotype.Component;

/** How each simulated bureau behaves now (set with {@code POST /sim/bureaus/{unit}/behaviour}). */
@Component
public class Behaviours {

    public enum Mode {
        /** answers properly */
        NORMAL,
        /** answers properly after {@code delayMs} */
        SLOW,
        /** HTTP 5xx / SOAP Server fault */
        ERROR_5XX,
        /** a 200 whose body is not what the contract says */
        GARBAGE,
        /** unreachable: 503 on HTTP, SFTP login refused, files and queues left unread */
        DOWN,
        /** rejects the content (422 / Accepted=false) */
        REJECT,
        /** sends each of its own messages twice */
        DUPLICATE
    }

    public record Behaviour(Mode mode, long delayMs) {
    }

    private final Map<String, Behaviour> byUnit = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, Behaviour>> listeners = new CopyOnWriteArrayList<>();

    /** Told of every change (unit, new behaviour): a DOWN AMQP bureau stops reading its queue. */
    public void onChange(BiConsumer<String, Behaviour> listener) {
        listeners.add(listener);
    }

    public Behaviour of(String unit) {
        return byUnit.getOrDefault(unit, new Behaviour(Mode.NORMAL, 0));
    }

    public void set(String unit, Behaviour b) {
        byUnit.put(unit, b);
        listeners.forEach(l -> l.accept(unit, b));
    }

    public void reset() {
        List<String> changed = List.copyOf(byUnit.keySet());
        byUnit.clear();
        changed.forEach(unit -> listeners.forEach(l -> l.accept(unit, of(unit))));
    }

    public void pause(String unit) {
        Behaviour b = of(unit);
        if (b.mode() == Mode.SLOW && b.delayMs() > 0) {
            try {
                Thread.sleep(b.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
