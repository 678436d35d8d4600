package cn.beijing.scienceedu.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * {@code ./hub}: the local hub on one command. Starts the embedded broker and database (unless real
 * ones are configured), builds the service modules whose jars are missing or stale, starts each
 * service as its own {@code java -jar} process in stages, shows progress, and on Ctrl-C stops the
 * services (SIGTERM, wait, SIGKILL) and then the broker and the database.
 */
public final class HubLauncher {

    public static final String DASHBOARD_URL = "http://localhost:8080/dashboard";
    /** Quick start, small footprint: the heap the suites give the same services (all six stay under 3 GB together). */
    static final String DEFAULT_JAVA_OPTS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx384m";

    private final LauncherOptions options;
    private final HubSettings settings;
    private final DataFolder data;
    private final PrintStream out;
    private final Instant began = Instant.now();

    private EmbeddedBroker broker;
    private EmbeddedDatabase database;
    private HubProcesses processes;
    private volatile boolean stopping;

    HubLauncher(LauncherOptions options, HubSettings settings, PrintStream out) {
        this.options = options;
        this.settings = settings;
        this.data = new DataFolder(options.dataDir());
        this.out = out;
    }

    public static void main(String[] args) {
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(LauncherOptions.USAGE);
            return;
        }
        HubLauncher launcher = new HubLauncher(options, HubSettings.fromEnvironment(), System.out);
        int code = switch (options.command()) {
            case "status" -> launcher.status();
            case "stop" -> launcher.stop();
            default -> launcher.up();
        };
        System.exit(code);
    }

    // ---- up ----------------------------------------------------------------------------------------

    int up() {
        if (!prepareDataFolder()) {
            return 1;
        }
        configureInfrastructureLogging(data.logs().resolve("infrastructure.log"));
        Thread hook = new Thread(this::shutdown, "hub-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        try {
            startInfrastructure();
        } catch (Exception e) {
            say("FAILED: " + e.getMessage());
            say("details: " + data.logs().resolve("infrastructure.log"));
            return 1; // the shutdown hook stops what did start
        }

        List<HubService> wanted = options.services();
        if (options.build() && !wanted.isEmpty()) {
            build(wanted);
        }
        List<HubService> runnable = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (HubService service : wanted) {
            if (ModuleBuilder.executableJar(service.moduleDir(options.repoRoot())).isPresent()) {
                runnable.add(service);
            } else {
                missing.add(service.name() + " (" + service.module() + ")");
            }
        }
        if (!missing.isEmpty()) {
            say("not started, no jar yet: " + String.join(", ", missing));
        }

        processes = HubProcesses.builder()
                .budget(Duration.ofMinutes(10))
                .runDir(data.run())
                .progress(this::say)
                .build();
        Map<String, String> failures = startServices(runnable);
        printSummary(runnable, missing, failures);
        if (!failures.isEmpty() && !stopping) {
            // a hub with a process down is no hub: say which and why, and stop (the shutdown hook stops the rest)
            Map<String, Path> logs = new LinkedHashMap<>();
            failures.keySet().forEach(name -> logs.put(name, data.logs().resolve(name + ".log")));
            return notReady(out, failures, logs);
        }
        watchChildren(failures.keySet());
        try {
            new CountDownLatch(1).await(); // until Ctrl-C / SIGTERM; the shutdown hook stops everything
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** {@code --fresh} deletes the data folder; then it is created and this launcher recorded in it. */
    boolean prepareDataFolder() {
        try {
            OptionalLong other = data.runningLauncherPid();
            if (other.isPresent()) {
                say("a hub already runs from " + data.root() + " (pid " + other.getAsLong() + "): `./hub status`, `./hub stop`");
                return false;
            }
            if (options.fresh()) {
                data.deleteAll();
                say("--fresh: deleted " + data.root());
            }
            data.create();
            data.recordLauncher();
            return true;
        } catch (IOException e) {
            say("cannot prepare " + data.root() + ": " + e.getMessage());
            return false;
        }
    }

    private void startInfrastructure() throws Exception {
        Instant t0 = Instant.now();
        CompletableFuture<String> brokerUp = CompletableFuture.supplyAsync(() -> {
            if (!settings.embeddedBroker()) {
                return "broker: the configured RabbitMQ at " + settings.get("HUB_RABBITMQ_HOST", "localhost") + ":"
                        + settings.get("HUB_RABBITMQ_PORT", "5672") + " (no embedded broker)";
            }
            try {
                EmbeddedBroker b = new EmbeddedBroker(settings.brokerPort(), data.broker());
                synchronized (this) {
                    broker = b;
                }
                b.start();
                return "broker: embedded AMQP 0-9-1 (Qpid Broker-J) up on port " + b.port() + " (guest/guest)";
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        CompletableFuture<String> databaseUp = CompletableFuture.supplyAsync(() -> {
            try {
                if (!settings.embeddedDatabase()) {
                    return "database: the configured PostgreSQL (" + createDatabasesOnConfiguredServer() + ")";
                }
                EmbeddedDatabase db = new EmbeddedDatabase(settings.databasePort(), data.postgres());
                synchronized (this) {
                    database = db;
                }
                db.start();
                return "database: embedded PostgreSQL up on port " + db.port() + " with "
                        + String.join(", ", EmbeddedDatabase.HUB_DATABASES) + " (user postgres)";
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        try {
            say(brokerUp.join());
        } catch (RuntimeException e) {
            databaseUp.exceptionally(x -> null).join();
            throw unwrap(e);
        }
        try {
            say(databaseUp.join());
        } catch (RuntimeException e) {
            throw unwrap(e);
        }
        System.gc(); // hand back the heap used while unpacking PostgreSQL and starting the broker
        say(String.format(Locale.ROOT, "broker and database ready in %s (%s since the command); launcher resident memory %s",
                HubProcesses.seconds(Duration.between(t0, Instant.now())),
                HubProcesses.seconds(Duration.between(processStart(), Instant.now())),
                megabytes(ManagedProcess.residentKiB(ProcessHandle.current().pid()))));
    }

    private String createDatabasesOnConfiguredServer() {
        String user = settings.get("HUB_DATABASE_USERNAME", "postgres");
        String password = settings.get("HUB_DATABASE_PASSWORD", "");
        List<String> created = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(settings.maintenanceUrl(), user, password)) {
            for (String db : EmbeddedDatabase.HUB_DATABASES) {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                    ps.setString(1, db);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + EmbeddedDatabase.quoteIdentifier(db));
                    created.add(db);
                }
            }
            return created.isEmpty() ? "hub databases present" : "created " + String.join(", ", created);
        } catch (SQLException e) {
            return "could not check the hub databases: " + e.getMessage();
        }
    }

    private void build(List<HubService> wanted) {
        ModuleBuilder builder = new ModuleBuilder(options.repoRoot(), data.logs().resolve("build.log"),
                mavenArgs(), this::say);
        List<String> stale = new ArrayList<>();
        for (HubService service : wanted) {
            Path dir = service.moduleDir(options.repoRoot());
            if (Files.exists(dir.resolve("pom.xml")) && builder.isStale(dir)) {
                stale.add(service.module());
            }
        }
        if (stale.isEmpty()) {
            say("build: every jar is up to date");
            return;
        }
        Instant t0 = Instant.now();
        ModuleBuilder.Result result = builder.build(stale);
        if (!result.built().isEmpty()) {
            say("built " + String.join(", ", result.built()) + " in " + HubProcesses.seconds(Duration.between(t0, Instant.now())));
        }
        if (!result.failed().isEmpty()) {
            say("BUILD FAILED for " + String.join(", ", result.failed()) + " (see " + data.logs().resolve("build.log")
                    + "); starting the jars that exist");
        }
    }

    private List<String> mavenArgs() {
        String extra = System.getenv("HUB_MAVEN_ARGS");
        return extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    }

    private Map<String, String> startServices(List<HubService> runnable) {
        Map<String, String> failures = new LinkedHashMap<>();
        List<String> javaOpts = List.of(System.getenv().getOrDefault("HUB_JAVA_OPTS", DEFAULT_JAVA_OPTS).trim().split("\\s+"));
        int lastStage = runnable.stream().mapToInt(HubService::stage).max().orElse(-1);
        for (int stage = 0; stage <= lastStage && !stopping; stage++) {
            List<ManagedProcess> started = new ArrayList<>();
            for (HubService service : runnable) {
                if (service.stage() != stage) {
                    continue;
                }
                if (!Ports.isFree(service.port())) {
                    failures.put(service.name(), "port " + service.port() + " is taken");
                    say(service.name() + ": port " + service.port() + " is taken by another process, not started");
                    continue;
                }
                ProcessSpec spec = service.processSpec(options.repoRoot(), settings, data.logs(), javaOpts)
                        .env(localRunEnvironment(service, data.root())).build();
                try {
                    started.add(processes.start(spec));
                } catch (RuntimeException e) {
                    failures.put(service.name(), e.getMessage());
                    say(service.name() + ": " + e.getMessage());
                }
            }
            List<CompletableFuture<Void>> waits = new ArrayList<>();
            for (ManagedProcess p : started) {
                waits.add(CompletableFuture.runAsync(() -> {
                    try {
                        processes.awaitReady(p);
                    } catch (HubStartException e) {
                        synchronized (failures) {
                            failures.put(p.name(), e.getMessage());
                        }
                        if (!stopping) {
                            say("FAILED: " + e.getMessage());
                        }
                    }
                }));
            }
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).join();
        }
        return failures;
    }

    /**
     * What a process gets in the one-command run only (the suites' harness leaves it out). The issuer's key and the
     * file-exchange and SFTP folders live in the data folder, so {@code --fresh} empties them too. The simulated bureaus answer every
     * assignment by themselves — sign for it, report progress (REST bureaus with school KPI values), submit every
     * third — calling the hub at the gateway with their own client-credentials tokens from the issuer
     * ({@code HUB_ISSUER_URI}), so progress arrives on the dashboard once the liaison dispatches.
     * {@code SIM_AUTO_REPLY=false} in the launcher's environment turns that off.
     */
    static Map<String, String> localRunEnvironment(HubService service, Path dataRoot) {
        Map<String, String> env = new LinkedHashMap<>();
        if (service.name().equals("token-issuer")) {
            // its signing key: with the rest of the data, so --fresh starts over here too
            env.put("HUB_ISSUER_DATA_DIR", System.getenv().getOrDefault("HUB_ISSUER_DATA_DIR", dataRoot.resolve("token-issuer").toString()));
        }
        if (service.name().equals("bureau-adapters") || service.name().equals("bureau-simulator")) {
            env.put("HUB_EXCHANGE_DIR", System.getenv().getOrDefault("HUB_EXCHANGE_DIR", dataRoot.resolve("exchange").toString()));
        }
        if (service.name().equals("bureau-simulator")) {
            env.put("HUB_SFTP_ROOT", System.getenv().getOrDefault("HUB_SFTP_ROOT", dataRoot.resolve("sftp").toString()));
            env.put("SIM_AUTO_REPLY", System.getenv().getOrDefault("SIM_AUTO_REPLY", "true"));
            env.put("SIM_AUTO_REPLY_DELAY", System.getenv().getOrDefault("SIM_AUTO_REPLY_DELAY", "PT3S"));
            env.put("SIM_AUTO_REPLY_SUBMIT_EVERY", System.getenv().getOrDefault("SIM_AUTO_REPLY_SUBMIT_EVERY", "3"));
            env.put("SIM_HUB_URL", "http://localhost:" + HubService.named("gateway").port());
        }
        return env;
    }

    /** The exit code of {@code ./hub} when a process did not become ready. */
    static final int EXIT_NOT_READY = 3;

    /** How much of a failed process's log {@code ./hub} prints. */
    static final int LOG_TAIL_LINES = 40;

    private void printSummary(List<HubService> runnable, List<String> missing, Map<String, String> failures) {
        if (stopping) {
            return;
        }
        out.println();
        out.println("──────────── local hub ────────────");
        if (broker != null) {
            out.printf("  %-18s %5d  embedded AMQP broker (Qpid), user guest/guest%n", "broker", broker.port());
        }
        if (database != null) {
            out.printf("  %-18s %5d  embedded PostgreSQL, user postgres, databases %s%n", "database", database.port(),
                    String.join(", ", EmbeddedDatabase.HUB_DATABASES));
        }
        for (HubService service : runnable) {
            Optional<ManagedProcess> p = processes.get(service.name());
            String state = failures.containsKey(service.name()) ? "NOT READY (log: " + logOf(service) + ")"
                    : p.map(mp -> "up, pid " + mp.pid() + ", ready in " + HubProcesses.seconds(mp.timeToReady())).orElse("?");
            out.printf("  %-18s %5d  %s%n", service.name(), service.port(), state);
        }
        for (String m : missing) {
            out.printf("  %-18s        not built yet%n", m.substring(0, m.indexOf(' ')));
        }
        out.println();
        out.println("  Dashboard:   " + DASHBOARD_URL);
        out.println("  Demo logins: " + demoCredentials());
        if (runnable.stream().anyMatch(x -> x.name().equals("bureau-simulator")) && !failures.containsKey("bureau-simulator")) {
            out.println("  Bureaus:     17 simulated bureau systems answer by themselves: dispatch on the dashboard and their");
            out.println("               sign-for and progress arrive there. The demo: tools/system-tests/demo (other terminal)");
        }
        out.println("  Logs:        " + data.logs() + "/<process>.log");
        if (failures.isEmpty()) {
            out.println("  Ready after: " + HubProcesses.seconds(Duration.between(processStart(), Instant.now()))
                    + "; resident memory of the whole local hub: " + megabytes(OptionalLong.of(totalResidentKiB())));
            out.println("  Ctrl-C stops everything.  `./hub status` shows what runs.");
        } else {
            out.println("  NOT READY:   " + String.join(", ", failures.keySet()) + " (the end of each log follows)");
        }
        out.println("───────────────────────────────────");
    }

    /** The token issuer publishes the demo logins in tools/token-issuer/demo-credentials.txt. */
    private String demoCredentials() {
        Path file = options.repoRoot().resolve("tools/token-issuer/demo-credentials.txt");
        try {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
                return String.join("\n               ", lines);
            }
        } catch (IOException e) {
            // fall through
        }
        return "issued by the token issuer (http://localhost:9000); its list, tools/token-issuer/demo-credentials.txt, is not there yet";
    }

    private Path logOf(HubService service) {
        return data.logs().resolve(service.name() + ".log");
    }

    /**
     * For each process that did not become ready: why, and the last {@link #LOG_TAIL_LINES} lines of its log (the
     * reason is nearly always there); then the exit code of a start that failed, {@link #EXIT_NOT_READY}.
     */
    static int notReady(PrintStream out, Map<String, String> failures, Map<String, Path> logs) {
        for (Map.Entry<String, String> f : failures.entrySet()) {
            Path log = logs.get(f.getKey());
            out.println();
            out.println("── " + f.getKey() + ": " + f.getValue());
            out.println("── last " + LOG_TAIL_LINES + " lines of " + log + ":");
            try {
                List<String> lines = log != null && Files.exists(log)
                        ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList() : List.of();
                lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()).forEach(l -> out.println("   " + l));
            } catch (IOException e) {
                out.println("   (cannot read it: " + e.getMessage() + ")");
            }
        }
        out.println();
        out.println("[hub] NOT READY: " + String.join(", ", failures.keySet()) + " — stopping the local hub");
        return EXIT_NOT_READY;
    }

    private void watchChildren(java.util.Set<String> alreadyReported) {
        Thread watcher = new Thread(() -> {
            Map<String, Long> reported = new LinkedHashMap<>();
            alreadyReported.forEach(name -> reported.put(name, 0L));
            while (!stopping) {
                for (ManagedProcess p : processes.processes()) {
                    if (!p.isAlive() && !stopping && reported.get(p.name()) == null) {
                        reported.put(p.name(), p.pid());
                        say(p.name() + " exited with code " + p.process().exitValue() + " (log: "
                                + p.spec().logFile() + ")");
                    }
                }
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "hub-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Ctrl-C / SIGTERM: services first (SIGTERM, wait, SIGKILL), then the broker, then the database. */
    private void shutdown() {
        stopping = true;
        out.println();
        say("stopping the local hub");
        if (processes != null) {
            processes.close();
        }
        EmbeddedBroker b;
        EmbeddedDatabase d;
        synchronized (this) {
            b = broker;
            d = database;
        }
        if (b != null && b.isRunning()) {
            say("stopping the embedded broker");
            b.close();
        }
        if (d != null && d.isRunning()) {
            say("stopping the embedded database");
            d.close();
        }
        data.forgetLauncher();
        say("stopped; data kept in " + data.root() + " (`./hub --fresh` starts over)");
        out.flush();
    }

    // ---- status ------------------------------------------------------------------------------------

    int status() {
        OptionalLong launcher = data.runningLauncherPid();
        out.println("local hub in " + data.root());
        out.printf("  %-18s %s%n", "launcher", launcher.isPresent()
                ? "running, pid " + launcher.getAsLong() + ", " + megabytes(ManagedProcess.residentKiB(launcher.getAsLong()))
                : "not running");
        out.printf("  %-18s %5d  %s%n", "broker", settings.brokerPort(),
                Ports.isOpen("localhost", settings.brokerPort(), 500) ? "listening" : "not listening");
        OptionalLong postmaster = postmasterPid();
        out.printf("  %-18s %5d  %s%n", "database", settings.databasePort(),
                Ports.isOpen("localhost", settings.databasePort(), 500)
                        ? "listening" + (postmaster.isPresent() ? ", " + megabytes(OptionalLong.of(treeKiB(postmaster.getAsLong()))) : "")
                        : "not listening");
        long total = launcher.isPresent() ? ManagedProcess.residentKiB(launcher.getAsLong()).orElse(0) : 0;
        total += postmaster.isPresent() ? treeKiB(postmaster.getAsLong()) : 0;
        for (HubService service : HubService.ALL) {
            OptionalLong pid = DataFolder.readPid(data.run().resolve(service.name() + ".pid"));
            boolean alive = pid.isPresent() && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false);
            String state;
            if (alive) {
                int code = ReadinessProbe.status(URI.create("http://localhost:" + service.port() + "/actuator/health/readiness"));
                long kib = ManagedProcess.residentKiB(pid.getAsLong()).orElse(0);
                total += kib;
                state = "running, pid " + pid.getAsLong() + ", readiness " + (code == -1 ? "no answer" : "HTTP " + code)
                        + ", " + megabytes(OptionalLong.of(kib));
            } else if (ModuleBuilder.executableJar(service.moduleDir(options.repoRoot())).isEmpty()) {
                state = "not running (no jar: " + service.module() + " not built yet)";
            } else {
                state = "not running";
            }
            out.printf("  %-18s %5d  %s%n", service.name(), service.port(), state);
        }
        out.println("  resident memory, all of the above: " + megabytes(OptionalLong.of(total)));
        return launcher.isPresent() ? 0 : 3;
    }

    // ---- stop --------------------------------------------------------------------------------------

    int stop() {
        OptionalLong launcher = data.runningLauncherPid();
        if (launcher.isPresent()) {
            say("asking the launcher (pid " + launcher.getAsLong() + ") to stop the hub");
            ProcessHandle handle = ProcessHandle.of(launcher.getAsLong()).orElseThrow();
            handle.destroy();
            try {
                handle.onExit().get(90, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                say("the launcher did not stop within 90 s; killing it");
                handle.destroyForcibly();
            }
        }
        // leftovers (e.g. after the launcher was killed with SIGKILL)
        for (HubService service : HubService.ALL) {
            Path pidFile = data.run().resolve(service.name() + ".pid");
            OptionalLong pid = DataFolder.readPid(pidFile);
            pid.stream().mapToObj(ProcessHandle::of).flatMap(Optional::stream)
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(service.module())).orElse(true))
                    .forEach(h -> {
                        say("stopping leftover " + service.name() + " (pid " + h.pid() + ")");
                        h.destroy();
                        try {
                            h.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (Exception e) {
                            h.destroyForcibly();
                        }
                    });
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // ignore
            }
        }
        say(launcher.isPresent() ? "stopped" : "no hub was running from " + data.root());
        return 0;
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private OptionalLong postmasterPid() {
        return DataFolder.readPid(data.postgres().resolve("data/postmaster.pid"));
    }

    private long totalResidentKiB() {
        long total = ManagedProcess.residentKiB(ProcessHandle.current().pid()).orElse(0);
        if (database != null) {
            total += postmasterPid().stream().map(HubLauncher::treeKiB).sum();
        }
        if (processes != null) {
            for (ManagedProcess p : processes.processes()) {
                total += p.residentKiB().orElse(0);
            }
        }
        return total;
    }

    /** RSS of a process and its descendants (PostgreSQL's postmaster and backends). */
    static long treeKiB(long pid) {
        return ProcessHandle.of(pid).stream()
                .flatMap(h -> Stream.concat(Stream.of(h), h.descendants()))
                .mapToLong(h -> ManagedProcess.residentKiB(h.pid()).orElse(0))
                .sum();
    }

    private static Instant processStart() {
        return ProcessHandle.current().info().startInstant().orElse(Instant.now());
    }

    static String megabytes(OptionalLong kib) {
        return kib.isPresent() ? (kib.getAsLong() / 1024) + " MB resident" : "memory unknown";
    }

    private void say(String message) {
        Duration since = Duration.between(began, Instant.now());
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", since.toMillis() / 1000.0, message);
        out.flush();
    }

    private static RuntimeException unwrap(RuntimeException e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RuntimeException re ? re : new IllegalStateException(t.getMessage(), t);
    }

    /** Qpid and zonky log through SLF4J: into one file, not the terminal. */
    static void configureInfrastructureLogging(Path logFile) {
        System.setProperty("org.slf4j.simpleLogger.logFile", logFile.toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.derby", "warn");
        // initialise SLF4J here, once, before the broker and database threads log concurrently
        org.slf4j.LoggerFactory.getLogger(HubLauncher.class).info("local hub launcher, pid {}", ProcessHandle.current().pid());
    }
}
