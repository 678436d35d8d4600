package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.simulator.Behaviours;

/**
 * Figures for the README: a 1,000-message backlog for one bureau (built while it is down) drains in
 * order once it is back; deliveries per second per protocol. Written to target/adapter-throughput.txt.
 */
class ThroughputMeasurementTest extends AdaptersIntegrationTest {

    @Test
    void thousandMessageBacklogDrainsWhenTheBureauReturns() throws Exception {
        List<String> lines = new ArrayList<>();
        SimulatorHarness.behaviours().set("TSW", new Behaviours.Behaviour(Behaviours.Mode.DOWN, 0));
        String prefix = "T-TSW-BL-" + System.nanoTime() + "-";
        for (int i = 0; i < 1000; i++) {
            publish("task.dispatched", prefix + i, "TSW", 1, Map.of());
        }
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc.queryForObject(
                "select count(*) from delivery where task_id like ? and status = 'PENDING'", Integer.class, prefix + "%") == 1000);
        assertThat(jdbc.queryForObject("select count(*) from delivery where task_id like ? and status = 'PARKED'", Integer.class,
                prefix + "%")).isZero();
        long start = System.nanoTime();
        SimulatorHarness.behaviours().set("TSW", new Behaviours.Behaviour(Behaviours.Mode.NORMAL, 0));
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc.queryForObject(
                "select count(*) from delivery where task_id like ? and status = 'DELIVERED'", Integer.class, prefix + "%") == 1000);
        double seconds = (System.nanoTime() - start) / 1e9;
        lines.add(String.format("backlog of 1000 (REST, TSW, built during an outage): drained in %.1f s after the bureau returned (%.0f/s; includes breaker half-open wait <= 1 s)",
                seconds, 1000 / seconds));
        assertThat(SimulatorHarness.recorder().query("TSW", null).stream().filter(r -> r.taskId() != null
                && r.taskId().startsWith(prefix)).filter(r -> r.valid()).count()).isEqualTo(1000);

        for (String unit : List.of("SJW", "SKW", "GHZRW", "KXY", "SGW")) {
            String p = "T-" + unit + "-TP-" + System.nanoTime() + "-";
            int n = 200;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                publish("task.dispatched", p + i, unit, 1, Map.of());
            }
            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> jdbc.queryForObject(
                    "select count(*) from delivery where task_id like ? and status = 'DELIVERED'", Integer.class, p + "%") == n);
            double s = (System.nanoTime() - t0) / 1e9;
            String protocol = jdbc.queryForObject("select protocol from delivery where task_id = ?", String.class, p + "0");
            lines.add(String.format("%-5s %-6s %d events -> delivered in %.1f s = %.0f deliveries/s (event intake, outbox, delivery, message log, delivery event)",
                    protocol, unit, n, s, n / s));
        }
        Path out = Path.of("target", "adapter-throughput.txt");
        Files.write(out, lines, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        lines.forEach(System.out::println);
    }
}
