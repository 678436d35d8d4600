package cn.beijing.scienceedu.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;

import cn.beijing.scienceedu.launcher.HubProcesses;
import cn.beijing.scienceedu.launcher.ProcessSpec;

/**
 * P4 and P5: bureau-adapters delivering task assignments to the REST bureau simulator, next to the raw parts
 * that bound it (broker consumer, the simulator's HTTP endpoint, the adapter's database writes), and with its
 * resilience on and off.
 */
final class AdapterScenarios {

    /** A REST bureau of the registry with the hub's own field names (no mapping file, no credentials). */
    static final String UNIT = "SKX";
    /** The adapters' consumer settings (bureau-adapters application.yml): prefetch 20, one active consumer. */
    static final int PREFETCH = 20;
    /** hub.adapters.dispatch.parallel-per-bureau: calls in flight to one REST bureau. */
    static final int LANES = 4;

    private final Bench b;
    private final Bench.Plan plan;

    AdapterScenarios(Bench bench) {
        this.b = bench;
        this.plan = bench.plan;
    }

    // ---- P4: deliveries/s vs min(PerfTest consumer, wrk on the simulator, pgbench of the adapter's writes) ----

    /**
     * Seconds of one measured P4/P5 run and of each P4 reference: half the bench's usual 10 s, so that P4's three
     * alternated rounds and P5's four keep the whole bench within its 15 minutes; ~5 s is still hundreds of
     * deliveries and hundreds of dispatch batches per run.
     */
    private int runSeconds() {
        return plan.quick() ? plan.seconds() : 5;
    }

    void p4(Result r) throws Exception {
        try (Hub hub = new Hub(Bench.VHOST, "hub_adapters_bench")) {
            String simulator = "http://localhost:" + Bench.SIMULATOR_PORT;
            // warm-up, and the size of a measured run: about runSeconds() of deliveries at the warm rate
            double warm = hub.run(plan.quick() ? 100 : 600, "p4-warm");
            int n = deliveriesPerRun(warm);
            int seconds = runSeconds();
            String payload = hub.samplePayload();
            int eventBytes = hub.lastEventBytes;
            Path lua = file("p4-sim.lua", "wrk.method = \"POST\"\n"
                    + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                    + "wrk.body = [==[" + payload + "]==]\n");
            String endpoint = simulator + "/sim/rest/" + UNIT + "/tasks";
            Path sql = pgbenchScript(payload.getBytes(StandardCharsets.UTF_8).length);
            copySchema("hub_adapters_bench", "hub_adapters_bench_ref");
            Tools.wrk(endpoint, lua, 2, LANES, plan.warmSeconds());
            pgbench(sql, plan.warmSeconds());
            perfTestConsumer(plan.warmSeconds(), eventBytes);
            hub.deleteQueue("bench.p4");
            List<Double> hubRates = new ArrayList<>(), consumer = new ArrayList<>(), http = new ArrayList<>(), db = new ArrayList<>();
            long errors = 0;
            for (int round = 0; round < plan.rounds(); round++) {
                clearSimulator();
                hubRates.add(hub.run(n, "p4-r" + round));
                consumer.add(perfTestConsumer(seconds, eventBytes));
                hub.deleteQueue("bench.p4"); // the producer outran the consumer: no backlog into the next round
                clearSimulator();
                Tools.WrkResult w = Tools.wrk(endpoint, lua, 2, LANES, seconds);
                errors += w.non2xx() + w.socketErrors();
                http.add(w.goodRps(seconds));
                db.add(LANES * pgbench(sql, seconds));
            }
            clearSimulator();
            double h = Tools.median(hubRates), c = Tools.median(consumer), w = Tools.median(http), d = Tools.median(db);
            double ref = Math.min(c, Math.min(w, d));
            String bound = ref == c ? "PerfTest consumer" : ref == w ? "wrk on the simulator" : "pgbench of the adapter's writes";
            r.hub = Result.f(h) + " deliveries/s";
            r.reference = Result.f(ref) + "/s (" + bound + "; consumer " + Result.f(c) + ", HTTP " + Result.f(w)
                    + ", DB " + Result.f(d) + ")";
            r.hubValue = h;
            r.referenceValue = ref;
            r.ratio = h / ref;
            r.pass = r.ratio >= 0.60;
            r.figures.put("deliveriesPerRun", n);
            r.figures.put("adapterRates", hubRates);
            r.figures.put("perfTestConsumerRates", consumer);
            r.figures.put("wrkSimulatorRps", http);
            r.figures.put("pgbenchAdapterWritesDeliveriesPerSecond", db);
            r.figures.put("eventBytes", eventBytes);
            r.figures.put("wrkErrors", errors);
            r.figures.put("adapterSendsPerDispatchTransaction", hub.batches);
            r.note = n + " task.dispatched events for REST bureau " + UNIT + " published to hub.task-events at once; rate = n / "
                    + "(last delivered_at - first publish): intake (idempotent consumer, prefetch " + PREFETCH + "), outbox row, "
                    + "dispatch (" + LANES + " lanes), HTTP POST to the simulator, message log, delivery.succeeded. References: "
                    + "PerfTest 1 producer + 1 consumer, -q " + PREFETCH + " (acks per message), " + eventBytes + " B persistent, "
                    + "durable classic queue; wrk -t2 -c" + LANES + " POSTing the adapter's own payload to " + "/sim/rest/" + UNIT
                    + "/tasks; pgbench -c" + LANES + " -j2 running the adapter's statements in its transactions for groups of "
                    + LANES + " deliveries (per delivery one intake transaction: idempotent-consumer check + row, known_task "
                    + "upsert, delivery insert; per group one dispatch transaction: message-log head lock, " + LANES
                    + " records, head update, " + LANES + " delivery updates, bureau_state upsert), x" + LANES
                    + " = deliveries/s, on a copy of hub_adapters; runs of " + seconds + " s, medians of " + plan.rounds()
                    + " alternated rounds"
                    + (errors > 0 ? "; " + errors + " wrk non-2xx/socket errors" : "");
        }
    }

