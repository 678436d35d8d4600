package cn.beijing.scienceedu.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds each service's executable jar and builds the modules whose jar is missing or older than
 * their sources (or the shared contracts), with the repository's Maven wrapper:
 * {@code ./mvnw -q -DskipTests install -pl <modules> -am}.
 */
public final class ModuleBuilder {

    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<\\s]+)\\s*</module>");

    private final Path repoRoot;
    private final Path buildLog;
    private final List<String> extraMavenArgs;
    private final Consumer<String> progress;

    public ModuleBuilder(Path repoRoot, Path buildLog, List<String> extraMavenArgs, Consumer<String> progress) {
        this.repoRoot = repoRoot.toAbsolutePath();
        this.buildLog = buildLog;
        this.extraMavenArgs = List.copyOf(extraMavenArgs);
        this.progress = progress;
    }

    /**
     * The module's runnable jar in {@code target/}: a Spring Boot executable jar (its manifest names a
     * {@code Start-Class}), else a jar whose manifest names a {@code Main-Class}; among several, the first by file
     * name. Never by date: a module may also leave a plain jar (the simulator's main artifact, which other
     * modules' tests use as a library) that is newer than its executable one.
     */
    public static Optional<Path> executableJar(Path moduleDir) {
        Path target = moduleDir.resolve("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(target)) {
            jars = files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            return Optional.empty();
        }
        Optional<Path> boot = jars.stream().filter(j -> manifestHas(j, "Start-Class")).findFirst();
        return boot.isPresent() ? boot : jars.stream().filter(j -> manifestHas(j, "Main-Class")).findFirst();
    }

    private static boolean manifestHas(Path jar, String attribute) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue(attribute) != null;
        } catch (IOException e) {
            return false; // not a readable jar (e.g. being written by a build right now)
        }
    }

    /** True when the module has no jar, or a source of it (or of contracts) changed after the jar was built. */
    public boolean isStale(Path moduleDir) {
        Optional<Path> jar = executableJar(moduleDir);
        if (jar.isEmpty()) {
            return true;
        }
        FileTime built = modified(jar.get());
        List<Path> inputs = List.of(moduleDir.resolve("pom.xml"), moduleDir.resolve("src"),
                repoRoot.resolve("contracts/pom.xml"), repoRoot.resolve("contracts/src"));
        for (Path input : inputs) {
            if (newestUnder(input).map(t -> t.compareTo(built) > 0).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /** The modules listed in the root pom's reactor. */
    public Set<String> reactorModules() {
        try {
            String pom = Files.readString(repoRoot.resolve("pom.xml"), StandardCharsets.UTF_8);
            Set<String> modules = new LinkedHashSet<>();
            Matcher m = MODULE.matcher(pom);
            while (m.find()) {
                modules.add(m.group(1).replaceAll("/+$", ""));
            }
            return modules;
        } catch (IOException e) {
            return Set.of();
        }
    }

    public record Result(List<String> built, List<String> failed) {
    }

    /**
     * Builds the given modules (paths relative to the repository). Modules in the reactor are built in
     * one Maven run with their dependencies; if that fails each is tried alone so one broken module does
     * not hold the others back. A module with a pom that is not (yet) in the reactor is built on its own.
     */
    public Result build(List<String> modules) {
        List<String> built = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        if (modules.isEmpty()) {
            return new Result(built, failed);
        }
        Set<String> reactor = reactorModules();
        List<String> inReactor = modules.stream().filter(reactor::contains).toList();
        List<String> standalone = modules.stream().filter(m -> !reactor.contains(m)).toList();

        if (!inReactor.isEmpty()) {
            progress.accept("building " + String.join(", ", inReactor) + " (log: " + repoRoot.relativize(buildLog.toAbsolutePath()) + ")");
            if (maven(List.of("-pl", String.join(",", inReactor), "-am"))) {
                built.addAll(inReactor);
            } else if (inReactor.size() == 1) {
                failed.addAll(inReactor);
            } else {
                progress.accept("the joint build failed; building each module alone");
                for (String module : inReactor) {
                    if (maven(List.of("-pl", module, "-am"))) {
                        built.add(module);
                    } else {
                        failed.add(module);
                    }
                }
            }
        }
        for (String module : standalone) {
            progress.accept("building " + module + " (not in the root pom's modules)");
            if (maven(List.of("-f", module + "/pom.xml"))) {
                built.add(module);
            } else {
                failed.add(module);
            }
        }
        return new Result(built, failed);
    }

    private boolean maven(List<String> selection) {
        boolean windows = System.getProperty("os.name").startsWith("Windows");
        List<String> command = new ArrayList<>();
        command.add(repoRoot.resolve(windows ? "mvnw.cmd" : "mvnw").toString());
        command.add("-q");
        command.add("-DskipTests");
        command.addAll(extraMavenArgs);
        command.add("install");
        command.addAll(selection);
        try {
            Files.createDirectories(buildLog.toAbsolutePath().getParent());
            Files.writeString(buildLog, "==== " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process process = new ProcessBuilder(command)
                    .directory(repoRoot.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(buildLog.toFile()))
                    .start();
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            progress.accept("could not run Maven: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Optional<FileTime> newestUnder(Path path) {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        if (!Files.isDirectory(path)) {
            return Optional.of(modified(path));
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).map(ModuleBuilder::modified).max(Comparator.naturalOrder());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
