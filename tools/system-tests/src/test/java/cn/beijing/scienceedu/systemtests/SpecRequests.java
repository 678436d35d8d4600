package cn.beijing.scienceedu.systemtests;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The R2 bad-input generator: reads the hub's OpenAPI specs ({@code contracts/src/main/openapi}, $refs across files
 * resolved by swagger-parser) and derives, for EVERY operation the hub serves, a valid-looking request and from it
 * the hostile variants: wrong types, missing required and extra fields, empty and huge bodies, malformed JSON,
 * invalid UTF-8 and wrong charsets, wrong content types, and injection strings (SQL, script, path traversal, CRLF,
 * template/JNDI) in path, query, header and body. Each operation yields an endless, seeded stream of variants: first
 * every deterministic one, then random combinations, so that any run size covers every operation evenly.
 */
final class SpecRequests {

    static final List<String> SPECS = List.of("task-api.yaml", "bureau-api.yaml", "reporting-api.yaml", "operations-api.yaml");

    /** Strings that try to break out of SQL, HTML, paths, headers, templates and logs. */
    static final List<String> INJECTIONS = List.of(
            "' OR '1'='1", "1; DROP TABLE task; --", "\" OR 1=1 --", "'); SELECT pg_sleep(0); --",
            "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
            "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            "line\r\nSet-Cookie: hijacked=1", "a\r\n\r\n<html>injected</html>", "\u0000nul",
            "${jndi:ldap://127.0.0.1:1389/a}", "#{7*7}", "{{7*7}}", "$(id)", "`id`",
            "{\"$ne\": null}", "\u202eevil\u202c", "科学教育' OR 1=1 --", "%00", "%", "\\", "\uD83D\uDE00");

    /** What the generator needs from the running hub: a real value for each kind of path parameter. */
    record Context(String policyId, String measureNo, String period, String taskOf, Function<String, String> taskOfUnit,
            String deliveryId, String queue) {
    }

    /** One HTTP operation the hub serves, as the spec defines it. */
    record Op(String spec, String id, String method, String pathTemplate, List<Parameter> parameters, String mediaType,
            Schema<?> bodySchema, boolean bodyRequired) {
        String label() {
            return spec.replace(".yaml", "") + ":" + id;
        }
    }

