package cn.beijing.scienceedu.systemtests;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The faults of one run, spread over the size's fault window from {@link #start()}: broker restarts, SIGKILLs of
 * bureau-adapters and the task-service (each started again with the spec it was started with, through the
 * launcher's harness), interleaved one after another on one thread; and on another the flapping bureaus, each
 * cycling through DOWN, SLOW, 5xx, GARBAGE and NORMAL (the simulator's behaviours), shifted against each other.
 * At the end every flapping bureau is NORMAL again.
 */
final class FaultSchedule {

    private final HubUnderTest hub;
    private final FaultRunSize size;
    private final List<String> flapping;
    private final List<String> modes;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private Thread processFaults;
    private Thread flaps;
    private Instant began;
    private volatile boolean stopped;
    private int brokerRestarts, adaptersKills, taskServiceKills, behaviourChanges;
    private final List<Double> outages = new CopyOnWriteArrayList<>();

    FaultSchedule(HubUnderTest hub, FaultRunSize size, List<String> flapping, List<String> modes) {
        this.hub = hub;
        this.size = size;
        this.flapping = flapping;
        this.modes = modes;
    }

    void start() {
        began = Instant.now();
        List<String> plan = new ArrayList<>();
        int rounds = Math.max(size.brokerRestarts(), Math.max(size.adaptersKills(), size.taskServiceKills()));
        for (int i = 0; i < rounds; i++) {
            if (i < size.brokerRestarts()) {
                plan.add("broker");
            }
            if (i < size.adaptersKills()) {
                plan.add("bureau-adapters");
            }
            if (i < size.taskServiceKills()) {
                plan.add("task-service");
            }
        }
        processFaults = new Thread(() -> guarded(() -> {
            for (int k = 0; k < plan.size() && !stopped; k++) {
                // the k-th fault starts at (k + 0.25) / n of the window, or as soon as the one before is over
                waitUntil(began.plusMillis((long) (size.faultWindow().toMillis() * (k + 0.25) / plan.size())));
                String fault = plan.get(k);
                Instant at = Instant.now();
                if (fault.equals("broker")) {
                    brokerOutage();
                    brokerRestarts++;
                } else {
                    int code = hub.processes.kill(fault);
                    note(fault + " SIGKILL (exit " + code + ")");
                    HubUnderTest.sleep(Duration.ofSeconds(2));
                    hub.processes.restartAndAwait(fault);
                    if (fault.equals("bureau-adapters")) {
                        adaptersKills++;
                    } else {
                        taskServiceKills++;
                    }
                }
                double s = Duration.between(at, Instant.now()).toMillis() / 1000.0;
                outages.add(s);
                note(String.format(Locale.ROOT, "%s back after %.1f s", fault, s));
            }
        }), "fault-schedule");
        flaps = new Thread(() -> guarded(this::flap), "flapping-bureaus");
        processFaults.setDaemon(true);
        flaps.setDaemon(true);
        processFaults.start();
        if (!flapping.isEmpty()) {
            flaps.start();
        }
    }

    private void brokerOutage() {
        if (size.realBrokerRestart()) {
            note("RabbitMQ stop_app");
            BrokerFaults.restart(Duration.ofSeconds(5));
            note("RabbitMQ start_app + await_startup done");
        } else {
            BrokerFaults.closeConnections(hub.broker.virtualHost());
            HubUnderTest.sleep(Duration.ofSeconds(5));
            BrokerFaults.closeConnections(hub.broker.virtualHost()); // again: the clients that reconnected at once
            note("broker outage: every connection of vhost " + hub.broker.virtualHost() + " force-closed, twice 5 s apart");
        }
    }

    /** Each bureau steps through the modes, one step every window/10, bureau i shifted by i steps. */
    private void flap() {
        Duration step = size.faultWindow().dividedBy(10);
        int steps = 10;
        for (int s = 0; s < steps && !stopped; s++) {
            waitUntil(began.plus(step.multipliedBy(s)));
            for (int i = 0; i < flapping.size(); i++) {
                behaviour(flapping.get(i), modes.get((s + i) % modes.size()));
            }
        }
        waitUntil(began.plus(size.faultWindow()));
        flapping.forEach(u -> behaviour(u, "NORMAL"));
    }

    private void behaviour(String unit, String mode) {
        HubHttp.Answer a = hub.http.postJson(BureauReplies.SIM + "/sim/bureaus/" + unit + "/behaviour", null,
                mode.equals("SLOW") ? Map.of("mode", mode, "delayMs", 3000) : Map.of("mode", mode), null);
        if (a.status() != 200) {
            throw new AssertionError("simulator behaviour " + unit + " " + mode + ": " + a);
        }
        behaviourChanges++;
    }

    /** Waits for both threads; rethrows what went wrong in them. */
    void awaitEnd() throws InterruptedException {
        Duration left = hub.processes.remaining();
        processFaults.join(Math.max(1, left.toMillis()));
        if (flaps.isAlive() || flaps.getState() != Thread.State.NEW) {
            flaps.join(Math.max(1, hub.processes.remaining().toMillis()));
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("the fault schedule failed: " + failures.get(0), failures.get(0));
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
        if (processFaults.isAlive()) {
            throw new AssertionError("the fault schedule did not finish within the budget: " + log);
        }
    }

    void stop() {
        stopped = true;
        if (processFaults != null) {
            processFaults.interrupt();
        }
        if (flaps != null) {
            flaps.interrupt();
        }
    }

    String summary() {
        return String.format(Locale.ROOT, "%d broker restart(s), %d adapters SIGKILL(s), %d task-service SIGKILL(s), "
                        + "%d bureau behaviour changes on %s; each process fault over in %s s", brokerRestarts, adaptersKills,
                taskServiceKills, behaviourChanges, flapping, outages.stream().map(d -> String.format(Locale.ROOT, "%.0f", d)).toList());
    }

    List<String> log() {
        return List.copyOf(log);
    }

    private void note(String what) {
        String line = String.format(Locale.ROOT, "+%.1fs %s", Duration.between(began, Instant.now()).toMillis() / 1000.0, what);
        log.add(line);
        System.out.println("[fault] " + line);
    }

    private void waitUntil(Instant at) {
        while (!stopped && Instant.now().isBefore(at)) {
            HubUnderTest.sleep(Duration.ofMillis(200));
        }
    }

    private void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | AssertionError e) {
            failures.add(e);
            note("FAILED: " + e);
        }
    }
}
