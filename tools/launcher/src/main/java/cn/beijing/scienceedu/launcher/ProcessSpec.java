package cn.beijing.scienceedu.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to start: a name, a command, its environment and working folder, where its output goes,
 * the port it serves and how to tell it is ready.
 */
public final class ProcessSpec {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workingDir;
    private final Path logFile;
    private final int port;
    private final ReadinessProbe readiness;
    private final Duration startTimeout;
    private final Duration stopGrace;

    private ProcessSpec(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        if (b.command.isEmpty()) {
            throw new IllegalArgumentException("no command for " + name);
        }
        this.command = List.copyOf(b.command);
        this.environment = Map.copyOf(b.environment);
        this.workingDir = b.workingDir;
        this.logFile = b.logFile;
        this.port = b.port;
        this.readiness = b.readiness;
        this.startTimeout = b.startTimeout;
        this.stopGrace = b.stopGrace;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@code java [javaOptions] -jar jar [args]} with the running JVM's java. */
    public static List<String> javaJar(Path jar, List<String> javaOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(javaOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(List.of(args));
        return command;
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() { return name; }
    public List<String> command() { return command; }
    public Map<String, String> environment() { return environment; }
    public Path workingDir() { return workingDir; }
    public Path logFile() { return logFile; }
    /** The port it serves, or 0. */
    public int port() { return port; }
    /** Null when the process counts as ready once started. */
    public ReadinessProbe readiness() { return readiness; }
    public Duration startTimeout() { return startTimeout; }
    public Duration stopGrace() { return stopGrace; }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.command.addAll(command);
        b.environment.putAll(environment);
        b.workingDir = workingDir;
        b.logFile = logFile;
        b.port = port;
        b.readiness = readiness;
        b.startTimeout = startTimeout;
        b.stopGrace = stopGrace;
        return b;
    }

    @Override
    public String toString() {
        return name + (port > 0 ? " (port " + port + ")" : "");
    }

    public static final class Builder {
        private final String name;
        private final List<String> command = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDir;
        private Path logFile;
        private int port;
        private ReadinessProbe readiness;
        private Duration startTimeout = Duration.ofMinutes(3);
        private Duration stopGrace = Duration.ofSeconds(20);

        private Builder(String name) {
            this.name = name;
        }

        public Builder command(List<String> command) {
            this.command.clear();
            this.command.addAll(command);
            return this;
        }

        public Builder command(String... command) {
            return command(List.of(command));
        }

        public Builder env(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public Builder env(Map<String, String> values) {
            environment.putAll(values);
            return this;
        }

        public Builder workingDir(Path dir) {
            this.workingDir = dir;
            return this;
        }

        /** Stdout and stderr are appended here; without one they are discarded. */
        public Builder logFile(Path file) {
            this.logFile = file;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder readiness(ReadinessProbe probe) {
            this.readiness = probe;
            return this;
        }

        /** Readiness at {@code http://localhost:<port>/actuator/health/readiness}, else {@code /actuator/health}. */
        public Builder springBootReadiness(int port) {
            this.port = port;
            String base = "http://localhost:" + port;
            this.readiness = ReadinessProbe.firstExisting(List.of(
                    java.net.URI.create(base + "/actuator/health/readiness"),
                    java.net.URI.create(base + "/actuator/health")));
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** How long a stop waits after SIGTERM before SIGKILL. */
        public Builder stopGrace(Duration grace) {
            this.stopGrace = grace;
            return this;
        }

        public ProcessSpec build() {
            return new ProcessSpec(this);
        }
    }
}