    /** Enough deliveries for about runSeconds() of work at the warm-up rate, within sane bounds. */
    private int deliveriesPerRun(double warmRate) {
        int n = (int) Math.round(warmRate * runSeconds());
        return Math.max(plan.quick() ? 100 : 300, Math.min(n, 20000));
    }

    // ---- P5: resilience on vs off, alternated ----------------------------------------------------------------

    void p5(Result r) throws Exception {
        HubProcesses extra = HubProcesses.builder().budget(Duration.ofMinutes(plan.quick() ? 3 : 4))
                .runDir(b.work.resolve("run-p5")).progress(b::log).build();
        try (extra) {
            // two fresh processes of the same jar, each on its own (idle) vhost and fresh database, started together
            // and warmed alike: the only difference between them is the resilience setting. (The main adapter
            // process is not one of them: its database holds P4's rows and its vhost feeds the task-service.)
            ProcessSpec main = b.hub.get("bureau-adapters").orElseThrow(() -> new IllegalStateException("bureau-adapters not running"))
                    .spec();
            String off = "{\"hub\":{\"bureau-defaults\":{\"max-redeliveries\":0}" + (b.adaptersResilienceSwitch == null ? ""
                    : ",\"adapters\":{\"resilience\":{\"enabled\":false}}") + "}}";
            extra.startAllAndAwait(List.of(
                    adapterProcess(main, Bench.ADAPTERS_ON, Bench.ADAPTERS_ON_PORT, Bench.VHOST_P5_ON, "hub_adapters_bench_on", null),
                    adapterProcess(main, Bench.ADAPTERS_OFF, Bench.ADAPTERS_OFF_PORT, Bench.VHOST_P5, "hub_adapters_bench_off", off)));
            try (Hub on = new Hub(Bench.VHOST_P5_ON, "hub_adapters_bench_on"); Hub offHub = new Hub(Bench.VHOST_P5, "hub_adapters_bench_off")) {
                int warmN = plan.quick() ? 100 : 300;
                double warmOn = 0;
                for (int w = 0; w < 2; w++) { // two warm-ups each: both JVMs are cold
                    warmOn = on.run(warmN, "p5-warm" + w + "-on");
                    offHub.run(warmN, "p5-warm" + w + "-off");
                }
                int n = deliveriesPerRun(warmOn);
                List<Double> onRates = new ArrayList<>(), offRates = new ArrayList<>();
                for (int round = 0; round < Math.max(plan.rounds(), plan.quick() ? 1 : 4); round++) {
                    clearSimulator();
                    // alternate which goes first, so a drift in the machine's load favours neither
                    if (round % 2 == 0) {
                        onRates.add(on.run(n, "p5-on-r" + round));
                        offRates.add(offHub.run(n, "p5-off-r" + round));
                    } else {
                        offRates.add(offHub.run(n, "p5-off-r" + round));
                        onRates.add(on.run(n, "p5-on-r" + round));
                    }
                }
                clearSimulator();
                double h = Tools.median(onRates), f = Tools.median(offRates);
                r.hub = Result.f(h) + " deliveries/s (breaker + retry on)";
                r.reference = Result.f(f) + " deliveries/s (" + (b.adaptersResilienceSwitch == null ? "retry off, breaker on" : "off") + ")";
                r.hubValue = h;
                r.referenceValue = f;
                r.ratio = h / f;
                r.pass = r.ratio >= 0.95;
                r.figures.put("deliveriesPerRun", n);
                r.figures.put("onRates", onRates);
                r.figures.put("offRates", offRates);
                r.figures.put("onSendsPerDispatchTransaction", on.batches);
                r.figures.put("offSendsPerDispatchTransaction", offHub.batches);
                r.note = "two fresh bureau-adapters processes of the same jar (" + Bench.ADAPTERS_ON + " " + Bench.ADAPTERS_ON_PORT
                        + ", " + Bench.ADAPTERS_OFF + " " + Bench.ADAPTERS_OFF_PORT + "), each on its own idle vhost and fresh "
                        + "database, started together, two warm-ups each, loaded in turn: "
                        + "\"on\" = as configured (Resilience4j breaker per bureau, up to 3 in-route redeliveries), "
                        + "\"off\" = hub.bureau-defaults.max-redeliveries 0"
                        + (b.adaptersResilienceSwitch == null
                                ? " only: bureau-adapters has no setting that turns its breaker off, so "
                                        + "the breaker runs on both sides and this measures the retry's cost alone"
                                : " and " + b.adaptersResilienceSwitch + "=false")
                        + "; both closed (the simulator answers 200); " + onRates.size() + " alternated rounds of " + n
                        + " deliveries (~" + runSeconds() + " s each), medians";
            }
        }
    }

