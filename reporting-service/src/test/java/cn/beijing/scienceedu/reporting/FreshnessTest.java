package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * Freshness: the time from publishing a progress-report event to the report API showing it, measured
 * over 60 events one after another; p50 and p99 are printed and written to
 * {@code target/freshness.txt}.
 */
class FreshnessTest extends ReportingTestBase {

    private static final String P = "freshness";

    @Test
    void aProgressReportShowsInTheReportWithinASecond() throws IOException {
        policyCopy(P);
        OffsetDateTime t0 = OffsetDateTime.of(2025, 5, 6, 9, 0, 0, 0, ZoneOffset.ofHours(8));
        publish(TaskEvents.task("task.planned", P, "fresh-1", 5, "SJW", "SJW", "PLANNED", 1, t0)
                .deadline(LocalDate.of(2025, 12, 31)));
        await("planned", Duration.ofSeconds(20), () -> eventsApplied(P) == 1);
        List<Long> millis = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            int percent = i;
            long start = System.nanoTime();
            publish(TaskEvents.task("task.progress-reported", P, "fresh-1", 5, "SJW", "SJW", "IN_PROGRESS", 1 + i,
                    t0.plusMinutes(i)).deadline(LocalDate.of(2025, 12, 31))
                    .progress("fresh-pr-" + i, "2025-05", "ON_TRACK", percent, "第" + i + "次报送", null));
            await("report " + i + " visible", Duration.ofSeconds(10), () -> {
                JsonNode rows = getJson("/api/v1/reports/measures?policy=" + P + "&period=2025");
                return rows.get(4).get("percentComplete").asInt() == percent;
            });
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        long p50 = sorted.get((int) Math.ceil(0.50 * sorted.size()) - 1);
        long p99 = sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1);
        String line = "freshness publish→visible in report API over " + sorted.size() + " events: p50=" + p50
                + " ms, p99=" + p99 + " ms, max=" + sorted.get(sorted.size() - 1) + " ms";
        System.out.println(line);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/freshness.txt"), line + System.lineSeparator());
        assertThat(p50).isLessThan(1000);
        assertThat(p99).isLessThan(3000);
    }
}
