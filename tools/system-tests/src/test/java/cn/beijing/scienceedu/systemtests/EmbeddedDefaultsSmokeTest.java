package cn.beijing.scienceedu.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cn.beijing.scienceedu.launcher.HubProcesses;
import cn.beijing.scienceedu.launcher.HubService;
import cn.beijing.scienceedu.launcher.ManagedProcess;
import cn.beijing.scienceedu.launcher.Ports;
import cn.beijing.scienceedu.launcher.ProcessSpec;

/**
 * README command 1 on the embedded defaults alone (issue 7, item 5): the launcher — the program {@code ./hub}
 * runs — started with {@code --no-build --fresh}, with every {@code HUB_RABBITMQ_*} / {@code HUB_DATABASE_*}
 * setting removed from its environment, so it starts its embedded Qpid broker on 5673 and embedded PostgreSQL
 * on 5433 (a real RabbitMQ on 5672 and PostgreSQL on 5432 may run beside it, untouched). It runs from a copy of
 * the built jars ({@link HubSandbox}). Then the demo ({@link HubDemo}) runs on it: 122 tasks delivered over each
 * bureau's protocol, misbehaving bureaus parked and replayed, the simulated bureaus' own sign-for and progress
 * (with their issuer tokens, through the gateway) in the joint report; and (issue 15) what they say arrives whole:
 * AMBER and RED tasks rated by the bureaus' own status in every protocol, all seven KPI charts with values, every
 * signedAt the bureau's own time (the simulator's clock, not the hub's), problems, next steps and evidence kept as
 * sent. Time budget: {@link #BUDGET} for all of it, enforced by the harness.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedDefaultsSmokeTest {

    /**
     * The whole suite: start, dashboard, demo, stop (CI runs it on every commit). {@code -Dhub.smoke.budget=PT8M}
     * gives a machine shared with other builds more time; the default is what CI gets.
     */
    static final Duration BUDGET = Duration.parse(System.getProperty("hub.smoke.budget", "PT10M"));
    /** At most this much of it for the demo: 122 deliveries, a bureau down for 30 s, replays, the bureaus' answers. */
    static final Duration DEMO_BUDGET = Duration.ofSeconds(Long.getLong("hub.smoke.demo-seconds", 300));
    /** Kept back for the stop at the end. */
    static final Duration STOP_RESERVE = Duration.ofSeconds(25);
    /**
     * The processes that must be up: all six, by default (the demo needs each of them); {@code -Dhub.smoke.required}
     * with a comma-separated list requires fewer. The others must be ready whenever the launcher reports them up.
     */
    static final List<String> REQUIRED = required(System.getProperty("hub.smoke.required", "all"));

    static List<String> required(String setting) {
        return setting.equals("all") ? HubService.ALL.stream().map(HubService::name).toList()
                : List.of(setting.split("\\s*,\\s*"));
    }

    @Test
    @Order(1)
    void oneCommandOnEmbeddedDefaultsBringsUpTheHubAndTheDashboardAnswersThenStopsCleanly() throws Exception {
        Path work = Path.of("target/smoke").toAbsolutePath();
        Path sandbox = work.resolve("hub");
        Path data = work.resolve("hub-data");
        HubSandbox.deleteTree(data);
        HubSandbox.prepare(sandbox, HubService.ALL, true);
        for (int port : List.of(5673, 5433, 8080, 8081, 8082, 8083, 8090, 9000, 2222)) {
            assertThat(Ports.isOpen("localhost", port, 300))
                    .as("port %d must be free before the smoke test (stop a running ./hub: ./hub stop)", port).isFalse();
        }

        List<String> command = new ArrayList<>(List.of("env"));
        System.getenv().keySet().stream()
                .filter(k -> k.startsWith("HUB_RABBITMQ_") || k.startsWith("HUB_DATABASE_") || k.equals("SPRING_PROFILES_ACTIVE"))
                .forEach(k -> command.addAll(List.of("-u", k)));
        command.addAll(ProcessSpec.javaJar(HubSandbox.launcherJar(sandbox),
                List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xms16m", "-Xmx192m", "-Xss512k"),
                "--repo", sandbox.toString(), "--data", data.toString(), "--no-build", "--fresh"));
        Path launcherLog = work.resolve("hub.log");
        Files.deleteIfExists(launcherLog);

        Instant began = Instant.now();
        Map<String, Integer> exitCodes = new LinkedHashMap<>();
        String shutdownOutput;
        try (HubProcesses harness = HubProcesses.builder().budget(BUDGET).progress(m -> System.out.println("[smoke] " + m)).build()) {
            ManagedProcess hub = harness.startAndAwait(ProcessSpec.builder("hub")
                    .command(command)
                    .workingDir(sandbox)
                    .logFile(launcherLog)
                    .readiness(() -> HubLogs.read(launcherLog).contains("Ctrl-C stops everything"))
                    .startTimeout(BUDGET)
                    .stopGrace(Duration.ofSeconds(120))
                    .build());
            Duration toReady = Duration.between(began, Instant.now());
            String out = HubLogs.read(launcherLog);
            System.out.println(out);

            // the embedded defaults, not the real servers
            assertThat(out).contains("broker: embedded AMQP 0-9-1 (Qpid Broker-J) up on port 5673")
                    .contains("database: embedded PostgreSQL up on port 5433");
            Map<String, String> status = serviceLines(out);
            for (String name : REQUIRED) {
                assertThat(status.get(name)).as("%s in the launcher's summary:\n%s", name, out).startsWith("up");
            }
            status.forEach((name, line) -> {
                if (!line.startsWith("up") && HubService.ALL.stream().anyMatch(x -> x.name().equals(name))) {
                    System.out.println("[smoke] NOT UP (not required): " + name + " — " + line);
                }
            });
            for (HubService service : HubService.ALL) {
                if (REQUIRED.contains(service.name()) || status.getOrDefault(service.name(), "").startsWith("up")) {
                    assertThat(ready(service.port())).as("%s ready on port %d", service.name(), service.port()).isTrue();
                }
            }
            // each service really talks to the embedded servers
            for (String name : List.of("task-service", "reporting-service")) {
                String log = HubLogs.read(data.resolve("logs/" + name + ".log"));
                assertThat(log).as(name + " log").contains("5433").doesNotContain("localhost:5432/");
            }

            // the dashboard answers through the gateway: without a session the browser goes to the login ...
            HubHttp http = new HubHttp();
            HubHttp.Answer anonymous = HubHttp.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(HubHttp.GATEWAY + "/dashboard")).header("Accept", "text/html").GET(),
                    java.net.http.HttpClient.newHttpClient());
            assertThat(anonymous.status()).as("anonymous /dashboard").isEqualTo(302);
            assertThat(anonymous.header("Location")).contains("/oauth2/authorization/");
            // ... and after the liaison's login it shows the 20 measures × 17 units
            HubHttp.LiaisonSession liaison = http.login("liaison", "liaison");
            HubHttp.Answer dashboard = liaison.page(HubHttp.GATEWAY + "/dashboard");
            assertThat(dashboard.status()).isEqualTo(200);
            assertThat(dashboard.body()).contains("联络员工作台");
            assertThat(count(dashboard.body(), "class=\"heat-row\"")).as("measure rows").isEqualTo(20);
            assertThat(count(dashboard.body(), "class=\"ucol\"")).as("unit columns").isEqualTo(17);
            // a bureau system's token from the issuer reaches the task API through the gateway
            HubHttp.Answer policies = http.get(HubHttp.GATEWAY + "/api/v1/policies", http.bureauToken("SJW"));
            assertThat(policies.status()).as("GET /api/v1/policies as SJW: %s", policies).isEqualTo(200);
            assertThat(policies.body()).contains("bj-sciedu-20-2024");

            long readyRssKiB = HubLogs.residentKiBWithDescendants(hub.pid());

            // the demo (issue 7, item 2) on this hub: the simulated bureaus answer by themselves (the launcher turns
            // that on), calling the hub at the gateway with their own tokens from the issuer
            HubDemo.Summary demo = new HubDemo(HubSandbox.repoRoot(), m -> System.out.println("[smoke] " + m)).run(min(DEMO_BUDGET, harness.remaining().minus(STOP_RESERVE)));
            assertThat(demo.tasks()).as("planned tasks").isEqualTo(122);
            assertThat(demo.expectedPerProtocol().keySet()).as("protocols of the bureau registry")
                    .containsExactlyInAnyOrder("REST", "SOAP", "FILE", "SFTP", "AMQP");
            assertThat(demo.deliveredPerProtocol()).as("tasks delivered per protocol, as the bureau registry routes them")
                    .isEqualTo(demo.expectedPerProtocol());
            assertThat(demo.delivered()).as("tasks delivered").isEqualTo(122);
            assertThat(demo.parked()).as("deliveries parked by the misbehaving bureaus (down, garbage)").isPositive();
            assertThat(demo.replayed()).as("parked deliveries the operator replayed").isEqualTo(demo.parked());
            assertThat(demo.figure("taskCount")).as("joint report: tasks").isEqualTo(122);
            // the bureaus' own answers (REST/SOAP with their issuer tokens through the gateway, the others in their protocol)
            // every task, also those of the bureaus that were down or answered garbage and were replayed, and TXGLJ's
            // GB18030 sign-fors (parked as "UTF-8" by a false positive until AnswerDecoder looked for Chinese in them)
            assertThat(demo.figure("signedForCount")).as("joint report: signed for by the bureaus themselves").isEqualTo(122);
            assertThat(demo.figure("progressReportCount")).as("joint report: progress reports (at least one per task)")
                    .isGreaterThanOrEqualTo(122);
            // issue 15: what the bureaus say arrives whole, in every protocol — their own status rates the tasks (AMBER
            // and RED cells), all seven KPI charts have values (school-level ones for the synthetic register), the
            // signing times are the bureaus' own, problems, next steps and evidence are kept as the bureau sent them
            assertThat(HubDemo.KPI_CODES).as("the catalogue's KPIs").hasSize(7);
            assertThat(demo.kpisWithValues()).as("KPI charts with values in the joint report").isEqualTo(HubDemo.KPI_CODES);
            assertThat(demo.ratings().getOrDefault("AMBER", 0)).as("AMBER tasks: ratings %s, reasons %s", demo.ratings(),
                    demo.ratingReasons()).isPositive();
            assertThat(demo.ratings().getOrDefault("RED", 0)).as("RED tasks: ratings %s, reasons %s", demo.ratings(),
                    demo.ratingReasons()).isPositive();
            assertThat(demo.ratingReasons()).as("ratings by the bureaus' own status").containsKeys("BUREAU_AT_RISK",
                    "BUREAU_DELAYED", "BUREAU_BLOCKED");
            assertThat(demo.signingTimes().signed()).as("tasks with a signedAt").isEqualTo(122);
            assertThat(demo.signingTimes().bureausOwn()).as("signedAt kept as the simulated bureau sent it (its clock, not the"
                    + " hub's); not so: %s", demo.signingTimes().others()).isEqualTo(demo.signingTimes().signed());
            assertThat(demo.signingTimes().bureausOwnPerProtocol().keySet()).as("the bureaus' own signing times, per protocol")
                    .containsExactlyInAnyOrder("REST", "SOAP", "FILE", "SFTP", "AMQP");
            ratedByTheBureausOwnStatus(demo);
            problemsNextStepsAndEvidenceAsSent(demo, liaison, http);
            assertThat(demo.taskStatuses().getOrDefault("SUBMITTED", 0)).as("some tasks submitted: %s", demo.taskStatuses())
                    .isPositive().isLessThan(122);
            HubHttp.Answer progressOnDashboard = liaison.page(HubHttp.GATEWAY + "/dashboard?policy=" + HubDemo.POLICY
                    + "&period=" + demo.period());
            assertThat(progressOnDashboard.status()).isEqualTo(200);
            assertThat(count(progressOnDashboard.body(), "class=\"heat-row\"")).as("measure rows").isEqualTo(20);

            // figures: time to ready (first build excluded: --no-build) and resident memory of the whole hub
            long rssKiB = HubLogs.residentKiBWithDescendants(hub.pid());
            Map<String, Long> perProcess = new LinkedHashMap<>();
            for (ProcessHandle child : ProcessHandle.of(hub.pid()).orElseThrow().children().toList()) {
                String cmd = child.info().commandLine().orElse("");
                perProcess.put(nameOf(cmd, child.pid()), HubLogs.residentKiBWithDescendants(child.pid()));
            }
            String figures = String.format(Locale.ROOT, "smoke (embedded defaults): time to ready %.1f s (launcher says: %s); "
                    + "resident memory of the whole local hub %d MB when ready, %d MB after the demo (launcher JVM with the "
                    + "broker + PostgreSQL + services: %s); demo %.0f s: %d delivered %s, %d parked, %d replayed%n",
                    toReady.toMillis() / 1000.0, match(out, "Ready after: ([^;]+)"), readyRssKiB / 1024, rssKiB / 1024,
                    mb(perProcess), demo.took().toMillis() / 1000.0, demo.delivered(), demo.deliveredPerProtocol(),
                    demo.parked(), demo.replayed());
            System.out.print(figures);
            Files.writeString(Path.of("target/hub-figures.txt"), figures, StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            assertThat(harness.remaining()).as("within the smoke budget").isPositive();

            // Ctrl-C: the launcher stops every service, then the broker and the database
            List<ProcessHandle> tree = ProcessHandle.of(hub.pid()).orElseThrow().descendants().toList();
            Map<Path, Long> logSizes = new LinkedHashMap<>();
            try (var logs = Files.list(data.resolve("logs"))) {
                logs.forEach(l -> logSizes.put(l, HubLogs.size(l)));
            }
            long launcherLogSize = HubLogs.size(launcherLog);
            exitCodes.put("hub", harness.stop("hub"));
            for (ProcessHandle p : tree) {
                assertThat(p.isAlive()).as("process %d (%s) still runs after the launcher stopped", p.pid(),
                        p.info().commandLine().orElse("?")).isFalse();
            }
            shutdownOutput = HubLogs.since(launcherLog, launcherLogSize);
            StringBuilder traces = new StringBuilder();
            logSizes.forEach((log, size) -> {
                List<String> lines = HubLogs.stackTraceLines(HubLogs.since(log, size));
                if (!lines.isEmpty()) {
                    traces.append(log.getFileName()).append(":\n  ").append(String.join("\n  ", lines.subList(0, Math.min(8, lines.size())))).append('\n');
                }
            });
            assertThat(traces.toString()).as("stack traces logged while stopping").isEmpty();
        }
        System.out.println(shutdownOutput);
        assertThat(shutdownOutput).contains("stopping the embedded broker").contains("stopping the embedded database").contains("stopped;");
        // SIGTERM ends the launcher JVM through its shutdown hook: 143 = 128 + SIGTERM, never a SIGKILL (137)
        assertThat(exitCodes.get("hub")).as("launcher exit code").isIn(0, 143);
        for (int port : List.of(5673, 5433, 8080, 8081, 8083, 9000)) {
            assertThat(Ports.isOpen("localhost", port, 300)).as("port %d free after the stop", port).isFalse();
        }
    }

    /**
     * Every task in progress of a bureau that is not on track ({@code GET /sim/answers}) is rated by that bureau's own
     * status — AT_RISK → AMBER, DELAYED/BLOCKED → RED (its deadline is months away, so no earlier rule applies) —
     * no other task is, and every protocol has such tasks.
     */
    static void ratedByTheBureausOwnStatus(HubDemo.Summary demo) {
        assertThat(demo.bureauPlan()).as("the simulator's GET /sim/answers").isNotNull();
        assertThat(demo.taskList()).as("the task list").isNotNull();
        Map<String, Integer> perProtocol = new java.util.TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (var t : demo.taskList()) {
            String unit = t.path("unitCode").asString();
            String said = demo.bureauPlan().path(unit).path("status").asString("ON_TRACK");
            String reason = t.path("ratingReason").asString("");
            if ("IN_PROGRESS".equals(t.path("status").asString()) && !"ON_TRACK".equals(said)) {
                String rating = "AT_RISK".equals(said) ? "AMBER" : "RED";
                if (!("BUREAU_" + said).equals(reason) || !rating.equals(t.path("rating").asString())) {
                    wrong.add(t.path("id").asString() + " (" + unit + " says " + said + "): " + t.path("rating").asString() + " " + reason);
                } else {
                    perProtocol.merge(demo.protocolOfUnit().get(unit), 1, Integer::sum);
                }
            } else if (reason.startsWith("BUREAU_") && !reason.equals("BUREAU_" + said)) {
                wrong.add(t.path("id").asString() + " (" + unit + " says " + said + "): " + reason);
            }
        }
        assertThat(wrong).as("tasks not rated by their bureau's own status").isEmpty();
        assertThat(perProtocol.keySet()).as("tasks rated by their bureau's status, per protocol: %s", perProtocol)
                .containsExactlyInAnyOrder("REST", "SOAP", "FILE", "SFTP", "AMQP");
    }

    /**
     * For a task of each bureau that attaches evidence (every protocol, every way the bytes travel), and one of each
     * status that is not on track: the
     * progress report the task-service kept says what the bureau sent ({@code GET /sim/sent}) — status, problems,
     * next steps, reporter, its own time, and the evidence with its SHA-256 and the bytes stored (an attachmentId).
     */
    static void problemsNextStepsAndEvidenceAsSent(HubDemo.Summary demo, HubHttp.LiaisonSession liaison, HubHttp http) {
        Map<String, String> picked = new LinkedHashMap<>(); // what it shows → task id
        for (var t : demo.taskList()) {
            String unit = t.path("unitCode").asString();
            if (!List.of("IN_PROGRESS", "SUBMITTED").contains(t.path("status").asString())) {
                continue;
            }
            var plan = demo.bureauPlan().path(unit);
            if (!"NONE".equals(plan.path("evidence").asString("NONE"))) {
                picked.putIfAbsent("evidence of " + unit + " (" + demo.protocolOfUnit().get(unit) + ", "
                        + plan.path("evidence").asString() + ")", t.path("id").asString());
            }
            if (!"ON_TRACK".equals(plan.path("status").asString("ON_TRACK")) && "IN_PROGRESS".equals(t.path("status").asString())) {
                picked.putIfAbsent("status " + plan.path("status").asString(), t.path("id").asString());
            }
        }
        // every bureau that attaches evidence — each way the bytes travel (uploaded first, inline, beside the answer
        // file) over each protocol — and each status
        List<String> evidenceUnits = new ArrayList<>();
        demo.bureauPlan().properties().forEach(e -> {
            if (!"NONE".equals(e.getValue().path("evidence").asString("NONE"))) {
                evidenceUnits.add(e.getKey());
            }
        });
        assertThat(evidenceUnits).as("bureaus attaching evidence").isNotEmpty();
        for (String unit : evidenceUnits) {
            assertThat(picked.keySet()).as("a task of %s in progress: %s", unit, picked.keySet())
                    .anyMatch(k -> k.startsWith("evidence of " + unit + " "));
        }
        assertThat(picked.keySet()).as("tasks to look at").contains("status AT_RISK", "status DELAYED", "status BLOCKED");
        picked.forEach((what, task) -> FlowSteps.progressKeptAsSent(liaison, http, what, task, what.startsWith("evidence")));
    }

    /** "  task-service        8081  up, pid 24259, ready in 21.5 s" → task-service → "up, pid …". */
    static Map<String, String> serviceLines(String out) {
        Map<String, String> status = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^\\s+([a-z-]+)\\s+(\\d{4})\\s+(.+)$").matcher(out);
        while (m.find()) {
            status.put(m.group(1), m.group(3).strip());
        }
        return status;
    }

    /** The launcher's own rule: /actuator/health/readiness, else /actuator/health, else any HTTP answer. */
    static boolean ready(int port) {
        return ProcessSpec.builder("probe").command("true").springBootReadiness(port).build().readiness().isReady();
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1).strip() : "?";
    }

    static String nameOf(String commandLine, long pid) {
        for (HubService s : HubService.ALL) {
            if (commandLine.contains("/" + s.module() + "/target/")) {
                return s.name();
            }
        }
        return commandLine.contains("postgres") ? "postgres(" + pid + ")" : "pid " + pid;
    }

    static String mb(Map<String, Long> kib) {
        StringBuilder b = new StringBuilder();
        kib.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(v / 1024).append(" MB"));
        return b.toString();
    }

}
