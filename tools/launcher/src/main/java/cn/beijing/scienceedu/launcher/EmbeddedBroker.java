package cn.beijing.scienceedu.launcher;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.SystemConfig;

/**
 * The embedded AMQP 0-9-1 broker of the local hub: Apache Qpid Broker-J in this JVM, with its
 * configuration in a JSON file and its messages in a Derby store under {@code workDir}, so a stop
 * loses no queued (durable, persistent) message. One virtual host, reachable as {@code /};
 * user {@code guest} / {@code guest}.
 *
 * <p>Qpid refuses {@code x-dead-letter-*} queue arguments; the hub's services do not use them
 * (see docs/conventions.md, "Dead letters").
 */
public final class EmbeddedBroker implements AutoCloseable {

    public static final int DEFAULT_PORT = 5673;
    public static final String USERNAME = "guest";
    public static final String PASSWORD = "guest";

    private final int port;
    private final Path workDir;
    private SystemLauncher launcher;

    public EmbeddedBroker(int port, Path workDir) {
        this.port = port;
        this.workDir = workDir.toAbsolutePath();
    }

    public int port() {
        return port;
    }

    public Path workDir() {
        return workDir;
    }

    public synchronized boolean isRunning() {
        return launcher != null;
    }

    /** Starts the broker; returns once its AMQP port accepts connections. */
    public synchronized EmbeddedBroker start() throws IOException {
        if (launcher != null) {
            return this;
        }
        if (!Ports.isFree(port)) {
            throw new IOException("port " + port + " for the embedded AMQP broker is taken"
                    + " (another hub running? see `./hub status`)");
        }
        Files.createDirectories(workDir);
        URL initialConfig = EmbeddedBroker.class.getResource("broker-initial-config.json");
        if (initialConfig == null) {
            throw new IllegalStateException("broker-initial-config.json is missing from the launcher jar");
        }
        Map<String, String> context = new HashMap<>();
        context.put("qpid.work_dir", workDir.toString());
        context.put("qpid.amqp_port", Integer.toString(port));
        // small network buffers and pool: a local hub has a few dozen connections at most
        context.put("qpid.broker.networkBufferSize", Integer.toString(64 * 1024));
        context.put("qpid.broker.directByteBufferPoolSize", "256");

        Map<String, Object> attributes = new HashMap<>();
        attributes.put("type", "JSON");
        attributes.put("storePath", workDir.resolve("config.json").toString());
        attributes.put("initialConfigurationLocation", initialConfig.toExternalForm());
        attributes.put("startupLoggedToSystemOut", false);
        attributes.put("context", context);

        AtomicReference<SystemConfig<?>> system = new AtomicReference<>();
        SystemLauncher starting = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
            @Override
            public void onContainerResolve(SystemConfig<?> systemConfig) {
                system.set(systemConfig);
            }
        });
        try {
            starting.startup(attributes);
        } catch (Exception e) {
            throw new IOException("the embedded AMQP broker did not start on port " + port + ": " + e.getMessage(), e);
        }
        launcher = starting;
        removeQpidShutdownHook(system.get());
        if (!Ports.awaitOpen("localhost", port, Duration.ofSeconds(30))) {
            close();
            throw new IOException("the embedded AMQP broker started but port " + port + " does not accept connections");
        }
        return this;
    }

    /** Stops the broker; durable queues and persistent messages stay in the Derby store. */
    @Override
    public synchronized void close() {
        if (launcher == null) {
            return;
        }
        try {
            launcher.shutdown();
        } finally {
            launcher = null;
        }
    }

    /**
     * Qpid registers a JVM shutdown hook that closes the broker. Shutdown hooks run concurrently, so on
     * Ctrl-C the broker would go down while the services still drain their work; the launcher stops
     * the broker itself, after the services.
     */
    private static void removeQpidShutdownHook(SystemConfig<?> systemConfig) {
        if (systemConfig == null) {
            return;
        }
        try {
            Broker<?> broker = systemConfig.getContainer(Broker.class);
            if (broker == null) {
                return;
            }
            Field hookField = findField(broker.getClass(), "_shutdownHook");
            if (hookField == null) {
                return;
            }
            hookField.setAccessible(true);
            Thread hook = (Thread) hookField.get(broker);
            if (hook != null) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // best effort: without it the broker may stop a little early on Ctrl-C, nothing is lost
        }
    }

    private static Field findField(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // keep looking
            }
        }
        return null;
    }
}
