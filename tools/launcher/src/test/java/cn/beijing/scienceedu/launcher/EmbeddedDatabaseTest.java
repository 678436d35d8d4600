package cn.beijing.scienceedu.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

class EmbeddedDatabaseTest {

    @Test
    void startsOnPort5433WithTheHubDatabasesAndKeepsDataAcrossRestarts() throws Exception {
        Path root = Path.of("target", "embedded-db-test").toAbsolutePath();
        EmbeddedDatabase.deleteRecursively(root);

        try (EmbeddedDatabase db = new EmbeddedDatabase(EmbeddedDatabase.DEFAULT_PORT, root).start()) {
            assertThat(db.port()).isEqualTo(5433);
            assertThat(db.listDatabases()).contains("hub_task", "hub_adapters", "hub_reporting");
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:5433/hub_task", "postgres", "postgres");
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (id int primary key)");
                s.execute("INSERT INTO kept VALUES (42)");
            }
        }
        assertThat(Ports.isFree(5433)).as("port released after stop").isTrue();

        try (EmbeddedDatabase db = new EmbeddedDatabase(EmbeddedDatabase.DEFAULT_PORT, root).start();
             Connection c = DriverManager.getConnection(db.jdbcUrl("hub_task"), "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }
}
