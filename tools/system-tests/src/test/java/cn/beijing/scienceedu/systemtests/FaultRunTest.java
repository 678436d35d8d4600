package cn.beijing.scienceedu.systemtests;

import static cn.beijing.scienceedu.systemtests.FlowSteps.GW;
import static cn.beijing.scienceedu.systemtests.FlowSteps.POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import cn.beijing.scienceedu.launcher.HubService;
import tools.jackson.databind.JsonNode;

/**
 * The fault run R1 (issue 10, item 1): nothing is lost, nothing is done twice. All six processes against the REAL
 * RabbitMQ (vhost {@code hub-fault}) and PostgreSQL ({@code hub_*_fault}); synthetic policies (copies of the notice's
 * catalogue) planned and dispatched through the gateway while a fault schedule runs — RabbitMQ restarts, SIGKILL of
 * bureau-adapters and of the task-service (each started again with the same spec), five simulated bureaus flapping
 * (down, slow, 5xx, garbage). The bureaus sign for what they receive and report progress, retrying like real
 * systems. After the faults, parked deliveries are replayed (operations API) and the run waits for quiescence, then
 * counts: every task's assignment had exactly one effect at its bureau (copies are fine), every sign-for and progress
 * report is exactly one event in the task-service and one count in each policy's joint report, every parked delivery
 * was replayed and delivered. Size: {@link FaultRunSize} ({@code -Dreliability.size=short|long}).
 */
@Timeout(value = 100, unit = TimeUnit.MINUTES)
class FaultRunTest {

    /** Five bureaus that flap, one or more per protocol family: REST, REST, SOAP, AMQP, FILE. */
    static final List<String> FLAPPING = List.of("FGW", "TSW", "JXJ", "WXB", "GHZRW");
    static final List<String> FLAP_MODES = List.of("DOWN", "SLOW", "ERROR_5XX", "GARBAGE", "NORMAL");

    @Test
    void everyTaskIsDeliveredOnceInEffectAndEveryReplyReflectedOnceDespiteFaults() throws Exception {
        FaultRunSize size = FaultRunSize.fromSystemProperties();
        System.out.println("[fault] " + size);
        Map<String, Map<String, String>> env = Map.of("bureau-adapters", Map.of(
                // a bureau back from an outage is tried again within 15 s (default 5 min), so the run can wait for it
                "HUB_BUREAUDEFAULTS_MAXDELAY", "PT15S",
                "HUB_BUREAUDEFAULTS_BREAKEROPENFOR", "PT10S"));
        // the harness's budget bounds every wait: start-up, the run, one more minute to stop
        Duration harness = size.startup().plus(size.budget()).plusMinutes(1);
        try (HubUnderTest hub = HubUnderTest.start("fault", harness, HubService.ALL.stream().map(HubService::name).toList(),
                env, !size.name().equals("long"))) {
            run(hub, size);
        }
    }

