package cn.beijing.scienceedu.task;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The operations of the contracts' task API ({@code contracts/src/main/openapi/task-api.yaml}), read from the spec
 * itself so that a test driven by it covers an operation added later without being told.
 */
final class TaskApiSpec {

    /** A parameter: where it goes ({@code path}, {@code query}, {@code header}), its name and schema. */
    record Param(String in, String name, boolean required, Map<String, Object> schema) {
    }

    /** One operation: method, path template, its parameters and the request body's content types. */
    record Operation(String id, String method, String path, List<Param> params, List<String> bodyTypes,
            boolean bodyRequired) {

        boolean onTask() {
            return path.contains("{taskId}");
        }

        List<Param> params(String in) {
            return params.stream().filter(p -> p.in().equals(in)).toList();
        }

        @Override
        public String toString() {
            return id + " (" + method + " " + path + ")";
        }
    }

    static final Path DIR = locate();

    private TaskApiSpec() {
    }

    /** Every operation of the task API, in spec order. */
    static List<Operation> operations() {
        Map<String, Object> spec = load("task-api.yaml");
        List<Operation> ops = new ArrayList<>();
        map(spec.get("paths")).forEach((path, item) -> {
            Map<String, Object> pathItem = map(item);
            List<Param> shared = params(list(pathItem.get("parameters")));
            pathItem.forEach((method, o) -> {
                if (!List.of("get", "post", "put", "patch", "delete").contains(method)) {
                    return;
                }
                Map<String, Object> op = map(o);
                List<Param> params = new ArrayList<>(shared);
                params.addAll(params(list(op.get("parameters"))));
                List<String> bodyTypes = new ArrayList<>();
                boolean bodyRequired = false;
                if (op.get("requestBody") != null) {
                    Map<String, Object> body = map(op.get("requestBody"));
                    bodyTypes.addAll(map(body.get("content")).keySet());
                    bodyRequired = Boolean.TRUE.equals(body.get("required"));
                }
                ops.add(new Operation((String) op.get("operationId"), method.toUpperCase(), path, params, bodyTypes,
                        bodyRequired));
            });
        });
        return ops;
    }

    private static List<Param> params(List<Object> raw) {
        List<Param> out = new ArrayList<>();
        for (Object r : raw) {
            Map<String, Object> p = resolve(map(r));
            out.add(new Param((String) p.get("in"), (String) p.get("name"), Boolean.TRUE.equals(p.get("required")),
                    resolve(map(p.get("schema")))));
        }
        return out;
    }

    /** Follows a {@code $ref} into task-api.yaml or a sibling file (common.yaml, catalogue.yaml). */
    private static Map<String, Object> resolve(Map<String, Object> node) {
        Object ref = node.get("$ref");
        if (!(ref instanceof String s)) {
            return node;
        }
        String file = s.startsWith("#") ? "task-api.yaml" : s.substring(0, s.indexOf('#'));
        Object target = load(file);
        for (String part : s.substring(s.indexOf('#') + 2).split("/")) {
            target = map(target).get(part);
        }
        return resolve(map(target));
    }

    private static final Map<String, Map<String, Object>> FILES = new LinkedHashMap<>();

    private static synchronized Map<String, Object> load(String file) {
        return FILES.computeIfAbsent(file, f -> {
            try (InputStream in = Files.newInputStream(DIR.resolve(f))) {
                return new Yaml(new LoaderOptions()).load(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the task API spec " + DIR.resolve(f), e);
            }
        });
    }

    /** contracts/src/main/openapi, found from the module directory the tests run in. */
    private static Path locate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("contracts/src/main/openapi");
            if (Files.isRegularFile(candidate.resolve("task-api.yaml"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("contracts/src/main/openapi/task-api.yaml not found above " + Path.of("").toAbsolutePath());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }
}
