package cn.beijing.scienceedu.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * {@code bench --quick} as a CI smoke: every scenario that can run here runs briefly and produces numbers.
 * Timings are never asserted (a shared 2-core machine drifts); only that each scenario ran and measured
 * something, and that P1–P5 measured a reference in the same run.
 */
class BenchQuickTest {

    @Test
    void quickBenchRunsEveryScenarioAndProducesNumbers() throws Exception {
        Path repo = Path.of(System.getProperty("bench.repo", "../.."));
        List<Result> results = new Bench(repo, true, Set.of()).run();

        assertThat(results).extracting(r -> r.id).contains("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8");
        for (Result r : results) {
            assertThat(r.status).as(r.id + " " + r.title).isEqualTo("ran");
            assertThat(r.hubValue).as(r.id + " hub figure").isNotNull().isFinite().isPositive();
            if (r.ratio != null) {
                assertThat(r.referenceValue).as(r.id + " reference figure").isNotNull().isFinite().isPositive();
                assertThat(r.ratio).as(r.id + " ratio").isFinite().isPositive();
            }
        }
        assertThat(results.stream().filter(r -> Set.of("P1", "P2", "P3", "P4", "P5").contains(r.id)))
                .allSatisfy(r -> assertThat(r.ratio).as(r.id + " has a reference in the same run").isNotNull());
        assertThat(Files.readString(repo.resolve("tools/bench/target/bench-results.json"))).contains("\"P1\"", "\"P4\"", "\"P5\"", "\"P8\"");
    }
}
