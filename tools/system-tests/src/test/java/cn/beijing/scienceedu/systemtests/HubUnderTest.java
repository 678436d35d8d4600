package cn.beijing.scienceedu.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import cn.beijing.scienceedu.launcher.HubProcesses;
import cn.beijing.scienceedu.launcher.HubService;
import cn.beijing.scienceedu.launcher.HubSettings;
import cn.beijing.scienceedu.launcher.ManagedProcess;
import cn.beijing.scienceedu.launcher.Ports;
import cn.beijing.scienceedu.launcher.ProcessSpec;
import cn.beijing.scienceedu.testsupport.HubInfrastructure;

/**
 * The hub's processes for one suite, started by the launcher's harness ({@link HubProcesses}) against the
 * REAL RabbitMQ and PostgreSQL named by the {@code HUB_*} settings (through {@code tools/test-support}): a
 * fresh vhost and fresh databases {@code hub_<service>_<suffix>} per run. The processes run from a copy of
 * the built jars ({@link HubSandbox}); the harness's time budget bounds every wait.
 */
final class HubUnderTest implements AutoCloseable {

    static final List<String> UNITS = List.of("SJW", "SKX", "SKW", "XCB", "WXB", "FGW", "JXJ", "CZJ", "RSJ", "GHZRW",
            "STHJJ", "NNJ", "TXGLJ", "KXY", "TSW", "FL", "SGW");

    final HubProcesses processes;
    final Path work;
    final Path logs;
    final Instant began = Instant.now();
    final HubHttp http = new HubHttp();
    final Duration budget;
    /** The suite's own vhost on the real broker (set once started). */
    HubInfrastructure.Broker broker;
    private final Map<String, Map<String, String>> extraEnv;
    private final boolean fixedBureauTokens;

    private HubUnderTest(String suite, Duration budget, Map<String, Map<String, String>> extraEnv, boolean fixedBureauTokens) {
        this.extraEnv = extraEnv;
        this.fixedBureauTokens = fixedBureauTokens;
        this.budget = budget;
        this.work = Path.of("target", suite).toAbsolutePath();
        this.logs = work.resolve("logs");
        this.processes = HubProcesses.builder().budget(budget).progress(m -> System.out.println("[" + suite + "] " + m)).build();
    }

    /**
     * Starts {@code names} (in the launcher's stages; the simulator after the issuer, with the bureaus' issuer tokens
     * and the gateway as the hub it calls).
     */
    static HubUnderTest start(String suite, Duration budget, List<String> names) {
        return start(suite, budget, names, Map.of(), true);
    }

    /**
     * As {@link #start(String, Duration, List)}, with extra environment per process name (applied last, so it
     * overrides the suite's defaults). {@code fixedBureauTokens=false} gives the simulator no tokens of the
     * suite's: it then gets and renews its bureaus' tokens from the issuer itself (runs longer than a token lives).
     */
    static HubUnderTest start(String suite, Duration budget, List<String> names, Map<String, Map<String, String>> extraEnv,
            boolean fixedBureauTokens) {
        HubUnderTest hub = new HubUnderTest(suite, budget, extraEnv, fixedBureauTokens);
        try {
            hub.startAll(suite, names);
        } catch (RuntimeException | Error e) {
            hub.close();
            throw e;
        }
        return hub;
    }

