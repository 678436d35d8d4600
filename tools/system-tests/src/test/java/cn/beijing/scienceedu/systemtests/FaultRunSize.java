package cn.beijing.scienceedu.systemtests;

import java.time.Duration;
import java.util.Locale;

/**
 * How big the fault run R1 is (issue 10, item 1). {@code -Dreliability.size=short} (the default, CI) or {@code long}
 * (the documented full run); any figure can be overridden on its own: {@code -Dreliability.tasks},
 * {@code .broker-restarts}, {@code .adapters-kills}, {@code .task-service-kills}, {@code .flapping-bureaus},
 * {@code .fault-window} (ISO-8601 duration over which the faults are spread), {@code .budget} (the run: from the
 * first policy import to the verdict), {@code .startup} (starting the six processes, before the run), and {@code -Dreliability.broker-restart=real|connections}: {@code real} stops and starts the
 * RabbitMQ application ({@code rabbitmqctl stop_app / start_app}); {@code connections} force-closes every connection
 * of the suite's vhost (what a restart does to the hub, without touching anyone else's vhost on a shared broker).
 *
 * @param policies synthetic policies (copies of the notice's catalogue under other ids), 122 tasks each
 */
record FaultRunSize(String name, int policies, int brokerRestarts, int adaptersKills, int taskServiceKills,
        int flappingBureaus, Duration faultWindow, Duration budget, Duration startup, boolean realBrokerRestart) {

    static final int TASKS_PER_POLICY = 122;

    static FaultRunSize fromSystemProperties() {
        String name = System.getProperty("reliability.size", "short").trim().toLowerCase(Locale.ROOT);
        boolean longRun = switch (name) {
            case "short", "" -> false;
            case "long" -> true;
            default -> throw new IllegalArgumentException("reliability.size must be short or long, not " + name);
        };
        int tasks = intProperty("reliability.tasks", longRun ? 10_000 : 500);
        int policies = Math.max(1, Math.round(tasks / (float) TASKS_PER_POLICY));
        String restart = System.getProperty("reliability.broker-restart", "real").trim().toLowerCase(Locale.ROOT);
        if (!restart.equals("real") && !restart.equals("connections")) {
            throw new IllegalArgumentException("reliability.broker-restart must be real or connections, not " + restart);
        }
        return new FaultRunSize(longRun ? "long" : "short", policies,
                intProperty("reliability.broker-restarts", longRun ? 3 : 1),
                intProperty("reliability.adapters-kills", longRun ? 2 : 1),
                intProperty("reliability.task-service-kills", longRun ? 1 : 0),
                Math.min(5, intProperty("reliability.flapping-bureaus", 5)),
                Duration.parse(System.getProperty("reliability.fault-window", longRun ? "PT12M" : "PT100S")),
                Duration.parse(System.getProperty("reliability.budget", longRun ? "PT60M" : "PT6M")),
                Duration.parse(System.getProperty("reliability.startup", "PT6M")),
                restart.equals("real"));
    }

    int tasks() {
        return policies * TASKS_PER_POLICY;
    }

    private static int intProperty(String key, int fallback) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d tasks (%d policies x %d), %d broker restart(s) (%s), %d adapters kill(s), "
                        + "%d task-service kill(s), %d flapping bureaus, faults over %d s, budget %d min (+ %d min to start)", name, tasks(),
                policies, TASKS_PER_POLICY, brokerRestarts, realBrokerRestart ? "rabbitmqctl stop_app/start_app"
                        : "vhost connections force-closed", adaptersKills, taskServiceKills, flappingBureaus,
                faultWindow.toSeconds(), budget.toMinutes(), startup.toMinutes());
    }
}
