package cn.beijing.scienceedu.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * The demo of issue 7 (item 2), against a hub that runs ({@code ./hub}, whose simulated bureaus answer by
 * themselves): through the gateway the liaison imports the SYNTHETIC school register the simulator reports for,
 * plans the notice's 122 tasks with deadlines counted from today and dispatches them all; bureau-adapters deliver
 * them to the 17 simulated bureau systems over each one's configured protocol; three bureaus misbehave for a while
 * (FGW slow, TSW down for 30 s, JXJ one garbage reply); the operator replays what got parked; each bureau signs for
 * its tasks with its own signing time, reports progress — its own status (some bureaus of every protocol AT_RISK,
 * DELAYED or BLOCKED, with 存在问题 and 下一步计划), KPI values of its task's measure (all seven KPIs of the catalogue,
 * school-level ones for the synthetic register), evidence for some — and a third of the bureaus on track submit;
 * the joint report fills in. Ends with a summary on the terminal: tasks per rating (GREEN/AMBER/RED/GREY, the
 * task-service's), the KPI charts with values, whether the signing times are the bureaus' own.
 * {@code EmbeddedDefaultsSmokeTest} runs it and checks the summary.
 *
 * <pre>
 * ./hub                      # terminal 1
 * tools/system-tests/demo    # terminal 2
 * </pre>
 */
public final class HubDemo {

    static final String GW = HubHttp.GATEWAY;
    static final String SIM = "http://localhost:8090";
    static final String POLICY = FlowSteps.POLICY;
    /** A school-level KPI the bureaus of measure 11 report per school of the synthetic register (the simulator's BureauAnswers). */
    static final String SCHOOL_KPI = "SCHOOL_SCIENCE_TUTORS";
    static final Duration TSW_DOWN_FOR = Duration.ofSeconds(30);

    /** The KPIs of the notice's catalogue (seven): each has a chart on the dashboard. */
    static final Set<String> KPI_CODES = kpiCodes();

    /** What the demo shows at the end. */
    record Summary(int tasks, Map<String, Integer> deliveredPerProtocol, Map<String, Integer> expectedPerProtocol,
            int parked, int replayed, int schoolsImported, JsonNode reportSummary, JsonNode schoolKpi, String period,
            Map<String, Integer> taskStatuses, Duration took, Set<String> kpisWithValues, Map<String, Integer> ratings,
            Map<String, Integer> ratingReasons, Map<String, Integer> bureauStatuses, SigningTimes signingTimes,
            JsonNode taskList, JsonNode bureauPlan, Map<String, String> protocolOfUnit, Map<String, Integer> measureRatings) {

        int delivered() {
            return deliveredPerProtocol.values().stream().mapToInt(Integer::intValue).sum();
        }

        int figure(String name) {
            return reportSummary.path(name).asInt();
        }

        /**
         * Every task delivered, signed for and with progress, and every KPI chart with values: the demo has nothing
         * left to wait for.
         */
        boolean complete() {
            return tasks > 0 && delivered() == tasks && figure("signedForCount") >= tasks
                    && figure("progressReportCount") >= tasks && kpisWithValues.containsAll(KPI_CODES);
        }
    }

    /**
     * The signing times the task-service kept against what the simulated bureaus sent ({@code GET /sim/sent}):
     * {@code signed} tasks with a signedAt, {@code bureausOwn} of them equal to a sign-for time their bureau sent,
     * per protocol; {@code others} a few that are not (task: kept vs sent).
     */
    record SigningTimes(int signed, int bureausOwn, Map<String, Integer> bureausOwnPerProtocol, List<String> others) {

        static SigningTimes none() {
            return new SigningTimes(0, 0, Map.of(), List.of());
        }
    }

    private final HubHttp http = new HubHttp();
    private final Path repoRoot;
    private final Consumer<String> out;
    private final Instant began = Instant.now();

    HubDemo(Path repoRoot, Consumer<String> out) {
        this.repoRoot = repoRoot;
        this.out = out;
    }

    public static void main(String[] args) {
        Duration wait = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 240);
        Summary s = new HubDemo(HubSandbox.repoRoot(), System.out::println).run(wait);
        System.exit(s.complete() ? 0 : 1);
    }

    /** Runs the demo; {@code wait} bounds the whole run after the hub answers (a hung step ends it, never CI). */
    Summary run(Duration wait) {
        Instant until = Instant.now().plus(wait);
        String period = FlowSteps.currentQuarter();
        say("logging in through the gateway as the liaison (liaison/liaison) and the operator (ops/ops)");
        HubHttp.LiaisonSession liaison = http.login("liaison", "liaison");
        HubHttp.LiaisonSession ops = http.login("ops", "ops");

        // the synthetic register (合成数据) the simulated bureaus report school KPI values for
        String csv = HubHttp.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(SIM + "/sim/register.csv"))
                .header("Accept", "text/csv").GET(), java.net.http.HttpClient.newHttpClient()).body();
        HubHttp.Answer imported = new RegisterUpload("liaison", "liaison").importSchools(csv);
        int schools = imported.status() == 200 ? csv.strip().split("\n").length - 1 : 0;
        say("imported the SYNTHETIC school register (" + schools + " made-up schools, marked synthetic): " + imported);

        LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
        HubHttp.Answer plan = liaison.post(GW + "/api/v1/policies/" + POLICY + "/plan",
                Map.of("reportingCycle", "QUARTERLY", "defaultDeadline", today.plusMonths(6).toString()));
        say("plan from today (" + today + "): " + plan);
        Map<String, String> unitOfTask = tasks(liaison);
        Map<String, String> protocolOfUnit = registryProtocols(repoRoot);
        Map<String, Integer> expected = new TreeMap<>();
        unitOfTask.values().forEach(u -> expected.merge(protocolOfUnit.getOrDefault(u, "?"), 1, Integer::sum));
        say(unitOfTask.size() + " tasks; by the bureau registry they go out as " + expected);

        say("misbehaviour: FGW slow (4 s per call), TSW down for " + TSW_DOWN_FOR.toSeconds() + " s, JXJ one garbage reply");
        behaviour("FGW", "SLOW", 4000);
        behaviour("TSW", "DOWN", 0);
        behaviour("JXJ", "GARBAGE", 0);
        Instant misbehaving = Instant.now();

        HubHttp.Answer dispatch = liaison.post(GW + "/api/v1/policies/" + POLICY + "/dispatch", Map.of("note", "请按期落实（演示）"));
        say("dispatch of the whole plan: " + dispatch);

        boolean garbageOver = false;
        boolean downOver = false;
        Set<String> parked = new LinkedHashSet<>();
        int replayed = 0;
        Map<String, Integer> delivered = new TreeMap<>();
        JsonNode report = null;
        Summary summary = null;
        while (true) {
            JsonNode received = http.get(SIM + "/sim/received", null).json();
            delivered = deliveredPerProtocol(received);
            if (!garbageOver && countOf(received, "JXJ") > 0) {
                behaviour("JXJ", "NORMAL", 0); // one garbage reply, then it answers properly again
                garbageOver = true;
                say("JXJ answered garbage once; it answers properly again");
            }
            if (!downOver && Duration.between(misbehaving, Instant.now()).compareTo(TSW_DOWN_FOR) >= 0) {
                behaviour("TSW", "NORMAL", 0);
                behaviour("FGW", "NORMAL", 0);
                downOver = true;
                say("TSW is back up, FGW answers quickly again");
            }
            // the operator replays what was parked once the bureaus behave again
            HubHttp.Answer list = ops.get(GW + "/api/v1/operations/parked-deliveries?limit=1000");
            if (list.status() == 200 && list.json().isArray() && list.json().size() > 0) {
                List<String> ids = new java.util.ArrayList<>();
                list.json().forEach(p -> ids.add(p.path("deliveryId").asString()));
                parked.addAll(ids);
                if (downOver && garbageOver) {
                    HubHttp.Answer replay = ops.post(GW + "/api/v1/operations/parked-deliveries/replay", Map.of("deliveryIds", ids));
                    replayed += replay.status() == 200 ? replay.json().path("count").asInt() : 0;
                    say("replayed " + ids.size() + " parked deliveries (" + units(list.json()) + "): " + replay);
                }
            } else if (list.status() != 200) {
                say("operations API: " + list);
            }
            HubHttp.Answer joint = liaison.get(GW + "/api/v1/reports/joint?policy=" + POLICY + "&period=" + period);
            report = joint.status() == 200 ? joint.json() : report;
            summary = summary(unitOfTask.size(), delivered, expected, parked.size(), replayed, schools, report, period);
            say(String.format(Locale.ROOT, "delivered %d of %d %s; signed for %d, progress reports %d; KPI charts with values %d of %d",
                    summary.delivered(), summary.tasks(), delivered, summary.figure("signedForCount"),
                    summary.figure("progressReportCount"), summary.kpisWithValues().size(), KPI_CODES.size()));
            if ((summary.complete() && downOver && garbageOver) || Instant.now().isAfter(until)) {
                break;
            }
            HubUnderTest.sleep(Duration.ofSeconds(4));
        }
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, Integer> ratings = new TreeMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        Map<String, Integer> bureauStatuses = new TreeMap<>();
        SigningTimes signing = SigningTimes.none();
        HubHttp.Answer all = liaison.get(GW + "/api/v1/tasks?policyId=" + POLICY + "&size=200");
        if (all.status() == 200) {
            // the task-service owns each task's rating (reporting only aggregates it)
            all.json().path("items").forEach(t -> {
                statuses.merge(t.path("status").asString(), 1, Integer::sum);
                ratings.merge(t.path("rating").asString("?"), 1, Integer::sum);
                reasons.merge(t.path("ratingReason").asString("?"), 1, Integer::sum);
                if (t.hasNonNull("bureauStatus")) {
                    bureauStatuses.merge(t.path("bureauStatus").asString(), 1, Integer::sum);
                }
            });
            signing = signingTimes(all.json().path("items"), protocolOfUnit);
        }
        summary = new Summary(summary.tasks(), summary.deliveredPerProtocol(), expected, summary.parked(), summary.replayed(),
                schools, summary.reportSummary(), summary.schoolKpi(), period, statuses, summary.took(),
                summary.kpisWithValues(), ratings, reasons, bureauStatuses, signing,
                all.status() == 200 ? all.json().path("items") : null, bureauPlan(), protocolOfUnit, summary.measureRatings());
        print(summary);
        return summary;
    }

    /** How each simulated bureau answers (its status, whether it submits, its evidence): {@code GET /sim/answers}. */
    JsonNode bureauPlan() {
        HubHttp.Answer plan = http.get(SIM + "/sim/answers", null);
        return plan.status() == 200 ? plan.json() : null;
    }

    /** Each signed task's signedAt (as the task-service kept it) against the sign-for times its bureau sent. */
    SigningTimes signingTimes(JsonNode tasks, Map<String, String> protocolOfUnit) {
        HubHttp.Answer sent = http.get(SIM + "/sim/sent?kind=SIGN_FOR", null);
        if (sent.status() != 200) {
            say("simulator /sim/sent: " + sent);
            return SigningTimes.none();
        }
        Map<String, Set<Instant>> sentTimes = new HashMap<>();
        for (JsonNode s : sent.json()) {
            if (s.hasNonNull("bureauTime")) {
                sentTimes.computeIfAbsent(s.path("taskId").asString(), k -> new HashSet<>())
                        .add(java.time.OffsetDateTime.parse(s.path("bureauTime").asString()).toInstant());
            }
        }
        int signed = 0;
        int own = 0;
        Map<String, Integer> perProtocol = new TreeMap<>();
        List<String> others = new java.util.ArrayList<>();
        for (JsonNode t : tasks) {
            if (!t.hasNonNull("signedAt")) {
                continue;
            }
            signed++;
            Instant kept = java.time.OffsetDateTime.parse(t.path("signedAt").asString()).toInstant();
            String id = t.path("id").asString();
            if (sentTimes.getOrDefault(id, Set.of()).contains(kept)) {
                own++;
                perProtocol.merge(protocolOfUnit.getOrDefault(t.path("unitCode").asString(), "?"), 1, Integer::sum);
            } else if (others.size() < 5) {
                others.add(id + ": kept " + t.path("signedAt").asString() + ", sent " + sentTimes.getOrDefault(id, Set.of()));
            }
        }
        return new SigningTimes(signed, own, perProtocol, others);
    }

    /** The catalogue's KPI codes (contracts), the charts the dashboard draws. */
    static Set<String> kpiCodes() {
        Set<String> codes = new java.util.TreeSet<>();
        cn.beijing.scienceedu.contracts.catalogue.Catalogues.defaultPolicy().getKpis().forEach(k -> codes.add(k.getCode()));
        return codes;
    }

    /** A KPI roll-up of the joint report that has values: a city figure, a district figure or a school reporting. */
    static boolean hasValues(JsonNode kpi) {
        if (kpi.hasNonNull("cityValue") || kpi.hasNonNull("cityMean") || kpi.path("schoolCount").asInt() > 0) {
            return true;
        }
        for (JsonNode d : kpi.path("districts")) {
            if (d.hasNonNull("value") || d.hasNonNull("mean") || d.path("schoolCount").asInt() > 0) {
                return true;
            }
        }
        return false;
    }

    private Summary summary(int tasks, Map<String, Integer> delivered, Map<String, Integer> expected, int parked,
            int replayed, int schools, JsonNode report, String period) {
        JsonNode kpi = null;
        Set<String> withValues = new java.util.TreeSet<>();
        Map<String, Integer> measureRatings = new TreeMap<>();
        if (report != null) {
            // reporting's roll-up: a measure takes the worst rating of its tasks in play
            report.path("measures").forEach(m -> measureRatings.merge(m.path("rating").asString("?"), 1, Integer::sum));
            for (JsonNode k : report.path("kpis")) {
                if (SCHOOL_KPI.equals(k.path("kpiCode").asString())) {
                    kpi = k;
                }
                if (hasValues(k)) {
                    withValues.add(k.path("kpiCode").asString());
                }
            }
        }
        return new Summary(tasks, new TreeMap<>(delivered), expected, parked, replayed, schools,
                report == null ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : report.path("summary"),
                kpi, period, Map.of(), Duration.between(began, Instant.now()), withValues, Map.of(), Map.of(), Map.of(),
                SigningTimes.none(), null, null, Map.of(), measureRatings);
    }

    void print(Summary s) {
        out.accept("");
        out.accept("──────────── demo summary ────────────");
        out.accept(String.format(Locale.ROOT, "  tasks delivered per protocol: %s, %d of %d (registry expects %s)",
                s.deliveredPerProtocol(), s.delivered(), s.tasks(), s.expectedPerProtocol()));
        out.accept(String.format(Locale.ROOT, "  parked: %d, replayed: %d", s.parked(), s.replayed()));
        out.accept(String.format(Locale.ROOT, "  joint report %s: %d tasks, %d signed for, %d progress reports, %d %% complete, %d overdue",
                s.period(), s.figure("taskCount"), s.figure("signedForCount"), s.figure("progressReportCount"),
                s.figure("percentComplete"), s.figure("overdueCount")));
        out.accept("  tasks by status: " + s.taskStatuses());
        out.accept(String.format(Locale.ROOT, "  ratings (task-service): GREEN %d, AMBER %d, RED %d, GREY %d; reasons %s",
                s.ratings().getOrDefault("GREEN", 0), s.ratings().getOrDefault("AMBER", 0), s.ratings().getOrDefault("RED", 0),
                s.ratings().getOrDefault("GREY", 0), s.ratingReasons()));
        out.accept("  measures per rating (joint report, the worst task in play): " + s.measureRatings());
        out.accept("  the bureaus' own status (自评) of their last reports: " + s.bureauStatuses());
        out.accept(String.format(Locale.ROOT, "  KPI charts with values: %d of %d %s%s", s.kpisWithValues().size(), KPI_CODES.size(),
                s.kpisWithValues(), s.kpisWithValues().containsAll(KPI_CODES) ? "" : "; none yet for "
                        + KPI_CODES.stream().filter(k -> !s.kpisWithValues().contains(k)).toList()));
        out.accept(String.format(Locale.ROOT, "  signing times: %d of %d signed tasks carry the bureau's own signedAt %s%s",
                s.signingTimes().bureausOwn(), s.signingTimes().signed(), s.signingTimes().bureausOwnPerProtocol(),
                s.signingTimes().others().isEmpty() ? "" : "; not: " + s.signingTimes().others()));
        out.accept("  report summary: " + s.reportSummary());
        out.accept("  " + SCHOOL_KPI + " (school level, " + s.schoolsImported() + " synthetic schools): "
                + (s.schoolKpi() == null ? "no values yet" : s.schoolKpi()));
        out.accept(String.format(Locale.ROOT, "  dashboard: %s/dashboard?policy=%s&period=%s (login liaison / liaison)", GW, POLICY, s.period()));
        out.accept(String.format(Locale.ROOT, "  took %.0f s; %s", s.took().toMillis() / 1000.0,
                s.complete() ? "every task delivered, signed for and reported on, every KPI chart with values"
                        : "NOT COMPLETE within the time given"));
    }

    /** Task id → unit, read by the liaison. */
    private static Map<String, String> tasks(HubHttp.LiaisonSession liaison) {
        HubHttp.Answer all = liaison.get(GW + "/api/v1/tasks?policyId=" + POLICY + "&size=200");
        if (all.status() != 200) {
            throw new IllegalStateException("task list: " + all);
        }
        Map<String, String> unitOfTask = new LinkedHashMap<>();
        all.json().path("items").forEach(t -> unitOfTask.put(t.path("id").asString(), t.path("unitCode").asString()));
        return unitOfTask;
    }

    /** Unit → protocol, from the one bureau registry (bureau-adapters' bureaus.yaml, which the simulator also reads). */
    static Map<String, String> registryProtocols(Path repoRoot) {
        Path registry = repoRoot.resolve("bureau-adapters/src/main/resources/bureaus.yaml");
        Map<String, String> protocols = new HashMap<>();
        Pattern unit = Pattern.compile("^    ([A-Z][A-Z0-9]*):\\s*$");
        Pattern protocol = Pattern.compile("^      protocol:\\s*([A-Z]+)");
        String current = null;
        try {
            for (String line : Files.readAllLines(registry, StandardCharsets.UTF_8)) {
                Matcher u = unit.matcher(line);
                Matcher p = protocol.matcher(line);
                if (u.find()) {
                    current = u.group(1);
                } else if (p.find() && current != null) {
                    protocols.put(current, p.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bureau registry " + registry, e);
        }
        return protocols;
    }

    /** Distinct tasks each protocol delivered in a form the bureau accepted. */
    static Map<String, Integer> deliveredPerProtocol(JsonNode received) {
        Map<String, Set<String>> tasks = new TreeMap<>();
        for (JsonNode r : received) {
            if ("ASSIGNMENT".equals(r.path("kind").asString()) && r.path("valid").asBoolean()) {
                tasks.computeIfAbsent(r.path("protocol").asString(), p -> new HashSet<>()).add(r.path("taskId").asString());
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        tasks.forEach((p, t) -> counts.put(p, t.size()));
        return counts;
    }

    private static long countOf(JsonNode received, String unit) {
        long n = 0;
        for (JsonNode r : received) {
            if (unit.equals(r.path("unit").asString())) {
                n++;
            }
        }
        return n;
    }

    private static String units(JsonNode parked) {
        Map<String, Integer> byUnit = new TreeMap<>();
        parked.forEach(p -> byUnit.merge(p.path("unitCode").asString(), 1, Integer::sum));
        return byUnit.toString();
    }

    private void behaviour(String unit, String mode, long delayMs) {
        HubHttp.Answer a = http.postJson(SIM + "/sim/bureaus/" + unit + "/behaviour", null,
                Map.of("mode", mode, "delayMs", delayMs), null);
        if (a.status() != 200) {
            say("simulator behaviour " + unit + " " + mode + ": " + a);
        }
    }

    private void say(String line) {
        out.accept(String.format(Locale.ROOT, "[demo %5.1fs] %s", Duration.between(began, Instant.now()).toMillis() / 1000.0, line));
    }
}
