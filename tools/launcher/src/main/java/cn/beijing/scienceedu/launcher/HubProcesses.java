package cn.beijing.scienceedu.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts and stops the hub's processes as separate OS processes, waits for their readiness within a
 * time budget, and stops them cleanly (SIGTERM, a grace period, then SIGKILL) — or kills one with
 * SIGKILL for fault runs. Used by the launcher ({@code ./hub}) and, as a library, by the end-to-end,
 * smoke, benchmark and fault suites.
 *
 * <pre>{@code
 * try (HubProcesses hub = HubProcesses.withBudget(Duration.ofMinutes(4))) {
 *     hub.startAllAndAwait(List.of(spec1, spec2));
 *     hub.kill("bureau-adapters");          // SIGKILL
 *     hub.restartAndAwait("bureau-adapters");
 * }                                          // everything stopped, last started first
 * }</pre>
 *
 * <p>The budget bounds every wait for readiness (a suite fails fast with the name of the process
 * and the tail of its log instead of hanging CI); stopping always runs, within each process's grace.
 * Child processes are started in their own session ({@code setsid}, where available) so that a
 * Ctrl-C in the terminal reaches only the launcher, which stops them in order.
 */
public final class HubProcesses implements AutoCloseable {

    private final Instant deadline;
    private final Path runDir;
    private final Consumer<String> progress;
    private final boolean ownSession;
    private final Map<String, ManagedProcess> processes = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, ProcessSpec> specs = Collections.synchronizedMap(new LinkedHashMap<>());

    private HubProcesses(Builder b) {
        this.deadline = Instant.now().plus(b.budget);
        this.runDir = b.runDir;
        this.progress = b.progress;
        this.ownSession = b.ownSession && EmbeddedDatabase.findOnPath("setsid") != null;
    }

