package cn.beijing.scienceedu.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.springframework.stereotype.Component;

/** Everything the simulated bureaus received, in arrival order. */
@Component
public class Recorder {

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final List<Consumer<Received>> listeners = new CopyOnWriteArrayList<>();

    public Received record(String unit, String protocol, Map<String, Object> fields, List<String> errors,
            String fileName, byte[] raw, String traceparent) {
        Received r = new Received(seq.incrementAndGet(), unit, protocol, str(fields.get("kind")),
                str(fields.get("messageId")), str(fields.get("taskId")), Instant.now(), errors.isEmpty(),
                List.copyOf(errors), fields, fileName, raw, traceparent);
        received.add(r);
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

    public void clear() {
        received.clear();
    }

    public void onReceived(Consumer<Received> listener) {
        listeners.add(listener);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
