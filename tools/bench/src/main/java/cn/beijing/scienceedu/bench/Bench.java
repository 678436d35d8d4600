package cn.beijing.scienceedu.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import cn.beijing.scienceedu.launcher.HubProcesses;
import cn.beijing.scienceedu.launcher.HubService;
import cn.beijing.scienceedu.launcher.HubSettings;
import cn.beijing.scienceedu.launcher.ManagedProcess;
import cn.beijing.scienceedu.launcher.ProcessSpec;

/**
 * {@code ./bench [--quick] [--only P1,P3]}: starts the hub's processes on bench ports against the local
 * RabbitMQ (vhost {@code hub-bench}) and PostgreSQL (fresh {@code hub_*_bench} databases), runs each
 * scenario after a warm-up next to its raw reference, prints the table, writes
 * {@code tools/bench/target/bench-results.json}, and stops everything it started.
 */
public final class Bench {

    static final String POLICY = "bj-sciedu-20-2024";
    static final String VHOST = "hub-bench";
    static final int ISSUER_PORT = 19000;
    static final int TASK_PORT = 18081;
    static final int ADAPTERS_PORT = 18082;
    static final int REPORTING_PORT = 18083;
    static final int GATEWAY_PORT = 18080;
    static final int BASELINE_GATEWAY_PORT = 18084;
    static final int ADAPTERS_OFF_PORT = 18085;
    static final String ADAPTERS_OFF = "bureau-adapters-off";
    /** P5's "on" side: a fresh process too, so both sides start equal (fresh database, idle vhost, same warm-up) */
    static final int ADAPTERS_ON_PORT = 18086;
    static final String ADAPTERS_ON = "bureau-adapters-on";
    static final int SIMULATOR_PORT = 18090;
    /** the simulator's SFTP server (the hub's own run uses 2222) */
    static final int SIMULATOR_SFTP_PORT = 18222;
    /** P5's second adapter process listens on its own vhost, so only the events published there reach it */
    static final String VHOST_P5 = "hub-bench-p5";
    static final String VHOST_P5_ON = "hub-bench-p5-on";
    static final String BASELINE_GATEWAY = "gateway-before-fixes";
    static final String PG_HOST = env("HUB_BENCH_PG_HOST", "127.0.0.1");
    static final String PG_PORT = env("HUB_BENCH_PG_PORT", "5432");
    static final String PG_USER = env("HUB_BENCH_PG_USER", "postgres");
    static final String RABBIT_HOST = env("HUB_BENCH_RABBIT_HOST", "127.0.0.1");
    static final String RABBIT_PORT = env("HUB_BENCH_RABBIT_PORT", "5672");

    /** Durations and sizes of one run. */
    record Plan(boolean quick, int warmSeconds, int seconds, int rounds, int outboxRows, int p6Rate, int p6Seconds,
            int p8JsonRequests, int p8Policies, int p8Schools) {
        static Plan of(boolean quick) {
            return quick ? new Plan(true, 2, 3, 1, 3000, 20, 5, 10, 2, 200)
                    : new Plan(false, 5, 10, 3, 20000, 500, 15, 50, 50, 2000);
        }
    }

    final Path repo;
    final Path work;
    final Plan plan;
    final Set<String> only;
    final List<Result> results = new ArrayList<>();
    final long started = System.nanoTime();
    HubProcesses hub;
    RSAKey signingKey;
    String liaison;
    String service;
    final Map<String, String> taskUnits = new LinkedHashMap<>();
    Duration startToReady;
    /** bureau-adapters' property that turns its breaker and retries off, when it has one (P5); null = none */
    final String adaptersResilienceSwitch;
    int p7Processes;

    Bench(Path repo, boolean quick, Set<String> only) {
        this.repo = repo.toAbsolutePath().normalize();
        this.work = this.repo.resolve("tools/bench/target/bench-run");
        this.plan = Plan.of(quick);
        this.only = only;
        this.adaptersResilienceSwitch = resilienceSwitch(this.repo);
    }

