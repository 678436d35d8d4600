package cn.beijing.scienceedu.launcher;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** A process started by {@link HubProcesses}. */
public final class ManagedProcess {

    private final ProcessSpec spec;
    private final Process process;
    private final Instant startedAt;
    private volatile Instant readyAt;

    ManagedProcess(ProcessSpec spec, Process process, Instant startedAt) {
        this.spec = spec;
        this.process = process;
        this.startedAt = startedAt;
    }

    public String name() { return spec.name(); }
    public ProcessSpec spec() { return spec; }
    public long pid() { return process.pid(); }
    public Process process() { return process; }
    public Instant startedAt() { return startedAt; }
    public boolean isAlive() { return process.isAlive(); }
    public boolean isReady() { return readyAt != null && process.isAlive(); }

    /** Time from start to ready, if it became ready. */
    public Duration timeToReady() {
        return readyAt == null ? null : Duration.between(startedAt, readyAt);
    }

    void markReady(Instant at) {
        this.readyAt = at;
    }

    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Resident memory in KiB (Linux), empty when unknown or exited. */
    public OptionalLong residentKiB() {
        return residentKiB(process.pid());
    }

    public static OptionalLong residentKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or gone
        }
        return OptionalLong.empty();
    }

    /** The last {@code lines} lines of its log file (empty without a log file). */
    public String logTail(int lines) {
        return tail(spec.logFile(), lines);
    }

    static String tail(Path file, int lines) {
        if (file == null || !Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long from = Math.max(0, length - 64 * 1024);
            raf.seek(from);
            byte[] bytes = new byte[(int) (length - from)];
            raf.readFully(bytes);
            List<String> all = List.of(new String(bytes, StandardCharsets.UTF_8).split("\n"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return spec + " pid " + process.pid() + (isAlive() ? "" : " exited " + process.exitValue());
    }
}
