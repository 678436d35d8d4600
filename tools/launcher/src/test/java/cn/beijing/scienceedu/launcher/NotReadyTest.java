package cn.beijing.scienceedu.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start where a process did not become ready ends non-zero and shows why: the end of that process's log, not
 * "Ready after".
 */
class NotReadyTest {

    @TempDir
    Path logs;

    @Test
    void theTailOfEachFailedLogIsPrintedAndTheExitCodeIsNonZero() throws Exception {
        Path adapters = logs.resolve("bureau-adapters.log");
        String lines = IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
        Files.writeString(adapters, lines + "\nNo converter found capable of converting from type [java.lang.String] "
                + "to type [SimBureaus$Bureau]\n", StandardCharsets.UTF_8);
        Map<String, String> failures = new LinkedHashMap<>();
        failures.put("bureau-adapters", "bureau-adapters exited with code 1 before it was ready");
        failures.put("bureau-simulator", "bureau-simulator not ready within 10 min");
        Map<String, Path> logFiles = Map.of("bureau-adapters", adapters, "bureau-simulator", logs.resolve("missing.log"));

        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code = HubLauncher.notReady(new PrintStream(buffer, true, StandardCharsets.UTF_8), failures, logFiles);
        String out = buffer.toString(StandardCharsets.UTF_8);

        assertThat(code).isNotZero().isEqualTo(HubLauncher.EXIT_NOT_READY);
        assertThat(out).contains("bureau-adapters exited with code 1 before it was ready")
                .contains("No converter found capable of converting").contains("line 100").contains("line 62")
                .doesNotContain("line 61\n").doesNotContain("Ready after")
                .contains("NOT READY: bureau-adapters, bureau-simulator");
    }
}