    /** One request to send: the part of it a variant changed is named by {@code kind}. */
    record Probe(Op op, String kind, String method, String pathAndQuery, Map<String, String> headers, byte[] body,
            String contentType) {
        @Override
        public String toString() {
            String b = body == null ? "" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return method + " " + pathAndQuery + " [" + kind + "] " + (contentType == null ? "" : contentType + " ")
                    + headers + " " + b + (body != null && body.length > 300 ? "…(" + body.length + " bytes)" : "");
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String BOUNDARY = "----hub-bad-input-boundary";

    static List<Op> operations(Path openapiDir) {
        List<Op> ops = new ArrayList<>();
        for (String spec : SPECS) {
            Path file = openapiDir.resolve(spec);
            if (!Files.isRegularFile(file)) {
                throw new AssertionError("OpenAPI spec missing: " + file);
            }
            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            options.setResolveFully(true);
            SwaggerParseResult parsed = new OpenAPIV3Parser().readLocation(file.toUri().toString(), null, options);
            OpenAPI api = parsed.getOpenAPI();
            if (api == null) {
                throw new AssertionError("swagger-parser could not read " + file + ": " + parsed.getMessages());
            }
            api.getPaths().forEach((path, item) -> {
                // BureauSystem paths are what the hub calls on a bureau's own system, not what the hub serves
                if (!path.startsWith("/api/v1/") || (item.getServers() != null && !item.getServers().isEmpty())) {
                    return;
                }
                item.readOperationsMap().forEach((method, op) -> ops.add(op(spec, path, method, item, op)));
            });
        }
        return ops;
    }

    private static Op op(String spec, String path, PathItem.HttpMethod method, PathItem item, Operation op) {
        List<Parameter> params = new ArrayList<>();
        if (item.getParameters() != null) {
            params.addAll(item.getParameters());
        }
        if (op.getParameters() != null) {
            params.addAll(op.getParameters());
        }
        String mediaType = null;
        Schema<?> body = null;
        boolean required = false;
        if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
            Map.Entry<String, MediaType> first = op.getRequestBody().getContent().entrySet().iterator().next();
            mediaType = first.getKey();
            body = first.getValue().getSchema();
            required = Boolean.TRUE.equals(op.getRequestBody().getRequired());
        }
        return new Op(spec, op.getOperationId(), method.name(), path, params, mediaType, body, required);
    }

    // ------------------------------------------------------------------ variants

    /**
     * An endless stream of variants for one operation: the deterministic ones first (each body field wrong-typed,
     * each required one missing, each parameter injected …), then seeded random ones.
     */
    static final class Variants {
        private final Op op;
        private final Context ctx;
        private final String unit;
        private final Random random;
        private final List<Function<Random, Probe>> fixed = new ArrayList<>();
        /** While set, {@link #valid} fills every optional property and nested part too. */
        private boolean fullBody;
        private int next;
        private boolean planned;

        Variants(Op op, Context ctx, String unit, long seed) {
            this.op = op;
            this.ctx = ctx;
            this.unit = unit;
            this.random = new Random(seed ^ op.label().hashCode());
        }

        /** The valid request alone (no variants planned: cheap enough for one per access-control attempt). */
        Probe baseline() {
            return probe("baseline", validPathAndQuery(), validBytes(), validType(), Map.of());
        }

        synchronized Probe next() {
            if (!planned) {
                plan();
                interleaveCategories();
                planned = true;
            }
            Probe p = next < fixed.size() ? fixed.get(next).apply(random) : randomVariant();
            next++;
            return p;
        }

        Op op() {
            return op;
        }

        /**
         * Orders the deterministic variants so that the first few of a short run already cover every category (body
         * types, missing fields, encodings, content types, injections in each parameter …): one of each in turn.
         */
        private void interleaveCategories() {
            Map<String, List<Function<Random, Probe>>> byCategory = new LinkedHashMap<>();
            for (Function<Random, Probe> f : fixed) {
                String kind = f.apply(random).kind();
                String category = kind.startsWith("body-raw") || kind.startsWith("csv:") ? kind : kind.split(":")[0];
                byCategory.computeIfAbsent(category, k -> new ArrayList<>()).add(f);
            }
            fixed.clear();
            boolean more = true;
            for (int i = 0; more; i++) {
                more = false;
                for (List<Function<Random, Probe>> list : byCategory.values()) {
                    if (i < list.size()) {
                        fixed.add(list.get(i));
                        more = true;
                    }
                }
            }
        }


        private void plan() {
            fixed.add(r -> probe("baseline", validPathAndQuery(), validBytes(), validType(), Map.of()));
            for (Parameter p : op.parameters()) {
                String in = p.getIn();
                if ("path".equals(in) || "query".equals(in)) {
                    for (String bad : wrongTypeValues(p.getSchema())) {
                        fixed.add(r -> probe(in + "-wrong-type:" + p.getName(), pathAndQuery(p.getName(), bad), validBytes(),
                                validType(), Map.of()));
                    }
                    for (String inj : INJECTIONS) {
                        fixed.add(r -> probe(in + "-injection:" + p.getName(), pathAndQuery(p.getName(), inj), validBytes(),
                                validType(), Map.of()));
                    }
                    fixed.add(r -> probe(in + "-huge:" + p.getName(), pathAndQuery(p.getName(), "x".repeat(4000)),
                            validBytes(), validType(), Map.of()));
                    if ("path".equals(in)) {
                        fixed.add(r -> probe("path-empty:" + p.getName(), pathAndQuery(p.getName(), ""), validBytes(),
                                validType(), Map.of()));
                    }
                } else if ("header".equals(in) && !p.getName().equalsIgnoreCase("X-Hub-Acting-Unit")) {
                    for (String bad : List.of("x".repeat(300), "' OR 1=1 --", "<script>alert(1)</script>", "\"W/\\\"0\\\"\"", "*")) {
                        fixed.add(r -> probe("header:" + p.getName(), validPathAndQuery(), validBytes(), validType(),
                                Map.of(p.getName(), bad)));
                    }
                }
            }
            fixed.add(r -> probe("query-unknown-param", validPathAndQuery() + sep(validPathAndQuery())
                    + "unexpected=%27%20OR%201%3D1&size=-1&page=abc", validBytes(), validType(), Map.of()));
            if (op.bodySchema() == null) {
                // operations without a body still get one: it must not confuse them
                fixed.add(r -> probe("unexpected-body", validPathAndQuery(), "{\"surprise\":true}".getBytes(StandardCharsets.UTF_8),
                        "application/json", Map.of()));
                fixed.add(r -> probe("unexpected-huge-body", validPathAndQuery(), hugeJson(1_200_000), "application/json", Map.of()));
                return;
            }
            if (isJson()) {
                JsonNode valid = validBody();
                if (valid instanceof ObjectNode obj) {
                    for (Map.Entry<String, JsonNode> field : fields(obj)) {
                        fixed.add(r -> probe("body-wrong-type:" + field.getKey(), validPathAndQuery(),
                                json(with(obj, field.getKey(), wrongType(field.getValue()))), op.mediaType, Map.of()));
                        fixed.add(r -> probe("body-null:" + field.getKey(), validPathAndQuery(),
                                json(with(obj, field.getKey(), NODES.nullNode())), op.mediaType, Map.of()));
                        if (field.getValue().isString() || field.getValue().isNumber()) {
                            for (String inj : INJECTIONS) {
                                fixed.add(r -> probe("body-injection:" + field.getKey(), validPathAndQuery(),
                                        json(with(obj, field.getKey(), NODES.stringNode(inj))), op.mediaType, Map.of()));
                            }
                            fixed.add(r -> probe("body-long-string:" + field.getKey(), validPathAndQuery(),
                                    json(with(obj, field.getKey(), NODES.stringNode("科".repeat(70_000)))), op.mediaType, Map.of()));
                        }
                    }
                    for (String req : required(op.bodySchema())) {
                        fixed.add(r -> {
                            ObjectNode copy = obj.deepCopy();
                            copy.remove(req);
                            return probe("body-missing-required:" + req, validPathAndQuery(), json(copy), op.mediaType, Map.of());
                        });
                    }
                    fixed.add(r -> {
                        ObjectNode copy = obj.deepCopy();
                        copy.put("unexpectedField", "额外字段");
                        copy.putObject("__proto__").put("admin", true);
                        copy.put("id", "bj-sciedu-20-2024.M01.SJW");
                        return probe("body-extra-fields", validPathAndQuery(), json(copy), op.mediaType, Map.of());
                    });
                    fixed.add(r -> {
                        fullBody = true;
                        try {
                            return probe("body-all-optional-parts", validPathAndQuery(), json(validBody()), op.mediaType, Map.of());
                        } finally {
                            fullBody = false;
                        }
                    });
                    fixed.add(r -> probe("body-invalid-utf8", validPathAndQuery(), invalidUtf8(obj), op.mediaType, Map.of()));
                    fixed.add(r -> probe("body-gb18030-declared-utf8", validPathAndQuery(),
                            chineseIn(obj).getBytes(Charset.forName("GB18030")), "application/json;charset=UTF-8", Map.of()));
                    fixed.add(r -> probe("body-gb18030-declared-gb18030", validPathAndQuery(),
                            chineseIn(obj).getBytes(Charset.forName("GB18030")), "application/json;charset=GB18030", Map.of()));
                    fixed.add(r -> probe("body-unknown-charset", validPathAndQuery(), json(obj), "application/json;charset=x-bogus-42",
                            Map.of()));
                    fixed.add(r -> probe("body-utf16", validPathAndQuery(), HubHttp.JSON.writeValueAsString(obj)
                            .getBytes(StandardCharsets.UTF_16), "application/json", Map.of()));
                    fixed.add(r -> probe("body-bom", validPathAndQuery(), withBom(json(obj)), "application/json", Map.of()));
                }
                for (String raw : List.of("", "{}", "null", "[]", "\"text\"", "42", "{\"a\":", "{\"a\":1}}", "{'single':'quotes'}",
                        "{\"a\":1,\"a\":2}", "[" .repeat(5000) + "]".repeat(5000), "{\"n\":1e999999}", "\u0000\u0001\u0002")) {
                    fixed.add(r -> probe("body-raw:" + abbreviate(raw), validPathAndQuery(), raw.getBytes(StandardCharsets.UTF_8),
                            op.mediaType, Map.of()));
                }
                fixed.add(r -> probe("body-deep-nesting", validPathAndQuery(), deepJson(3000), op.mediaType, Map.of()));
                fixed.add(r -> probe("body-huge", validPathAndQuery(), hugeJson(2_500_000), op.mediaType, Map.of()));
                fixed.add(r -> probe("content-type:text/plain", validPathAndQuery(), json(validBody()), "text/plain", Map.of()));
                fixed.add(r -> probe("content-type:xml", validPathAndQuery(),
                        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>"
                                .getBytes(StandardCharsets.UTF_8), "application/xml", Map.of()));
                fixed.add(r -> probe("content-type:form", validPathAndQuery(), "a=1&b=%27".getBytes(StandardCharsets.UTF_8),
                        "application/x-www-form-urlencoded", Map.of()));
                fixed.add(r -> probe("content-type:multipart-no-boundary", validPathAndQuery(), json(validBody()),
                        "multipart/form-data", Map.of()));
                fixed.add(r -> probe("content-type:garbage", validPathAndQuery(), json(validBody()), "not a media type", Map.of()));
                fixed.add(r -> probe("content-type:none", validPathAndQuery(), json(validBody()), null, Map.of()));
            } else if (op.mediaType().startsWith("multipart/")) {
                String boundary = "----hub-bad-input-boundary";
                fixed.add(r -> probe("multipart-no-file-part", validPathAndQuery(), multipart(boundary, "other", "a.txt", "text/plain",
                        "hello".getBytes(StandardCharsets.UTF_8)), "multipart/form-data; boundary=" + boundary, Map.of()));
                fixed.add(r -> probe("multipart-empty-file", validPathAndQuery(), multipart(boundary, "file", "empty.pdf",
                        "application/pdf", new byte[0]), "multipart/form-data; boundary=" + boundary, Map.of()));
                fixed.add(r -> probe("multipart-traversal-filename", validPathAndQuery(), multipart(boundary, "file",
                        "../../../../etc/passwd", "text/plain", "x".getBytes(StandardCharsets.UTF_8)),
                        "multipart/form-data; boundary=" + boundary, Map.of()));
                fixed.add(r -> probe("multipart-executable", validPathAndQuery(), multipart(boundary, "file", "run.exe",
                        "application/x-msdownload", "MZ\u0090\u0000".getBytes(StandardCharsets.ISO_8859_1)),
                        "multipart/form-data; boundary=" + boundary, Map.of()));
                fixed.add(r -> probe("multipart-truncated", validPathAndQuery(), ("--" + boundary + "\r\nContent-Disposition: form-data; "
                        + "name=\"file\"; filename=\"a.txt\"\r\n\r\nhalf").getBytes(StandardCharsets.UTF_8),
                        "multipart/form-data; boundary=" + boundary, Map.of()));
                fixed.add(r -> probe("multipart-wrong-boundary", validPathAndQuery(), multipart("other", "file", "a.txt", "text/plain",
                        "x".getBytes(StandardCharsets.UTF_8)), "multipart/form-data; boundary=" + boundary, Map.of()));
                fixed.add(r -> probe("multipart-huge", validPathAndQuery(), multipart(boundary, "file", "big.pdf", "application/pdf",
                        new byte[21 * 1024 * 1024]), "multipart/form-data; boundary=" + boundary, Map.of()));
                fixed.add(r -> probe("content-type:json", validPathAndQuery(), "{\"file\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                        "application/json", Map.of()));
                fixed.add(r -> probe("body-empty", validPathAndQuery(), new byte[0], "multipart/form-data; boundary=" + boundary,
                        Map.of()));
            } else {
                // text bodies (the schools' CSV)
                for (String csv : List.of("", "code,name\n", "code,name,districtCode,stage,synthetic\n1,\"unterminated,x",
                        "code,name,districtCode,stage,synthetic\nS1,' OR 1=1 --,110101,NOT_A_STAGE,maybe\n",
                        "code,name,districtCode,stage,synthetic\n=cmd|' /C calc'!A0,<script>,110101,PRIMARY,true\n",
                        "\uFEFFcode,name,districtCode,stage,synthetic\nS2,学校,110101,PRIMARY,true\n")) {
                    fixed.add(r -> probe("csv:" + abbreviate(csv), validPathAndQuery(), csv.getBytes(StandardCharsets.UTF_8),
                            op.mediaType, Map.of()));
                }
                fixed.add(r -> probe("csv-gb18030", validPathAndQuery(),
                        "code,name,districtCode,stage,synthetic\nS3,北京学校,110101,PRIMARY,true\n".getBytes(Charset.forName("GB18030")),
                        op.mediaType, Map.of()));
                fixed.add(r -> probe("csv-invalid-utf8", validPathAndQuery(), new byte[] {'c', 'o', 'd', 'e', '\n', (byte) 0xC3, 0x28,
                        (byte) 0xFF, '\n'}, op.mediaType, Map.of()));
                fixed.add(r -> probe("csv-huge", validPathAndQuery(), hugeCsv(11 * 1024 * 1024), op.mediaType, Map.of()));
                fixed.add(r -> probe("content-type:json", validPathAndQuery(), "{\"code\":1}".getBytes(StandardCharsets.UTF_8),
                        "application/json", Map.of()));
            }
        }

        /** A random mix: a random body field and parameter, each given a random hostile value. */
        private Probe randomVariant() {
            int what = random.nextInt(4);
            String inj = INJECTIONS.get(random.nextInt(INJECTIONS.size()));
            List<Parameter> params = op.parameters().stream()
                    .filter(p -> "path".equals(p.getIn()) || "query".equals(p.getIn())).toList();
            if (what == 0 && !params.isEmpty()) {
                Parameter p = params.get(random.nextInt(params.size()));
                String value = random.nextBoolean() ? inj : inj + random.nextInt(1_000_000);
                return probe("random-param:" + p.getName(), pathAndQuery(p.getName(), value), validBytes(), validType(), Map.of());
            }
            if (isJson() && validBody() instanceof ObjectNode obj && !obj.isEmpty()) {
                List<Map.Entry<String, JsonNode>> fields = fields(obj);
                Map.Entry<String, JsonNode> f = fields.get(random.nextInt(fields.size()));
                JsonNode value = switch (what) {
                    case 1 -> NODES.stringNode(inj);
                    case 2 -> wrongType(f.getValue());
                    default -> randomJson(random, 3);
                };
                return probe("random-body:" + f.getKey(), validPathAndQuery(), json(with(obj, f.getKey(), value)), op.mediaType, Map.of());
            }
            byte[] junk = new byte[random.nextInt(2048)];
            random.nextBytes(junk);
            return probe("random-bytes", validPathAndQuery(), junk, op.mediaType == null ? "application/json" : op.mediaType, Map.of());
        }

        private boolean isJson() {
            return op.mediaType() != null && op.mediaType().contains("json");
        }

        private Probe probe(String kind, String pathAndQuery, byte[] body, String contentType, Map<String, String> headers) {
            Map<String, String> h = new LinkedHashMap<>();
            // every write gets its own key: a repeated key would answer from the first request, not validate this one
            if (!op.method().equals("GET")) {
                h.put("Idempotency-Key", UUID.randomUUID().toString());
            }
            h.putAll(headers);
            boolean sendsBody = body != null && (op.bodySchema() != null || kind.startsWith("unexpected"));
            return new Probe(op, kind, op.method(), pathAndQuery, h, sendsBody ? body : null, sendsBody ? contentType : null);
        }

        // ---------------------------------------------------------- path and query

        String validPathAndQuery() {
            return pathAndQuery(null, null);
        }

        /** The path with every parameter valid, except {@code badName} set to {@code badValue} (raw; encoded here). */
        private String pathAndQuery(String badName, String badValue) {
            String path = op.pathTemplate();
            StringBuilder query = new StringBuilder();
            for (Parameter p : op.parameters()) {
                boolean bad = p.getName().equals(badName);
                if ("path".equals(p.getIn())) {
                    String v = bad ? badValue : validParam(p);
                    path = path.replace("{" + p.getName() + "}", encode(v));
                } else if ("query".equals(p.getIn()) && (bad || Boolean.TRUE.equals(p.getRequired()) || validOptional(p))) {
                    String v = bad ? badValue : validParam(p);
                    query.append(query.isEmpty() ? "?" : "&").append(encode(p.getName())).append('=').append(encode(v));
                }
            }
            return path + query;
        }

        private boolean validOptional(Parameter p) {
            return List.of("policyId", "policy", "period").contains(p.getName());
        }

        private String validParam(Parameter p) {
            return switch (p.getName()) {
                case "taskId" -> ctx.taskOfUnit().apply(unit);
                case "policyId", "policy" -> ctx.policyId();
                case "measureNo" -> ctx.measureNo();
                case "period" -> ctx.period();
                case "deliveryId", "requestId" -> ctx.deliveryId();
                case "queue" -> ctx.queue();
                case "unit", "unitCode" -> unit == null ? "SJW" : unit;
                default -> valueAsText(valid(p.getSchema(), p.getName()));
            };
        }

        // ---------------------------------------------------------- bodies

        /** The valid body in the operation's own media type (JSON, a multipart with one small file, a CSV). */
        private byte[] validBytes() {
            if (op.mediaType() == null) {
                return null;
            }
            if (op.mediaType().startsWith("multipart/")) {
                return multipart(BOUNDARY, "file", "progress-note.txt", "text/plain",
                        "科学教育进展说明".getBytes(StandardCharsets.UTF_8));
            }
            if (!isJson()) {
                return ("code,name,districtCode,stage,synthetic\nBADINPUT1,坏输入测试学校,110101,PRIMARY,true\n")
                        .getBytes(StandardCharsets.UTF_8);
            }
            return json(validBody());
        }

        private String validType() {
            return op.mediaType() != null && op.mediaType().startsWith("multipart/")
                    ? "multipart/form-data; boundary=" + BOUNDARY : op.mediaType();
        }

        private JsonNode validBody() {
            return op.bodySchema() == null ? null : valid(op.bodySchema(), "body");
        }

        private JsonNode valid(Schema<?> s, String name) {
            if (s == null) {
                return NODES.stringNode("x");
            }
            if (s.getExample() != null && !(s.getExample() instanceof Map) && !(s.getExample() instanceof List)) {
                Object ex = s.getExample();
                if (ex instanceof Number n) {
                    return NODES.numberNode(new BigDecimal(n.toString()));
                }
                if (ex instanceof Boolean b) {
                    return NODES.booleanNode(b);
                }
                if (!(ex instanceof String) || s.getProperties() == null) {
                    return NODES.stringNode(String.valueOf(ex));
                }
            }
            if (s.getEnum() != null && !s.getEnum().isEmpty()) {
                return NODES.stringNode(String.valueOf(s.getEnum().get(0)));
            }
            String type = type(s);
            switch (type) {
                case "object": {
                    ObjectNode o = NODES.objectNode();
                    if (s.getProperties() != null) {
                        s.getProperties().forEach((k, v) -> {
                            // required fields, plus optional scalars; optional nested parts only in the "full" body, whose
                            // generated codes (KPI, school) need not exist: the valid request must be really valid
                            boolean needed = required(s).contains(k) || (fullBody && !Boolean.TRUE.equals(v.getReadOnly()))
                                    || (!Boolean.TRUE.equals(v.getReadOnly()) && isScalar(v));
                            if (needed) {
                                o.set(k, valid(v, k));
                            }
                        });
                    }
                    return o;
                }
                case "array": {
                    ArrayNode a = NODES.arrayNode();
                    int min = s.getMinItems() == null ? 0 : s.getMinItems();
                    if (fullBody || min > 0) {
                        a.add(valid(s.getItems(), name));
                    }
                    return a;
                }
                case "integer": {
                    long v = s.getMinimum() != null ? s.getMinimum().longValue() : 1;
                    if (s.getMaximum() != null && v > s.getMaximum().longValue()) {
                        v = s.getMaximum().longValue();
                    }
                    return NODES.numberNode(Math.max(v, name.toLowerCase(Locale.ROOT).contains("percent") ? 10 : v));
                }
                case "number":
                    return NODES.numberNode(s.getMinimum() != null ? s.getMinimum().doubleValue() : 1.5);
                case "boolean":
                    return NODES.booleanNode(true);
                default:
                    return NODES.stringNode(validString(s, name));
            }
        }

        private String validString(Schema<?> s, String name) {
            String f = s.getFormat() == null ? "" : s.getFormat();
            switch (f) {
                case "date":
                    return LocalDate.now(ZoneOffset.ofHours(8)).plusMonths(2).toString();
                case "date-time":
                    return OffsetDateTime.now(ZoneOffset.ofHours(8)).withNano(0).toString();
                case "uuid":
                    return UUID.randomUUID().toString();
                default:
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("period")) {
                return ctx.period();
            }
            if (lower.contains("messageid") || lower.endsWith("key")) {
                return "bad-input-" + UUID.randomUUID();
            }
            if (lower.equals("unitcode") || lower.equals("unit")) {
                return unit == null ? "SJW" : unit;
            }
            if (lower.equals("taskid")) {
                return ctx.taskOfUnit().apply(unit);
            }
            if (lower.equals("policyid")) {
                return ctx.policyId();
            }
            int min = s.getMinLength() == null ? 1 : Math.max(1, s.getMinLength());
            String v = "科学教育进展".repeat(min / 6 + 1).substring(0, Math.max(min, 6));
            if (s.getMaxLength() != null && v.length() > s.getMaxLength()) {
                v = v.substring(0, s.getMaxLength());
            }
            return v;
        }

        private static boolean isScalar(Schema<?> s) {
            return List.of("string", "integer", "number", "boolean").contains(type(s)) && !"binary".equals(s.getFormat());
        }

        private static String type(Schema<?> s) {
            if (s.getType() != null) {
                return s.getType();
            }
            if (s.getTypes() != null && !s.getTypes().isEmpty()) {
                return s.getTypes().iterator().next();
            }
            if (s.getProperties() != null) {
                return "object";
            }
            if (s.getItems() != null) {
                return "array";
            }
            return "string";
        }

        private static List<String> required(Schema<?> s) {
            return s.getRequired() == null ? List.of() : s.getRequired();
        }

        private List<String> wrongTypeValues(Schema<?> s) {
            String t = s == null ? "string" : type(s);
            return switch (t) {
                case "integer", "number" -> List.of("abc", "-1", "1.5", "99999999999999999999999", "NaN", "0x10");
                case "boolean" -> List.of("maybe", "2");
                default -> s != null && s.getEnum() != null ? List.of("NOT_IN_ENUM", "null") : List.of("-1", "null");
            };
        }
    }

    // ------------------------------------------------------------------ helpers

    static String encode(String raw) {
        return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String sep(String pathAndQuery) {
        return pathAndQuery.contains("?") ? "&" : "?";
    }

    private static byte[] json(JsonNode node) {
        return node == null ? null : HubHttp.JSON.writeValueAsBytes(node);
    }

    private static List<Map.Entry<String, JsonNode>> fields(ObjectNode obj) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        obj.properties().forEach(out::add);
        return out;
    }

    private static ObjectNode with(ObjectNode obj, String field, JsonNode value) {
        ObjectNode copy = obj.deepCopy();
        copy.set(field, value);
        return copy;
    }

    private static JsonNode wrongType(JsonNode v) {
        if (v.isString()) {
            return NODES.numberNode(12345);
        }
        if (v.isNumber()) {
            return NODES.stringNode("not-a-number");
        }
        if (v.isBoolean()) {
            return NODES.stringNode("yes");
        }
        if (v.isArray()) {
            return NODES.objectNode().put("not", "an array");
        }
        return NODES.stringNode("not an object");
    }

    private static JsonNode randomJson(Random r, int depth) {
        return switch (depth <= 0 ? r.nextInt(4) : r.nextInt(6)) {
            case 0 -> NODES.numberNode(r.nextLong());
            case 1 -> NODES.stringNode(INJECTIONS.get(r.nextInt(INJECTIONS.size())));
            case 2 -> NODES.booleanNode(r.nextBoolean());
            case 3 -> NODES.nullNode();
            case 4 -> {
                ArrayNode a = NODES.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(randomJson(r, depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = NODES.objectNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    o.set("k" + r.nextInt(100), randomJson(r, depth - 1));
                }
                yield o;
            }
        };
    }

    /** The valid body with bytes that are not UTF-8 (a lone continuation byte, an 0xFF) inside the first string. */
    private static byte[] invalidUtf8(ObjectNode obj) {
        byte[] valid = HubHttp.JSON.writeValueAsBytes(obj);
        String s = new String(valid, StandardCharsets.UTF_8);
        int quote = s.indexOf(":\"");
        if (quote < 0) {
            return new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, (byte) 0xFF, '"', '}'};
        }
        byte[] head = s.substring(0, quote + 2).getBytes(StandardCharsets.UTF_8);
        byte[] tail = s.substring(quote + 2).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + 3 + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        out[head.length] = (byte) 0xC3;
        out[head.length + 1] = 0x28;
        out[head.length + 2] = (byte) 0xFF;
        System.arraycopy(tail, 0, out, head.length + 3, tail.length);
        return out;
    }

    private static String chineseIn(ObjectNode obj) {
        ObjectNode copy = obj.deepCopy();
        for (Map.Entry<String, JsonNode> f : fields(obj)) {
            if (f.getValue().isString()) {
                copy.put(f.getKey(), "北京市科学教育工作进展");
            }
        }
        return HubHttp.JSON.writeValueAsString(copy);
    }

    private static byte[] withBom(byte[] body) {
        byte[] out = new byte[body.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF;
        System.arraycopy(body, 0, out, 3, body.length);
        return out;
    }

    private static byte[] deepJson(int depth) {
        return ("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hugeJson(int bytes) {
        StringBuilder b = new StringBuilder(bytes + 32).append("{\"narrative\":\"");
        while (b.length() < bytes) {
            b.append("科学教育");
        }
        return b.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hugeCsv(int bytes) {
        StringBuilder b = new StringBuilder(bytes + 64).append("code,name,districtCode,stage,synthetic\n");
        int i = 0;
        while (b.length() < bytes) {
            b.append("H").append(i++).append(",学校,110101,PRIMARY,true\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] multipart(String boundary, String name, String filename, String type, byte[] content) {
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(content, 0, out, head.length, content.length);
        System.arraycopy(tail, 0, out, head.length + content.length, tail.length);
        return out;
    }

    private static String valueAsText(JsonNode n) {
        return n.isString() ? n.asString() : n.toString();
    }

    private static String abbreviate(String s) {
        String one = s.replace("\n", "\\n").replace("\r", "\\r");
        return one.length() > 24 ? one.substring(0, 24) + "…" : one;
    }

    /**
     * The run's order: round-robin over every operation (so that any run size covers each evenly), then shuffled so
     * that one operation's huge bodies do not hit one service all at once. Each entry draws its probe when sent, so
     * the huge bodies are not all held in memory.
     */
    static List<Variants> plan(List<Op> ops, Context ctx, Function<Op, String> unitFor, int total, long seed) {
        List<Variants> streams = new ArrayList<>();
        for (Op op : ops) {
            streams.add(new Variants(op, ctx, unitFor.apply(op), seed));
        }
        List<Variants> out = new ArrayList<>(total);
        while (out.size() < total) {
            for (Variants v : streams) {
                if (out.size() < total) {
                    out.add(v);
                }
            }
        }
        Collections.shuffle(out, new Random(seed));
        return out;
    }

    private SpecRequests() {
    }
}