    /** The switch P5 needs, if bureau-adapters' application.yml documents one (hub.adapters.resilience.enabled). */
    static String resilienceSwitch(Path repo) {
        try {
            String yml = Files.readString(repo.resolve("bureau-adapters/src/main/resources/application.yml"));
            return yml.matches("(?s).*\\n    resilience:\\n(      #[^\\n]*\\n)*      enabled:.*") ? "hub.adapters.resilience.enabled" : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(".");
        boolean quick = false;
        Set<String> only = Set.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--repo" -> repo = Path.of(args[++i]);
                case "--only" -> only = Set.of(args[++i].toUpperCase(Locale.ROOT).split(","));
                case "-h", "--help" -> {
                    System.out.println("usage: ./bench [--quick] [--only P1,P2,...]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Result> results = new Bench(repo, quick, only).run();
        boolean anyFailed = results.stream().anyMatch(r -> r.status.startsWith("failed"));
        System.exit(anyFailed ? 1 : 0);
    }

    static String env(String k, String d) {
        String v = System.getenv(k);
        return v == null || v.isBlank() ? d : v;
    }

    boolean wanted(String id) {
        return only.isEmpty() || only.contains(id);
    }

    void log(String msg) {
        System.out.printf(Locale.ROOT, "[bench %6.1fs] %s%n", (System.nanoTime() - started) / 1e9, msg);
        System.out.flush();
    }

    /** Runs every scenario; always stops what it started and writes the results. */
    List<Result> run() throws Exception {
        Files.createDirectories(work);
        log((plan.quick ? "quick smoke" : "full run") + "; load average " + loadAverage() + " on "
                + Runtime.getRuntime().availableProcessors() + " cores");
        try {
            prepareInfrastructure();
            startHub();
            prepareTasks();
            scenario("P1", "gateway vs direct, task list GET", "ratio >= 0.80, p99 ratio <= 1.3", this::p1);
            scenario("P3", "task writes/s via the API (state + outbox, 1 tx)", "ratio >= 0.50", this::p3);
            scenario("P4", "adapter deliveries/s to the REST simulator", "ratio >= 0.60", this::p4);
            scenario("P5", "adapter rate, breaker+retry on vs off", "ratio >= 0.95", this::p5);
            scenario("P6", "progress report accepted -> visible in report API", "p99 <= 500 ms at 500/s", this::p6);
            scenario("P8", "joint report JSON and XLSX", "JSON p99 <= 100 ms, XLSX <= 3 s", this::p8);
            scenario("P7", "start to ready; resident memory of all processes", "<= 60 s, <= 3 GB", this::p7);
            // last: the relay benchmark's synthetic events must reach no consumer of hub.task-events
            isolateOutboxExchange();
            scenario("P2", "outbox rows published/s (1 KB, persistent, confirms)", "ratio >= 0.60", this::p2);
            results.sort(java.util.Comparator.comparing(r -> r.id));
        } catch (Exception e) {
            log("bench aborted: " + e);
            Result r = new Result("setup", "start of the hub for the bench", "");
            r.status = "failed: " + e.getMessage();
            results.add(0, r);
        } finally {
            if (hub != null) {
                log("stopping the bench processes");
                hub.close();
            }
            cleanUpInfrastructure();
            write();
        }
        return results;
    }

    interface Body {
        void run(Result r) throws Exception;
    }

    void scenario(String id, String title, String target, Body body) {
        Result r = new Result(id, title, target);
        results.add(r);
        if (!wanted(id)) {
            r.status = "not run: not selected (--only)";
            return;
        }
        log(id + " " + title + " ...");
        long t0 = System.nanoTime();
        try {
            body.run(r);
        } catch (Exception e) {
            r.status = "failed: " + e.getMessage();
            log(id + " failed: " + e);
        }
        r.figures.put("scenarioSeconds", (System.nanoTime() - t0) / 1e9);
        log(id + " " + (r.ran() ? "hub " + r.hub + " | reference " + r.reference + " | ratio "
                + (r.ratio == null ? "-" : Result.f(r.ratio)) : r.status));
    }

    // ---- infrastructure ------------------------------------------------------------------------------------

    static final List<String> DATABASES = List.of("hub_task_bench", "hub_reporting_bench", "hub_task_bench_ref",
            "hub_adapters_bench", "hub_adapters_bench_ref", "hub_adapters_bench_off", "hub_adapters_bench_on");

    Connection pg(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + database, PG_USER, "");
    }

    void prepareInfrastructure() throws Exception {
        deleteTree(work.resolve("jars")); // this run's own copies, taken below as each process starts
        for (String tool : List.of("wrk", "pgbench", "pg_dump", "psql", "rabbitmqctl")) {
            if (!Tools.onPath(tool)) {
                throw new IllegalStateException(tool + " is not installed (apt-get install wrk postgresql-client; rabbitmqctl comes with RabbitMQ)");
            }
        }
        try (Connection c = pg("postgres"); Statement s = c.createStatement()) {
            for (String db : DATABASES) {
                s.execute("drop database if exists " + db + " with (force)");
                s.execute("create database " + db);
            }
        }
        Tools.run(List.of("rabbitmqctl", "-q", "delete_vhost", VHOST), Duration.ofSeconds(60), false);
        Tools.run(List.of("rabbitmqctl", "-q", "add_vhost", VHOST), Duration.ofSeconds(60), true);
        Tools.run(List.of("rabbitmqctl", "-q", "set_permissions", "-p", VHOST, "guest", ".*", ".*", ".*"), Duration.ofSeconds(60), true);
        for (String p5 : List.of(VHOST_P5, VHOST_P5_ON)) {
            Tools.run(List.of("rabbitmqctl", "-q", "delete_vhost", p5), Duration.ofSeconds(60), false);
            Tools.run(List.of("rabbitmqctl", "-q", "add_vhost", p5), Duration.ofSeconds(60), true);
            Tools.run(List.of("rabbitmqctl", "-q", "set_permissions", "-p", p5, "guest", ".*", ".*", ".*"), Duration.ofSeconds(60), true);
        }
        log("fresh databases " + DATABASES + " and vhosts " + VHOST + ", " + VHOST_P5 + ", " + VHOST_P5_ON);
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    void cleanUpInfrastructure() {
        try {
            Tools.run(List.of("rabbitmqctl", "-q", "delete_vhost", VHOST), Duration.ofSeconds(60), false);
            Tools.run(List.of("rabbitmqctl", "-q", "delete_vhost", VHOST_P5), Duration.ofSeconds(60), false);
            Tools.run(List.of("rabbitmqctl", "-q", "delete_vhost", VHOST_P5_ON), Duration.ofSeconds(60), false);
            try (Connection c = pg("postgres"); Statement s = c.createStatement()) {
                for (String db : DATABASES) {
                    s.execute("drop database if exists " + db + " with (force)");
                }
            }
            deleteTree(work.resolve("jars"));
            log("dropped the bench databases, vhosts and jar copies");
        } catch (Exception e) {
            log("clean-up incomplete: " + e.getMessage());
        }
    }

    static final List<String> JVM = List.of("-XX:+UseSerialGC", "-Xss512k", "-Xmx512m");

    /** Stops the reporting-service and deletes its queue, so P2's synthetic rows go to the bench queue only. */
    void isolateOutboxExchange() throws Exception {
        if (!wanted("P2")) {
            return;
        }
        hub.stop("reporting-service");
        com.rabbitmq.client.ConnectionFactory cf = new com.rabbitmq.client.ConnectionFactory();
        cf.setHost(RABBIT_HOST);
        cf.setPort(Integer.parseInt(RABBIT_PORT));
        cf.setVirtualHost(VHOST);
        try (com.rabbitmq.client.Connection c = cf.newConnection("bench-isolate"); com.rabbitmq.client.Channel ch = c.createChannel()) {
            ch.queueDelete("hub.task-events.reporting");
        }
        log("reporting-service stopped and its queue deleted: only the bench queue is bound for P2");
    }

    void startHub() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HUB_RABBITMQ_HOST", RABBIT_HOST);
        env.put("HUB_RABBITMQ_PORT", RABBIT_PORT);
        env.put("HUB_RABBITMQ_USERNAME", "guest");
        env.put("HUB_RABBITMQ_PASSWORD", "guest");
        env.put("HUB_RABBITMQ_VHOST", VHOST);
        env.put("HUB_DATABASE_URL", "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres");
        env.put("HUB_DATABASE_USERNAME", PG_USER);
        env.put("HUB_DATABASE_PASSWORD", "");
        env.put("HUB_ISSUER_URI", "http://localhost:" + ISSUER_PORT);
        env.put("SPRING_PROFILES_ACTIVE", "bench");
        HubSettings settings = HubSettings.of(env);
        Path logs = work.resolve("logs");
        Files.createDirectories(logs);
        Map<String, String> urls = Map.of(
                "HUB_TASK_SERVICE_URL", "http://localhost:" + TASK_PORT,
                "HUB_ADAPTERS_URL", "http://localhost:" + ADAPTERS_PORT,
                "HUB_REPORTING_URL", "http://localhost:" + REPORTING_PORT,
                "HUB_SIMULATOR_URL", "http://localhost:" + SIMULATOR_PORT,
                "HUB_GATEWAY_URL", "http://localhost:" + GATEWAY_PORT);
        for (int port : List.of(ISSUER_PORT, TASK_PORT, ADAPTERS_PORT, REPORTING_PORT, GATEWAY_PORT, BASELINE_GATEWAY_PORT,
                ADAPTERS_OFF_PORT, ADAPTERS_ON_PORT, SIMULATOR_PORT, SIMULATOR_SFTP_PORT)) {
            if (!cn.beijing.scienceedu.launcher.Ports.isFree(port)) {
                throw new IllegalStateException("port " + port + " is in use (another bench running?)");
            }
        }
        // six JVMs in three stages; on the shared 2-core machine at load 30+ that alone took over 3 minutes
        hub = HubProcesses.builder().budget(Duration.ofMinutes(6)).runDir(work.resolve("run"))
                .progress(m -> log(m)).build();
        Path issuerData = work.resolve("issuer");
        for (String name : List.of("token-issuer", "bureau-simulator", "task-service", "bureau-adapters", "reporting-service", "gateway")) {
            snapshotJar(HubService.named(name)); // copied before the clock starts: P7 times the start, not the copy
        }
        Instant t0 = Instant.now();
        // the simulator's FILE directories and SFTP server are the bench's own, never those of a ./hub run
        Map<String, String> bureauFiles = Map.of(
                "HUB_EXCHANGE_DIR", work.resolve("exchange").toString(),
                "HUB_SFTP_PORT", Integer.toString(SIMULATOR_SFTP_PORT),
                "HUB_SFTP_ROOT", work.resolve("sftp").toString());
        List<ProcessSpec> stage0 = List.of(spec("token-issuer", ISSUER_PORT, settings, logs, urls, null)
                        .env("HUB_ISSUER_DATA_DIR", issuerData.toString()).build(),
                spec("bureau-simulator", SIMULATOR_PORT, settings, logs, urls, null).env(bureauFiles)
                        .env("SIM_HUB_URL", "http://localhost:" + GATEWAY_PORT).build());
        hub.startAllAndAwait(stage0);
        List<ProcessSpec> stage1 = List.of(
                spec("task-service", TASK_PORT, settings, logs, urls, "hub_task_bench").build(),
                spec("bureau-adapters", ADAPTERS_PORT, settings, logs, urls, "hub_adapters_bench").env(bureauFiles)
                        .env("HUB_MESSAGELOG_CHECKPOINT_FILE", work.resolve("message-log/checkpoints.log").toString())
                        .env("HUB_MESSAGELOG_ARCHIVE_DIR", work.resolve("message-log/archive").toString()).build(),
                spec("reporting-service", REPORTING_PORT, settings, logs, urls, "hub_reporting_bench").build());
        hub.startAllAndAwait(stage1);
        // the bench calls through the gateway as SERVICE, LIAISON and bureau systems (P6) far above the production
        // per-client limits;
        // the limiter still runs (Redis round trip per request), only the buckets are large
        String limits = "{\"hub\":{\"gateway\":{\"rate-limit\":{\"roles\":{"
                + "\"SERVICE\":{\"capacity\":100000000,\"period\":\"1s\"},\"LIAISON\":{\"capacity\":100000000,\"period\":\"1s\"},"
                + "\"BUREAU\":{\"capacity\":100000000,\"period\":\"1s\"}}}}}}";
        hub.startAllAndAwait(List.of(spec("gateway", GATEWAY_PORT, settings, logs, urls, null)
                .env("SPRING_APPLICATION_JSON", limits)
                .env("HUB_REDIS_URL", env("HUB_REDIS_URL", "redis://localhost:6379")).build()));
        startToReady = Duration.between(t0, Instant.now());
        p7Processes = hub.processes().size();
        log("hub up in " + startToReady.toMillis() / 1000.0 + " s");
        if (!plan.quick && wanted("P1")) {
            // the same gateway jar with the settings from before the bench's fixes (tracing sampling 1.0, every
            // token RSA-verified on every request): P1 measures before and after side by side in the same run
            ProcessSpec gw = spec("gateway", GATEWAY_PORT, settings, logs, urls, null).build();
            String before = "{\"hub\":{\"identity\":{\"verified-token-cache\":false},\"gateway\":{\"rate-limit\":{\"roles\":{"
                    + "\"SERVICE\":{\"capacity\":100000000,\"period\":\"1s\"},\"LIAISON\":{\"capacity\":100000000,\"period\":\"1s\"},"
                + "\"BUREAU\":{\"capacity\":100000000,\"period\":\"1s\"}}}}}}";
            hub.startAllAndAwait(List.of(ProcessSpec.builder(BASELINE_GATEWAY)
                    .command(gw.command().stream().map(a -> a.replace("gateway.jfr", BASELINE_GATEWAY + ".jfr")).toList()).env(gw.environment())
                    .env("SERVER_PORT", Integer.toString(BASELINE_GATEWAY_PORT)).env("SPRING_APPLICATION_JSON", before)
                    .env("HUB_REDIS_URL", env("HUB_REDIS_URL", "redis://localhost:6379")).env("HUB_TRACING_SAMPLING", "1.0")
                    .workingDir(gw.workingDir()).logFile(logs.resolve(BASELINE_GATEWAY + ".log"))
                    .springBootReadiness(BASELINE_GATEWAY_PORT).startTimeout(Duration.ofMinutes(4)).stopGrace(Duration.ofSeconds(20))
                    .build()));
        }
        signingKey = RSAKey.parse(Files.readString(issuerData.resolve("signing-key.jwk.json"), StandardCharsets.UTF_8));
        liaison = token("bench-liaison", List.of("LIAISON"), null);
        service = token("bureau-adapters", List.of("SERVICE"), null);
    }

    ProcessSpec.Builder spec(String name, int port, HubSettings settings, Path logs, Map<String, String> urls, String db) {
        HubService s = HubService.named(name);
        List<String> jvm = new ArrayList<>(JVM);
        if (System.getenv("HUB_BENCH_JFR") != null) {
            // HUB_BENCH_JFR=1: a JFR recording (profile settings) per service, dumped on exit into the run folder
            jvm.add("-XX:StartFlightRecording=filename=" + work.resolve(name + ".jfr") + ",settings=profile,dumponexit=true");
        }
        ProcessSpec.Builder b = s.processSpec(repo, settings, logs, jvm).env(urls)
                .env("SERVER_PORT", Integer.toString(port)).springBootReadiness(port)
                // pools keep their maximum but open connections on demand: the machine's PostgreSQL (100
                // connections) is shared with other sessions' suites, and idle pools filled it ("too many clients")
                .env("SPRING_DATASOURCE_HIKARI_MINIMUM_IDLE", "2")
                .command(ProcessSpec.javaJar(snapshotJar(s), jvm));
        if (db != null) {
            b.env("HUB_DATABASE_URL", "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + db);
        }
        return b;
    }

    /**
     * A copy of the module's jar taken once per run: other sessions rebuild jars on this machine, and a jar
     * rewritten under a starting or running JVM fails it (ClassNotFoundException half-way through a run).
     */
    Path snapshotJar(HubService s) {
        Path jar = cn.beijing.scienceedu.launcher.ModuleBuilder.executableJar(s.moduleDir(repo))
                .orElseThrow(() -> new IllegalStateException(s.name() + " has no jar (./mvnw -q -o -pl " + s.module()
                        + " -DskipTests package)"));
        Path copy = work.resolve("jars").resolve(s.name() + ".jar");
        try {
            if (!Files.exists(copy)) {
                Files.createDirectories(copy.getParent());
                Path partial = copy.resolveSibling(s.name() + ".jar.part");
                Files.copy(jar, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return copy;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot copy " + jar + ": " + e.getMessage(), e);
        }
    }

    private final Map<String, String> bureauTokens = new java.util.concurrent.ConcurrentHashMap<>();

    /** The token a unit's own system holds (client {@code <unit>-system}, role BUREAU, claim {@code unit}). */
    String bureauToken(String unit) {
        return bureauTokens.computeIfAbsent(unit, u -> {
            try {
                return token(u.toLowerCase(java.util.Locale.ROOT) + "-system", List.of("BUREAU"), u);
            } catch (Exception e) {
                throw new IllegalStateException("cannot sign a token for " + u, e);
            }
        });
    }

    String token(String subject, List<String> roles, String unit) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("http://localhost:" + ISSUER_PORT)
                .subject(subject).audience("bureau-hub").issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(Duration.ofHours(2)))).jwtID(UUID.randomUUID().toString())
                .claim("roles", roles).claim("client_id", subject).claim("scope", "hub");
        if (unit != null) {
            claims.claim("unit", unit);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims.build());
        jwt.sign(new RSASSASigner(signingKey));
        return jwt.serialize();
    }

    String task(String path) {
        return "http://localhost:" + TASK_PORT + path;
    }

    /** Plans the notice's 122 tasks, dispatches them, signs for each (SERVICE acting for the unit). */
    void prepareTasks() throws Exception {
        Tools.expect(200, Tools.send("GET", task("/api/v1/policies/" + POLICY), liaison, null, Map.of()));
        var planned = Tools.send("POST", task("/api/v1/policies/" + POLICY + "/plan"), liaison, "{\"reportingCycle\":\"QUARTERLY\"}", Map.of());
        if (planned.statusCode() / 100 != 2) {
            Tools.expect(201, planned);
        }
        var dispatched = Tools.send("POST", task("/api/v1/policies/" + POLICY + "/dispatch"), liaison, "{\"note\":\"bench\"}", Map.of());
        if (dispatched.statusCode() / 100 != 2) {
            Tools.expect(200, dispatched);
        }
        try (Connection c = pg("hub_task_bench"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select id, unit_code from task where policy_id = '" + POLICY + "' order by id")) {
            while (rs.next()) {
                taskUnits.put(rs.getString(1), rs.getString(2));
            }
        }
        int n = 0;
        for (Map.Entry<String, String> t : taskUnits.entrySet()) {
            String mid = "bench-sign-" + t.getKey();
            var r = Tools.send("POST", task("/api/v1/tasks/" + t.getKey() + "/sign-for"), service,
                    // the bureau's own time must not be before the dispatch (the task-service refuses it): now
                    "{\"messageId\":\"" + mid + "\",\"signedAt\":\"" + java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(8))
                            .withNano(0) + "\",\"signedBy\":\"bench\"}",
                    Map.of("X-Hub-Acting-Unit", t.getValue(), "Idempotency-Key", mid));
            if (r.statusCode() / 100 != 2) {
                Tools.expect(200, r);
            }
            n++;
        }
        log("planned, dispatched and signed for " + n + " tasks");
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    // ---- scenarios (in Scenarios.java) -----------------------------------------------------------------------

    void p1(Result r) throws Exception {
        new Scenarios(this).p1(r);
    }

    void p2(Result r) throws Exception {
        new Scenarios(this).p2(r);
    }

    void p3(Result r) throws Exception {
        new Scenarios(this).p3(r);
    }

    void p4(Result r) throws Exception {
        new AdapterScenarios(this).p4(r);
    }

    void p5(Result r) throws Exception {
        new AdapterScenarios(this).p5(r);
    }

    void p6(Result r) throws Exception {
        new Scenarios(this).p6(r);
    }

    void p8(Result r) throws Exception {
        new Scenarios(this).p8(r);
    }

    void p7(Result r) {
        long kib = 0;
        List<String> each = new ArrayList<>();
        for (ManagedProcess p : hub.processes()) {
            if (p.name().equals(BASELINE_GATEWAY)) {
                continue;
            }
            long k = p.residentKiB().orElse(0);
            kib += k;
            each.add(p.name() + "=" + (k / 1024) + "MB");
        }
        double seconds = startToReady.toMillis() / 1000.0;
        double gb = kib / 1024.0 / 1024.0;
        r.hub = Result.f(seconds) + " s to ready; " + Result.f(gb * 1024) + " MB resident";
        r.reference = "—";
        r.hubValue = seconds;
        r.figures.put("startToReadySeconds", seconds);
        r.figures.put("residentMB", kib / 1024.0);
        r.figures.put("processes", String.join(" ", each));
        r.pass = seconds <= 60 && gb <= 3;
        r.note = "harness start (stages as ./hub) of " + p7Processes + " processes (" + String.join(", ", each)
                + ") on the local PostgreSQL/RabbitMQ after the scenarios ran (all six processes of ./hub, in its stages); "
                + "embedded broker/database not used";
    }

    void write() {
        String table = Result.table(results);
        System.out.println();
        System.out.println("Bench results (" + (plan.quick ? "--quick" : "full") + ", load average now " + loadAverage() + "):");
        System.out.println(table);
        StringBuilder sb = new StringBuilder("{\"mode\":").append(Result.quote(plan.quick ? "quick" : "full"))
                .append(",\"finishedAt\":").append(Result.quote(Instant.now().toString()))
                .append(",\"cores\":").append(Runtime.getRuntime().availableProcessors())
                .append(",\"loadAverage\":").append(Result.quote(loadAverage()))
                .append(",\"seconds\":").append(String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9))
                .append(",\"scenarios\":[");
        for (int i = 0; i < results.size(); i++) {
            if (i > 0) {
                sb.append(",\n");
            }
            sb.append(results.get(i).json());
        }
        sb.append("]}\n");
        try {
            Path out = repo.resolve("tools/bench/target/bench-results.json");
            Files.createDirectories(out.getParent());
            Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
            Files.writeString(repo.resolve("tools/bench/target/bench-results.txt"), table, StandardCharsets.UTF_8);
            log("results written to " + out);
        } catch (Exception e) {
            log("cannot write results: " + e);
        }
    }
}
