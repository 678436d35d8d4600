package cn.beijing.scienceedu.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {

    @TempDir
    Path repo;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @Test
    void freshDeletesTheDataFolderBeforeStarting() throws Exception {
        Path data = repo.resolve(".hub-data");
        Files.createDirectories(data.resolve("broker/default/messages"));
        Files.writeString(data.resolve("broker/default/messages/old"), "queued before");
        Files.createDirectories(data.resolve("postgres/data"));
        Files.writeString(data.resolve("logs-old.log"), "x");

        HubLauncher launcher = launcher("--fresh", "--repo", repo.toString());

        assertThat(launcher.prepareDataFolder()).isTrue();
        assertThat(data.resolve("broker")).doesNotExist();
        assertThat(data.resolve("postgres")).doesNotExist();
        assertThat(data.resolve("logs-old.log")).doesNotExist();
        assertThat(data.resolve("logs")).isDirectory();
        assertThat(data.resolve("run/launcher.pid")).hasContent(Long.toString(ProcessHandle.current().pid()));
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("--fresh: deleted " + data);
    }

    @Test
    void withoutFreshTheDataIsKept() throws Exception {
        Path data = repo.resolve(".hub-data");
        Files.createDirectories(data.resolve("broker"));
        Files.writeString(data.resolve("broker/config.json"), "{}");

        assertThat(launcher("--repo", repo.toString()).prepareDataFolder()).isTrue();
        assertThat(data.resolve("broker/config.json")).hasContent("{}");
    }

    @Test
    void freshRefusesWhileAnotherLauncherRunsFromTheFolder() throws Exception {
        Path data = repo.resolve(".hub-data");
        Files.createDirectories(data.resolve("run"));
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(data.resolve("run/launcher.pid"), other.pid() + "\n");
            assertThat(launcher("--fresh", "--repo", repo.toString()).prepareDataFolder()).isFalse();
            assertThat(data.resolve("run/launcher.pid")).exists();
            assertThat(output.toString(StandardCharsets.UTF_8)).contains("a hub already runs");
        } finally {
            other.destroy();
            other.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void optionsParseOnlyNoBuildAndCommands() {
        LauncherOptions o = LauncherOptions.parse("--no-build", "--only", "gateway,task-service");
        assertThat(o.command()).isEqualTo("up");
        assertThat(o.build()).isFalse();
        assertThat(o.services()).extracting(HubService::name).containsExactly("task-service", "gateway");
        assertThat(LauncherOptions.parse("--only", "infra").services()).isEmpty();
        assertThat(LauncherOptions.parse("status").command()).isEqualTo("status");
        assertThat(LauncherOptions.parse().services()).hasSize(6);
        assertThatThrownBy(() -> LauncherOptions.parse("--only", "postgres")).hasMessageContaining("unknown process 'postgres'");
        assertThatThrownBy(() -> LauncherOptions.parse("--bogus")).hasMessageContaining("unknown argument");
    }

    @Test
    void servicesGetTheEmbeddedBrokerDatabaseAndIssuerByDefault() {
        HubSettings settings = new HubSettings(Map.of("PATH", "/usr/bin"), 5673, 5433);
        assertThat(settings.embeddedBroker()).isTrue();
        assertThat(settings.embeddedDatabase()).isTrue();

        Map<String, String> task = settings.environmentFor(HubService.named("task-service"));
        assertThat(task).containsEntry("HUB_RABBITMQ_HOST", "localhost").containsEntry("HUB_RABBITMQ_PORT", "5673")
                .containsEntry("HUB_RABBITMQ_USERNAME", "guest").containsEntry("HUB_RABBITMQ_PASSWORD", "guest")
                .containsEntry("HUB_DATABASE_URL", "jdbc:postgresql://localhost:5433/hub_task")
                .containsEntry("HUB_DATABASE_USERNAME", "postgres")
                .containsEntry("HUB_ISSUER_URI", "http://localhost:9000")
                .containsEntry("SPRING_PROFILES_ACTIVE", "local");
        assertThat(settings.environmentFor(HubService.named("reporting-service")))
                .containsEntry("HUB_DATABASE_URL", "jdbc:postgresql://localhost:5433/hub_reporting");
        assertThat(settings.environmentFor(HubService.named("bureau-adapters")))
                .containsEntry("HUB_DATABASE_URL", "jdbc:postgresql://localhost:5433/hub_adapters");
        assertThat(settings.environmentFor(HubService.named("gateway"))).doesNotContainKey("HUB_DATABASE_URL");
    }

    @Test
    void realBrokerAndDatabaseSettingsReplaceTheEmbeddedOnes() {
        HubSettings settings = new HubSettings(Map.of(
                "HUB_RABBITMQ_HOST", "rabbit.internal",
                "HUB_DATABASE_URL", "jdbc:postgresql://db.internal:5432/whatever?sslmode=require",
                "HUB_DATABASE_USERNAME", "hub"), 5673, 5433);
        assertThat(settings.embeddedBroker()).isFalse();
        assertThat(settings.embeddedDatabase()).isFalse();

        Map<String, String> task = settings.environmentFor(HubService.named("task-service"));
        assertThat(task).containsEntry("HUB_RABBITMQ_HOST", "rabbit.internal").doesNotContainKey("HUB_RABBITMQ_PORT")
                .containsEntry("HUB_DATABASE_USERNAME", "hub")
                .containsEntry("HUB_DATABASE_URL", "jdbc:postgresql://db.internal:5432/hub_task?sslmode=require");
        assertThat(settings.maintenanceUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/postgres?sslmode=require");
    }

    @Test
    void aServiceStartsFromItsJarWithItsSettingsPortAndLog() throws Exception {
        Path target = repo.resolve("reporting-service/target");
        Files.createDirectories(target);
        jar(target.resolve("reporting-service-0.1.0-SNAPSHOT.jar"), "org.springframework.boot.loader.launch.JarLauncher",
                "cn.beijing.scienceedu.reporting.ReportingApplication");
        HubSettings settings = new HubSettings(Map.of(), 5673, 5433);

        ProcessSpec spec = HubService.named("reporting-service")
                .processSpec(repo, settings, repo.resolve("logs"), java.util.List.of("-Xmx256m")).build();

        assertThat(spec.command()).endsWith("-Xmx256m", "-jar", target.resolve("reporting-service-0.1.0-SNAPSHOT.jar").toString());
        assertThat(spec.environment()).containsEntry("SERVER_PORT", "8083")
                .containsEntry("HUB_DATABASE_URL", "jdbc:postgresql://localhost:5433/hub_reporting");
        assertThat(spec.logFile()).isEqualTo(repo.resolve("logs/reporting-service.log"));
        assertThat(spec.port()).isEqualTo(8083);
        assertThatThrownBy(() -> HubService.named("gateway").processSpec(repo, settings, repo, java.util.List.of()))
                .hasMessageContaining("gateway has no jar");
    }

    @Test
    void aModuleIsStaleWithoutAJarOrWhenASourceIsNewer() throws Exception {
        Path module = repo.resolve("task-service");
        Files.createDirectories(module.resolve("src/main/java"));
        Files.writeString(module.resolve("pom.xml"), "<project/>");
        Path source = module.resolve("src/main/java/A.java");
        Files.writeString(source, "class A {}");
        ModuleBuilder builder = new ModuleBuilder(repo, repo.resolve("build.log"), java.util.List.of(), m -> { });

        assertThat(builder.isStale(module)).as("no jar").isTrue();

        Files.createDirectories(module.resolve("target"));
        Path jar = module.resolve("target/task-service-0.1.0-SNAPSHOT.jar");
        jar(jar, "org.springframework.boot.loader.launch.JarLauncher", "cn.beijing.scienceedu.task.TaskApplication");
        Files.writeString(module.resolve("target/task-service-0.1.0-SNAPSHOT-sources.jar"), "sources");
        Instant now = Instant.now();
        Files.setLastModifiedTime(source, FileTime.from(now.minusSeconds(60)));
        Files.setLastModifiedTime(module.resolve("pom.xml"), FileTime.from(now.minusSeconds(60)));
        Files.setLastModifiedTime(jar, FileTime.from(now.minusSeconds(30)));
        Files.setLastModifiedTime(module.resolve("target/task-service-0.1.0-SNAPSHOT-sources.jar"), FileTime.from(now));

        assertThat(ModuleBuilder.executableJar(module)).contains(jar);
        assertThat(builder.isStale(module)).as("jar newer than sources").isFalse();

        Files.setLastModifiedTime(source, FileTime.from(now));
        assertThat(builder.isStale(module)).as("source changed after the build").isTrue();
    }

    @Test
    void theSpringBootExecutableJarIsPickedEvenWhenAPlainJarIsNewer() throws Exception {
        Path target = repo.resolve("tools/bureau-simulator/target");
        Files.createDirectories(target);
        Path exec = target.resolve("bureau-simulator-0.1.0-SNAPSHOT-exec.jar");
        Path plain = target.resolve("bureau-simulator-0.1.0-SNAPSHOT.jar");
        jar(exec, "org.springframework.boot.loader.launch.JarLauncher", "cn.beijing.scienceedu.simulator.BureauSimulatorApplication");
        jar(plain, null, null);
        jar(target.resolve("bureau-simulator-0.1.0-SNAPSHOT-tests.jar"), null, null);
        Files.writeString(target.resolve("half-written.jar"), "not a jar yet");
        Instant now = Instant.now();
        Files.setLastModifiedTime(exec, FileTime.from(now.minusSeconds(120)));
        Files.setLastModifiedTime(plain, FileTime.from(now)); // as after `mvn install` of the library jar alone

        assertThat(ModuleBuilder.executableJar(target.getParent())).contains(exec);
        ProcessSpec spec = HubService.named("bureau-simulator")
                .processSpec(repo, new HubSettings(Map.of(), 5673, 5433), repo.resolve("logs"), java.util.List.of()).build();
        assertThat(spec.command()).endsWith("-jar", exec.toString());

        // a plain application jar (Main-Class, no Spring Boot loader) still runs when it is the only one
        Path other = repo.resolve("tools/other/target");
        Files.createDirectories(other);
        jar(other.resolve("other-1.jar"), "cn.example.Main", null);
        jar(other.resolve("other-1-plain.jar"), null, null);
        assertThat(ModuleBuilder.executableJar(other.getParent())).contains(other.resolve("other-1.jar"));

        // only library jars: nothing to start
        Files.delete(exec);
        assertThat(ModuleBuilder.executableJar(target.getParent())).isEmpty();
    }

    @Test
    void inTheOneCommandRunTheSimulatedBureausAnswerByThemselvesThroughTheGateway() {
        Path data = repo.resolve(".hub-data");
        Map<String, String> sim = HubLauncher.localRunEnvironment(HubService.named("bureau-simulator"), data);
        assertThat(sim).containsEntry("SIM_HUB_URL", "http://localhost:8080")
                .containsEntry("SIM_AUTO_REPLY_SUBMIT_EVERY", "3").containsKey("SIM_AUTO_REPLY")
                .containsEntry("HUB_SFTP_ROOT", data.resolve("sftp").toString());
        // the adapters write the file exchange where the simulated bureaus read it: in the data folder (--fresh empties it)
        assertThat(HubLauncher.localRunEnvironment(HubService.named("bureau-adapters"), data))
                .containsEntry("HUB_EXCHANGE_DIR", sim.get("HUB_EXCHANGE_DIR"));
        assertThat(HubLauncher.localRunEnvironment(HubService.named("task-service"), data)).isEmpty();
        assertThat(HubLauncher.localRunEnvironment(HubService.named("token-issuer"), data)).containsKey("HUB_ISSUER_DATA_DIR");
    }

    /** A real jar with a manifest naming Main-Class and (for a Spring Boot jar) Start-Class, when given. */
    static void jar(Path file, String mainClass, String startClass) throws java.io.IOException {
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, mainClass);
        }
        if (startClass != null) {
            manifest.getMainAttributes().putValue("Start-Class", startClass);
        }
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(file), manifest)) {
            out.putNextEntry(new java.util.jar.JarEntry("README.txt"));
            out.write("test jar".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    @Test
    void readsTheReactorModulesFromTheRootPom() throws Exception {
        Files.writeString(repo.resolve("pom.xml"), "<project><modules>\n<module>contracts</module>\n"
                + "<module>task-service</module>\n<module>tools/launcher</module>\n</modules></project>");
        ModuleBuilder builder = new ModuleBuilder(repo, repo.resolve("build.log"), java.util.List.of(), m -> { });
        assertThat(builder.reactorModules()).containsExactly("contracts", "task-service", "tools/launcher");
    }

    private HubLauncher launcher(String... args) {
        return new HubLauncher(LauncherOptions.parse(args), new HubSettings(Map.of(), 5673, 5433),
                new PrintStream(output, true, StandardCharsets.UTF_8));
    }
}
