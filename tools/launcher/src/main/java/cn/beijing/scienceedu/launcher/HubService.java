package cn.beijing.scienceedu.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One process of the local hub: its name, Maven module folder, HTTP port, own database (or null)
 * and start stage (a stage starts when the one before it is up).
 */
public record HubService(String name, String module, int port, String database, int stage) {

    /** The six processes, in start order (docs/conventions.md, "Ports"). */
    public static final List<HubService> ALL = List.of(
            new HubService("token-issuer", "tools/token-issuer", 9000, null, 0),
            new HubService("bureau-simulator", "tools/bureau-simulator", 8090, null, 0),
            new HubService("task-service", "task-service", 8081, "hub_task", 1),
            new HubService("bureau-adapters", "bureau-adapters", 8082, "hub_adapters", 1),
            new HubService("reporting-service", "reporting-service", 8083, "hub_reporting", 1),
            new HubService("gateway", "gateway", 8080, null, 2));

    public Path moduleDir(Path repoRoot) {
        return repoRoot.resolve(module);
    }

    /**
     * How to start this service from its built jar: {@code java <javaOptions> -jar <module>/target/<jar>},
     * the settings' environment, {@code SERVER_PORT}, the module folder as working folder, output to
     * {@code <logDir>/<name>.log}, ready at {@code /actuator/health/readiness} (else {@code /actuator/health}).
     *
     * @throws IllegalStateException when the module has no jar yet
     */
    public ProcessSpec.Builder processSpec(Path repoRoot, HubSettings settings, Path logDir, List<String> javaOptions) {
        Path dir = moduleDir(repoRoot);
        Path jar = ModuleBuilder.executableJar(dir)
                .orElseThrow(() -> new IllegalStateException(name + " has no jar in " + dir.resolve("target")
                        + " (build it: ./mvnw -q -DskipTests install -pl " + module + " -am)"));
        return ProcessSpec.builder(name)
                .command(ProcessSpec.javaJar(jar, javaOptions))
                .env(settings.environmentFor(this))
                .env("SERVER_PORT", Integer.toString(port))
                .workingDir(dir)
                .logFile(logDir.resolve(name + ".log"))
                .springBootReadiness(port)
                .startTimeout(Duration.ofMinutes(4))
                .stopGrace(Duration.ofSeconds(20));
    }

    public static HubService named(String name) {
        return ALL.stream().filter(s -> s.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown process '" + name + "'; known: "
                        + String.join(", ", ALL.stream().map(HubService::name).toList())));
    }
}
