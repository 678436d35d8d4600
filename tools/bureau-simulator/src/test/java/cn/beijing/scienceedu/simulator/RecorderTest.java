package cn.beijing.scienceedu.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The recorder keeps the newest messages up to its capacity, in arrival order, and tells its listeners of each. */
class RecorderTest {

    @Test
    void keepsTheNewestUpToItsCapacityInArrivalOrder() {
        SimSettings settings = new SimSettings();
        settings.setRecorderCapacity(100);
        Recorder recorder = new Recorder(settings);
        List<Long> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        recorder.onReceived(r -> heard.add(r.seq()));

        IntStream.range(0, 8).parallel().forEach(t -> {
            for (int i = 0; i < 50; i++) {
                recorder.record("SKX", "REST", Map.of("kind", "ASSIGNMENT", "taskId", "t" + t + "-" + i), List.of(), null,
                        new byte[] {1}, null);
            }
        });

        List<Received> all = recorder.query(null, null);
        assertThat(all).hasSize(100);
        assertThat(all).extracting(Received::seq).isSorted();
        assertThat(heard).hasSize(400);
        assertThat(recorder.query("SKX", null)).hasSize(100);
        // the tallies outlive the capacity: every (kind, unit, task) seen, with its copies and distinct message ids
        assertThat(recorder.tallies("ASSIGNMENT")).hasSize(400).allSatisfy(t -> assertThat(t.copies()).isEqualTo(1));
        recorder.record("SKX", "REST", Map.of("kind", "ASSIGNMENT", "taskId", "t0-0", "messageId", "a"), List.of(), null, null, null);
        recorder.record("SKX", "REST", Map.of("kind", "ASSIGNMENT", "taskId", "t0-0", "messageId", "b"), List.of(), null, null, null);
        assertThat(recorder.tallies("ASSIGNMENT")).filteredOn(t -> t.taskId().equals("t0-0")).singleElement()
                .satisfies(t -> assertThat(t.copies()).isEqualTo(3))
                .satisfies(t -> assertThat(t.effects()).isEqualTo(2))
                .satisfies(t -> assertThat(t.messageIds()).containsExactly("a", "b"));
        assertThat(recorder.tallies("PROGRESS")).isEmpty();
        recorder.clear();
        assertThat(recorder.tallies(null)).isEmpty();
        assertThat(recorder.query(null, null)).isEmpty();
        recorder.record("SKX", "REST", Map.of("kind", "ASSIGNMENT", "taskId", "x"), List.of("bad"), null, null, null);
        assertThat(recorder.query(null, "x")).singleElement().satisfies(r -> assertThat(r.valid()).isFalse());
    }
}