    /** The main adapter's command and settings as a process of its own: name, port, vhost, database (fresh). */
    private ProcessSpec adapterProcess(ProcessSpec main, String name, int port, String vhost, String database, String json) {
        Path logDir = b.work.resolve("logs");
        ProcessSpec.Builder spec = ProcessSpec.builder(name)
                .command(main.command().stream().map(a -> a.replace("bureau-adapters.jfr", name + ".jfr")).toList())
                .env(main.environment())
                .env("SERVER_PORT", Integer.toString(port))
                .env("HUB_RABBITMQ_VHOST", vhost)
                .env("HUB_DATABASE_URL", "jdbc:postgresql://" + Bench.PG_HOST + ":" + Bench.PG_PORT + "/" + database)
                .env("HUB_MESSAGELOG_CHECKPOINT_FILE", b.work.resolve("message-log-" + name + "/checkpoints.log").toString())
                .env("HUB_MESSAGELOG_ARCHIVE_DIR", b.work.resolve("message-log-" + name + "/archive").toString())
                .workingDir(main.workingDir()).logFile(logDir.resolve(name + ".log"))
                .springBootReadiness(port).startTimeout(Duration.ofMinutes(3))
                .stopGrace(Duration.ofSeconds(20));
        if (json != null) {
            spec.env("SPRING_APPLICATION_JSON", json);
        }
        return spec.build();
    }