    private void run(HubUnderTest hub, FaultRunSize size) throws Exception {
        HubHttp http = hub.http;
        HubHttp.LiaisonSession liaison = login(http, "liaison");
        HubHttp.LiaisonSession ops = login(http, "ops");
        String period = FlowSteps.currentQuarter();

        // 1. synthetic policies: the notice and copies of its catalogue under other ids, each planned (122 tasks)
        Instant t0 = Instant.now();
        Instant runDeadline = t0.plus(size.budget());
        List<String> policies = new ArrayList<>(List.of(POLICY));
        HubHttp.Answer notice = liaison.get(GW + "/api/v1/policies/" + POLICY);
        assertThat(notice.status()).as("the notice's catalogue: %s", notice).isEqualTo(200);
        for (int n = 1; n < size.policies(); n++) {
            String id = String.format(Locale.ROOT, "%s-f%03d", POLICY, n);
            JsonNode catalogue = HubHttp.JSON.readTree(notice.body().replace(POLICY, id));
            HubHttp.Answer created = liaison.post(GW + "/api/v1/policies", Map.of("catalogue", catalogue));
            assertThat(created.status()).as("import policy %s: %s", id, created).isIn(200, 201);
            policies.add(id);
        }
        Map<String, String> unitOfTask = new ConcurrentHashMap<>();
        Map<String, String> policyOfTask = new ConcurrentHashMap<>();
        for (String p : policies) {
            HubHttp.Answer plan = liaison.post(GW + "/api/v1/policies/" + p + "/plan", Map.of("reportingCycle", "QUARTERLY"));
            assertThat(plan.status()).as("plan %s: %s", p, plan).isIn(200, 201);
            assertThat(plan.json().path("taskCount").asInt()).as("plan %s", p).isEqualTo(FaultRunSize.TASKS_PER_POLICY);
            HubHttp.Answer tasks = liaison.get(GW + "/api/v1/tasks?policyId=" + p + "&size=200");
            assertThat(tasks.status()).as("tasks of %s: %s", p, tasks).isEqualTo(200);
            for (JsonNode t : tasks.json().path("items")) {
                unitOfTask.put(t.path("id").asString(), t.path("unitCode").asString());
                policyOfTask.put(t.path("id").asString(), p);
            }
        }
        assertThat(unitOfTask).as("planned tasks").hasSize(size.tasks());
        System.out.printf(Locale.ROOT, "[fault] %d policies planned, %d tasks, in %.1f s%n", policies.size(), unitOfTask.size(),
                Duration.between(t0, Instant.now()).toMillis() / 1000.0);

        // 2. dispatch everything while the faults run; the bureaus answer what they receive
        EventLedger ledger = new EventLedger(liaison);
        FaultSchedule faults = new FaultSchedule(hub, size, FLAPPING.subList(0, size.flappingBureaus()), FLAP_MODES);
        Instant dispatchStart = Instant.now();
        try (BureauReplies replies = new BureauReplies(http, unitOfTask, ledger, period)) {
            faults.start();
            for (String p : policies) {
                hub.await("dispatch of " + p + " answered", left(runDeadline), () -> {
                    HubHttp.Answer d;
                    try {
                        d = liaison.post(GW + "/api/v1/policies/" + p + "/dispatch", Map.of("note", "故障演练下发"));
                    } catch (RuntimeException e) {
                        return null; // the gateway or the task-service is restarting: dispatch again (only PLANNED tasks move)
                    }
                    return d.status() == 200 ? d : null;
                });
            }
            Duration dispatchTook = Duration.between(dispatchStart, Instant.now());
            faults.awaitEnd();
            Instant faultsEnded = Instant.now();
            System.out.println("[fault] faults done: " + faults.log());

            // 3. quiescence: replay what was parked until nothing is parked, every task delivered and answered
            Set<String> parkedSeen = new LinkedHashSet<>();
            Map<String, String> parkedReasons = new LinkedHashMap<>();
            Set<String> replayed = new LinkedHashSet<>();
            Map<String, Integer> deadLetters = new LinkedHashMap<>();
            Quiet quiet;
            try {
                quiet = hub.await("quiescence: every task delivered, signed for and reported, nothing parked",
                        left(runDeadline), () -> {
                            replayParked(ops, parkedSeen, parkedReasons, replayed);
                            replayDeadLetters(ops, deadLetters);
                            return quiescent(liaison, http, replies, ledger, unitOfTask, policies, period, parkedSeen, replayed);
                        });
            } catch (AssertionError e) {
                // the evidence: which tasks are missing what
                List<String> missing = new ArrayList<>();
                for (String task : unitOfTask.keySet()) {
                    for (String kind : List.of("task.signed-for", "task.progress-reported")) {
                        if (ledger.count(task, kind) == 0) {
                            missing.add(unitOfTask.get(task) + "/" + task + " no " + kind);
                        }
                    }
                }
                System.out.println("[fault] NOT QUIET: " + missing.stream().limit(20).toList() + "; parked seen " + parkedSeen
                        + ", replayed " + replayed + "; last refusals " + replies.lastRefusal);
                throw e;
            }
            Duration toQuiet = Duration.between(faultsEnded, Instant.now());
            HubUnderTest.sleep(Duration.ofSeconds(3)); // late copies would still show up in the count below
            replies.close();

            // 4. count
            Map<String, long[]> tally = new LinkedHashMap<>();
            for (JsonNode t : replies.tally()) {
                tally.put(t.path("taskId").asString(), new long[] {t.path("copies").asLong(), t.path("effects").asLong(),
                        t.path("invalid").asLong()});
            }
            ledger.catchUp(); // forward from the ledger's cursor only: a skipped event would show as a missing count
            long copies = 0, effects = 0, invalid = 0;
            List<String> lost = new ArrayList<>(), doubled = new ArrayList<>(), eventProblems = new ArrayList<>();
            int delivered = 0;
            for (String task : unitOfTask.keySet()) {
                long[] c = tally.getOrDefault(task, new long[3]);
                copies += c[0];
                effects += c[1];
                invalid += c[2];
                if (c[1] == 0) {
                    lost.add(unitOfTask.get(task) + "/" + task);
                } else if (c[1] > 1) {
                    doubled.add(unitOfTask.get(task) + "/" + task + " x" + c[1]);
                }
                for (String kind : List.of("task.dispatched", "task.signed-for", "task.progress-reported")) {
                    int n = ledger.count(task, kind);
                    if (n != 1) {
                        eventProblems.add(task + " " + kind + " x" + n);
                    }
                }
                int d = ledger.count(task, "task.delivered");
                if (d > 1) {
                    eventProblems.add(task + " task.delivered x" + d);
                }
                delivered += d;
            }
            List<String> reportProblems = new ArrayList<>();
            long reportSigned = 0, reportProgress = 0;
            for (String p : policies) {
                JsonNode s = jointReport(liaison, p, period).path("summary");
                reportSigned += s.path("signedForCount").asLong();
                reportProgress += s.path("progressReportCount").asLong();
                if (s.path("taskCount").asInt() != FaultRunSize.TASKS_PER_POLICY
                        || s.path("signedForCount").asInt() != FaultRunSize.TASKS_PER_POLICY
                        || s.path("progressReportCount").asInt() != FaultRunSize.TASKS_PER_POLICY) {
                    reportProblems.add(p + " " + s);
                }
            }
            JsonNode stillParked = parked(ops);
            // each replayed delivery, read back by id: DELIVERED (what the operator sees after a replay)
            Map<String, String> notDelivered = new LinkedHashMap<>();
            for (String id : replayed) {
                HubHttp.Answer d = ops.get(GW + "/api/v1/operations/parked-deliveries/" + id);
                for (int i = 0; i < 20 && d.status() == 429; i++) {
                    // the operator's rate limit at the gateway (50/s): the long run reads ~500 of them in a row
                    HubUnderTest.sleep(Duration.ofMillis(250));
                    d = ops.get(GW + "/api/v1/operations/parked-deliveries/" + id);
                }
                String status = d.status() == 200 ? d.json().path("status").asString() : "HTTP " + d.status();
                if (!status.equals("DELIVERED")) {
                    notDelivered.put(id, status);
                }
            }

            String figures = String.format(Locale.ROOT,
                    "fault run R1 (%s): %d tasks over %d policies; faults: %s; dispatch calls took %.1f s; "
                            + "assignments: %d copies received, %d duplicates absorbed (%d unreadable), %d effects, %d lost, %d "
                            + "double effects; task-service: %d dispatched, %d delivered events, %d sign-fors and %d progress reports "
                            + "taken by the hub (%d sends, %d refused and retried, %d answered 409), %d event problems; joint reports: "
                            + "%d signed for, %d progress reports; parked %d (reasons: %s), replayed %d (%d of them DELIVERED since), still parked %d; "
                            + "dead letters replayed: %s; time to quiescence after the faults %.1f s; %d events in the feed",
                    size.name(), unitOfTask.size(), policies.size(), faults.summary(), dispatchTook.toMillis() / 1000.0, copies,
                    copies - effects, invalid, effects, lost.size(), doubled.size(), countAll(ledger, unitOfTask, "task.dispatched"),
                    delivered, replies.signedFor(), replies.progressReported(), replies.attempts.get(), replies.refused.get(),
                    replies.conflicts.get(), eventProblems.size(), reportSigned, reportProgress, parkedSeen.size(),
                    reasonsSummary(parkedReasons), replayed.size(), replayed.size() - notDelivered.size(), stillParked.size(), deadLetters, toQuiet.toMillis() / 1000.0,
                    ledger.events());
            HubUnderTest.figure(figures);
            if (!replies.lastRefusal.isEmpty()) {
                System.out.println("[fault] last refusals seen by the bureaus: " + first(replies.lastRefusal.entrySet(), 12));
            }
            assertThat(lost).as("tasks whose assignment never had an effect at their bureau (LOSS)").isEmpty();
            assertThat(doubled).as("tasks whose assignment had more than one effect (message ids differed)").isEmpty();
            assertThat(eventProblems).as("tasks not dispatched / signed for / reported exactly once in the task-service")
                    .isEmpty();
            assertThat(replies.conflicts.get()).as("copies of a bureau's sign-for or progress answered 409: %s",
                    replies.lastRefusal).isZero();
            assertThat(reportProblems).as("joint reports not counting each sign-for and progress report once").isEmpty();
            assertThat(stillParked.size()).as("parked deliveries left after the replay").isZero();
            assertThat(replayed).as("every parked delivery was replayed").containsAll(parkedSeen);
            assertThat(notDelivered).as("replayed deliveries that did not end DELIVERED").isEmpty();
            assertThat(quiet).isNotNull();
        } finally {
            faults.stop();
        }
        // every process is still (or again) up and stops cleanly
        StringBuilder traces = new StringBuilder();
        Map<String, Integer> codes = hub.stopAll(traces);
        System.out.println("[fault] exit codes: " + codes);
        assertThat(codes).allSatisfy((name, code) -> assertThat(code).as(name + " exit code").isIn(0, 143));
    }

