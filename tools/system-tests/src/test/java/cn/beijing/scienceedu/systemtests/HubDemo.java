package cn.beijing.scienceedu.systemtests;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/**
 * The demo of issue 7 (item 2), against a hub that runs ({@code ./hub} in another terminal): through the gateway
 * the liaison plans the notice's 122 tasks with deadlines counted from today and dispatches them; the adapters
 * deliver them to the 17 simulated bureaus; each bureau signs for what it received and reports progress in its own
 * protocol (REST bureaus through the gateway with KPI values for the synthetic school register), a third submit;
 * some bureaus misbehave for a while (one slow, one down, one garbage reply); the operator replays what was parked;
 * the joint report fills in on the dashboard. Ends with a summary on the terminal.
 *
 * <pre>
 * ./hub                                   # terminal 1
 * ./mvnw -q -o -pl tools/system-tests test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *     -Dexec.classpathScope=test -Dexec.mainClass=cn.beijing.scienceedu.systemtests.HubDemo   # terminal 2
 * </pre>
 */
public final class HubDemo {

    static final String GW = HubHttp.GATEWAY;
    static final String SIM = "http://localhost:8090";
    static final String POLICY = FlowSteps.POLICY;

    private final HubHttp http = new HubHttp();
    private final Instant began = Instant.now();