    // ---- the adapter under load ----------------------------------------------------------------------------

    /** Publishes task.dispatched events on one vhost and counts what the adapter on it delivered. */
    private final class Hub implements AutoCloseable {

        private final com.rabbitmq.client.Connection amqp;
        private final Channel channel;
        private final String database;
        int lastEventBytes;
        /** mean sends per dispatch transaction, per run */
        final List<Double> batches = new ArrayList<>();

        Hub(String vhost, String database) throws Exception {
            ConnectionFactory cf = new ConnectionFactory();
            cf.setHost(Bench.RABBIT_HOST);
            cf.setPort(Integer.parseInt(Bench.RABBIT_PORT));
            cf.setVirtualHost(vhost);
            this.amqp = cf.newConnection("bench-adapters");
            this.channel = amqp.createChannel();
            channel.confirmSelect();
            // the adapters' binder declared it (durable topic); declaring the same again is a no-op
            channel.exchangeDeclare("hub.task-events", "topic", true);
            this.database = database;
        }

        /** Returns deliveries/s from the first publish to the last delivered_at. */
        double run(int n, String tag) throws Exception {
            String prefix = "T-" + UNIT + "-" + tag + "-" + System.nanoTime() + "-";
            long t0Millis = System.currentTimeMillis();
            for (int i = 0; i < n; i++) {
                byte[] event = event(prefix + i).getBytes(StandardCharsets.UTF_8);
                lastEventBytes = event.length;
                channel.basicPublish("hub.task-events", "task.dispatched", true,
                        new com.rabbitmq.client.AMQP.BasicProperties.Builder().contentType("application/cloudevents+json")
                                .deliveryMode(2).build(), event);
            }
            channel.waitForConfirmsOrDie(60_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(120, n / 20));
            try (Connection c = b.pg(database); Statement s = c.createStatement()) {
                while (true) {
                    try (ResultSet rs = s.executeQuery("select count(*) filter (where status = 'DELIVERED'), "
                            + "count(*) filter (where status = 'PARKED'), extract(epoch from max(delivered_at)) "
                            + "from delivery where task_id like '" + prefix + "%'")) {
                        rs.next();
                        long delivered = rs.getLong(1), parked = rs.getLong(2);
                        if (parked > 0) {
                            throw new IllegalStateException(parked + " deliveries to " + UNIT + " were parked (see "
                                    + database + ".delivery and the adapters' log)");
                        }
                        if (delivered == n) {
                            double last = rs.getDouble(3);
                            double rate = n / Math.max(0.001, last - t0Millis / 1000.0);
                            batches.add(meanDispatchBatch(s, prefix));
                            return rate;
                        }
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("only " + delivered + " of " + n + " deliveries to " + UNIT
                                    + " arrived in time (" + database + ")");
                        }
                    }
                    Thread.sleep(20);
                }
            }
        }

        /**
         * Sends recorded per dispatch transaction in the last run: the run's message-log records per distinct
         * inserting transaction (PostgreSQL's {@code xmin}).
         */
        private double meanDispatchBatch(Statement s, String prefix) throws Exception {
            try (ResultSet rs = s.executeQuery("select count(*), count(distinct m.xmin::text) from message_log m "
                    + "join delivery d on d.id = m.message_id where m.direction = 'OUT' and d.task_id like '" + prefix + "%'")) {
                rs.next();
                return rs.getLong(2) == 0 ? 0 : (double) rs.getLong(1) / rs.getLong(2);
            }
        }

