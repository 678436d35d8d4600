package cn.beijing.scienceedu.launcher;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which broker and database the hub uses. Without any {@code HUB_RABBITMQ_*} setting the launcher
 * starts its embedded broker; without any {@code HUB_DATABASE_*} setting, its embedded PostgreSQL.
 * With them, the services get those settings (the launcher starts nothing embedded for that part).
 */
public final class HubSettings {

    public static final String ISSUER_URI = "http://localhost:9000";

    private final Map<String, String> env;
    private final int brokerPort;
    private final int databasePort;

    public HubSettings(Map<String, String> env, int brokerPort, int databasePort) {
        this.env = Map.copyOf(env);
        this.brokerPort = brokerPort;
        this.databasePort = databasePort;
    }

    /** Settings from a map (e.g. a test suite pointing the services at its own RabbitMQ and PostgreSQL). */
    public static HubSettings of(Map<String, String> settings) {
        return new HubSettings(settings, EmbeddedBroker.DEFAULT_PORT, EmbeddedDatabase.DEFAULT_PORT);
    }

    public static HubSettings fromEnvironment() {
        return new HubSettings(System.getenv(), EmbeddedBroker.DEFAULT_PORT, EmbeddedDatabase.DEFAULT_PORT);
    }

    public boolean embeddedBroker() {
        return env.keySet().stream().noneMatch(k -> k.startsWith("HUB_RABBITMQ_"));
    }

    public boolean embeddedDatabase() {
        return env.keySet().stream().noneMatch(k -> k.startsWith("HUB_DATABASE_"));
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int databasePort() {
        return databasePort;
    }

    /** The environment a service process gets on top of the launcher's own. */
    public Map<String, String> environmentFor(HubService service) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!embeddedBroker()) {
            env.forEach((k, v) -> {
                if (k.startsWith("HUB_RABBITMQ_")) {
                    out.put(k, v);
                }
            });
        } else {
            out.put("HUB_RABBITMQ_HOST", "localhost");
            out.put("HUB_RABBITMQ_PORT", Integer.toString(brokerPort));
            out.put("HUB_RABBITMQ_USERNAME", EmbeddedBroker.USERNAME);
            out.put("HUB_RABBITMQ_PASSWORD", EmbeddedBroker.PASSWORD);
            out.put("HUB_RABBITMQ_VHOST", "/");
        }
        if (service.database() != null) {
            if (embeddedDatabase()) {
                out.put("HUB_DATABASE_URL", "jdbc:postgresql://localhost:" + databasePort + "/" + service.database());
                out.put("HUB_DATABASE_USERNAME", EmbeddedDatabase.USERNAME);
                out.put("HUB_DATABASE_PASSWORD", "postgres"); // trust authentication: any password is accepted
            } else {
                env.forEach((k, v) -> {
                    if (k.startsWith("HUB_DATABASE_")) {
                        out.put(k, v);
                    }
                });
                if (env.containsKey("HUB_DATABASE_URL")) {
                    out.put("HUB_DATABASE_URL", databaseUrl(env.get("HUB_DATABASE_URL"), service.database()));
                }
            }
        }
        out.putIfAbsent("HUB_ISSUER_URI", env.getOrDefault("HUB_ISSUER_URI", ISSUER_URI));
        out.put("SPRING_PROFILES_ACTIVE", env.getOrDefault("SPRING_PROFILES_ACTIVE", "local"));
        return out;
    }

    /**
     * A real server's URL names the server; each service gets its own database on it:
     * {@code jdbc:postgresql://db:5432/anything?ssl=true} becomes {@code jdbc:postgresql://db:5432/hub_task?ssl=true}.
     */
    static String databaseUrl(String serverUrl, String database) {
        String prefix = "jdbc:postgresql://";
        if (!serverUrl.startsWith(prefix)) {
            return serverUrl;
        }
        int query = serverUrl.indexOf('?');
        String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
        String params = query < 0 ? "" : serverUrl.substring(query);
        int slash = base.indexOf('/', prefix.length());
        String hostPart = slash < 0 ? base : base.substring(0, slash);
        return hostPart + "/" + database + params;
    }

    /** The URL of the real server's {@code postgres} database, to create the hub's databases on it. */
    String maintenanceUrl() {
        return databaseUrl(env.getOrDefault("HUB_DATABASE_URL", "jdbc:postgresql://localhost:5432/postgres"), "postgres");
    }

    String get(String key, String fallback) {
        return env.getOrDefault(key, fallback);
    }
}
