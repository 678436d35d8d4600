package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

import cn.beijing.scienceedu.task.delivery.DeliveryInbox;
import tools.jackson.databind.JsonNode;

/**
 * Bytes in request headers that are not printable ASCII — an invalid UTF-8 sequence, a lone byte of one — sent over a
 * raw socket, since Java's HttpClient will not put them in a header. Tomcat reads header bytes as ISO-8859-1: 0x80–0x9F
 * become C1 controls that Spring Security's firewall refuses when a controller first reads the header (that refusal was
 * the 500 of issue 17 on {@code POST /tasks/{id}/accept} with {@code If-Match: "\x85"}), 0xA0–0xFF Latin-1 letters the
 * firewall lets through (an If-Match that never matched, an Idempotency-Key kept as mojibake). Each is now a 400
 * problem naming the header and the byte, with no effect; an If-Match that is not {@code *} or a list of entity-tags
 * is a 400 too, a well-formed tag that is not the task's a 412.
 */
class MalformedHeadersTest extends IntegrationTest {

    /** Bytes that are not printable ASCII: C1 controls, Latin-1 letters, a truncated and an invalid UTF-8 sequence. */
    static final List<byte[]> BAD = List.of(bytes(0xFF, 0xFE), bytes(0x85), bytes(0x80), bytes(0x9F), bytes(0xA0),
            bytes(0xC3, 0x28), bytes(0xE4, 0xB8), bytes(0xC0, 0xAF), "版".getBytes(StandardCharsets.UTF_8));

    @LocalServerPort
    int port;
    @Autowired
    DeliveryInbox inbox;
    TaskActions actions;
    static String policy;

    @BeforeEach
    void setUp() throws Exception {
        actions = new TaskActions(mvc, json, inbox);
        if (policy == null) {
            policy = freshPlannedPolicy("test-malformed-headers");
        }
    }

    private String task(int measure) {
        return policy + ".M" + String.format("%02d", measure) + ".SJW";
    }

    @Test
    void aNonUtf8ByteInIfMatchOnAcceptIsA400NamingIfMatchNotA500() throws Exception {
        String task = task(1);
        actions.bringTo(task, "SUBMITTED");
        long version = version(task);
        for (byte[] bad : BAD) {
            Raw r = send("POST", "/api/v1/tasks/" + task + "/accept", liaison(), "If-Match", quoted(bad), "{\"note\":\"x\"}");
            assertBadHeader(r, "If-Match", quoted(bad));
        }
        // nothing changed, and the same request with the task's ETag is accepted
        assertThat(version(task)).isEqualTo(version);
        assertThat(status(task)).isEqualTo("SUBMITTED");
        Raw ok = send("POST", "/api/v1/tasks/" + task + "/accept", liaison(), "If-Match",
                ("\"" + version + "\"").getBytes(StandardCharsets.US_ASCII), "{\"note\":\"x\"}");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(status(task)).isEqualTo("ACCEPTED");
    }

