package cn.beijing.scienceedu.gateway.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The published OpenAPI specs, read once at start from {@link DocsProperties#getSpecs()} and kept as their bytes,
 * unchanged. Each is named by its file ({@code task-api.yaml} → {@code task-api}); {@code info.title},
 * {@code info.version} and whether it has {@code paths} are read for the list, never to change what is served. Files
 * that only hold shared components ({@code common.yaml}, {@code catalogue.yaml}) are served too, since the APIs
 * {@code $ref} them by relative file name, but the page lists only the specs with paths.
 */
final class PublishedSpecs {

    private static final Logger log = LoggerFactory.getLogger(PublishedSpecs.class);

    /** What a spec's file may be called to be published: no path, no odd characters. */
    static final Pattern FILE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*\\.yaml");

    record Spec(String name, String file, byte[] bytes, String title, String version, String openapi, int paths) {
        boolean api() {
            return paths > 0;
        }
    }

    private final Map<String, Spec> byFile;

    private PublishedSpecs(Map<String, Spec> byFile) {
        this.byFile = byFile;
    }

    static PublishedSpecs load(List<String> locations) {
        ResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(PublishedSpecs.class.getClassLoader());
        Map<String, Spec> found = new TreeMap<>();
        for (String location : locations) {
            Resource[] resources;
            try {
                resources = resolver.getResources(location);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the published specs at " + location, e);
            }
            for (Resource resource : resources) {
                String file = resource.getFilename();
                if (file == null || !FILE_NAME.matcher(file).matches()) {
                    log.warn("not publishing {}: a spec's file name must match {}", resource, FILE_NAME);
                    continue;
                }
                byte[] bytes;
                try {
                    bytes = resource.getContentAsByteArray();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the published spec " + resource, e);
                }
                Spec existing = found.get(file);
                if (existing != null) {
                    if (!java.util.Arrays.equals(existing.bytes(), bytes)) {
                        log.warn("two different specs named {}: publishing the first found, not {}", file, resource);
                    }
                    continue;
                }
                found.put(file, describe(file, bytes, resource));
            }
        }
        if (found.isEmpty()) {
            log.warn("no published OpenAPI spec found at {}: /docs lists none", locations);
        }
        // the APIs first, by name; then the files of shared components
        Map<String, Spec> ordered = new LinkedHashMap<>();
        found.values().stream()
                .sorted(Comparator.comparing((Spec s) -> !s.api()).thenComparing(Spec::file))
                .forEach(s -> ordered.put(s.file(), s));
        return new PublishedSpecs(ordered);
    }

    private static Spec describe(String file, byte[] bytes, Resource resource) {
        String name = file.substring(0, file.length() - ".yaml".length());
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            log.error("the published spec {} is not UTF-8; served as it is, listed by its file name", resource);
            return new Spec(name, file, bytes, name, "", "", 0);
        }
        try {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            if (root instanceof Map<?, ?> doc) {
                Map<?, ?> info = doc.get("info") instanceof Map<?, ?> m ? m : Map.of();
                int paths = doc.get("paths") instanceof Map<?, ?> p ? p.size() : 0;
                return new Spec(name, file, bytes, string(info.get("title"), name), string(info.get("version"), ""),
                        string(doc.get("openapi"), ""), paths);
            }
            log.error("the published spec {} is not a YAML mapping; served as it is, listed by its file name", resource);
        } catch (RuntimeException e) {
            log.error("the published spec {} is not valid YAML ({}); served as it is, listed by its file name",
                    resource, e.getMessage());
        }
        return new Spec(name, file, bytes, name, "", "", 0);
    }

    private static String string(Object value, String otherwise) {
        return value == null ? otherwise : value.toString();
    }

    Optional<Spec> byFile(String file) {
        return Optional.ofNullable(byFile.get(file));
    }

    Collection<Spec> all() {
        return byFile.values();
    }
}
