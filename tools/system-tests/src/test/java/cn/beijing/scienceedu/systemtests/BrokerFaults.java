package cn.beijing.scienceedu.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a broker outage does to the hub, through {@code rabbitmqctl} on the machine's RabbitMQ: a real restart
 * of the RabbitMQ application, or every connection of one vhost force-closed (the same to the hub's clients —
 * sockets gone, channels lost, unacknowledged deliveries requeued — without touching other vhosts of a shared
 * broker).
 */
final class BrokerFaults {

    private BrokerFaults() {
    }

    /** {@code stop_app}, the broker stays down for {@code down}, {@code start_app}, then {@code await_startup}. */
    static void restart(Duration down) {
        run(Duration.ofMinutes(2), "rabbitmqctl", "stop_app");
        HubUnderTest.sleep(down);
        run(Duration.ofMinutes(2), "rabbitmqctl", "start_app");
        run(Duration.ofMinutes(2), "rabbitmqctl", "await_startup");
    }

    /** Force-closes every connection of the vhost (one {@code close_all_connections}: rabbitmqctl is slow to start). */
    static void closeConnections(String vhost) {
        run(Duration.ofSeconds(90), "rabbitmqctl", "-q", "close_all_connections", "--vhost", vhost, "--limit", "10000",
                "fault run: broker outage");
    }

    private static String run(Duration timeout, String... command) {
        Result r = exec(timeout, command);
        if (r.code != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.code + ": " + r.output
                    + " (the fault run needs rabbitmqctl allowed on the broker it uses)");
        }
        return r.output;
    }

    private record Result(int code, String output) {
    }

    private static Result exec(Duration timeout, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try {
                    lines.add(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    lines.add(e.toString());
                }
            });
            reader.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
            }
            reader.join(5000);
            return new Result(p.exitValue(), String.join("", lines));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + " (needed for the broker faults): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + String.join(" ", command));
        }
    }
}
