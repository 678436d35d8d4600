package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import cn.beijing.scienceedu.testsupport.TestTokens;

/**
 * The service enforces its own rules with the gateway bypassed: every endpoint called directly with each role
 * and with every kind of bad token. Reports, views, register and dashboard: LIAISON, OPERATOR, ADMIN; closing
 * a period and importing schools: LIAISON, ADMIN; rebuilding: OPERATOR, ADMIN. Bureau systems and services
 * read nothing here (403, a problem without data); no or a bad token is 401; only health (and the metrics the
 * cluster's scraper reads, fenced by the chart's network policy) answer without one.
 */
class AuthorizationTest extends ReportingTestBase {

    private static final String P = "authz-test";
    private static final Set<String> READERS = Set.of("LIAISON", "OPERATOR", "ADMIN");
    private static final Set<String> CLOSERS = Set.of("LIAISON", "ADMIN");
    private static final Set<String> REBUILDERS = Set.of("OPERATOR", "ADMIN");
    private static boolean loaded;

    /** One endpoint: method, path (per caller, so closes by different roles close different periods), rule. */
    record Endpoint(String method, String path, String contentType, String body, Set<String> allowed) {
        String pathFor(String who) {
            return path.replace("{month}", switch (who) {
                case "LIAISON" -> "01";
                case "ADMIN" -> "02";
                case "OPERATOR" -> "03";
                default -> "04";
            });
        }
    }