    @Test
    void theSameForEveryIfMatchIdempotencyKeyAndActingUnitOfTheApi() throws Exception {
        String task = task(3);
        actions.bringTo(task, "SIGNED_FOR");
        long version = version(task);
        String progress = json.writeValueAsString(TaskActions.report("m-headers", 40, "ON_TRACK"));
        String bureau = adapters() + "\r\nX-Hub-Acting-Unit: SJW";
        record Case(String method, String path, String token, String header, String body) {
        }
        List<Case> cases = List.of(
                new Case("POST", "/api/v1/tasks/" + task + "/cancel", liaison(), "If-Match", "{\"reason\":\"r\"}"),
                new Case("POST", "/api/v1/tasks/" + task + "/return", liaison(), "If-Match", "{\"reason\":\"r\"}"),
                new Case("POST", "/api/v1/tasks/" + task + "/dispatch", liaison(), "If-Match", "{}"),
                new Case("PUT", "/api/v1/tasks/" + task + "/deadline", liaison(), "If-Match", "{\"deadline\":\"2030-06-28\"}"),
                new Case("POST", "/api/v1/tasks/" + task + "/accept", liaison(), "Idempotency-Key", "{}"),
                new Case("POST", "/api/v1/tasks/" + task + "/urge", liaison(), "Idempotency-Key", "{\"level\":1}"),
                new Case("POST", "/api/v1/policies/" + policy + "/dispatch", liaison(), "Idempotency-Key", "{}"),
                new Case("PUT", "/api/v1/policies/" + policy + "/settings", liaison(), "Idempotency-Key",
                        "{\"deadline\":\"2030-06-28\",\"reportingCycle\":\"QUARTERLY\"}"),
                new Case("POST", "/api/v1/tasks/" + task + "/progress-reports", bureau, "Idempotency-Key", progress),
                new Case("POST", "/api/v1/tasks/" + task + "/submission", bureau, "Idempotency-Key", progress),
                new Case("POST", "/api/v1/tasks/" + task + "/progress-reports", adapters(), "X-Hub-Acting-Unit", progress));
        for (Case c : cases) {
            for (byte[] bad : List.of(bytes(0x85), bytes(0xFF, 0xFE), bytes('m', 'h', '-', 'k', 0xC3, 0x28))) {
                byte[] value = c.header().equals("If-Match") ? quoted(bad) : bad;
                Raw r = send(c.method(), c.path(), c.token(), c.header(), value, c.body());
                assertBadHeader(r, c.header(), value);
            }
        }
        assertThat(version(task)).isEqualTo(version);
        assertThat(jdbc.queryForObject("select count(*) from progress_report where task_id = ?", Integer.class, task)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from idempotent_request where key like 'mh-k%'", Integer.class)).isZero();
    }

    @Test
    void anIfMatchThatIsNotAListOfEntityTagsIsA400AndATagThatIsNotTheTasksA412() throws Exception {
        String task = task(5);
        long version = version(task);
        for (String malformed : List.of("abc", "7", "\"7", "7\"", "W/7", "\"7\"x", "\"7\" \"8\"", "**", "\"a\"b\"")) {
            MvcResult r = dispatch(task, malformed);
            assertThat(r.getResponse().getStatus()).as(malformed + ": " + r.getResponse().getContentAsString()).isEqualTo(400);
            JsonNode p = json.readTree(r.getResponse().getContentAsString());
            assertThat(p.at("/errors/0/field").asString()).isEqualTo("If-Match");
        }
        for (String notOurs : List.of("\"abc\"", "\"-1\"", "\"99999999999999999999\"", "\"\"", "\"" + (version + 1) + "\"",
                "\"1\", \"2\"")) {
            MvcResult r = dispatch(task, notOurs);
            assertThat(r.getResponse().getStatus()).as(notOurs).isEqualTo(412);
            assertThat(json.readTree(r.getResponse().getContentAsString()).get("currentETag").asString())
                    .isEqualTo("\"" + version + "\"");
        }
        assertThat(version(task)).isEqualTo(version);
        // a list naming the current version, "*" (RFC 9110 §13.1.1: any current representation) and a weak tag of the
        // version (taken for its version, as before) pass the precondition
        assertThat(dispatch(task, "\"999\", \"" + version + "\"").getResponse().getStatus()).isEqualTo(200);
        String other = task(7);
        assertThat(dispatch(other, "*").getResponse().getStatus()).isEqualTo(200);
        String third = task(9);
        assertThat(dispatch(third, "W/\"" + version(third) + "\"").getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void aBadByteInAnyOtherHeaderIsNeverA5xx() throws Exception {
        String task = task(11);
        String progress = json.writeValueAsString(TaskActions.report("m-other", 40, "ON_TRACK"));
        for (String header : List.of("Accept", "Accept-Language", "traceparent", "tracestate", "User-Agent", "X-Anything",
                "Content-Language", "Origin", "Referer")) {
            for (byte[] bad : List.of(bytes(0x85), bytes(0xFF, 0xFE))) {
                for (Raw r : List.of(send("POST", "/api/v1/tasks/" + task + "/accept", liaison(), header, bad, "{}"),
                        send("POST", "/api/v1/tasks/" + task + "/progress-reports", adapters() + "\r\nX-Hub-Acting-Unit: SJW",
                                header, bad, progress),
                        send("GET", "/api/v1/tasks/" + task, liaison(), header, bad, null))) {
                    assertThat(r.status()).as(header + " " + HexFormat.of().formatHex(bad) + ": " + r).isLessThan(500);
                    if (r.status() >= 400) {
                        assertThat(r.contentType()).as(header + " " + HexFormat.of().formatHex(bad) + ": " + r)
                                .startsWith("application/problem+json");
                    }
                }
            }
        }
    }

    /**
     * The file name of an uploaded attachment is part of a part's header, which Tomcat decodes as UTF-8 with replacement
     * characters: a name that is not UTF-8 is a 400 naming {@code file}, not a name stored with U+FFFD.
     */
    @Test
    void anAttachmentNameThatIsNotUtf8IsA400NotStoredWithReplacementCharacters() throws Exception {
        String task = task(13);
        String boundary = "----hub-raw-name";
        ByteArrayOutputStream multipart = new ByteArrayOutputStream();
        multipart.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"进展")
                .getBytes(StandardCharsets.UTF_8));
        multipart.writeBytes(bytes(0xFF, 0xFE));
        multipart.writeBytes((".pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 raw name\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        ApiCalls.Answer a = new ApiCalls(port, json).send(new ApiCalls.Call("POST", "/api/v1/tasks/" + task + "/attachments",
                Map.of("Authorization", adapters(), "X-Hub-Acting-Unit", "SJW", "Content-Type",
                        "multipart/form-data; boundary=" + boundary), multipart.toByteArray()));
        assertThat(a.status()).as(a.toString()).isEqualTo(400);
        assertThat(json.readTree(a.body()).at("/errors/0/field").asString()).isEqualTo("file");
        assertThat(jdbc.queryForObject("select count(*) from attachment where task_id = ?", Integer.class, task)).isZero();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private MvcResult dispatch(String task, String ifMatch) throws Exception {
        return mvc.perform(post("/api/v1/tasks/" + task + "/dispatch").header("Authorization", liaison())
                .header("If-Match", ifMatch).contentType(MediaType.APPLICATION_JSON).content("{}")).andReturn();
    }

    /** A 400 problem naming {@code header} and its first byte outside printable ASCII, counted from 1. */
    private void assertBadHeader(Raw r, String header, byte[] sent) {
        String what = header + " " + HexFormat.of().formatHex(sent) + ": " + r;
        assertThat(r.status()).as(what).isEqualTo(400);
        assertThat(r.contentType()).as(what).startsWith("application/problem+json");
        JsonNode p = json.readTree(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(400);
        assertThat(p.at("/errors/0/field").asString()).as(what).isEqualTo(header);
        int first = 0;
        while (sent[first] >= 0x20 && sent[first] < 0x7F) {
            first++;
        }
        assertThat(p.at("/errors/0/message").asString()).as(what)
                .isEqualTo(String.format(Locale.ROOT, "byte %d: not printable ASCII (0x%02X)", first + 1, sent[first] & 0xFF));
    }

    private long version(String task) throws Exception {
        return json.readTree(mvc.perform(get("/api/v1/tasks/" + task).header("Authorization", liaison())).andReturn()
                .getResponse().getContentAsString()).get("version").asLong();
    }

    private String status(String task) throws Exception {
        return json.readTree(mvc.perform(get("/api/v1/tasks/" + task).header("Authorization", liaison())).andReturn()
                .getResponse().getContentAsString()).get("status").asString();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] quoted(byte[] inner) {
        byte[] b = new byte[inner.length + 2];
        b[0] = '"';
        System.arraycopy(inner, 0, b, 1, inner.length);
        b[b.length - 1] = '"';
        return b;
    }

    /** An answer read off the socket. */
    record Raw(int status, Map<String, String> headers, String body) {
        String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        @Override
        public String toString() {
            return status + " " + contentType() + " " + body;
        }
    }

    /**
     * One request written byte for byte (HTTP/1.1, {@code Connection: close}); {@code token} may carry further header
     * lines after a CRLF.
     */
    private Raw send(String method, String path, String token, String header, byte[] value, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + token + "\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n")
                + "Connection: close\r\n" + header + ": ").getBytes(StandardCharsets.US_ASCII));
        req.writeBytes(value);
        req.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        req.writeBytes(content);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write(req.toByteArray());
            s.getOutputStream().flush();
            return parse(s.getInputStream().readAllBytes());
        }
    }

    private static Raw parse(byte[] answer) throws IOException {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] rest = java.util.Arrays.copyOfRange(answer, end + 4, answer.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            InputStream in = new java.io.ByteArrayInputStream(rest);
            while (true) {
                StringBuilder size = new StringBuilder();
                int c;
                while ((c = in.read()) != '\r') {
                    size.append((char) c);
                }
                in.read(); // \n
                int n = Integer.parseInt(size.toString().trim(), 16);
                if (n == 0) {
                    break;
                }
                body.writeBytes(in.readNBytes(n));
                in.read();
                in.read(); // \r\n
            }
            rest = body.toByteArray();
        }
        return new Raw(status, headers, new String(rest, StandardCharsets.UTF_8));
    }
}