    private void startAll(String suite, List<String> names) {
        HubSandbox.deleteTree(work.resolve("logs"));
        for (String dir : List.of("exchange", "sftp", "issuer", "messagelog")) {
            HubSandbox.deleteTree(work.resolve(dir));
            mkdirs(work.resolve(dir));
        }
        for (String name : names) {
            int port = HubService.named(name).port();
            assertThat(Ports.isOpen("localhost", port, 300))
                    .as("port %d (%s) must be free before the suite (is a ./hub running? ./hub stop)", port, name).isFalse();
        }
        List<HubService> services = names.stream().map(HubService::named).toList();
        Path sandbox = HubSandbox.prepare(work.resolve("hub"), services, false);

        String key = suite.replaceAll("[^a-z0-9]", "_");
        HubInfrastructure.Broker broker = HubInfrastructure.rabbit("hub-" + suite);
        this.broker = broker;
        Map<String, HubInfrastructure.Database> databases = new LinkedHashMap<>();
        for (HubService s : services) {
            if (s.database() != null) {
                databases.put(s.name(), HubInfrastructure.postgres(s.database() + "_" + key));
            }
        }
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "HUB_RABBITMQ_HOST", broker.host(), "HUB_RABBITMQ_PORT", Integer.toString(broker.port()),
                "HUB_RABBITMQ_USERNAME", broker.username(), "HUB_RABBITMQ_PASSWORD", broker.password(),
                "HUB_RABBITMQ_VHOST", broker.virtualHost()));
        if (!databases.isEmpty()) {
            HubInfrastructure.Database any = databases.values().iterator().next();
            env.put("HUB_DATABASE_URL", any.url());
            env.put("HUB_DATABASE_USERNAME", any.username());
            env.put("HUB_DATABASE_PASSWORD", any.password() == null ? "" : any.password());
        }
        HubSettings settings = HubSettings.of(env);
        List<String> jvm = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx384m");

        List<List<ProcessSpec>> stages = new ArrayList<>();
        for (int stage = 0; stage <= 2; stage++) {
            stages.add(new ArrayList<>());
        }
        boolean issuer = names.contains("token-issuer");
        if (issuer) {
            processes.startAndAwait(spec("token-issuer", sandbox, settings, jvm, databases)
                    .env("HUB_ISSUER_DATA_DIR", work.resolve("issuer").toString()).build());
        }
        for (HubService s : services) {
            if (s.name().equals("token-issuer")) {
                continue;
            }
            ProcessSpec.Builder b = spec(s.name(), sandbox, settings, jvm, databases)
                    .env("HUB_EXCHANGE_DIR", work.resolve("exchange").toString());
            if (s.name().equals("bureau-simulator")) {
                Map<String, String> tokens = new LinkedHashMap<>();
                if (issuer && fixedBureauTokens) {
                    UNITS.forEach(u -> tokens.put(u, http.bureauToken(u)));
                }
                b.env("SPRING_APPLICATION_JSON", HubHttp.JSON.writeValueAsString(
                                Map.of("sim", Map.of("hub-url", HubHttp.GATEWAY, "tokens", tokens))))
                        .env("HUB_SFTP_ROOT", work.resolve("sftp").toString());
            }
            if (s.name().equals("bureau-adapters")) {
                b.env("HUB_MESSAGELOG_CHECKPOINT_FILE", work.resolve("messagelog/checkpoints").toString())
                        .env("HUB_MESSAGELOG_ARCHIVE_DIR", work.resolve("messagelog").toString());
            }
            b.env(extraEnv.getOrDefault(s.name(), Map.of()));
            stages.get(s.name().equals("gateway") ? 2 : s.name().equals("bureau-simulator") ? 0 : 1).add(b.build());
        }
        for (List<ProcessSpec> stage : stages) {
            if (!stage.isEmpty()) {
                processes.startAllAndAwait(stage);
            }
        }
        Duration toReady = Duration.between(began, Instant.now());
        Map<String, Long> rss = HubLogs.residentKiB(processes.processes());
        long sum = rss.values().stream().mapToLong(Long::longValue).sum();
        figure(String.format(Locale.ROOT, "%s (real RabbitMQ + PostgreSQL): time to ready %.1f s (fresh databases and vhost, "
                        + "jar copy, %d processes in stages); resident memory of the processes %d MB (%s)",
                suite, toReady.toMillis() / 1000.0, names.size(), sum / 1024, EmbeddedDefaultsSmokeTest.mb(rss)));
    }

    private ProcessSpec.Builder spec(String name, Path sandbox, HubSettings settings, List<String> jvm,
            Map<String, HubInfrastructure.Database> databases) {
        ProcessSpec.Builder b = HubService.named(name).processSpec(sandbox, settings, logs, jvm)
                .startTimeout(Duration.ofMinutes(5));
        HubInfrastructure.Database db = databases.get(name);
        if (db != null) {
            // the CI/dev PostgreSQL is shared with every module's tests (max_connections 100): small pools
            b.env("HUB_DATABASE_URL", db.url())
                    .env("SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE", name.equals("bureau-adapters") ? "12" : "5")
                    .env("SPRING_DATASOURCE_HIKARI_MINIMUM_IDLE", "1");
        }
        return b;
    }

    static void figure(String line) {
        System.out.println(line);
        try {
            Files.writeString(Path.of("target/hub-figures.txt"), line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops every process (last started first) and returns what a clean shutdown must show: each exit code
     * and the stack-trace lines each log gained while stopping.
     */
    Map<String, Integer> stopAll(StringBuilder tracesOut) {
        Map<Path, Long> sizes = new LinkedHashMap<>();
        try (var files = Files.list(logs)) {
            files.forEach(f -> sizes.put(f, HubLogs.size(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ManagedProcess> all = new ArrayList<>(processes.processes());
        Collections.reverse(all);
        Map<String, Integer> codes = new LinkedHashMap<>();
        for (ManagedProcess p : all) {
            codes.put(p.name(), processes.stop(p.name()));
        }
        sizes.forEach((log, size) -> {
            List<String> lines = HubLogs.stackTraceLines(HubLogs.since(log, size));
            if (!lines.isEmpty()) {
                tracesOut.append(log.getFileName()).append(":\n  ")
                        .append(String.join("\n  ", lines.subList(0, Math.min(8, lines.size())))).append('\n');
            }
        });
        return codes;
    }

    <T> T await(String what, Duration timeout, Supplier<T> probe) {
        Instant until = Instant.now().plus(timeout);
        Instant budgetEnd = began.plus(budget);
        if (budgetEnd.isBefore(until)) {
            until = budgetEnd;
        }
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("timed out after " + Duration.between(until.minus(timeout), Instant.now()).toSeconds()
                        + " s (suite budget " + budget.toMinutes() + " min) waiting for: " + what);
            }
            sleep(Duration.ofMillis(500));
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        processes.close();
        System.out.printf(Locale.ROOT, "suite took %.1f s%n", Duration.between(began, Instant.now()).toMillis() / 1000.0);
    }
}
