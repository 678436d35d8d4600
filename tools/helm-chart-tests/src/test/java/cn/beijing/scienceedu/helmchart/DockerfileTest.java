package cn.beijing.scienceedu.helmchart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one parameterised Dockerfile at the repository root against the modules the chart deploys, without a Docker
 * daemon (none on the build machines): its {@code COPY ${MODULE}/target/*.jar} finds exactly one jar, the executable
 * one, in each module; {@code .dockerignore} lets those jars through; the image's user is the chart's
 * {@code runAsUser}; helm/README.md builds every service with the port the chart gives it. Building the image itself
 * is not checked here.
 */
class DockerfileTest {

    static final Path REPO = ServiceSources.REPO;
    static final Path DOCKERFILE = REPO.resolve("Dockerfile");
    static final String JAR_GLOB = "target/*.jar";

    /** Every chart service, the token issuer included. */
    final Map<String, Deployment> deployments =
            HubChart.render("services: { token-issuer: { enabled: true } }").deploymentsByComponent();

    @Test
    void thereIsOneDockerfileAtTheRootAndNoCopyInAModule() throws IOException {
        assertThat(DOCKERFILE).exists();
        List<Path> others = new ArrayList<>();
        try (Stream<Path> all = Files.walk(REPO, 4)) {
            all.filter(p -> p.getFileName().toString().startsWith("Dockerfile"))
                    .filter(p -> !p.equals(DOCKERFILE))
                    .filter(p -> {
                        String rel = REPO.relativize(p).toString();
                        return !rel.startsWith(".") && !rel.contains("target/") && !rel.contains("node_modules/");
                    })
                    .forEach(others::add);
        }
        assertThat(others).as("per-module Dockerfiles (the root one builds every service with --build-arg MODULE=)")
                .isEmpty();
    }

    @Test
    void theDockerfileCopiesTheJarOfTheModuleItIsGiven() {
        List<String> lines = instructions();
        int extract = indexOf(lines, "FROM eclipse-temurin:17-jre AS extract");
        int copy = indexOf(lines, "COPY ${MODULE}/" + JAR_GLOB + " app.jar");
        assertThat(lines.subList(extract, copy)).as("ARG MODULE declared in the stage that copies the jar")
                .contains("ARG MODULE");
        assertThat(lines).contains("ENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
        int port = indexOf(lines, "EXPOSE ${PORT}");
        assertThat(lines.subList(lastIndexStartingWith(lines, "FROM "), port)).as("ARG PORT in the final stage")
                .anyMatch(l -> l.startsWith("ARG PORT"));
    }

    @Test
    void everyDeployedServiceHasAModuleWhoseTargetHoldsExactlyOneExecutableJar() throws IOException {
        assertThat(deployments.keySet()).containsExactlyInAnyOrderElementsOf(ServiceSources.MODULES.keySet());
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + JAR_GLOB);
        for (Map.Entry<String, Path> e : ServiceSources.MODULES.entrySet()) {
            Path module = e.getValue();
            String pom = HubChart.read(module.resolve("pom.xml"));
            String artifactId = ownTag(pom, "artifactId");
            String version = tag(pom.substring(pom.indexOf("<parent>"), pom.indexOf("</parent>")), "version");
            assertThat(artifactId).as(e.getKey() + ": the image repository is the module's artifactId")
                    .isEqualTo(e.getKey());
            assertThat(pom).as(e.getKey() + " builds an executable jar")
                    .contains("<artifactId>spring-boot-maven-plugin</artifactId>");
            assertThat(pom).as(e.getKey() + ": one jar in target/, the repackaged one (a classifier or finalName would"
                    + " leave two jars or another name for COPY ${MODULE}/target/*.jar)")
                    .doesNotContain("<classifier>").doesNotContain("<finalName>")
                    .doesNotContain("maven-shade-plugin").doesNotContain("maven-assembly-plugin");
            assertThat(pom).doesNotContainPattern("<packaging>(?!jar<)");
            String jar = artifactId + "-" + version + ".jar";
            assertThat(glob.matches(Path.of("target", jar))).as(jar + " matches " + JAR_GLOB).isTrue();
            assertThat(dockerContextKeeps(REPO.relativize(module).resolve("target").resolve(jar)))
                    .as(".dockerignore lets " + REPO.relativize(module) + "/target/" + jar + " into the build context")
                    .isTrue();
            Path target = module.resolve("target");
            if (Files.isDirectory(target)) {
                List<String> matches;
                try (Stream<Path> files = Files.list(target)) {
                    matches = files.filter(Files::isRegularFile)
                            .filter(p -> glob.matches(module.relativize(p))).map(p -> p.getFileName().toString())
                            .sorted().toList();
                }
                if (!matches.isEmpty()) {
                    assertThat(matches).as(REPO.relativize(target) + "/*.jar after a build").containsExactly(jar);
                }
            }
        }
    }

    @Test
    void theBuildContextIsOnlyTheJars() {
        assertThat(dockerContextKeeps(Path.of("task-service/src/main/java/Foo.java"))).isFalse();
        assertThat(dockerContextKeeps(Path.of("task-service/target/classes/application.yml"))).isFalse();
        assertThat(dockerContextKeeps(Path.of(".git/HEAD"))).isFalse();
        assertThat(dockerContextKeeps(Path.of(".hub-data/postgres/data/PG_VERSION"))).isFalse();
    }

    @Test
    void theImageRunsAsTheUserTheChartRunsItAs() {
        Matcher user = Pattern.compile("USER (\\d+):(\\d+)").matcher(String.join("\n", instructions()));
        assertThat(user.find()).as("USER uid:gid in the Dockerfile").isTrue();
        long uid = Long.parseLong(user.group(1));
        assertThat(instructions()).anyMatch(l -> l.contains("--uid " + uid + " --gid " + user.group(2)));
        deployments.forEach((name, deployment) -> {
            Container container = Manifests.pod(deployment).getSpec().getContainers().get(0);
            assertThat(container.getSecurityContext().getRunAsUser()).as(name + " runAsUser").isEqualTo(uid);
        });
    }

    @Test
    void helmReadmeBuildsEveryServiceWithThePortTheChartGivesIt() {
        String readme = HubChart.read(REPO.resolve("helm/README.md"));
        Map<String, String> built = new LinkedHashMap<>();
        Matcher loop = Pattern.compile("(?m)^for s in ([^;]+); do$").matcher(readme);
        assertThat(loop.find()).as("the image build loop in helm/README.md").isTrue();
        for (String item : loop.group(1).trim().split("\\s+")) {
            built.put(item.substring(0, item.indexOf(':')), item.substring(item.indexOf(':') + 1));
        }
        Matcher issuer = Pattern.compile("--build-arg MODULE=tools/token-issuer --build-arg PORT=(\\d+) ").matcher(readme);
        assertThat(issuer.find()).as("the token issuer's build line in helm/README.md").isTrue();
        built.put("token-issuer", issuer.group(1));
        Map<String, String> chart = new LinkedHashMap<>();
        deployments.forEach((name, deployment) -> chart.put(name, Manifests.pod(deployment).getSpec().getContainers()
                .get(0).getEnv().stream().filter(v -> v.getName().equals("SERVER_PORT")).map(EnvVar::getValue)
                .findFirst().orElseThrow()));
        assertThat(built).containsExactlyInAnyOrderEntriesOf(chart);
    }

    /** Docker's rule: the last .dockerignore pattern that matches decides; a leading ! keeps the path. */
    static boolean dockerContextKeeps(Path relative) {
        boolean kept = true;
        for (String line : HubChart.read(REPO.resolve(".dockerignore")).lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exception = line.startsWith("!");
            String pattern = exception ? line.substring(1) : line;
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            boolean matches = false;
            for (Path p = relative; p != null; p = p.getParent()) {
                matches |= m.matches(p); // a pattern matching a parent directory excludes what is inside it
            }
            if (matches) {
                kept = exception;
            }
        }
        return kept;
    }

    /** The Dockerfile's lines without comments, continuations joined. */
    static List<String> instructions() {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : HubChart.read(DOCKERFILE).lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            out.add(current.append(line).toString().replaceAll("\\s+", " "));
            current.setLength(0);
        }
        return out;
    }

    private static int indexOf(List<String> lines, String line) {
        int i = lines.indexOf(line);
        assertThat(i).as("Dockerfile line: " + line).isNotNegative();
        return i;
    }

    private static int lastIndexStartingWith(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no " + prefix + " in the Dockerfile");
    }

    /** The project's own artifactId: the first one after the parent block. */
    private static String ownTag(String pom, String name) {
        return tag(pom.substring(pom.indexOf("</parent>")), name);
    }

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
        if (!m.find()) {
            throw new UncheckedIOException(new IOException("no <" + name + "> in " + xml.substring(0, Math.min(200, xml.length()))));
        }
        return m.group(1).trim();
    }
}