        /** One delivered message exactly as the adapter sent it (hub-json: the queued payload). */
        String samplePayload() throws Exception {
            try (Connection c = b.pg(database); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select payload from delivery where unit_code = '" + UNIT
                            + "' and status = 'DELIVERED' order by enqueue_seq desc limit 1")) {
                if (!rs.next()) {
                    throw new IllegalStateException("no delivered message to " + UNIT + " to replay with wrk");
                }
                return rs.getString(1);
            }
        }

        void deleteQueue(String queue) throws Exception {
            channel.queueDelete(queue);
        }

        @Override
        public void close() throws Exception {
            amqp.close();
        }
    }

    /**
     * A task.dispatched CloudEvent as the task-service publishes it (structured mode, whole TaskSnapshot), under a
     * policy id of its own: the reporting-service projects these too, and under the notice's id they became thousands
     * of overdue tasks in the notice's joint report, which P8 then measured (a 1.4 MB report instead of 20 KB).
     */
    private static String event(String taskId) {
        return String.format(Locale.ROOT, """
                {"specversion":"1.0","id":"%s","source":"/task-service","type":"cn.beijing.scienceedu.hub.task.dispatched.v1",\
                "time":"2025-01-06T01:00:00Z","subject":"%s","datacontenttype":"application/json",\
                "traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","sequence":1,\
                "data":{"task":{"taskId":"%s","policyId":"bench-p4-synthetic","measureNo":4,"measureTitle":"加强学校实验教学",\
                "unitCode":"%s","leadUnitCode":"SJW","role":"COOPERATING","status":"DISPATCHED","deadline":"2025-06-30",\
                "workItems":["配齐实验设备","开足实验课程"],"version":1},\
                "change":{"actor":"liaison-li","actorRole":"LIAISON","at":"2025-01-06T01:00:00Z","reason":"bench"}}}""",
                "ev-" + taskId, taskId, taskId, UNIT);
    }

    // ---- references ----------------------------------------------------------------------------------------

    private double perfTestConsumer(int seconds, int bytes) {
        String out = Tools.run(List.of(Scenarios.javaBin(), "-Xmx256m", "-cp", b.repo.resolve("tools/bench/target/lib") + "/*",
                "com.rabbitmq.perf.PerfTest",
                "-h", "amqp://guest:guest@" + Bench.RABBIT_HOST + ":" + Bench.RABBIT_PORT + "/" + Bench.VHOST,
                "-x", "1", "-y", "1", "-q", Integer.toString(PREFETCH), "-s", Integer.toString(bytes), "-f", "persistent",
                "-c", "200", "-u", "bench.p4", "-ad", "false", "-z", Integer.toString(seconds)),
                Duration.ofSeconds(seconds + 60), true);
        return Tools.number(out, "receiving rate avg: ([0-9.]+) msg/s");
    }

    private void clearSimulator() {
        Tools.expect(204, Tools.send("DELETE", "http://localhost:" + Bench.SIMULATOR_PORT + "/sim/received", null, null, Map.of()));
    }

    private void copySchema(String from, String to) throws Exception {
        String dump = Tools.run(List.of("pg_dump", "-s", "-h", Bench.PG_HOST, "-p", Bench.PG_PORT, "-U", Bench.PG_USER, from),
                Duration.ofMinutes(2), true);
        Path dumpFile = file(from + "-schema.sql", dump);
        Tools.run(List.of("psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", Bench.PG_HOST, "-p", Bench.PG_PORT, "-U", Bench.PG_USER,
                "-d", to, "-f", dumpFile.toString()), Duration.ofMinutes(2), true);
    }

    /**
     * What the adapter writes for a group of {@link #LANES} deliveries, in its transactions (TaskEventConsumer +
     * DeliveryStore + KnownTasks: one intake transaction per event; Dispatcher + MessageLog: one transaction per
     * batch of finished sends). The adapter's batches hold at most LANES sends (that many are in flight), so this
     * is the database's best case for the adapter's statements: one transaction of pgbench = LANES deliveries.
     */
    private Path pgbenchScript(int payloadBytes) throws Exception {
        StringBuilder sql = new StringBuilder("\\set k random(1, 1000000000000)\n");
        for (int i = 1; i <= LANES; i++) {
            sql.append("""
                    BEGIN;
                    SELECT count(*) FROM camel_messageprocessed WHERE processorname = 'task-events' AND messageid = 'ev-' || :k || '-I';
                    INSERT INTO camel_messageprocessed (processorname, messageid, createdat) VALUES ('task-events', 'ev-' || :k || '-I', now());
                    INSERT INTO known_task(task_id, unit_code, version, status) VALUES ('t-' || :k || '-I', 'UNIT', 1, 'DISPATCHED') ON CONFLICT (task_id) DO UPDATE SET unit_code = excluded.unit_code, version = excluded.version, status = excluded.status, updated_at = now() WHERE known_task.version < excluded.version;
                    INSERT INTO delivery(id, source_event_id, source_event_type, unit_code, task_id, task_version, kind, protocol, payload, traceparent, status) VALUES ('d-' || :k || '-I', 'ev-' || :k || '-I', 'cn.beijing.scienceedu.hub.task.dispatched.v1', 'UNIT', 't-' || :k || '-I', 1, 'ASSIGNMENT', 'REST', repeat('x', PAYLOAD), '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'PENDING') ON CONFLICT DO NOTHING;
                    COMMIT;
                    """.replace("-I'", "-" + i + "'"));
        }
        sql.append("""
                BEGIN;
                INSERT INTO message_log_head(unit_code, seq, hash) VALUES ('UNIT', 0, repeat('0', 64)) ON CONFLICT DO NOTHING;
                SELECT seq, hash FROM message_log_head WHERE unit_code = 'UNIT' FOR UPDATE;
                """);
        for (int i = 1; i <= LANES; i++) {
            sql.append("""
                    INSERT INTO message_log(unit_code, seq, direction, protocol, message_id, message_kind, task_id, at, size, payload_hash, outcome, prev_hash, record_hash) SELECT 'UNIT', seq + I, 'OUT', 'REST', 'd-' || :k || '-I', 'ASSIGNMENT', 't-' || :k || '-I', now(), PAYLOAD, md5(:k::text) || md5(:k::text), 'DELIVERED', hash, md5(hash) || md5(hash) FROM message_log_head WHERE unit_code = 'UNIT';
                    """.replace("seq + I", "seq + " + i).replace("-I'", "-" + i + "'"));
        }
        sql.append("UPDATE message_log_head SET seq = seq + " + LANES + ", hash = md5(hash) || md5(hash) WHERE unit_code = 'UNIT';\n");
        for (int i = 1; i <= LANES; i++) {
            sql.append("""
                    UPDATE delivery SET status = 'DELIVERED', attempts = 1, bureau_reference = 'UNIT-' || :k || '-I', delivered_at = now(), updated_at = now(), last_error = null WHERE id = 'd-' || :k || '-I';
                    """.replace("-I'", "-" + i + "'"));
        }
        sql.append("""
                INSERT INTO bureau_state(unit_code, last_success_at) VALUES ('UNIT', now()) ON CONFLICT (unit_code) DO UPDATE SET last_success_at = now();
                COMMIT;
                """);
        return file("p4.sql", sql.toString().replace("UNIT", UNIT).replace("PAYLOAD", Integer.toString(payloadBytes)));
    }

    private double pgbench(Path sql, int seconds) {
        String out = Tools.run(List.of("pgbench", "-n", "-c", Integer.toString(LANES), "-j", "2", "-T", Integer.toString(seconds),
                "-f", sql.toString(), "-h", Bench.PG_HOST, "-p", Bench.PG_PORT, "-U", Bench.PG_USER, "hub_adapters_bench_ref"),
                Duration.ofSeconds(seconds + 120), true);
        return Tools.number(out, "tps = ([0-9.]+) \\(without initial connection time\\)");
    }

    private Path file(String name, String content) throws Exception {
        Path p = b.work.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }
}
