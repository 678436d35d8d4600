package cn.beijing.scienceedu.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubProcessesTest {

    @TempDir
    Path dir;

    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    @Test
    void startsAChildWaitsForItsReadinessAndStopsItCleanly() throws Exception {
        int port = Ports.findFree();
        Path marker = dir.resolve("marker");
        try (HubProcesses hub = HubProcesses.builder().budget(Duration.ofSeconds(60)).runDir(dir.resolve("run"))
                .progress(progress::add).build()) {
            ManagedProcess p = hub.startAndAwait(tiny("tiny", port, 1500, marker).env("HUB_MARK", "seen").build());

            assertThat(p.isReady()).isTrue();
            assertThat(p.timeToReady()).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
            assertThat(ReadinessProbe.status(URI.create("http://localhost:" + port + "/actuator/health/readiness"))).isEqualTo(200);
            assertThat(Files.readString(dir.resolve("run/tiny.pid"))).startsWith(p.pid() + "\n");
            assertThat(p.logTail(5)).contains("tiny service listening on " + port).contains("HUB_MARK=seen");

            int code = hub.stop("tiny");

            assertThat(code).as("exit code after SIGTERM").isEqualTo(143);
            assertThat(marker).as("its shutdown hook ran").hasContent("stopped cleanly");
            assertThat(p.isAlive()).isFalse();
            assertThat(dir.resolve("run/tiny.pid")).doesNotExist();
        }
        assertThat(progress).anyMatch(m -> m.startsWith("tiny is up on port " + port));
    }

    @Test
    void killsWithSigkillForFaultRunsAndRestarts() throws Exception {
        int port = Ports.findFree();
        Path marker = dir.resolve("marker");
        try (HubProcesses hub = HubProcesses.withBudget(Duration.ofSeconds(60))) {
            ManagedProcess first = hub.startAndAwait(tiny("tiny", port, 0, marker).build());

            assertThat(hub.kill("tiny")).isEqualTo(137);
            assertThat(marker).as("no shutdown hook on SIGKILL").doesNotExist();
            assertThat(first.isAlive()).isFalse();

            ManagedProcess second = hub.restartAndAwait("tiny");
            assertThat(second.pid()).isNotEqualTo(first.pid());
            assertThat(second.isReady()).isTrue();
        }
        assertThat(marker).as("close() stops the restarted one with SIGTERM").hasContent("stopped cleanly");
    }

    @Test
    void failsFastWhenTheBudgetRunsOutNamingTheProcess() {
        int port = Ports.findFree();
        try (HubProcesses hub = HubProcesses.withBudget(Duration.ofSeconds(3))) {
            Instant t0 = Instant.now();
            assertThatThrownBy(() -> hub.startAndAwait(tiny("never-ready", port, 600_000, dir.resolve("m")).build()))
                    .isInstanceOf(HubStartException.class)
                    .hasMessageContaining("never-ready was not ready")
                    .hasMessageContaining("time budget");
            assertThat(Duration.between(t0, Instant.now())).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void reportsAChildThatExitsBeforeItIsReadyWithItsLog() {
        int port = Ports.findFree();
        try (HubProcesses hub = HubProcesses.withBudget(Duration.ofSeconds(60))) {
            ProcessSpec spec = tiny("quitter", port, 0, dir.resolve("m"))
                    .command(command(port, 0, dir.resolve("m"), "200")).build();
            assertThatThrownBy(() -> hub.startAndAwait(spec))
                    .isInstanceOf(HubStartException.class)
                    .hasMessageContaining("quitter exited with code 3")
                    .hasMessageContaining("giving up on purpose");
        }
    }

    @Test
    void startsSeveralAtOnceAndStopsThemAll() {
        int a = Ports.findFree();
        int b = Ports.findFree();
        HubProcesses hub = HubProcesses.withBudget(Duration.ofSeconds(60));
        List<ManagedProcess> up = hub.startAllAndAwait(List.of(
                tiny("one", a, 500, dir.resolve("m1")).build(),
                tiny("two", b, 500, dir.resolve("m2")).build()));
        assertThat(up).allMatch(ManagedProcess::isReady);
        hub.close();
        assertThat(up).noneMatch(ManagedProcess::isAlive);
        assertThat(dir.resolve("m1")).hasContent("stopped cleanly");
        assertThat(dir.resolve("m2")).hasContent("stopped cleanly");
    }

    private ProcessSpec.Builder tiny(String name, int port, long readyAfterMillis, Path marker) {
        return ProcessSpec.builder(name)
                .command(command(port, readyAfterMillis, marker))
                .logFile(dir.resolve("logs/" + name + ".log"))
                .readiness(ReadinessProbe.http(URI.create("http://localhost:" + port + "/actuator/health/readiness")))
                .port(port)
                .stopGrace(Duration.ofSeconds(10));
    }

    private static List<String> command(int port, long readyAfterMillis, Path marker, String... extra) {
        List<String> command = new ArrayList<>(List.of(ProcessSpec.javaExecutable(), "-Xmx32m", "-XX:TieredStopAtLevel=1",
                "-cp", testClasses(), TinyService.class.getName(),
                Integer.toString(port), Long.toString(readyAfterMillis), marker.toString()));
        command.addAll(List.of(extra));
        return command;
    }

    private static String testClasses() {
        try {
            return Path.of(TinyService.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
