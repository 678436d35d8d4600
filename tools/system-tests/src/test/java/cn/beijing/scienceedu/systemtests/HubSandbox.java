package cn.beijing.scienceedu.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import cn.beijing.scienceedu.launcher.HubService;
import cn.beijing.scienceedu.launcher.ModuleBuilder;

/**
 * A private copy of the built jars in the repository's layout ({@code <sandbox>/<module>/target/<jar>}),
 * so that the processes a suite starts never run from a jar that a concurrent build rewrites underneath
 * them (a rewritten jar makes the running JVM fail with {@code NoClassDefFoundError} on its next class load).
 * The copies are what the suites and the launcher ({@code --repo <sandbox>}) start.
 */
final class HubSandbox {

    private HubSandbox() {
    }

    /** The repository root: {@code -Dhub.repo.root} (set by the POM), else found upwards from the working folder. */
    static Path repoRoot() {
        String configured = System.getProperty("hub.repo.root");
        if (configured != null && !configured.isBlank() && Files.isRegularFile(Path.of(configured, "hub"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("hub")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the repository root (the folder holding ./hub) above "
                + Path.of("").toAbsolutePath());
    }

    /**
     * The module's runnable jar, chosen as {@code ./hub} chooses it: the Spring Boot executable jar (manifest
     * {@code Start-Class}) by name, else a jar with a {@code Main-Class} — never by date, which picked a plain jar
     * rebuilt after the executable one.
     */
    static Optional<Path> runnableJar(Path moduleDir) {
        return ModuleBuilder.executableJar(moduleDir);
    }

    /**
     * Copies the runnable jar of each of {@code services} (and the launcher with its {@code lib/}) into
     * {@code sandbox}. A service without a runnable jar fails here, naming the module and the command that builds it.
     */
    static Path prepare(Path sandbox, List<HubService> services, boolean withLauncher) {
        Path repo = repoRoot();
        try {
            for (HubService service : services) {
                Path jar = runnableJar(service.moduleDir(repo)).orElseThrow(() -> new IllegalStateException(
                        service.name() + " has no runnable jar in " + service.moduleDir(repo).resolve("target")
                                + " (build it: ./mvnw -q -o -pl " + service.module() + " -am -DskipTests install)"));
                copy(jar, sandbox.resolve(service.module()).resolve("target").resolve(jar.getFileName()));
            }
            if (withLauncher) {
                Path launcherTarget = repo.resolve("tools/launcher/target");
                Path jar = runnableJar(repo.resolve("tools/launcher")).orElseThrow(() -> new IllegalStateException(
                        "the launcher has no jar in " + launcherTarget + " (./mvnw -q -o -pl tools/launcher -am -DskipTests install)"));
                Path to = sandbox.resolve("tools/launcher/target");
                copy(jar, to.resolve(jar.getFileName()));
                Path lib = launcherTarget.resolve("lib");
                if (!Files.isDirectory(lib)) {
                    throw new IllegalStateException("the launcher's " + lib + " is missing (./mvnw -q -o -pl tools/launcher package -DskipTests)");
                }
                try (Stream<Path> libs = Files.list(lib)) {
                    for (Path l : libs.toList()) {
                        copy(l, to.resolve("lib").resolve(l.getFileName()));
                    }
                }
                Path credentials = repo.resolve("tools/token-issuer/demo-credentials.txt");
                if (Files.exists(credentials)) {
                    copy(credentials, sandbox.resolve("tools/token-issuer/demo-credentials.txt"));
                }
            }
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy the hub's jars to " + sandbox, e);
        }
    }

    static Path launcherJar(Path sandbox) {
        return runnableJar(sandbox.resolve("tools/launcher")).orElseThrow();
    }

    private static void copy(Path from, Path to) throws IOException {
        if (Files.exists(to) && Files.size(to) == Files.size(from)
                && Files.getLastModifiedTime(to).equals(Files.getLastModifiedTime(from))) {
            return;
        }
        Files.createDirectories(to.getParent());
        Path tmp = to.resolveSibling(to.getFileName() + ".copying");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes a folder tree (for a fresh data folder). */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
