package cn.beijing.scienceedu.systemtests;

import static cn.beijing.scienceedu.systemtests.FlowSteps.GW;
import static cn.beijing.scienceedu.systemtests.FlowSteps.POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import cn.beijing.scienceedu.launcher.HubService;
import cn.beijing.scienceedu.systemtests.HubCallers.Bearer;
import cn.beijing.scienceedu.systemtests.HubCallers.Caller;
import cn.beijing.scienceedu.systemtests.HubCallers.Session;
import cn.beijing.scienceedu.systemtests.SpecRequests.Op;
import cn.beijing.scienceedu.systemtests.SpecRequests.Probe;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 10, R4/R5 and R2 through the gateway only, on ONE start of all six processes (real RabbitMQ and PostgreSQL,
 * fresh vhost {@code hub-hostile} and databases {@code hub_*_hostile}):
 * <ul>
 * <li>R4 access control — every bureau tries every other bureau's task on every object endpoint of the task API and
 * the bureau API (404, no data of the other unit, no effect); forged, expired, not-yet-valid, wrong-issuer,
 * wrong-audience, alg=none, tampered and missing tokens (401); role escalation (403); a burst over the rate limit
 * (429 with Retry-After, allowed count within the limit).</li>
 * <li>R2 bad input — requests generated from the OpenAPI specs for every operation ({@link SpecRequests}),
 * authenticated with a role allowed to call it and paced below the gateway's limits: zero 5xx, every 4xx a problem
 * detail, no stack trace. Size: {@code -Dhub.bad-input.requests} (1,500 in CI, ≥ 10,000 by hand).</li>
 * </ul>
 * The access-control run goes first, on untouched tasks; the bad-input run then hammers the same hub.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileCallersThroughGatewayTest {

    /** Requests of the bad-input run: 1,500 in CI, 10,000 or more by hand (docs/reliability.md). */
    static final int BAD_INPUT_REQUESTS = Integer.getInteger("hub.bad-input.requests", 1500);
    static final long SEED = Long.getLong("hub.bad-input.seed", 20241224L);
    /**
     * The cross-unit matrix of R4: 1 tries every endpoint for every pair of units (17 × 16 × 22 requests, the long
     * run); n tries every n-th (pair, endpoint) in a Latin-square rotation, so that every pair of units, every caller
     * × endpoint and every victim × endpoint is still covered (CI: 3).
     */
    static final int CROSS_UNIT_STRIDE = Integer.getInteger("hub.access-control.stride", 3);
    /** Share of each role's gateway limit the paced callers use (bureau 20/s → 10/s, people 50/s → 25/s). */
    static final double PACE_SHARE = 0.5;
    static final Path OPENAPI = Path.of(System.getProperty("hub.repo.root", "../.."), "contracts/src/main/openapi");

    /** Text that only a stack trace or an unhandled exception page contains. */
    static final Pattern STACK_TRACE = Pattern.compile(
            "(?m)(^\\s*at [\\w$.]+\\([\\w$]+\\.java:\\d+\\)|Caused by: [\\w.$]+|Exception in thread|\\tat [\\w$.]+\\(|Whitelabel Error Page)");
    /** Internal class names in an answer: not a stack trace, but more than a caller should learn (reported, not failed). */
    static final Pattern INTERNAL_NAMES = Pattern.compile(
            "\\b(java|javax|jakarta|org\\.springframework|org\\.hibernate|org\\.postgresql|org\\.apache|tools\\.jackson|com\\.fasterxml|reactor|io\\.netty)\\.[a-z]+\\.[\\w.$]*[A-Z]\\w+");

    static HubUnderTest hub;
    static HubHttp http;
    static Session liaison;
    static Session admin;
    static Session ops;
    static Bearer service;
    static final Map<String, Bearer> bureaus = new TreeMap<>();
    /** Each unit's dispatched task (the objects the other units try), and what its owner sees of it. */
    static final Map<String, String> taskOf = new TreeMap<>();
    static final Map<String, JsonNode> ownerView = new TreeMap<>();
    static List<Op> operations;
    static final String period = FlowSteps.currentQuarter();

    @BeforeAll
    static void startEveryProcess() {
        Duration budget = Duration.ofMinutes(8).plusSeconds(BAD_INPUT_REQUESTS / 15);
        hub = HubUnderTest.start("hostile", budget, HubService.ALL.stream().map(HubService::name).toList());
        http = hub.http;
        operations = SpecRequests.operations(OPENAPI);
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void s01_planAndDispatchOneTaskPerUnit() {
        HubHttp.LiaisonSession planner = http.login("liaison", "liaison");
        FlowSteps.plan(planner);
        for (String unit : HubUnderTest.UNITS) {
            bureaus.put(unit, HubCallers.bureau(http, unit, 20 * PACE_SHARE));
            String task = FlowSteps.plannedTaskOf(http, unit);
            FlowSteps.dispatch(planner, task, "访问控制测试：仅本单位可见");
            taskOf.put(unit, task);
        }
        for (String unit : HubUnderTest.UNITS) {
            HubHttp.Answer own = http.get(GW + "/api/v1/tasks/" + taskOf.get(unit), http.bureauToken(unit));
            assertThat(own.status()).as("%s reads its own task: %s", unit, own).isEqualTo(200);
            assertThat(own.json().path("unitCode").asString()).isEqualTo(unit);
            ownerView.put(unit, own.json());
        }
        service = new Bearer("bureau-adapters", "SERVICE", null, http.clientToken("bureau-adapters"), 500 * PACE_SHARE);
        liaison = new Session("liaison", "liaison", "LIAISON", 50 * PACE_SHARE);
        admin = new Session("admin", "admin", "ADMIN", 50 * PACE_SHARE);
        ops = new Session("ops", "ops", "OPERATOR", 50 * PACE_SHARE);
        System.out.println("[hostile] operations read from the specs: " + operations.size() + " "
                + operations.stream().map(Op::label).toList());
        assertThat(operations).as("operations the hub serves, from the four specs").hasSizeGreaterThan(40);
    }

    // ================================================================== R4: access control

    @Test
    @Order(2)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void s02_noBureauReadsChangesOrLearnsAnotherBureausTask() throws Exception {
        List<Op> objectOps = operations.stream()
                .filter(o -> o.pathTemplate().contains("{taskId}") && !o.spec().startsWith("reporting"))
                .filter(o -> !o.id().equals("decideExtension")) // needs a request id as well: an escalation case below
                .toList();
        Map<String, LongAdder> byOutcome = new ConcurrentSkipListMap<>();
        List<String> leaks = Collections.synchronizedList(new ArrayList<>());
        LongAdder attempts = new LongAdder();
        // the reference: each endpoint's answer for a well-formed task id that does not exist
        String missing = POLICY + ".M05.NOSUCHUNIT";
        Map<String, String> shapes = new ConcurrentHashMap<>();
        for (Op op : objectOps) {
            if (gatewayLetsBureauCall(op)) {
                HubHttp.Answer a = send(bureaus.get("SJW"), baseline(op, "SJW", missing), Map.of());
                assertThat(a.status()).as("%s on a task that does not exist: %s", op.label(), a).isEqualTo(404);
                shapes.put(a.response().request().method() + " " + a.response().uri().getPath().replace(missing, "{id}"),
                        normalized(withoutInstance(a), missing));
            }
        }
        notFound = shapes;
        Instant began = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(HubUnderTest.UNITS.size());
        List<Future<?>> jobs = new ArrayList<>();
        for (String caller : HubUnderTest.UNITS) {
            jobs.add(pool.submit(() -> {
                int c = HubUnderTest.UNITS.indexOf(caller);
                for (String victim : HubUnderTest.UNITS) {
                    if (victim.equals(caller)) {
                        continue;
                    }
                    int v = HubUnderTest.UNITS.indexOf(victim);
                    String task = taskOf.get(victim);
                    for (int e = 0; e < objectOps.size(); e++) {
                        if (!tried(c, v, e)) {
                            continue;
                        }
                        Op op = objectOps.get(e);
                        Probe p = baseline(op, caller, task);
                        HubHttp.Answer a = send(bureaus.get(caller), p, Map.of());
                        attempts.increment();
                        boolean bureauMayCall = gatewayLetsBureauCall(op);
                        // a bureau-reachable endpoint answers 404 (never 403 with data); the others stop at the gateway's 403
                        int expected = bureauMayCall ? 404 : 403;
                        byOutcome.computeIfAbsent(op.label() + " → " + a.status(), k -> new LongAdder()).increment();
                        String leak = leak(a, victim, task, expected);
                        if (leak != null) {
                            leaks.add(caller + " → " + victim + "'s " + p.method() + " " + p.pathAndQuery() + ": " + leak);
                        }
                    }
                    // the X-Hub-Acting-Unit header from a bureau must not make it act for another unit
                    if (tried(c, v, objectOps.size())) {
                        HubHttp.Answer spoof = bureaus.get(caller).send(HttpRequest.newBuilder(URI.create(GW + "/api/v1/tasks/"
                                + SpecRequests.encode(task))).header("Accept", "application/json").header("X-Hub-Acting-Unit", victim)
                                .GET(), false);
                        attempts.increment();
                        byOutcome.computeIfAbsent("getTask + X-Hub-Acting-Unit spoof → " + spoof.status(), k -> new LongAdder())
                                .increment();
                        String leak = leak(spoof, victim, task, 404);
                        if (leak != null) {
                            leaks.add(caller + " → " + victim + " with X-Hub-Acting-Unit: " + leak);
                        }
                    }
                    // the task list filtered on another unit shows nothing of it
                    if (!tried(c, v, objectOps.size() + 1)) {
                        continue;
                    }
                    HubHttp.Answer list = bureaus.get(caller).send(HttpRequest.newBuilder(URI.create(GW + "/api/v1/tasks?policyId="
                            + POLICY + "&unitCode=" + victim + "&size=200")).header("Accept", "application/json").GET(), false);
                    attempts.increment();
                    byOutcome.computeIfAbsent("listTasks?unitCode=<other> → " + list.status(), k -> new LongAdder()).increment();
                    if (list.status() >= 500 || list.body().contains(task)) {
                        leaks.add(caller + " lists " + victim + "'s tasks: " + list);
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = Duration.between(began, Instant.now()).toMillis() / 1000.0;

        // no effect: every task is still as its owner left it (no sign-for, progress, submission, extension, attachment)
        List<String> effects = new ArrayList<>();
        for (String unit : HubUnderTest.UNITS) {
            String task = taskOf.get(unit);
            String token = http.bureauToken(unit);
            JsonNode now = http.get(GW + "/api/v1/tasks/" + task, token).json();
            if (!List.of("DISPATCHED", "DELIVERED").contains(now.path("status").asString())) {
                effects.add(task + " is " + now.path("status").asString());
            }
            HubHttp.Answer history = http.get(GW + "/api/v1/tasks/" + task + "/history", token);
            for (String trace : List.of("SIGNED_FOR", "IN_PROGRESS", "SUBMITTED", "EXTENSION", "ATTACHMENT")) {
                if (history.body().contains(trace)) {
                    effects.add(task + " history shows " + trace + ": " + history);
                }
            }
            HubHttp.Answer reports = http.get(GW + "/api/v1/tasks/" + task + "/progress-reports", token);
            if (reports.status() != 200 || reports.json().path("items").size() + (reports.json().isArray() ? reports.json().size() : 0) > 0) {
                effects.add(task + " progress reports: " + reports);
            }
        }
        // the control: each owner can sign for its own task through the same endpoint the others were refused
        List<String> ownerRefused = new ArrayList<>();
        Op signFor = op("bureau-api:signFor");
        for (String unit : HubUnderTest.UNITS) {
            HubHttp.Answer a = send(bureaus.get(unit), baseline(signFor, unit, taskOf.get(unit)), Map.of());
            if (a.status() != 200) {
                ownerRefused.add(unit + ": " + a);
            }
        }

        long leakCount = leaks.size();
        HubUnderTest.figure(String.format(Locale.ROOT, "[R4] cross-unit attempts %d (%d bureaus × %d others × (%d object endpoints + "
                + "acting-unit spoof + filtered list), every %d-th) in %.1f s: leaks %d, effects on other units' tasks %d, owners refused %d; "
                + "outcomes %s", attempts.sum(), HubUnderTest.UNITS.size(), HubUnderTest.UNITS.size() - 1, objectOps.size(),
                CROSS_UNIT_STRIDE, seconds,
                leakCount, effects.size(), ownerRefused.size(), byOutcome));
        assertThat(leaks).as("cross-unit attempts that were not a plain 404/403 problem without the other unit's data "
                + "(first 20 of %d)", leaks.size()).hasSizeLessThanOrEqualTo(0);
        assertThat(effects).as("other units' tasks changed by the refused attempts").isEmpty();
        assertThat(ownerRefused).as("owners signing for their own task (the control)").isEmpty();
    }

    @Test
    @Order(3)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void s03_forgedExpiredEarlyForeignAndMissingTokensAre401() {
        String unit = "SKX";
        String task = taskOf.get(unit);
        ForgedTokens tokens = new ForgedTokens(hub.work.resolve("issuer"), http.bureauToken(unit));
        HubHttp.Answer control = http.get(GW + "/api/v1/tasks/" + task, tokens.reSigned());
        assertThat(control.status()).as("a token re-signed with the issuer's key and unchanged claims is accepted (control): %s",
                control).isEqualTo(200);
        Map<String, Probe> targets = new java.util.LinkedHashMap<>();
        for (String id : List.of("listTasks", "getTask", "getTaskHistory", "dispatchTask", "signFor", "getJointReport",
                "listBureauHealth", "verifyMessageLog", "replayEvents")) {
            Op op = op(id);
            targets.put(op.label(), baseline(op, unit, task));
        }
        Map<String, Integer> outcomes = new java.util.LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();
        int attempts = 0;
        // a 401 may echo the request path in `instance`; nothing else of the task may show
        Map<String, String> badTokens = tokens.all();
        for (Map.Entry<String, String> bad : badTokens.entrySet()) {
            Bearer caller = new Bearer("bad token: " + bad.getKey(), "NONE", unit, bad.getValue(), 10);
            for (Map.Entry<String, Probe> t : targets.entrySet()) {
                HubHttp.Answer a = send(caller, t.getValue(), Map.of());
                attempts++;
                outcomes.merge(bad.getKey() + " → " + a.status(), 1, Integer::sum);
                String problem = problemViolation(a);
                if (a.status() != 401 || problem != null || a.header("WWW-Authenticate") == null
                        || withoutInstance(a).contains("\"status\":\"") || withoutInstance(a).contains(task)) {
                    wrong.add(bad.getKey() + " on " + t.getKey() + ": " + a + (problem == null ? "" : " (" + problem + ")")
                            + " WWW-Authenticate=" + a.header("WWW-Authenticate"));
                }
            }
        }
        HubUnderTest.figure(String.format(Locale.ROOT, "[R4] bad tokens: %d kinds × %d endpoints = %d attempts, not 401: %d; %s",
                badTokens.size(), targets.size(), attempts, wrong.size(), outcomes));
        assertThat(wrong).as("bad tokens not answered 401 problem + WWW-Authenticate").isEmpty();
    }

    @Test
    @Order(4)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void s04_roleEscalationIs403() {
        String own = taskOf.get("SJW");
        // bureau → liaison, operator and admin endpoints; liaison → operator endpoints; operator → liaison writes
        List<String> liaisonOnly = List.of("createPlan", "updatePolicySettings", "updateMeasureSettings", "dispatchPolicy",
                "dispatchMeasure", "dispatchTask", "acceptTask", "returnTask", "urgeTask", "cancelTask", "setTaskDeadline",
                "decideExtension", "importPolicy", "closePeriod", "importSchools");
        List<String> operatorOnly = operations.stream().filter(o -> o.spec().startsWith("operations")).map(Op::id).toList();
        List<String> peopleReads = List.of("getJointReport", "getMeasureView", "getKpiRollups", "getLineage", "listSnapshots",
                "getCircular", "listDistricts", "listSchools", "replayEvents");
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> outcomes = new ConcurrentSkipListMap<>();
        AtomicInteger attempts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(HubUnderTest.UNITS.size() + 2);
        List<Future<?>> jobs = new ArrayList<>();
        for (String unit : HubUnderTest.UNITS) {
            jobs.add(pool.submit(() -> {
                Bearer bureau = bureaus.get(unit);
                List<String> ids = new ArrayList<>(liaisonOnly);
                ids.addAll(operatorOnly);
                ids.addAll(peopleReads);
                ids.add("rebuildProjection");
                // the task API's own bureau writes are for SERVICE (bureau-adapters) only; bureaus write through /api/v1/bureau
                ids.addAll(List.of("signForTask", "submitTask"));
                for (String id : ids) {
                    attempts.incrementAndGet();
                    check403(bureau, id, unit, taskOf.get(unit), wrong, outcomes);
                }
            }));
        }
        jobs.add(pool.submit(() -> {
            for (String id : concat(operatorOnly, List.of("rebuildProjection"))) {
                attempts.incrementAndGet();
                check403(liaison, id, "SJW", own, wrong, outcomes);
            }
        }));
        jobs.add(pool.submit(() -> {
            for (String id : concat(liaisonOnly, List.of("bureau-api:signFor", "bureau-api:reportProgress", "signForTask"))) {
                attempts.incrementAndGet();
                check403(ops, id, "SJW", own, wrong, outcomes);
            }
        }));
        try {
            for (Future<?> f : jobs) {
                f.get();
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
        HubUnderTest.figure(String.format(Locale.ROOT, "[R4] role escalation: %d attempts (17 bureaus → liaison/operator/admin "
                + "endpoints, liaison → operator, operator → liaison writes and bureau inbound), not 403: %d; %s",
                attempts.get(), wrong.size(), outcomes));
        assertThat(wrong).as("escalations not refused with a 403 problem").isEmpty();
        // nothing moved: SJW's task is still only dispatched/delivered or signed for by its owner (the s02 control)
        assertThat(FlowSteps.status(http.login("liaison", "liaison"), own)).isIn("DISPATCHED", "DELIVERED", "SIGNED_FOR");
    }

    private void check403(Caller caller, String opId, String unit, String task, List<String> wrong, Map<String, Integer> outcomes) {
        Op op = op(opId);
        HubHttp.Answer a = send(caller, baseline(op, unit, task), Map.of());
        outcomes.merge(caller.role + " → " + a.status(), 1, Integer::sum);
        String problem = problemViolation(a);
        if (a.status() != 403 || problem != null) {
            wrong.add(caller + " " + op.label() + ": " + a + (problem == null ? "" : " (" + problem + ")"));
        }
    }

    @Test
    @Order(5)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void s05_theRateLimitHoldsUnderABurst() throws Exception {
        String unit = "SGW";
        String token = http.bureauToken(unit);
        String url = GW + "/api/v1/tasks/" + taskOf.get(unit);
        HubUnderTest.sleep(Duration.ofSeconds(2)); // a full bucket to start from
        // all at once from one asynchronous client: a burst threads would spread out on a loaded machine
        int burst = 150;
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<byte[]>>> pending = new ArrayList<>();
        List<HttpRequest> requests = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            requests.add(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(60)).GET().build());
        }
        long t0 = System.nanoTime();
        for (HttpRequest r : requests) {
            pending.add(client.sendAsync(r, java.net.http.HttpResponse.BodyHandlers.ofByteArray()));
        }
        List<HubHttp.Answer> got = new ArrayList<>();
        for (var f : pending) {
            var r = f.get(90, TimeUnit.SECONDS);
            got.add(new HubHttp.Answer(r.statusCode(), r));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int capacity = Integer.parseInt(got.get(0).header("X-RateLimit-Limit"));
        long allowed = got.stream().filter(a -> a.status() == 200).count();
        List<HubHttp.Answer> limited = got.stream().filter(a -> a.status() == 429).toList();
        List<HubHttp.Answer> other = got.stream().filter(a -> a.status() != 200 && a.status() != 429).toList();
        // the bucket refills continuously: at most its capacity plus what refilled while the burst lasted
        long ceiling = capacity + (long) Math.ceil(capacity * seconds) + 1;
        HubUnderTest.figure(String.format(Locale.ROOT, "[R4] burst of %d requests by %s in %.2f s: %d allowed (limit %d/s, ceiling %d), "
                + "%d answered 429, %d other", burst, unit, seconds, allowed, capacity, ceiling, limited.size(), other.size()));
        assertThat(other).as("answers other than 200/429 in the burst").isEmpty();
        assertThat(capacity).as("the configured bureau limit (gateway application.yml)").isEqualTo(20);
        assertThat(allowed).as("allowed within the limit").isLessThanOrEqualTo(ceiling).isGreaterThanOrEqualTo(1);
        assertThat(limited).as("the burst is limited").isNotEmpty();
        for (HubHttp.Answer a : limited) {
            assertThat(problemViolation(a)).as("429 as a problem: %s", a).isNull();
            assertThat(a.header("Retry-After")).as("429 with Retry-After").isNotNull();
            assertThat(Integer.parseInt(a.header("Retry-After"))).isBetween(1, 60);
            assertThat(a.body()).doesNotContain(taskOf.get(unit) + "\",\"policyId");
        }
        int retryAfter = Integer.parseInt(limited.get(0).header("Retry-After"));
        HubUnderTest.sleep(Duration.ofSeconds(retryAfter + 1));
        assertThat(http.get(url, token).status()).as("served again after Retry-After").isEqualTo(200);
        // another unit's budget is its own: SJW is served while SGW was limited
        assertThat(http.get(GW + "/api/v1/tasks/" + taskOf.get("SJW"), http.bureauToken("SJW")).status()).isEqualTo(200);
    }

    // ================================================================== R2: bad input

    @Test
    @Order(6)
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void s06_badInputFromTheSpecsNeverGets5xxAndAlwaysAProblem() throws Exception {
        SpecRequests.Context ctx = new SpecRequests.Context(POLICY, "5", period, taskOf.get("SJW"),
                u -> taskOf.getOrDefault(u == null ? "SJW" : u, taskOf.get("SJW")), UUID.randomUUID().toString(),
                "hub.task-events.adapters.dlq");
        Map<Op, Caller> callerOf = new ConcurrentHashMap<>();
        AtomicInteger nextUnit = new AtomicInteger();
        AtomicInteger nextPerson = new AtomicInteger();
        for (Op op : operations) {
            callerOf.put(op, callerFor(op, nextUnit, nextPerson));
        }
        List<SpecRequests.Variants> plan = SpecRequests.plan(operations, ctx,
                op -> callerOf.get(op) instanceof Bearer b && b.unit != null ? b.unit : actingUnitOf(op, callerOf.get(op)),
                BAD_INPUT_REQUESTS, SEED);

        Map<String, LongAdder> perOperation = new ConcurrentSkipListMap<>();
        Map<Integer, LongAdder> statuses = new ConcurrentSkipListMap<>();
        Map<String, LongAdder> perKind = new ConcurrentSkipListMap<>();
        Map<String, LongAdder> forbiddenOrUnauthorized = new ConcurrentSkipListMap<>();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        Map<String, LongAdder> violationKinds = new ConcurrentSkipListMap<>();
        List<String> internalNames = Collections.synchronizedList(new ArrayList<>());
        LongAdder serverErrors = new LongAdder();
        LongAdder sent = new LongAdder();
        Instant began = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<?>> jobs = new ArrayList<>();
        for (SpecRequests.Variants v : plan) {
            jobs.add(pool.submit(() -> {
                Probe p = v.next();
                Caller caller = callerOf.get(p.op());
                Map<String, String> extra = caller == service ? Map.of("X-Hub-Acting-Unit", actingUnitOf(p.op(), caller)) : Map.of();
                HubHttp.Answer a;
                try {
                    a = send(caller, p, extra);
                } catch (RuntimeException e) {
                    violations.add("no answer: " + p + " as " + caller + ": " + e);
                    return;
                }
                sent.increment();
                perOperation.computeIfAbsent(p.op().label(), k -> new LongAdder()).increment();
                statuses.computeIfAbsent(a.status(), k -> new LongAdder()).increment();
                perKind.computeIfAbsent(p.kind().split(":")[0] + " → " + a.status() / 100 + "xx", k -> new LongAdder()).increment();
                if (a.status() >= 500) {
                    serverErrors.increment();
                }
                if (a.status() == 401 || a.status() == 403 || a.status() == 429) {
                    forbiddenOrUnauthorized.computeIfAbsent(p.op().label() + " " + a.status() + " as " + caller.role,
                            k -> new LongAdder()).increment();
                }
                String problem = a.status() >= 400 ? problemViolation(a) : null;
                String body = a.body();
                if (a.status() >= 500 || problem != null || STACK_TRACE.matcher(body).find()) {
                    violationKinds.computeIfAbsent(p.op().label() + " " + a.status() + " [" + p.kind().split(":")[0] + "]",
                            k -> new LongAdder()).increment();
                    violations.add(a.status() + " " + (problem == null ? "" : "(" + problem + ") ") + p + " as " + caller
                            + " → " + abbreviate(body));
                }
                var names = INTERNAL_NAMES.matcher(body);
                if (names.find()) {
                    internalNames.add(p.op().label() + " [" + p.kind() + "] " + a.status() + ": " + names.group());
                }
            }));
        }
        try {
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = Duration.between(began, Instant.now()).toMillis() / 1000.0;
        long unauthorized = statuses.getOrDefault(401, new LongAdder()).sum();
        long limited = statuses.getOrDefault(429, new LongAdder()).sum();

        HubUnderTest.figure(String.format(Locale.ROOT, "[R2] bad-input run: %d requests over %d operations in %.1f s (%.0f/s, seed %d); "
                + "5xx %d; violations %d; 401 %d; 429 %d; statuses %s", sent.sum(), perOperation.size(), seconds, sent.sum() / seconds,
                SEED, serverErrors.sum(), violations.size(), unauthorized, limited, statuses));
        System.out.println("[R2] requests per operation: " + perOperation);
        System.out.println("[R2] outcome per variant kind: " + perKind);
        System.out.println("[R2] 401/403/429 per operation and role: " + forbiddenOrUnauthorized);
        System.out.println("[R2] answers naming internal classes (reported, not failed): " + internalNames.size()
                + (internalNames.isEmpty() ? "" : " e.g. " + internalNames.subList(0, Math.min(10, internalNames.size()))));
        violations.stream().limit(40).forEach(v -> System.out.println("[R2] VIOLATION " + v));
        System.out.println("[R2] violations by operation and status: " + violationKinds);

        assertThat(perOperation.keySet()).as("every operation of the specs was exercised")
                .hasSize(operations.stream().map(Op::label).distinct().toList().size());
        assertThat(serverErrors.sum()).as("5xx answers to bad input").isZero();
        assertThat(violations).as("5xx, non-problem 4xx or stack traces (first 40 printed above)").isEmpty();
        assertThat(limited).as("429s: the run must stay below the rate limits so that every request reaches validation").isZero();
        assertThat(unauthorized).as("401s: every request carries a valid credential").isZero();
    }

    // ================================================================== helpers

    /** Which caller may call an operation (docs/conventions.md § Identity and the gateway's route rules). */
    private static Caller callerFor(Op op, AtomicInteger nextUnit, AtomicInteger nextPerson) {
        String path = op.pathTemplate();
        Session person = nextPerson.getAndIncrement() % 2 == 0 ? liaison : admin;
        if (path.startsWith("/api/v1/operations") || op.id().equals("rebuildProjection")) {
            return ops;
        }
        if (op.spec().startsWith("bureau") || op.id().equals("uploadAttachment")) {
            return bureaus.get(HubUnderTest.UNITS.get(nextUnit.getAndIncrement() % HubUnderTest.UNITS.size()));
        }
        if (op.spec().startsWith("task")) {
            if (List.of("signForTask", "reportProgress", "submitTask", "requestExtension").contains(op.id())) {
                return service;
            }
            if (op.method().equals("GET") && !op.id().equals("replayEvents")) {
                return bureaus.get(HubUnderTest.UNITS.get(nextUnit.getAndIncrement() % HubUnderTest.UNITS.size()));
            }
            return person;
        }
        // reporting: people read; liaison/admin close periods and import schools
        return op.method().equals("GET") && nextPerson.get() % 3 == 0 ? ops : person;
    }

    /** The unit SERVICE writes act for: one per operation, so the tasks they touch differ. */
    private static String actingUnitOf(Op op, Caller caller) {
        if (caller != service) {
            return null;
        }
        return HubUnderTest.UNITS.get(Math.floorMod(op.id().hashCode(), HubUnderTest.UNITS.size()));
    }

    /** An operation by id, or by {@code <spec>:<id>} where two specs use the same id. */
    static Op op(String id) {
        return operations.stream().filter(o -> id.contains(":") ? o.label().equals(id) : o.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no operation " + id + " in the specs"));
    }

    /** Whether caller {@code c} tries endpoint {@code e} on victim {@code v}'s task in this run (see CROSS_UNIT_STRIDE). */
    static boolean tried(int c, int v, int e) {
        return Math.floorMod(c + 2 * v + e, CROSS_UNIT_STRIDE) == 0;
    }

    static boolean gatewayLetsBureauCall(Op op) {
        if (op.spec().startsWith("bureau")) {
            return true;
        }
        return op.method().equals("GET") || op.id().equals("uploadAttachment");
    }

    /** The spec's valid request for {@code op}, as {@code unit} on {@code task}. */
    static Probe baseline(Op op, String unit, String task) {
        SpecRequests.Context ctx = new SpecRequests.Context(POLICY, "5", period, task, u -> task, UUID.randomUUID().toString(),
                "hub.task-events.adapters.dlq");
        return new SpecRequests.Variants(op, ctx, unit, SEED).baseline();
    }

    static HubHttp.Answer send(Caller caller, Probe p, Map<String, String> extraHeaders) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(GW + p.pathAndQuery())).header("Accept", "application/json");
        p.headers().forEach(b::header);
        extraHeaders.forEach(b::header);
        if (p.contentType() != null) {
            b.header("Content-Type", p.contentType());
        }
        HttpRequest.BodyPublisher body = p.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(p.body());
        b.method(p.method(), body);
        return caller.send(b, !p.method().equals("GET"));
    }

    /**
     * Why an answer of a refused cross-unit attempt leaks, or null: it must be the expected status, a problem detail,
     * and carry nothing of the other unit's task — its id (other than the caller's own request path echoed in
     * {@code instance}), measure title, deadline or lifecycle fields.
     */
    static String leak(HubHttp.Answer a, String victim, String task, int expected) {
        if (a.status() != expected) {
            return "status " + a.status() + " (expected " + expected + "): " + a;
        }
        String problem = problemViolation(a);
        if (problem != null) {
            return problem + ": " + a;
        }
        String text = withoutInstance(a);
        if (expected == 404 && notFound != null) {
            // the refusal must look exactly like the answer for a task that does not exist at all
            String shape = normalized(text, task);
            String none = notFound.get(a.response().request().method() + " " + a.response().uri().getPath().replace(task, "{id}"));
            if (none != null && !none.equals(shape)) {
                return "distinguishable from a task that does not exist: " + shape + " vs " + none;
            }
            text = text.replace(task, "{the requested id}");
        }
        JsonNode owner = ownerView.get(victim);
        List<String> markers = new ArrayList<>(List.of(task, "\"deliveryStatus\"", "\"workItems\"", "\"leadUnitCode\"",
                "\"percentComplete\""));
        for (String field : List.of("measureTitle", "deadline", "unitName")) {
            String v = owner.path(field).asString("");
            if (v.length() > 3) {
                markers.add(v);
            }
        }
        for (String m : markers) {
            if (text.contains(m)) {
                return "the answer contains " + m + ": " + a;
            }
        }
        return null;
    }

    /**
     * Null when {@code a} is an RFC 9457 problem detail matching its status, of a hub kind ({@code type} URN) and with
     * the request's {@code traceId}, else what is wrong.
     */
    static String problemViolation(HubHttp.Answer a) {
        String type = a.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
            return "Content-Type " + type + ", not application/problem+json";
        }
        JsonNode json;
        try {
            json = a.json();
        } catch (RuntimeException e) {
            return "body is not JSON";
        }
        if (json.path("status").asInt() != a.status()) {
            return "problem status " + json.path("status") + " ≠ " + a.status();
        }
        if (json.path("title").asString("").isBlank()) {
            return "problem without title";
        }
        if (!json.path("type").asString("").startsWith("urn:bureau-hub:problem:")) {
            return "problem type " + json.path("type") + ", not a urn:bureau-hub:problem: kind";
        }
        if (!json.path("traceId").asString("").matches("[0-9a-f]{32}")) {
            return "problem without a traceId";
        }
        if (STACK_TRACE.matcher(a.body()).find()) {
            return "stack trace in the problem";
        }
        return null;
    }

    /** Per "METHOD path-with-{id}": the normalized 404 for a task id that does not exist (filled in s02). */
    static volatile Map<String, String> notFound;

    /** A problem body with the requested id and the per-request trace id taken out, for comparison. */
    static String normalized(String body, String id) {
        return body.replace(id, "{id}").replaceAll("\"traceId\":\"[0-9a-f]+\"", "\"traceId\":\"…\"")
                .replaceAll("\"timestamp\":\"[^\"]+\"", "\"timestamp\":\"…\"");
    }

    /** The answer's body without {@code instance}, which only echoes the caller's own request path. */
    static String withoutInstance(HubHttp.Answer a) {
        try {
            JsonNode body = a.json();
            if (body instanceof ObjectNode o) {
                o.remove("instance");
            }
            return body.toString();
        } catch (RuntimeException e) {
            return a.body();
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String abbreviate(String s) {
        String one = s.replace("\n", "\\n");
        return one.length() > 400 ? one.substring(0, 400) + "…" : one;
    }
}
