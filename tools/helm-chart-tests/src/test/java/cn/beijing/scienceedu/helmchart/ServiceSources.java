package cn.beijing.scienceedu.helmchart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the services themselves read and expose, taken from their sources in this repository: the chart is
 * checked against these so that its env names and alert metrics cannot drift from the code.
 */
final class ServiceSources {

    static final Path REPO = HubChart.DIR.getParent().getParent();

    /** Chart component name → module directory. */
    static final Map<String, Path> MODULES = Map.of(
            "gateway", REPO.resolve("gateway"),
            "task-service", REPO.resolve("task-service"),
            "bureau-adapters", REPO.resolve("bureau-adapters"),
            "reporting-service", REPO.resolve("reporting-service"),
            "token-issuer", REPO.resolve("tools/token-issuer"));

    /** ${HUB_X} or ${HUB_X:default} in configuration; "HUB_X" as a string in Java (getenv, @Value). */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(HUB_[A-Z0-9_]+)([:}])");
    private static final Pattern JAVA_NAME = Pattern.compile("\"(HUB_[A-Z0-9_]+)\"|\\$\\{(HUB_[A-Z0-9_]+)[:}]");

    private ServiceSources() {
    }

    /** Every HUB_* variable the service's configuration files or code read. */
    static Set<String> hubVariablesRead(String component) {
        Set<String> names = new TreeSet<>();
        for (Path file : files(component, "src/main/resources", ".yml", ".yaml", ".properties")) {
            Matcher m = PLACEHOLDER.matcher(read(file));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        for (Path file : files(component, "src/main/java", ".java")) {
            Matcher m = JAVA_NAME.matcher(read(file));
            while (m.find()) {
                names.add(m.group(1) != null ? m.group(1) : m.group(2));
            }
        }
        return names;
    }

    /**
     * HUB_* variables without a default in what the service reads with the prod profile active
     * (application.yml, application-prod.yml): the service does not start without them.
     */
    static Set<String> hubVariablesRequiredInProd(String component) {
        Set<String> names = new TreeSet<>();
        for (Path file : files(component, "src/main/resources", ".yml", ".yaml")) {
            String name = file.getFileName().toString();
            if (!name.startsWith("application") || name.contains("-local") || name.contains("-test")) {
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(read(file));
            while (m.find()) {
                if (m.group(2).equals("}")) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /**
     * Micrometer meters the four services register, by Prometheus name (dots → underscores, the base unit
     * appended to gauges that declare one, {@code _total} for counters, {@code _seconds} for timers), with the
     * tag keys each carries. Library meters are not included: an alert on them must name a hub meter instead.
     */
    static Map<String, Set<String>> hubMeters() {
        Map<String, Set<String>> meters = new LinkedHashMap<>();
        Pattern builder = Pattern.compile("(Gauge|Counter|Timer|DistributionSummary)\\.builder\\(\"(hub\\.[a-z0-9_.]+)\"");
        Pattern shorthand = Pattern.compile("\\.(counter|timer|gauge|summary)\\(\"(hub\\.[a-z0-9_.]+)\"((?:\\s*,\\s*\"[^\"]*\")*)");
        Pattern tag = Pattern.compile("\\.tag\\(\"([a-zA-Z0-9_.]+)\"");
        Pattern baseUnit = Pattern.compile("\\.baseUnit\\(\"([a-z]+)\"\\)");
        for (String component : java.util.List.of("gateway", "task-service", "bureau-adapters", "reporting-service")) {
            for (Path file : files(component, "src/main/java", ".java")) {
                String code = read(file);
                Matcher m = builder.matcher(code);
                while (m.find()) {
                    int end = code.indexOf(".register(", m.end());
                    String chain = end < 0 ? "" : code.substring(m.end(), end);
                    Set<String> tags = new TreeSet<>();
                    Matcher t = tag.matcher(chain);
                    while (t.find()) {
                        tags.add(t.group(1));
                    }
                    Matcher u = baseUnit.matcher(chain);
                    String unit = u.find() ? u.group(1) : null;
                    String base = m.group(2).replace('.', '_');
                    String name = switch (m.group(1)) {
                        case "Counter" -> base + "_total";
                        case "Timer" -> base + "_seconds";
                        default -> unit == null || base.endsWith("_" + unit) ? base : base + "_" + unit;
                    };
                    meters.computeIfAbsent(name, k -> new TreeSet<>()).addAll(tags);
                }
                Matcher s = shorthand.matcher(code);
                while (s.find()) {
                    String base = s.group(2).replace('.', '_');
                    String name = switch (s.group(1)) {
                        case "counter" -> base + "_total";
                        case "timer" -> base + "_seconds";
                        default -> base;
                    };
                    Set<String> tags = meters.computeIfAbsent(name, k -> new TreeSet<>());
                    String[] keyValues = s.group(3).replaceAll("^\\s*,\\s*", "").split("\\s*,\\s*");
                    for (int i = 0; i + 1 < keyValues.length; i += 2) {
                        tags.add(keyValues[i].replace("\"", ""));
                    }
                }
            }
        }
        return meters;
    }

    private static Iterable<Path> files(String component, String under, String... suffixes) {
        Path module = MODULES.get(component);
        if (module == null) {
            throw new IllegalArgumentException("no module for chart component " + component);
        }
        Path root = module.resolve(under);
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException(root + " does not exist: the chart tests read the services' sources");
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(suffixes).anyMatch(p.getFileName().toString()::endsWith)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