    static List<Endpoint> endpoints() {
        String q = "?policy=" + P + "&period=2025";
        List<Endpoint> e = new ArrayList<>();
        for (String path : List.of("/api/v1/reports/joint" + q, "/api/v1/reports/joint" + q + "&format=csv",
                "/api/v1/reports/joint" + q + "&format=xlsx", "/api/v1/reports/joint" + q + "&format=pdf",
                "/api/v1/reports/measures" + q, "/api/v1/reports/measures/3" + q, "/api/v1/reports/actions" + q,
                "/api/v1/reports/units" + q, "/api/v1/reports/goals" + q, "/api/v1/reports/overdue" + q,
                "/api/v1/reports/kpis" + q, "/api/v1/reports/tasks/authz-m3-SJW",
                "/api/v1/reports/lineage" + q + "&figure=measure:3", "/api/v1/reports/periods?policy=" + P,
                "/api/v1/reports/periods/2024-12?policy=" + P, "/api/v1/reports/circulars/2024-12?policy=" + P,
                "/api/v1/reports/circulars/2024-12?policy=" + P + "&format=docx",
                "/api/v1/reports/circulars/2024-12?policy=" + P + "&format=pdf",
                "/api/v1/reports/circulars/2025/draft?policy=" + P,
                "/api/v1/reports/circulars/2025/draft?policy=" + P + "&format=docx",
                "/api/v1/reports/circulars/2025/draft?policy=" + P + "&format=pdf", "/api/v1/districts",
                "/api/v1/schools", "/", "/dashboard?policy=" + P + "&period=2025",
                "/dashboard/measures/3?policy=" + P + "&period=2025", "/dashboard/tasks/authz-m3-SJW?policy=" + P)) {
            e.add(new Endpoint("GET", path, null, null, READERS));
        }
        e.add(new Endpoint("POST", "/api/v1/reports/periods/2025-{month}/close?policy=" + P, "application/json", "",
                CLOSERS));
        e.add(new Endpoint("POST", "/api/v1/schools", "text/csv",
                "code,name,districtCode,stage,synthetic\nAUTHZ001,权限测试学校（合成）,110101,PRIMARY,true\n", CLOSERS));
        e.add(new Endpoint("POST", "/api/v1/reports/rebuild?source=event-log", null, "", REBUILDERS));
        return e;
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void data() {
        if (loaded) {
            return;
        }
        policyCopy(P);
        OffsetDateTime t0 = OffsetDateTime.of(2024, 12, 2, 9, 0, 0, 0, ZoneOffset.ofHours(8));
        publish(TaskEvents.task("task.progress-reported", P, "authz-m3-SJW", 3, "SJW", "SJW", "IN_PROGRESS", 3, t0)
                .deadline(LocalDate.of(2025, 6, 30)).progress("authz-pr-1", "2024-12", "ON_TRACK", 40, "推进中", null));
        publish(TaskEvents.task("task.signed-for", P, "authz-m3-TSW", 3, "TSW", "SJW", "SIGNED_FOR", 2, t0)
                .deadline(LocalDate.of(2025, 6, 30)));
        await("authorization scenario", Duration.ofSeconds(20), () -> eventsApplied(P) == 2);
        // a closed month, for the snapshot and circular endpoints
        var closed = post("/api/v1/reports/periods/2024-12/close?policy=" + P, liaison(), "application/json", "");
        assertThat(closed.statusCode()).isEqualTo(201);
        loaded = true;
    }

    @Test
    void everyEndpointAnswersEachRoleByTheServicesOwnRules() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("LIAISON", TestTokens.liaison("liaison-wang"));
        tokens.put("OPERATOR", TestTokens.operator("operator-li"));
        tokens.put("ADMIN", TestTokens.admin("admin-zhao"));
        tokens.put("BUREAU", TestTokens.bureau("SJW"));
        tokens.put("SERVICE", TestTokens.service("bureau-adapters"));
        List<String> failures = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            for (var t : tokens.entrySet()) {
                String who = t.getKey();
                HttpResponse<String> r = call(e, who, "Bearer " + t.getValue());
                boolean allowed = e.allowed().contains(who);
                if (allowed && r.statusCode() / 100 != 2) {
                    failures.add(e.method() + " " + e.pathFor(who) + " as " + who + ": expected 2xx, got "
                            + r.statusCode() + " " + r.body());
                }
                if (!allowed) {
                    if (r.statusCode() != 403 || !isProblem(r)) {
                        failures.add(e.method() + " " + e.pathFor(who) + " as " + who + ": expected a 403 problem, got "
                                + r.statusCode() + " " + r.body());
                    }
                    // a refused caller learns nothing of the report: no unit, task or figure in the answer
                    if (r.body().contains("authz-m3") || r.body().contains("TSW") || r.body().contains("percentComplete")) {
                        failures.add(e.method() + " " + e.pathFor(who) + " as " + who + " leaks data: " + r.body());
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
        // the refused import and rebuild changed nothing; the allowed close by ADMIN and LIAISON did
        assertThat(jdbc.sql("select count(*) from period_snapshot where policy_id = :p and period in ('2025-03', '2025-04')")
                .param("p", P).query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from period_snapshot where policy_id = :p and period in ('2025-01', '2025-02')")
                .param("p", P).query(Integer.class).single()).isEqualTo(2);
    }

    @Test
    void withoutAValidTokenEveryEndpointIsA401ProblemAndOnlyHealthIsOpen() throws Exception {
        Instant now = Instant.now();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("anonymous", null);
        bad.put("not a JWT", "Bearer not-a-jwt");
        bad.put("basic auth", "Basic bGlhaXNvbjpzZWNyZXQ=");
        bad.put("expired", "Bearer " + TestTokens.mint("liaison-wang", b -> b.claim("roles", List.of("LIAISON"))
                .issueTime(Date.from(now.minusSeconds(3600))).notBeforeTime(Date.from(now.minusSeconds(3600)))
                .expirationTime(Date.from(now.minusSeconds(600)))));
        bad.put("wrong issuer", "Bearer " + TestTokens.mint("liaison-wang", b -> b.claim("roles", List.of("LIAISON"))
                .issuer("https://evil.example.com")));
        bad.put("wrong audience", "Bearer " + TestTokens.mint("liaison-wang", b -> b.claim("roles", List.of("LIAISON"))
                .audience("another-app")));
        bad.put("forged signature", "Bearer " + forged(now));
        bad.put("alg none", "Bearer " + new PlainJWT(claims(now)).serialize());
        String valid = TestTokens.liaison("liaison-wang");
        String[] parts = valid.split("\\.");
        bad.put("tampered payload", "Bearer " + parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims(now).toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
        List<String> failures = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            for (var b : bad.entrySet()) {
                HttpResponse<String> r = call(e, "NOBODY", b.getValue());
                if (r.statusCode() != 401 || !isProblem(r) || r.body().contains("Exception")) {
                    failures.add(e.method() + " " + e.path() + " with " + b.getKey() + ": expected a 401 problem, got "
                            + r.statusCode() + " " + r.body());
                }
            }
        }
        assertThat(failures).isEmpty();
        for (String open : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
                "/actuator/prometheus")) {
            assertThat(get(open, null).statusCode()).as(open).isEqualTo(200);
        }
        assertThat(new String(get("/actuator/health", null).body(), StandardCharsets.UTF_8)).contains("UP");
        assertThat(get("/actuator/env", null).statusCode()).isIn(401, 403, 404);
        assertThat(jdbc.sql("select count(*) from period_snapshot where policy_id = :p and period = '2025-04'")
                .param("p", P).query(Integer.class).single()).isZero();
    }

    private HttpResponse<String> call(Endpoint e, String who, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(e.pathFor(who)))).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if ("POST".equals(e.method())) {
            if (e.contentType() != null) {
                b.header("Content-Type", e.contentType());
            }
            b.POST(HttpRequest.BodyPublishers.ofString(e.body(), StandardCharsets.UTF_8));
        } else {
            b.GET();
        }
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = r.headers().firstValue("Content-Type").orElse("");
            boolean text = type.contains("json") || type.contains("text") || type.contains("csv");
            return new TextResponse(r, text ? new String(r.body(), StandardCharsets.UTF_8) : "<" + type + ">");
        } catch (Exception ex) {
            throw new IllegalStateException(e.method() + " " + e.path(), ex);
        }
    }

    private static boolean isProblem(HttpResponse<String> r) {
        return r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                && r.body().contains("\"status\":" + r.statusCode());
    }

    private static JWTClaimsSet claims(Instant now) {
        return new JWTClaimsSet.Builder().issuer(TestTokens.ISSUER).subject("liaison-wang").audience(TestTokens.AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("roles", List.of("ADMIN", "LIAISON")).build();
    }

    /** Right claims, signed with a key that is not the issuer's. */
    private static String forged(Instant now) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("hub-test").build(), claims(now));
        jwt.sign(new RSASSASigner((RSAPrivateKey) g.generateKeyPair().getPrivate()));
        return jwt.serialize();
    }

    /** The answer with its body as text (binary exports named by their type). */
    private record TextResponse(HttpResponse<byte[]> raw, String body) implements HttpResponse<String> {
        public int statusCode() {
            return raw.statusCode();
        }

        public HttpRequest request() {
            return raw.request();
        }

        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        public java.net.http.HttpHeaders headers() {
            return raw.headers();
        }

        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return raw.sslSession();
        }

        public URI uri() {
            return raw.uri();
        }

        public HttpClient.Version version() {
            return raw.version();
        }
    }
}
