package cn.beijing.scienceedu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import cn.beijing.scienceedu.testsupport.TestTokens;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Identity and routing at the front door: every role against every route (allowed / 401 / 403), bad tokens of
 * every kind, the token and traceparent reaching the service, the body cap, and the gateway's own problem details.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.identity.public-key-location=" + TestTokens.PUBLIC_KEY_LOCATION,
        "hub.gateway.rate-limit.store=memory",
        "hub.gateway.rate-limit.default-limit.capacity=100000",
        "hub.gateway.rate-limit.roles.BUREAU.capacity=100000",
        "hub.gateway.rate-limit.roles.SERVICE.capacity=100000",
        "hub.gateway.rate-limit.roles.LIAISON.capacity=100000",
        "hub.gateway.rate-limit.roles.OPERATOR.capacity=100000",
        "hub.gateway.rate-limit.roles.ADMIN.capacity=100000"})
class GatewayIdentityAndRoutingTest {

    static final Backends backends = new Backends();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        backends.register(registry);
    }

    @AfterAll
    static void stopBackends() {
        backends.task.close();
        backends.adapters.close();
        backends.reporting.close();
    }

    @LocalServerPort
    int port;

    String base() {
        return "http://localhost:" + port;
    }

    @BeforeEach
    void reset() {
        backends.reset();
    }

    static final Map<String, String> TOKENS = Map.of(
            "BUREAU", TestTokens.bureau("SJW"),
            "LIAISON", TestTokens.liaison("li.ming"),
            "OPERATOR", TestTokens.operator("ops.wang"),
            "ADMIN", TestTokens.admin("admin.zhang"),
            "SERVICE", TestTokens.service("bureau-adapters"));

    static final Set<String> ALL = Set.of("BUREAU", "LIAISON", "OPERATOR", "ADMIN", "SERVICE");
    static final Set<String> READERS = Set.of("LIAISON", "OPERATOR", "ADMIN", "SERVICE");
    static final Set<String> PEOPLE = Set.of("LIAISON", "OPERATOR", "ADMIN");

    record Case(String method, String path, String service, String backendPath, Set<String> allowed) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final List<Case> ROUTES = List.of(
            new Case("GET", "/api/v1/policies", "task-service", null, ALL),
            new Case("GET", "/api/v1/units", "task-service", null, ALL),
            new Case("GET", "/api/v1/tasks?unit=SJW", "task-service", "/api/v1/tasks", ALL),
            new Case("GET", "/api/v1/tasks/bj-sciedu-20-2024.M05.SKW", "task-service", null, ALL),
            new Case("POST", "/api/v1/tasks/bj-sciedu-20-2024.M05.SKW/accept", "task-service", null, Set.of("LIAISON", "ADMIN", "SERVICE")),
            new Case("POST", "/api/v1/tasks/bj-sciedu-20-2024.M05.SKW/sign-for", "task-service", null, Set.of("LIAISON", "ADMIN", "SERVICE")),
            new Case("POST", "/api/v1/tasks/bj-sciedu-20-2024.M05.SKW/attachments", "task-service", null, Set.of("BUREAU", "LIAISON", "ADMIN", "SERVICE")),
            new Case("PUT", "/api/v1/policies/bj-sciedu-20-2024/settings", "task-service", null, Set.of("LIAISON", "ADMIN", "SERVICE")),
            new Case("GET", "/api/v1/events?after=0", "task-service", "/api/v1/events", READERS),
            new Case("POST", "/api/v1/bureau/tasks/bj-sciedu-20-2024.M05.SJW/sign-for", "bureau-adapters", null, Set.of("BUREAU", "SERVICE")),
            new Case("POST", "/api/v1/bureau/tasks/bj-sciedu-20-2024.M05.SJW/progress-reports", "bureau-adapters", null, Set.of("BUREAU", "SERVICE")),
            new Case("POST", "/soap/bureau", "bureau-adapters", null, Set.of("BUREAU", "SERVICE")),
            new Case("GET", "/api/v1/operations/parked-deliveries", "bureau-adapters", null, Set.of("OPERATOR", "ADMIN")),
            new Case("POST", "/api/v1/operations/parked-deliveries/replay", "bureau-adapters", null, Set.of("OPERATOR", "ADMIN")),
            new Case("GET", "/api/v1/reports/joint?period=2025-Q1", "reporting-service", "/api/v1/reports/joint", READERS),
            new Case("POST", "/api/v1/reports/periods/2025-Q1/close", "reporting-service", null, READERS),
            new Case("GET", "/api/v1/districts", "reporting-service", null, READERS),
            new Case("GET", "/api/v1/schools", "reporting-service", null, READERS),
            new Case("GET", "/dashboard/index.html", "reporting-service", null, PEOPLE),
            new Case("GET", "/webjars/echarts/5.3.1/dist/echarts.min.js", "reporting-service", null, PEOPLE));

    static Stream<Arguments> roleByRoute() {
        List<Arguments> all = new ArrayList<>();
        for (Case c : ROUTES) {
            for (String role : List.of("BUREAU", "LIAISON", "OPERATOR", "ADMIN", "SERVICE", "ANONYMOUS")) {
                all.add(Arguments.of(c, role));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{1} → {0}")
    @MethodSource("roleByRoute")
    void everyRoleReachesOnlyTheRoutesItMay(Case c, String role) {
        String token = TOKENS.get(role);
        HttpRequest.Builder request = Http.request(base(), c.path(), token).header("Accept", "application/json");
        request = c.method().equals("GET") ? request.GET()
                : request.method(c.method(), HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json");
        HttpResponse<String> response = Http.send(request);
        RecordingBackend backend = backends.byName(c.service());

        if (token == null) {
            assertProblem(response, 401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(backend.received()).isEmpty();
        } else if (c.allowed().contains(role)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            RecordingBackend.Received got = backend.last();
            assertThat(got).as("request reached " + c.service()).isNotNull();
            assertThat(got.path()).isEqualTo(c.backendPath() != null ? c.backendPath() : c.path());
            assertThat(got.header("Authorization")).as("the caller's token is relayed").isEqualTo("Bearer " + token);
        } else {
            assertProblem(response, 403);
            assertThat(backend.received()).isEmpty();
        }
    }

    static Stream<Arguments> badTokens() throws Exception {
        Instant now = Instant.now();
        String expired = TestTokens.mint("bureau-sjw", b -> b.claim("unit", "SJW").claim("roles", List.of("BUREAU"))
                .issueTime(Date.from(now.minusSeconds(3600))).notBeforeTime(Date.from(now.minusSeconds(3600)))
                .expirationTime(Date.from(now.minusSeconds(600))));
        String notYetValid = TestTokens.mint("bureau-sjw", b -> b.claim("unit", "SJW").claim("roles", List.of("BUREAU"))
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now.plusSeconds(600)))
                .expirationTime(Date.from(now.plusSeconds(1200))));
        String wrongIssuer = TestTokens.mint("bureau-sjw", b -> b.claim("unit", "SJW").claim("roles", List.of("BUREAU"))
                .issuer("https://issuer.elsewhere.example"));
        String wrongAudience = TestTokens.mint("bureau-sjw", b -> b.claim("unit", "SJW").claim("roles", List.of("BUREAU"))
                .audience("some-other-api"));
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(TestTokens.ISSUER).subject("bureau-sjw")
                .audience(TestTokens.AUDIENCE).claim("unit", "SJW").claim("roles", List.of("BUREAU"))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        SignedJWT forgedJwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("hub-test").build(), claims);
        forgedJwt.sign(new RSASSASigner((RSAPrivateKey) generator.generateKeyPair().getPrivate()));
        String algNone = new PlainJWT(claims).serialize();
        // algorithm confusion: HS256 "signed" with the issuer's public key as the shared secret
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("hub-test").build(), claims);
        try (java.io.InputStream publicKey = GatewayIdentityAndRoutingTest.class.getResourceAsStream(
                TestTokens.PUBLIC_KEY_LOCATION.replace("classpath:", "/"))) {
            hmac.sign(new com.nimbusds.jose.crypto.MACSigner(publicKey.readAllBytes()));
        }
        // a valid token whose payload was swapped for another unit's: the signature no longer matches
        String[] parts = TestTokens.bureau("SJW").split("\\.");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.toString().replace("SJW", "SKW").getBytes()) + "." + parts[2];
        return Stream.of(
                Arguments.of("expired", expired),
                Arguments.of("not yet valid", notYetValid),
                Arguments.of("HS256 with the public key as secret", hmac.serialize()),
                Arguments.of("forged (another key)", forgedJwt.serialize()),
                Arguments.of("wrong issuer", wrongIssuer),
                Arguments.of("wrong audience", wrongAudience),
                Arguments.of("alg=none", algNone),
                Arguments.of("tampered payload", tampered),
                Arguments.of("not a JWT", "not-a-token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void aBadTokenIsRefusedWith401ProblemAndNeverReachesAService(String kind, String token) {
        HttpResponse<String> response = Http.get(base(), "/api/v1/tasks", token);
        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
        assertThat(backends.task.received()).isEmpty();
    }

    @Test
    void aMissingTokenIsA401ProblemThatAsksForOne() {
        HttpResponse<String> response = Http.send(Http.request(base(), "/api/v1/tasks/bj-sciedu-20-2024.M05.SJW", null)
                .header("Accept", "application/json").GET());
        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"bureau-hub\"");
        assertThat(backends.task.received()).isEmpty();
    }

    @Test
    void theAdaptersSoapEndpointReceivesTheEnvelopeOfABureauUnchanged() {
        String envelope = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
                + "<SignFor><taskId>bj-sciedu-20-2024.M05.SJW</taskId><signedBy>张三</signedBy></SignFor></soapenv:Body></soapenv:Envelope>";
        String sjw = TestTokens.bureau("SJW");
        HttpResponse<String> response = Http.send(Http.request(base(), "/soap/bureau", sjw)
                .header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", "\"signFor\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)));
        assertThat(response.statusCode()).isEqualTo(200);
        RecordingBackend.Received got = backends.adapters.last();
        assertThat(got.method()).isEqualTo("POST");
        assertThat(got.path()).isEqualTo("/soap/bureau");
        assertThat(got.header("SOAPAction")).isEqualTo("\"signFor\"");
        assertThat(got.header("Content-Type")).startsWith("text/xml");
        assertThat(got.bodyBytes()).isEqualTo(envelope.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(got.header("Authorization")).isEqualTo("Bearer " + sjw);

        // a person may not post bureau messages, and nothing but POST /soap/bureau is the SOAP route
        assertProblem(Http.send(Http.request(base(), "/soap/bureau", TestTokens.liaison("li.ming"))
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(envelope))), 403);
        assertThat(Http.get(base(), "/soap/bureau/other", sjw).statusCode()).isEqualTo(404);
    }

    @Test
    void anonymousCallersReachHealthAndTheApiDocsAndNothingElse() {
        assertThat(Http.get(base(), "/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(Http.get(base(), "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        // the published contracts (ApiDocsTest has the rest)
        assertThat(Http.get(base(), "/docs/", null).statusCode()).isEqualTo(200);
        assertThat(Http.get(base(), "/docs/specs/task-api.yaml", null).statusCode()).isEqualTo(200);
        assertProblem(Http.get(base(), "/actuator/prometheus", null), 401);
        assertProblem(Http.get(base(), "/anything", null), 401);
        // the docs page's token relay is off unless configured (profile local turns it on)
        assertProblem(Http.send(Http.request(base(), "/docs/oauth2/token", null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))), 404);
    }

    @Test
    void aBrowserWithoutSessionIsSentToTheIssuersLogin() {
        HttpResponse<String> response = Http.send(Http.request(base(), "/dashboard/", null)
                .header("Accept", "text/html,application/xhtml+xml").GET());
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/oauth2/authorization/hub"));
    }

    @Test
    void aPathTheFirewallRefusesIsA400Problem() {
        HttpResponse<String> response = Http.get(base(), "/api/v1/tasks//history", TestTokens.bureau("SJW"));
        JsonNode problem = assertProblem(response, 400);
        assertThat(problem.get("type").asString()).endsWith("request-rejected");
        assertThat(backends.task.received()).isEmpty();
    }

    @Test
    void anOverlongUriIsA414ProblemWhileALongOneStillReachesTheService() {
        String liaison = TestTokens.liaison("li.ming");
        assertThat(Http.get(base(), "/api/v1/reports/lineage?policy=" + "x".repeat(5_000) + "&period=2026-Q4", liaison)
                .statusCode()).isEqualTo(200);
        assertThat(backends.reporting.last().path()).isEqualTo("/api/v1/reports/lineage");
        backends.reset();
        HttpResponse<String> tooLong = Http.get(base(), "/api/v1/reports/lineage?policy=" + "x".repeat(7_000) + "&period=2026-Q4", liaison);
        assertProblem(tooLong, 414);
        assertThat(backends.reporting.received()).isEmpty();
    }

    @Test
    void anUnknownPathIsA404Problem() {
        HttpResponse<String> response = Http.get(base(), "/api/v1/nothing-here", TestTokens.liaison("li.ming"));
        assertProblem(response, 404);
    }

    @Test
    void traceparentIsCreatedWhenMissingAndPropagatedWhenSent() {
        Http.get(base(), "/api/v1/tasks", TestTokens.bureau("SJW"));
        String created = backends.task.last().header("traceparent");
        assertThat(created).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");

        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        Http.send(Http.request(base(), "/api/v1/tasks", TestTokens.bureau("SJW"))
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").GET());
        String propagated = backends.task.last().header("traceparent");
        assertThat(propagated).startsWith("00-" + traceId + "-");
        assertThat(propagated).doesNotContain("00f067aa0ba902b7");
    }

    @Test
    void anOversizeBodyIsRefusedWith413ProblemBeforeReachingTheService() {
        // a bureau's largest evidence (5 MiB) inline in base64 still passes the bureau route's 8MB cap ...
        byte[] inlineEvidence = new byte[(5 * 1024 * 1024 + 2) / 3 * 4 + 4096];
        HttpResponse<String> report = Http.send(Http.request(base(),
                "/api/v1/bureau/tasks/bj-sciedu-20-2024.M05.SJW/progress-reports", TestTokens.bureau("SJW"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(inlineEvidence)));
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(backends.adapters.last().bodyBytes()).isEqualTo(inlineEvidence.length);
        backends.reset();

        // ... a larger body does not
        byte[] body = new byte[9 * 1024 * 1024];
        HttpResponse<String> response = Http.send(Http.request(base(),
                "/api/v1/bureau/tasks/bj-sciedu-20-2024.M05.SJW/progress-reports", TestTokens.bureau("SJW"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertProblem(response, 413);
        assertThat(backends.adapters.received()).isEmpty();

        // attachments have their own, larger cap
        HttpResponse<String> attachment = Http.send(Http.request(base(),
                "/api/v1/tasks/bj-sciedu-20-2024.M05.SJW/attachments", TestTokens.bureau("SJW"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(attachment.statusCode()).isEqualTo(200);
        assertThat(backends.task.last().bodyBytes()).isEqualTo(body.length);
    }

    @Test
    void anOversizeChunkedBodyIsCutOffWith413() {
        // no Content-Length: the body streams in chunks and is counted on its way through
        HttpResponse<String> response = Http.send(Http.request(base(),
                "/api/v1/bureau/tasks/bj-sciedu-20-2024.M05.SJW/progress-reports", TestTokens.bureau("SJW"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[9 * 1024 * 1024]))));
        assertProblem(response, 413);
    }

    @Test
    void responsesCarryTheSecurityHeadersAndCorsIsAnsweredOnce() {
        HttpResponse<String> response = Http.get(base(), "/api/v1/units", TestTokens.liaison("li.ming"));
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("strict-origin-when-cross-origin");

        HttpResponse<String> preflight = Http.send(Http.request(base(), "/api/v1/units", null)
                .header("Origin", "http://localhost:8080")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().allValues("Access-Control-Allow-Origin")).containsExactly("http://localhost:8080");

        HttpResponse<String> foreign = Http.send(Http.request(base(), "/api/v1/units", null)
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "GET")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(foreign.statusCode()).isEqualTo(403);
    }

    @Test
    void onlyAServiceMayNameTheUnitItActsFor() {
        Http.send(Http.request(base(), "/api/v1/tasks", TestTokens.bureau("SJW")).header("X-Hub-Acting-Unit", "SKW").GET());
        assertThat(backends.task.last().header("X-Hub-Acting-Unit")).isNull();
        Http.send(Http.request(base(), "/api/v1/tasks", TestTokens.service("bureau-adapters")).header("X-Hub-Acting-Unit", "SKW").GET());
        assertThat(backends.task.last().header("X-Hub-Acting-Unit")).isEqualTo("SKW");
    }

    @Test
    void theGatewaysOwnSessionCookieStaysAtTheGateway() {
        Http.send(Http.request(base(), "/api/v1/tasks", TestTokens.liaison("li.ming"))
                .header("Cookie", "SESSION=abc; XSRF-TOKEN=def; dashboard-lang=zh").GET());
        assertThat(backends.task.last().header("Cookie")).isEqualTo("dashboard-lang=zh");
    }

    @Test
    void everyRequestLeavesOneAccessLogLine(CapturedOutput output) throws InterruptedException {
        Http.get(base(), "/api/v1/units", TestTokens.bureau("STHJJ"));
        Http.get(base(), "/api/v1/operations/parked-deliveries", TestTokens.bureau("STHJJ"));
        // the line is written when the exchange completes, which may be just after the client has the answer
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (!output.getOut().contains("path=/api/v1/operations/parked-deliveries status=403") && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(output.getOut()).containsPattern(
                "hub\\.gateway\\.access .*client=bureau-sthjj unit=STHJJ kind=BUREAU route=task-api method=GET path=/api/v1/units status=200 latencyMs=\\d+ traceId=[0-9a-f]{32}");
        assertThat(output.getOut()).containsPattern(
                "client=bureau-sthjj unit=STHJJ kind=BUREAU route=operations method=GET path=/api/v1/operations/parked-deliveries status=403");
    }

    @Test
    void everyRequestIsCountedPerRouteAndClient() {
        Http.get(base(), "/api/v1/units", TestTokens.bureau("SJW"));
        HttpResponse<String> metrics = Http.get(base(), "/actuator/prometheus", TestTokens.operator("ops.wang"));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).containsPattern("hub_gateway_requests_seconds_count\\{[^}]*client=\"SJW\"[^}]*route=\"task-api\"");
    }

    static JsonNode assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = Http.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("type").asString()).startsWith("urn:bureau-hub:problem:");
        assertThat(problem.has("detail")).isTrue();
        return problem;
    }
}