    public static HubProcesses withBudget(Duration budget) {
        return builder().budget(budget).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What remains of the time budget (never negative). */
    public Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Starts the process without waiting for readiness. */
    public ManagedProcess start(ProcessSpec spec) {
        ManagedProcess running = processes.get(spec.name());
        if (running != null && running.isAlive()) {
            throw new IllegalStateException(spec.name() + " is already running as pid " + running.pid());
        }
        List<String> command = new ArrayList<>();
        if (ownSession) {
            command.add("setsid");
        }
        command.addAll(spec.command());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(spec.environment());
        if (spec.workingDir() != null) {
            builder.directory(spec.workingDir().toFile());
        }
        builder.redirectErrorStream(true);
        builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        try {
            if (spec.logFile() != null) {
                Files.createDirectories(spec.logFile().toAbsolutePath().getParent());
                Files.writeString(spec.logFile(), "==== " + Instant.now() + " starting " + spec.name() + ": "
                                + String.join(" ", spec.command()) + System.lineSeparator(),
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                builder.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
            } else {
                builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            }
            Process process = builder.start();
            ManagedProcess managed = new ManagedProcess(spec, process, Instant.now());
            processes.put(spec.name(), managed);
            specs.put(spec.name(), spec);
            writePidFile(managed);
            progress.accept("starting " + spec + ", pid " + process.pid());
            return managed;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the process is ready; fails if it exits, or its start timeout or the budget runs out. */
    public ManagedProcess awaitReady(ManagedProcess process) {
        ProcessSpec spec = process.spec();
        Instant own = process.startedAt().plus(spec.startTimeout());
        Instant until = own.isBefore(deadline) ? own : deadline;
        while (true) {
            if (!process.isAlive()) {
                throw new HubStartException(spec.name(), spec.name() + " exited with code "
                        + process.process().exitValue() + " before it was ready" + logHint(process));
            }
            if (spec.readiness() == null || spec.readiness().isReady()) {
                process.markReady(Instant.now());
                progress.accept(spec.name() + " is up" + (spec.port() > 0 ? " on port " + spec.port() : "")
                        + " (" + seconds(process.timeToReady()) + ")");
                return process;
            }
            if (Instant.now().isAfter(until)) {
                boolean budget = until.equals(deadline);
                throw new HubStartException(spec.name(), spec.name() + " was not ready after "
                        + seconds(Duration.between(process.startedAt(), Instant.now()))
                        + (budget ? " (the time budget ran out)" : " (its start timeout)") + logHint(process));
            }
            Ports.sleep(250);
        }
    }

    public ManagedProcess startAndAwait(ProcessSpec spec) {
        return awaitReady(start(spec));
    }

    /** Starts all of them at once, then waits until every one is ready (the first failure is thrown). */
    public List<ManagedProcess> startAllAndAwait(List<ProcessSpec> specsToStart) {
        List<ManagedProcess> started = new ArrayList<>();
        for (ProcessSpec spec : specsToStart) {
            started.add(start(spec));
        }
        if (started.size() == 1) {
            return List.of(awaitReady(started.get(0)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(started.size(), r -> {
            Thread t = new Thread(r, "hub-readiness");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<ManagedProcess>> waits = started.stream()
                    .map(p -> CompletableFuture.supplyAsync(() -> awaitReady(p), pool))
                    .toList();
            try {
                CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw e;
            }
            return waits.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    /** SIGTERM, wait up to the grace period, then SIGKILL. Returns the exit code (or -1 if it was not running). */
    public int stop(String name) {
        ManagedProcess process = processes.get(name);
        if (process == null) {
            return -1;
        }
        int code = terminate(List.of(process)).getOrDefault(name, -1);
        return code;
    }

    /** SIGKILL, no grace (fault runs). Returns the exit code (137 on Linux). */
    public int kill(String name) {
        ManagedProcess process = processes.get(name);
        if (process == null) {
            throw new IllegalArgumentException("no process named " + name);
        }
        process.process().descendants().forEach(ProcessHandle::destroyForcibly);
        process.process().destroyForcibly();
        int code = waitFor(process.process(), Duration.ofSeconds(30));
        progress.accept(name + " killed (SIGKILL), exit code " + code);
        deletePidFile(name);
        return code;
    }

    /** Starts a process again with the spec it was last started with (after {@link #stop} or {@link #kill}). */
    public ManagedProcess restart(String name) {
        ProcessSpec spec = specs.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("no process named " + name);
        }
        ManagedProcess old = processes.get(name);
        if (old != null && old.isAlive()) {
            stop(name);
        }
        return start(spec);
    }

    public ManagedProcess restartAndAwait(String name) {
        return awaitReady(restart(name));
    }

    public Optional<ManagedProcess> get(String name) {
        return Optional.ofNullable(processes.get(name));
    }

    public List<ManagedProcess> processes() {
        synchronized (processes) {
            return List.copyOf(processes.values());
        }
    }

    /** Stops every process: SIGTERM to all (last started first), wait, then SIGKILL those still running. */
    @Override
    public void close() {
        List<ManagedProcess> all = new ArrayList<>(processes());
        Collections.reverse(all);
        terminate(all);
    }

    private Map<String, Integer> terminate(List<ManagedProcess> toStop) {
        Map<String, Integer> codes = new LinkedHashMap<>();
        List<ManagedProcess> alive = toStop.stream().filter(ManagedProcess::isAlive).toList();
        for (ManagedProcess p : alive) {
            progress.accept("stopping " + p.name() + " (SIGTERM)");
            p.process().destroy();
        }
        for (ManagedProcess p : toStop) {
            int code = waitFor(p.process(), p.spec().stopGrace());
            if (p.process().isAlive()) {
                progress.accept(p.name() + " did not stop within " + seconds(p.spec().stopGrace()) + ", SIGKILL");
                p.process().descendants().forEach(ProcessHandle::destroyForcibly);
                p.process().destroyForcibly();
                code = waitFor(p.process(), Duration.ofSeconds(10));
            }
            codes.put(p.name(), code);
            deletePidFile(p.name());
        }
        return codes;
    }

    private static int waitFor(Process process, Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void writePidFile(ManagedProcess process) {
        if (runDir == null) {
            return;
        }
        try {
            Files.createDirectories(runDir);
            Files.writeString(runDir.resolve(process.name() + ".pid"),
                    process.pid() + "\n" + process.spec().port() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            // status only; never fatal
        }
    }

    private void deletePidFile(String name) {
        if (runDir == null) {
            return;
        }
        try {
            Files.deleteIfExists(runDir.resolve(name + ".pid"));
        } catch (IOException e) {
            // status only
        }
    }

    private static String logHint(ManagedProcess process) {
        if (process.spec().logFile() == null) {
            return "";
        }
        return "; log " + process.spec().logFile() + ", last lines:\n" + process.logTail(15);
    }

    static String seconds(Duration d) {
        if (d == null) {
            return "?";
        }
        return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    public static final class Builder {
        private Duration budget = Duration.ofMinutes(10);
        private Path runDir;
        private Consumer<String> progress = message -> { };
        private boolean ownSession = true;

        private Builder() {
        }

        /** Total time every wait for readiness must fit in, counted from {@link #build()}. */
        public Builder budget(Duration budget) {
            this.budget = budget;
            return this;
        }

        /** Where {@code <name>.pid} files are kept (for {@code ./hub status}); none when unset. */
        public Builder runDir(Path dir) {
            this.runDir = dir;
            return this;
        }

        public Builder progress(Consumer<String> listener) {
            this.progress = listener;
            return this;
        }

        /** Start children in their own session (default true) so a terminal's Ctrl-C reaches only the caller. */
        public Builder ownSession(boolean ownSession) {
            this.ownSession = ownSession;
            return this;
        }

        public HubProcesses build() {
            return new HubProcesses(this);
        }
    }
}
