package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import cn.beijing.scienceedu.testsupport.TestTokens;

/**
 * The adapters' own access rules with the gateway bypassed: every endpoint called directly with every
 * kind of token. Bad tokens are 401 everywhere; a bureau writes only for its own unit's tasks (another
 * unit's task is 404 with no data); persons and services cannot use the bureau endpoints (403); the
 * operations API is OPERATOR/ADMIN only (403 for everyone else).
 */
class DirectAccessControlTest extends AdaptersIntegrationTest {

    record Endpoint(String name, String method, String path, String contentType, String body) {
        HttpRequest.Builder build(String token) {
            HttpRequest.Builder b = AdaptersIntegrationTest.request(path);
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            return method.equals("GET") ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        }
    }

    private static final String NO_ANSWER = "00000000-0000-0000-0000-000000000000";

    @Test
    void everyEndpointAppliesTheRulesToEveryKindOfToken() throws Exception {
        String own = newTaskId("SJW");
        publish("task.dispatched", own, "SJW", 1, Map.of());
        await().until(() -> !received("SJW", own, "ASSIGNMENT").isEmpty());

        List<Endpoint> bureau = bureauEndpoints(own);
        List<Endpoint> operations = List.of(
                new Endpoint("list parked", "GET", "/api/v1/operations/parked-deliveries", null, null),
                new Endpoint("replay many", "POST", "/api/v1/operations/parked-deliveries/replay", "application/json",
                        "{\"deliveryIds\":[\"no-such-delivery\"]}"),
                new Endpoint("show parked", "GET", "/api/v1/operations/parked-deliveries/no-such-delivery", null, null),
                new Endpoint("replay one", "POST", "/api/v1/operations/parked-deliveries/no-such-delivery/replay", "application/json", ""),
                new Endpoint("discard", "POST", "/api/v1/operations/parked-deliveries/no-such-delivery/discard", "application/json",
                        "{\"reason\":\"test\"}"),
                new Endpoint("list parked answers", "GET", "/api/v1/operations/parked-answers", null, null),
                new Endpoint("show parked answer", "GET", "/api/v1/operations/parked-answers/" + NO_ANSWER, null, null),
                new Endpoint("parked answer content", "GET", "/api/v1/operations/parked-answers/" + NO_ANSWER + "/content",
                        null, null),
                new Endpoint("replay parked answer", "POST", "/api/v1/operations/parked-answers/" + NO_ANSWER + "/replay",
                        "application/json", ""),
                new Endpoint("discard parked answer", "POST", "/api/v1/operations/parked-answers/" + NO_ANSWER + "/discard",
                        "application/json", "{\"reason\":\"test\"}"),
                new Endpoint("list DLQs", "GET", "/api/v1/operations/dead-letter-queues", null, null),
                new Endpoint("replay DLQ", "POST", "/api/v1/operations/dead-letter-queues/no.such.dlq/replay", "application/json", ""),
                new Endpoint("discard DLQ", "POST", "/api/v1/operations/dead-letter-queues/no.such.dlq/discard", "application/json",
                        "{\"reason\":\"test\"}"),
                new Endpoint("message log", "GET", "/api/v1/operations/message-log?unit=SJW&limit=1", null, null),
                new Endpoint("verify", "POST", "/api/v1/operations/message-log/verify?unit=SJW", "application/json", ""),
                new Endpoint("bureau health", "GET", "/api/v1/operations/bureaus", null, null));

        Map<String, String> invalid = invalidTokens();
        List<String> failures = new ArrayList<>();
        List<Endpoint> all = new ArrayList<>(bureau);
        all.addAll(operations);
        for (Endpoint e : all) {
            for (Map.Entry<String, String> t : invalid.entrySet()) {
                expect(failures, e, t.getKey(), t.getValue(), 401);
            }
        }
        Map<String, String> notBureau = Map.of("LIAISON", TestTokens.liaison("liaison-li"), "OPERATOR", operator(),
                "ADMIN", TestTokens.admin("admin-wang"), "SERVICE", TestTokens.service("task-service"),
                "BUREAU without unit", TestTokens.mint("bureau-x", b -> b.claim("roles", List.of("BUREAU"))));
        for (Endpoint e : bureau) {
            notBureau.forEach((kind, token) -> expect(failures, e, kind, token, 403));
            // another unit's bureau system: the task does not exist for it (404, nothing about the task)
            HttpResponse<String> other = call(e, TestTokens.bureau("SKX"));
            if (other.statusCode() != 404 || other.body().contains("measureTitle") || other.body().contains("加强学校实验教学")) {
                failures.add(e.name() + " as other bureau: " + other.statusCode() + " " + other.body());
            }
        }
        for (Endpoint e : operations) {
            Map.of("own bureau", TestTokens.bureau("SJW"), "other bureau", TestTokens.bureau("SKX"),
                    "LIAISON", TestTokens.liaison("liaison-li"), "SERVICE", TestTokens.service("task-service"))
                    .forEach((kind, token) -> expect(failures, e, kind, token, 403));
            for (String token : List.of(operator(), TestTokens.admin("admin-wang"))) {
                HttpResponse<String> r = call(e, token);
                if (r.statusCode() == 401 || r.statusCode() == 403 || r.statusCode() >= 500) {
                    failures.add(e.name() + " as OPERATOR/ADMIN: " + r.statusCode() + " " + r.body());
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(own)).as("no refused call reached the task-service").isEmpty();

        // the own bureau may write: each of its REST writes reaches the task-service, acting for its unit
        for (Endpoint e : bureauEndpoints(own).subList(0, 4)) {
            HttpResponse<String> r = call(e, TestTokens.bureau("SJW"));
            assertThat(r.statusCode()).as(e.name() + " " + r.body()).isBetween(200, 299);
        }
        assertThat(SimulatorHarness.TASK_SERVICE.callsFor(own)).hasSize(4)
                .extracting(FakeTaskService.Call::actingUnit).containsOnly("SJW");
    }

    private void expect(List<String> failures, Endpoint e, String kind, String token, int status) {
        HttpResponse<String> r = call(e, token);
        if (r.statusCode() != status) {
            failures.add(e.name() + " as " + kind + ": expected " + status + ", got " + r.statusCode() + " " + r.body());
        } else if (!r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            failures.add(e.name() + " as " + kind + ": " + status + " without a problem detail");
        }
    }

    private HttpResponse<String> call(Endpoint e, String token) {
        try {
            return send(e.build(token));
        } catch (Exception ex) {
            throw new AssertionError(e.name() + ": " + ex, ex);
        }
    }

    private static List<Endpoint> bureauEndpoints(String task) {
        String base = "/api/v1/bureau/tasks/" + task;
        return List.of(
                new Endpoint("sign-for", "POST", base + "/sign-for", "application/json",
                        "{\"messageId\":\"ac-" + UUID.randomUUID() + "\",\"signedBy\":\"张三\"}"),
                new Endpoint("progress", "POST", base + "/progress-reports", "application/json",
                        "{\"messageId\":\"ac-" + UUID.randomUUID() + "\",\"period\":\"2025-Q1\",\"percentComplete\":10}"),
                new Endpoint("submission", "POST", base + "/submission", "application/json",
                        "{\"messageId\":\"ac-" + UUID.randomUUID() + "\",\"summary\":\"已完成\"}"),
                new Endpoint("extension request", "POST", base + "/extension-requests", "application/json",
                        "{\"messageId\":\"ac-" + UUID.randomUUID() + "\",\"requestedDeadline\":\"2025-09-30\",\"reason\":\"设备\"}"),
                new Endpoint("SOAP report", "POST", "/soap/bureau", "text/xml; charset=UTF-8", """
                        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:b="urn:cn:beijing:scienceedu:hub:bureau:v1">
                        <soapenv:Body><b:BureauReport><b:MessageId>ac-%s</b:MessageId><b:Kind>SIGN_FOR</b:Kind><b:TaskId>%s</b:TaskId>
                        <b:UnitCode>SJW</b:UnitCode></b:BureauReport></soapenv:Body></soapenv:Envelope>""".formatted(UUID.randomUUID(), task)));
    }

    /** Tokens that must never get in: no token, and every way a token can be wrong. */
    private static Map<String, String> invalidTokens() throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        Instant now = Instant.now();
        m.put("anonymous", null);
        m.put("expired", TestTokens.mint("bureau-sjw", b -> b.claim("unit", "SJW").claim("roles", List.of("BUREAU"))
                .issueTime(Date.from(now.minusSeconds(7200))).notBeforeTime(Date.from(now.minusSeconds(7200)))
                .expirationTime(Date.from(now.minusSeconds(3600)))));
        m.put("not yet valid", TestTokens.mint("bureau-sjw", b -> b.claim("unit", "SJW").claim("roles", List.of("BUREAU"))
                .notBeforeTime(Date.from(now.plusSeconds(3600))).expirationTime(Date.from(now.plusSeconds(7200)))));
        m.put("wrong issuer", TestTokens.mint("bureau-sjw", b -> b.claim("unit", "SJW").claim("roles", List.of("BUREAU"))
                .issuer("https://evil.example.com")));
        m.put("wrong audience", TestTokens.mint("bureau-sjw", b -> b.claim("unit", "SJW").claim("roles", List.of("BUREAU"))
                .audience("another-api")));
        // signed with a key the hub never issued
        var kpg = KeyPairGenerator.getInstance("RSA");
        kpg.initialize(2048);
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("hub-test").build(),
                new JWTClaimsSet.Builder().issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE).subject("admin")
                        .claim("roles", List.of("ADMIN", "OPERATOR", "BUREAU")).claim("unit", "SJW")
                        .expirationTime(Date.from(now.plusSeconds(600))).build());
        forged.sign(new RSASSASigner((RSAPrivateKey) kpg.generateKeyPair().getPrivate()));
        m.put("forged", forged.serialize());
        // alg=none: the same claims, unsigned
        Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
        String claims = "{\"iss\":\"" + TestTokens.ISSUER + "\",\"aud\":\"" + TestTokens.AUDIENCE
                + "\",\"sub\":\"admin\",\"roles\":[\"ADMIN\",\"OPERATOR\",\"BUREAU\"],\"unit\":\"SJW\",\"exp\":"
                + now.plusSeconds(600).getEpochSecond() + "}";
        m.put("alg=none", enc.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + enc.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".");
        m.put("garbage", "not-a-jwt");
        return m;
    }
}
