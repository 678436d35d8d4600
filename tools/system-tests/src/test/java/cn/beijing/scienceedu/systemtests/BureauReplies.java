package cn.beijing.scienceedu.systemtests;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;

/**
 * The bureaus' side of the fault run: every bureau signs for each assignment it received (its simulator's tally),
 * and reports progress once the task-service shows the sign-for (its event feed) — in the bureau's own protocol,
 * through the simulator ({@code POST /sim/bureaus/{unit}/send}). Like a real bureau system it retries until the hub
 * takes the message (REST/SOAP: a 2xx; file, SFTP, AMQP: written), always with the same message id, so every
 * retry is a copy the hub must absorb. Also keeps the {@link EventLedger} current.
 */
final class BureauReplies implements AutoCloseable {

    static final String SIM = "http://localhost:8090";

    private final HubHttp http;
    private final Map<String, String> unitOfTask;
    private final EventLedger ledger;
    private final String period;
    private final ExecutorService senders = Executors.newFixedThreadPool(12, r -> {
        Thread t = new Thread(r, "bureau-reply");
        t.setDaemon(true);
        return t;
    });
    private final Thread loop;
    private volatile boolean running = true;
    private final Set<String> signQueued = ConcurrentHashMap.newKeySet();
    private final Set<String> progressQueued = ConcurrentHashMap.newKeySet();
    final Set<String> signTaken = ConcurrentHashMap.newKeySet();
    final Set<String> progressTaken = ConcurrentHashMap.newKeySet();
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();
    final Map<String, String> lastRefusal = new ConcurrentHashMap<>();

    BureauReplies(HubHttp http, Map<String, String> unitOfTask, EventLedger ledger, String period) {
        this.http = http;
        this.unitOfTask = unitOfTask;
        this.ledger = ledger;
        this.period = period;
        this.loop = new Thread(this::run, "bureau-replies");
        this.loop.setDaemon(true);
        this.loop.start();
    }

    private void run() {
        while (running) {
            try {
                for (JsonNode t : tally()) {
                    String task = t.path("taskId").asString();
                    if (t.path("effects").asLong() >= 1 && unitOfTask.containsKey(task) && signQueued.add(task)) {
                        senders.submit(() -> send(task, "SIGN_FOR", signTaken));
                    }
                }
            } catch (RuntimeException e) {
                // the simulator answers again in a moment; the next round catches up
            }
            try {
                ledger.catchUp();
            } catch (RuntimeException e) {
                // the task-service or the gateway is down (a fault): the feed is read again next round
            }
            for (String task : ledger.tasksWith("task.signed-for")) {
                if (unitOfTask.containsKey(task) && progressQueued.add(task)) {
                    senders.submit(() -> send(task, "PROGRESS", progressTaken));
                }
            }
            HubUnderTest.sleep(Duration.ofMillis(1000));
        }
    }

    JsonNode tally() {
        HubHttp.Answer a = http.get(SIM + "/sim/tally?kind=ASSIGNMENT", null);
        if (a.status() != 200) {
            throw new AssertionError("bureau simulator /sim/tally: " + a);
        }
        return a.json();
    }

    /** Sends until the hub takes it (same message id every time); a 409 ends it too (counted: the hub refused a copy). */
    private void send(String task, String kind, Set<String> taken) {
        String unit = unitOfTask.get(task);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("kind", kind);
        report.put("taskId", task);
        report.put("messageId", unit + "-" + kind + "-" + task);
        if (kind.equals("SIGN_FOR")) {
            report.put("signedBy", unit + " 联络员");
        } else {
            report.put("period", period);
            report.put("percentComplete", 50);
            report.put("narrative", "按计划推进（故障演练）");
        }
        long pause = 500;
        while (running) {
            attempts.incrementAndGet();
            String outcome;
            try {
                HubHttp.Answer a = http.postJson(SIM + "/sim/bureaus/" + unit + "/send", null, report, null);
                outcome = a.status() != 200 ? "simulator " + a : judge(a.json().path("results").path(0));
            } catch (RuntimeException e) {
                outcome = "simulator unreachable: " + e.getMessage();
            }
            if (outcome == null) {
                taken.add(task);
                return;
            }
            if (outcome.startsWith("409")) {
                conflicts.incrementAndGet();
                lastRefusal.put(kind + " " + task, outcome);
                taken.add(task);
                return;
            }
            refused.incrementAndGet();
            lastRefusal.put(kind + " " + unit, outcome);
            HubUnderTest.sleep(Duration.ofMillis(pause));
            pause = Math.min(5000, pause * 2);
        }
    }

    /** null when the hub took the message; else why not (starting with the HTTP status where there is one). */
    private static String judge(JsonNode result) {
        if (result.has("error")) {
            return "error " + result.path("error").asString();
        }
        if (result.has("status")) {
            int status = result.path("status").asInt();
            if (status / 100 == 2) {
                return null;
            }
            String body = result.path("body").asString();
            return status + " " + (body.length() > 300 ? body.substring(0, 300) : body);
        }
        return null; // a file written to the outbox, a message on the reply queue
    }

    int signedFor() {
        return signTaken.size();
    }

    int progressReported() {
        return progressTaken.size();
    }

    @Override
    public void close() {
        running = false;
        senders.shutdownNow();
        try {
            loop.join(5000);
            senders.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
