package cn.beijing.scienceedu.helmchart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart under test, driven through helm-java (helm's own library, no helm binary, no cluster). */
final class HubChart {

    static final String RELEASE = "hub";
    static final String NAMESPACE = "bureau-hub";
    /** The oldest Kubernetes minor the chart is checked against (Chart.yaml asks for 1.27+). */
    static final String KUBE_VERSION = "v1.30.0";
    static final Path DIR = Path.of(System.getProperty("chart.dir", "../../helm/bureau-hub")).toAbsolutePath().normalize();
    static final Path PROD_VALUES = DIR.resolve("values-prod.yaml");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private HubChart() {
    }

    /** helm template with the chart's values.yaml plus the given overlays (YAML text), as typed objects. */
    static Manifests render(String... overlays) {
        return new Manifests(parse(renderText(overlays)));
    }

    static Manifests renderProd(String... overlays) {
        String[] all = new String[overlays.length + 1];
        all[0] = read(PROD_VALUES);
        System.arraycopy(overlays, 0, all, 1, overlays.length);
        return render(all);
    }

    static String renderText(String... overlays) {
        TemplateCommand template = new Helm(DIR).template()
                .withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        for (String overlay : overlays) {
            template = template.withValuesFile(tempFile("values-", ".yaml", overlay));
        }
        return template.call();
    }

    /**
     * helm lint --strict. helm-java's lint takes no values file, so an overlay is linted by linting a copy
     * of the chart whose values.yaml is the chart's defaults deep-merged with the overlay (lists replaced,
     * as helm does).
     */
    static LintResult lintStrict(String... overlays) {
        Path chart = overlays.length == 0 ? DIR : copyWithValues(overlays);
        return new Helm(chart).lint().strict().call();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<HasMetadata> parse(String rendered) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : rendered.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(document);
            if (parsed instanceof List<?> list) {
                objects.addAll((List<HasMetadata>) list);
            } else {
                objects.add((HasMetadata) parsed);
            }
        }
        return objects;
    }

    private static Path copyWithValues(String... overlays) {
        Yaml yaml = new Yaml();
        Map<String, Object> values = yaml.load(read(DIR.resolve("values.yaml")));
        for (String overlay : overlays) {
            values = merge(values, yaml.load(overlay));
        }
        try {
            Path copy = Files.createTempDirectory("bureau-hub-chart-");
            try (Stream<Path> files = Files.walk(DIR)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(DIR.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            Files.writeString(copy.resolve("values.yaml"), new Yaml(options).dump(values));
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overlay) {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        overlay.forEach((key, value) -> {
            if (value instanceof Map<?, ?> map && merged.get(key) instanceof Map<?, ?> existing) {
                merged.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) map));
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static Path tempFile(String prefix, String suffix, String content) {
        try {
            Path file = Files.createTempFile(prefix, suffix);
            file.toFile().deleteOnExit();
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