    public static void main(String[] args) {
        Duration wait = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 180);
        new HubDemo().run(wait);
    }

    void run(Duration wait) {
        String period = FlowSteps.currentQuarter();
        say("logging in as the liaison (liaison/liaison) through the gateway");
        HubHttp.LiaisonSession liaison = http.login("liaison", "liaison");
        HubHttp.LiaisonSession ops = http.login("ops", "ops");

        LocalDate deadline = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusMonths(6);
        HubHttp.Answer plan = liaison.post(GW + "/api/v1/policies/" + POLICY + "/plan",
                Map.of("reportingCycle", "QUARTERLY", "defaultDeadline", deadline.toString()));
        say("plan: " + plan.status() + " " + plan.body());

        say("misbehaviour: FGW slow (4 s per call), TSW down for 30 s, WXB answers garbage once");
        behaviour("FGW", "SLOW", 4000);
        behaviour("TSW", "DOWN", 0);
        behaviour("WXB", "GARBAGE", 0);

        HubHttp.Answer dispatch = liaison.post(GW + "/api/v1/policies/" + POLICY + "/dispatch", Map.of("note", "请按期落实（演示）"));
        say("dispatch of the whole plan: " + dispatch.status() + " " + dispatch.body());
        sleep(Duration.ofSeconds(10));
        behaviour("WXB", "NORMAL", 0);
        sleep(Duration.ofSeconds(20));
        behaviour("TSW", "NORMAL", 0);
        behaviour("FGW", "NORMAL", 0);

        // the operator replays what the garbage reply parked
        int parked = 0;
        int replayed = 0;
        HubHttp.Answer parkedList = ops.get(GW + "/api/v1/operations/parked-deliveries?limit=1000");
        JsonNode items = parkedList.status() == 200 ? (parkedList.json().isArray() ? parkedList.json() : parkedList.json().path("items")) : null;
        if (items != null) {
            parked = items.size();
            List<String> ids = new ArrayList<>();
            items.forEach(i -> ids.add(i.path("deliveryId").asString()));
            if (!ids.isEmpty()) {
                HubHttp.Answer replay = ops.post(GW + "/api/v1/operations/parked-deliveries/replay", Map.of("deliveryIds", ids));
                replayed = replay.status() == 200 ? replay.json().path("count").asInt() : 0;
                say("replayed parked deliveries: " + replay.status() + " " + replay.body());
            }
        } else {
            say("operations API (parked deliveries): " + parkedList);
        }

        // bureaus answer what they received, in their own protocol
        Set<String> answered = new HashSet<>();
        Map<String, Integer> deliveredPerProtocol = new TreeMap<>();
        Instant until = Instant.now().plus(wait);
        int n = 0;
        while (Instant.now().isBefore(until)) {
            HubHttp.Answer got = http.get(SIM + "/sim/received", null);
            if (got.status() != 200) {
                say("bureau simulator: " + got);
                break;
            }
            deliveredPerProtocol.clear();
            for (JsonNode r : got.json()) {
                if (!"ASSIGNMENT".equals(r.path("kind").asString()) || !r.path("valid").asBoolean()) {
                    continue;
                }
                String protocol = r.path("protocol").asString();
                String unit = r.path("unit").asString();
                String task = r.path("taskId").asString();
                deliveredPerProtocol.merge(protocol, 1, Integer::sum);
                if (answered.add(task)) {
                    answer(unit, protocol, task, period, n++ % 3 == 0);
                }
            }
            if (answered.size() >= 122) {
                break;
            }
            sleep(Duration.ofSeconds(3));
        }

        JsonNode report = liaison.get(GW + "/api/v1/reports/joint?policy=" + POLICY + "&period=" + period).json();
        System.out.println();
        System.out.println("──────────── demo summary ────────────");
        System.out.printf(Locale.ROOT, "  tasks delivered per protocol: %s (total %d of 122)%n", deliveredPerProtocol,
                deliveredPerProtocol.values().stream().mapToInt(Integer::intValue).sum());
        System.out.printf(Locale.ROOT, "  parked: %d, replayed: %d%n", parked, replayed);
        System.out.printf(Locale.ROOT, "  joint report %s: %s%n", period, report.path("summary"));
        System.out.printf(Locale.ROOT, "  dashboard: %s/dashboard?policy=%s&period=%s (login liaison / liaison)%n", GW, POLICY, period);
        System.out.printf(Locale.ROOT, "  took %.0f s%n", Duration.between(began, Instant.now()).toMillis() / 1000.0);
    }

    /** HTTP bureaus (REST, SOAP) call the hub's REST inbound through the gateway with their issuer token; the others answer in their protocol. */
    private void answer(String unit, String protocol, String task, String period, boolean submit) {
        boolean http = protocol.equals("REST") || protocol.equals("SOAP");
        if (http) {
            bureauPost(unit, task, "sign-for", Map.of("messageId", unit + "-demo-" + UUID.randomUUID(), "signedBy", unit + " 联络员",
                    "signedAt", java.time.OffsetDateTime.now().toString()));
        } else {
            send(unit, Map.of("kind", "SIGN_FOR", "taskId", task, "signedBy", unit + " 联络员"));
        }
        if (http) {
            List<Map<String, Object>> kpis = new ArrayList<>();
            kpis.add(Map.of("code", "SCIENCE_EDUCATION_BRANDS", "value", 10 + Math.abs(task.hashCode() % 20), "level", "CITY"));
            bureauPost(unit, task, "progress-reports", Map.of("messageId", unit + "-demo-" + UUID.randomUUID(), "period", period,
                    "percentComplete", 30 + Math.abs(task.hashCode() % 60), "narrative", "按计划推进（演示）", "kpiValues", kpis));
        } else {
            send(unit, Map.of("kind", "PROGRESS", "taskId", task, "period", period,
                    "percentComplete", 30 + Math.abs(task.hashCode() % 60), "narrative", "按计划推进（演示）"));
        }
        if (submit && http) {
            bureauPost(unit, task, "submission", Map.of("messageId", unit + "-demo-" + UUID.randomUUID(), "summary", "任务已完成（演示）"));
        } else if (submit) {
            send(unit, Map.of("kind", "SUBMISSION", "taskId", task, "summary", "任务已完成，成果已报送（演示）"));
        }
    }

    private void bureauPost(String unit, String task, String action, Map<String, Object> body) {
        HubHttp.Answer a = http.postJson(GW + "/api/v1/bureau/tasks/" + task + "/" + action, http.bureauToken(unit), body,
                UUID.randomUUID().toString());
        if (a.status() / 100 != 2) {
            say(unit + " " + action + " " + task + ": " + a);
        }
    }

    private void send(String unit, Map<String, Object> report) {
        http.postJson(SIM + "/sim/bureaus/" + unit + "/send", null, new LinkedHashMap<>(report), null);
    }

    private void behaviour(String unit, String mode, long delayMs) {
        HubHttp.Answer a = http.postJson(SIM + "/sim/bureaus/" + unit + "/behaviour", null,
                Map.of("mode", mode, "delayMs", delayMs), null);
        if (a.status() != 200) {
            say("simulator behaviour " + unit + " " + mode + ": " + a);
        }
    }

    private void say(String line) {
        System.out.printf(Locale.ROOT, "[demo %5.1fs] %s%n", Duration.between(began, Instant.now()).toMillis() / 1000.0, line);
    }

    private static void sleep(Duration d) {
        HubUnderTest.sleep(d);
    }
}