    /** A browser login through the gateway; tried three times (on a loaded machine the issuer's first answer can take over a minute). */
    private static HubHttp.LiaisonSession login(HubHttp http, String user) {
        RuntimeException last = null;
        for (int i = 0; i < 3; i++) {
            try {
                return http.login(user, user);
            } catch (RuntimeException e) {
                last = e;
                System.out.println("[fault] login as " + user + " failed, trying again: " + e.getMessage());
            }
        }
        throw last;
    }

    private static Duration left(Instant deadline) {
        Duration d = Duration.between(Instant.now(), deadline);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static volatile Instant lastProgressLine = Instant.EPOCH;

    /** Marker that the hub is quiet. */
    record Quiet(Instant at) {
    }

    private static Quiet quiescent(HubHttp.LiaisonSession liaison, HubHttp http, BureauReplies replies, EventLedger ledger,
            Map<String, String> unitOfTask, List<String> policies, String period, Set<String> parkedSeen, Set<String> replayed) {
        try {
            ledger.catchUp();
        } catch (RuntimeException e) {
            return null;
        }
        int received = 0;
        for (JsonNode t : replies.tally()) {
            if (t.path("effects").asLong() >= 1 && unitOfTask.containsKey(t.path("taskId").asString())) {
                received++;
            }
        }
        int signed = 0, reported = 0;
        for (String task : unitOfTask.keySet()) {
            signed += ledger.count(task, "task.signed-for") >= 1 ? 1 : 0;
            reported += ledger.count(task, "task.progress-reported") >= 1 ? 1 : 0;
        }
        if (Instant.now().isAfter(lastProgressLine.plusSeconds(10))) {
            lastProgressLine = Instant.now();
            System.out.printf(Locale.ROOT, "[fault] waiting: %d/%d received by their bureau, %d signed for, %d reported; parked "
                        + "seen %d, replayed %d%n", received, unitOfTask.size(), signed, reported, parkedSeen.size(), replayed.size());
        }
        if (received < unitOfTask.size() || signed < unitOfTask.size() || reported < unitOfTask.size()
                || !replayed.containsAll(parkedSeen)) {
            return null;
        }
        for (String p : policies) {
            JsonNode s = jointReport(liaison, p, period).path("summary");
            if (s.path("signedForCount").asInt() < FaultRunSize.TASKS_PER_POLICY
                    || s.path("progressReportCount").asInt() < FaultRunSize.TASKS_PER_POLICY) {
                return null;
            }
        }
        return new Quiet(Instant.now());
    }

    static JsonNode jointReport(HubHttp.LiaisonSession liaison, String policy, String period) {
        HubHttp.Answer a = liaison.get(GW + "/api/v1/reports/joint?policy=" + policy + "&period=" + period);
        for (int i = 0; i < 20 && a.status() == 429; i++) {
            // the liaison's rate limit at the gateway (50/s): the long run reads 82 reports in a row
            HubUnderTest.sleep(Duration.ofMillis(250));
            a = liaison.get(GW + "/api/v1/reports/joint?policy=" + policy + "&period=" + period);
        }
        if (a.status() != 200) {
            throw new AssertionError("joint report of " + policy + ": " + a);
        }
        return a.json();
    }

    static JsonNode parked(HubHttp.LiaisonSession ops) {
        HubHttp.Answer a = ops.get(GW + "/api/v1/operations/parked-deliveries?limit=1000");
        if (a.status() != 200) {
            throw new AssertionError("parked deliveries (operations API as ops): " + a);
        }
        return a.json();
    }

    /** Lists what is parked (each with its reason) and replays it; a delivery parked again is replayed again. */
    private static void replayParked(HubHttp.LiaisonSession ops, Set<String> seen, Map<String, String> reasons, Set<String> replayed) {
        JsonNode list;
        try {
            list = parked(ops);
        } catch (RuntimeException | AssertionError e) {
            return; // bureau-adapters restarting
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode d : list) {
            String id = d.path("deliveryId").asString();
            assertThat(d.path("reason").asString()).as("a parked delivery names its reason: %s", d).isNotBlank();
            seen.add(id);
            reasons.put(id, shortReason(d.path("reason").asString()));
            ids.add(id);
        }
        if (ids.isEmpty()) {
            return;
        }
        HubHttp.Answer r = ops.post(GW + "/api/v1/operations/parked-deliveries/replay", Map.of("deliveryIds", ids));
        if (r.status() == 200) {
            r.json().path("ids").forEach(id -> replayed.add(id.asString()));
            if (r.json().path("ids").isEmpty() && r.json().path("count").asInt() == ids.size()) {
                replayed.addAll(ids);
            }
        }
    }

    private static void replayDeadLetters(HubHttp.LiaisonSession ops, Map<String, Integer> replayed) {
        HubHttp.Answer a;
        try {
            a = ops.get(GW + "/api/v1/operations/dead-letter-queues");
        } catch (RuntimeException e) {
            return;
        }
        if (a.status() != 200) {
            return;
        }
        for (JsonNode q : a.json()) {
            int n = q.path("messageCount").asInt();
            if (n > 0) {
                HubHttp.Answer r = ops.post(GW + "/api/v1/operations/dead-letter-queues/" + q.path("name").asString() + "/replay",
                        Map.of());
                if (r.status() == 200) {
                    replayed.merge(q.path("name").asString(), n, Integer::sum);
                }
            }
        }
    }

    private static String shortReason(String reason) {
        String r = reason.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "…");
        return r.length() > 80 ? r.substring(0, 80) : r;
    }

    /** Parked deliveries per reason. */
    private static String reasonsSummary(Map<String, String> reasonById) {
        Map<String, String> counts = new LinkedHashMap<>();
        reasonById.values().forEach(r -> counts.merge(r, "1", (a, b) -> Integer.toString(Integer.parseInt(a) + 1)));
        return counts.isEmpty() ? "none" : first(counts.entrySet(), 5);
    }

    private static String first(Set<? extends Map.Entry<String, String>> entries, int n) {
        return entries.stream().limit(n).map(e -> e.getKey() + ": " + e.getValue()).toList().toString();
    }

    private static long countAll(EventLedger ledger, Map<String, String> tasks, String kind) {
        return tasks.keySet().stream().mapToLong(t -> ledger.count(t, kind)).sum();
    }
}
