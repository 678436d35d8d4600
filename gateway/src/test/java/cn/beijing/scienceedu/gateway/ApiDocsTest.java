package cn.beijing.scienceedu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import cn.beijing.scienceedu.testsupport.TestTokens;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The API documentation at the front door ({@code /docs}, docs.ApiDocs): the page and Swagger UI's files from the
 * webjar, every committed spec byte for byte, nothing else under {@code /docs}, all without login while the rest of
 * the hub still needs one, and the page's token relay to the issuer (here a small stub issuer).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.identity.public-key-location=" + TestTokens.PUBLIC_KEY_LOCATION,
        "hub.gateway.rate-limit.store=memory",
        "hub.gateway.docs.token-relay=true",
        "hub.gateway.docs.client-id=sjw-system"})
class ApiDocsTest {

    /** The committed specs, as another engineer commits them. */
    static final Path COMMITTED = Path.of("..", "contracts", "src", "main", "openapi");
    static final String WEBJAR_VERSION = "5.27.1";

    static final Backends backends = new Backends();
    static final StubIssuer issuer = new StubIssuer();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        backends.register(registry);
        registry.add("hub.identity.issuer-uri", issuer::url);
    }

    @AfterAll
    static void stop() {
        backends.task.close();
        backends.adapters.close();
        backends.reporting.close();
        issuer.server.stop(0);
    }

    @LocalServerPort
    int port;

    String base() {
        return "http://localhost:" + port;
    }

    @BeforeEach
    void reset() {
        backends.reset();
        issuer.received.clear();
    }

    /** A valid token of the issuer the gateway is set to here. */
    static String token(String subject, String role, String unit) {
        return TestTokens.mint(subject, b -> {
            b.issuer(issuer.url()).claim("roles", List.of(role));
            if (unit != null) {
                b.claim("unit", unit);
            }
        });
    }

    @Test
    void thePageNeedsNoLoginAndLoadsOnlyTheGatewaysOwnFiles() throws IOException {
        for (String path : List.of("/docs", "/docs/")) {
            HttpResponse<String> page = Http.send(Http.request(base(), path, null)
                    .header("Accept", "text/html,application/xhtml+xml").GET());
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
            assertThat(page.body()).contains("<html lang=\"zh-CN\">", "<title>接口文档 · API documentation")
                    .contains("data-client-id=\"sjw-system\"", "data-token-relay=\"/docs/oauth2/token\"")
                    .contains("data-oauth2-redirect=\"/docs/ui/" + WEBJAR_VERSION + "/oauth2-redirect.html\"");
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).contains("default-src 'self';", "script-src 'self';", "style-src 'self' 'unsafe-inline';", "frame-ancestors 'none'", "object-src 'none'",
                    "base-uri 'self'", "connect-src 'self' " + issuer.url());
            assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(page.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("SESSION="));
        }
        String page = Http.get(base(), "/docs/", null).body();
        // every file the page loads is the gateway's: no CDN, nothing from another origin
        List<String> loaded = new ArrayList<>();
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page);
        while (m.find()) {
            loaded.add(m.group(1));
        }
        assertThat(loaded).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith("/docs/"));
        assertThat(loaded).contains("/docs/ui/" + WEBJAR_VERSION + "/swagger-ui-bundle.js",
                "/docs/ui/" + WEBJAR_VERSION + "/swagger-ui-standalone-preset.js",
                "/docs/ui/" + WEBJAR_VERSION + "/swagger-ui.css", "/docs/assets/docs.js", "/docs/assets/docs.css");
        for (String url : loaded) {
            HttpResponse<byte[]> file = getBytes(url, null);
            assertThat(file.statusCode()).as(url).isEqualTo(200);
            String type = file.headers().firstValue("Content-Type").orElse("");
            if (url.endsWith(".js")) {
                assertThat(type).as(url).isEqualTo("text/javascript;charset=UTF-8");
            } else if (url.endsWith(".css")) {
                assertThat(type).as(url).isEqualTo("text/css;charset=UTF-8");
            } else if (url.endsWith(".png")) {
                assertThat(type).as(url).isEqualTo("image/png");
            }
            if (url.startsWith("/docs/ui/")) {
                byte[] inWebjar = new ClassPathResource("META-INF/resources/webjars/swagger-ui/"
                        + url.substring("/docs/ui/".length())).getContentAsByteArray();
                assertThat(file.body()).as(url + " is the webjar's file").isEqualTo(inWebjar);
                assertThat(file.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
            }
        }
        // the webjar's redirect page for OAuth2 popups runs only its own inline script
        HttpResponse<String> redirect = Http.get(base(), "/docs/ui/" + WEBJAR_VERSION + "/oauth2-redirect.html", null);
        assertThat(redirect.statusCode()).isEqualTo(200);
        assertThat(redirect.headers().firstValue("Content-Security-Policy").orElse(""))
                .startsWith("default-src 'none'; script-src 'sha256-");
        assertThat(backends.reporting.received()).as("Swagger UI is not fetched from the dashboard's /webjars").isEmpty();
    }

    @Test
    void everyCommittedSpecIsServedByteForByteAndListed() throws IOException {
        Map<String, byte[]> committed = new TreeMap<>();
        try (Stream<Path> files = Files.list(COMMITTED)) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".yaml")).toList()) {
                committed.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        assertThat(committed).containsKeys("task-api.yaml", "bureau-api.yaml", "reporting-api.yaml", "operations-api.yaml");

        HttpResponse<String> listed = Http.get(base(), "/docs/specs", null);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        Map<String, JsonNode> list = new LinkedHashMap<>();
        Http.json(listed).get("specs").forEach(s -> list.put(s.get("file").asString(), s));
        assertThat(list.keySet()).containsExactlyInAnyOrderElementsOf(committed.keySet());

        for (Map.Entry<String, byte[]> file : committed.entrySet()) {
            JsonNode entry = list.get(file.getKey());
            Map<String, Object> yaml = new Yaml().load(new String(file.getValue(), StandardCharsets.UTF_8));
            @SuppressWarnings("unchecked")
            Map<String, Object> info = (Map<String, Object>) yaml.get("info");
            assertThat(entry.get("url").asString()).isEqualTo("/docs/specs/" + file.getKey());
            assertThat(entry.get("title").asString()).isEqualTo(info.get("title"));
            assertThat(entry.get("api").asBoolean()).as(file.getKey() + " has paths")
                    .isEqualTo(yaml.get("paths") instanceof Map<?, ?> paths && !paths.isEmpty());

            HttpResponse<byte[]> served = getBytes(entry.get("url").asString(), null);
            assertThat(served.statusCode()).as(file.getKey()).isEqualTo(200);
            assertThat(served.headers().firstValue("Content-Type")).hasValue("application/yaml;charset=UTF-8");
            assertThat(served.body()).as(file.getKey() + " byte for byte as committed").isEqualTo(file.getValue());

            // revalidated by ETag, not fetched again
            String etag = served.headers().firstValue("ETag").orElseThrow();
            HttpResponse<byte[]> again = Http.sendBytes(Http.request(base(), entry.get("url").asString(), null)
                    .header("If-None-Match", etag).GET());
            assertThat(again.statusCode()).isEqualTo(304);
            assertThat(again.body()).isEmpty();
        }
        for (String api : List.of("task-api.yaml", "bureau-api.yaml", "reporting-api.yaml", "operations-api.yaml")) {
            assertThat(list.get(api).get("api").asBoolean()).as(api).isTrue();
        }
    }

    @Test
    void nothingElseIsPublishedUnderDocs() {
        List<String> unknown = List.of("/docs/specs/nope.yaml", "/docs/specs/application.yml", "/docs/specs/task-api.yml",
                "/docs/specs/TASK-API.yaml", "/docs/specs/", "/docs/specs/openapi/task-api.yaml",
                "/docs/ui/" + WEBJAR_VERSION + "/index.html", "/docs/ui/" + WEBJAR_VERSION + "/swagger-initializer.js",
                "/docs/ui/" + WEBJAR_VERSION + "/swagger-ui.js", "/docs/ui/0.0.1/swagger-ui.css", "/docs/ui/swagger-ui.css",
                "/docs/assets/none.js", "/docs/nothing", "/docs/swagger-ui.html",
                // the springdoc routes that used to be here: no service is reached under /docs
                "/docs/task-service/v3/api-docs", "/docs/bureau-adapters/v3/api-docs", "/docs/reporting-service/swagger-ui.html");
        for (String token : new String[] {null, token("li.ming", "LIAISON", null)}) {
            for (String path : unknown) {
                JsonNode problem = GatewayIdentityAndRoutingTest.assertProblem(Http.send(Http.request(base(), path, token)
                        .header("Accept", "text/html,application/json").GET()), 404);
                assertThat(problem.get("type").asString()).as(path).isEqualTo("urn:bureau-hub:problem:not-found");
                assertThat(problem.get("instance").asString()).isEqualTo(path);
                assertThat(problem.get("detail").asString()).contains(path, "/docs/specs");
            }
        }
        assertThat(backends.task.received()).isEmpty();
        assertThat(backends.adapters.received()).isEmpty();
        assertThat(backends.reporting.received()).isEmpty();
    }

    @Test
    void theDocsAreReadOnly() {
        // anonymous: only GET and HEAD are open
        GatewayIdentityAndRoutingTest.assertProblem(Http.send(Http.request(base(), "/docs/specs/task-api.yaml", null)
                .header("Content-Type", "application/yaml").PUT(HttpRequest.BodyPublishers.ofString("openapi: 3.0.3"))), 401);
        GatewayIdentityAndRoutingTest.assertProblem(Http.send(Http.request(base(), "/docs/", null)
                .DELETE()), 401);
        // with a token the method is still not answered
        HttpResponse<String> put = Http.send(Http.request(base(), "/docs/specs/task-api.yaml", token("admin.zhang", "ADMIN", null))
                .header("Content-Type", "application/yaml").PUT(HttpRequest.BodyPublishers.ofString("openapi: 3.0.3")));
        GatewayIdentityAndRoutingTest.assertProblem(put, 405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");

        HttpResponse<String> head = Http.send(Http.request(base(), "/docs/specs/task-api.yaml", null)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void theRestOfTheHubStillNeedsALogin() {
        for (String path : List.of("/api/v1/tasks", "/api/v1/operations/parked-deliveries", "/api/v1/reports/joint",
                "/webjars/swagger-ui/" + WEBJAR_VERSION + "/swagger-ui.css", "/documents", "/docsx/specs/task-api.yaml",
                "/actuator/prometheus")) {
            HttpResponse<String> response = Http.send(Http.request(base(), path, null).header("Accept", "application/json").GET());
            GatewayIdentityAndRoutingTest.assertProblem(response, 401);
        }
        HttpResponse<String> dashboard = Http.send(Http.request(base(), "/dashboard/", null)
                .header("Accept", "text/html,application/xhtml+xml").GET());
        assertThat(dashboard.statusCode()).isEqualTo(302);
        assertThat(dashboard.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/oauth2/authorization/hub"));
        assertThat(backends.task.received()).isEmpty();
        assertThat(backends.adapters.received()).isEmpty();
        assertThat(backends.reporting.received()).isEmpty();

        // and a token still opens them
        assertThat(Http.get(base(), "/api/v1/tasks", token("bureau-sjw", "BUREAU", "SJW")).statusCode()).isEqualTo(200);
    }

    @Test
    void theTokenRelayTakesAClientCredentialsRequestToTheIssuerAndNothingElse() {
        HttpResponse<String> granted = relay(basic("sjw-system", "sjw-system-secret"), "grant_type=client_credentials",
                "application/x-www-form-urlencoded", "SESSION=abc; dashboard-lang=zh");
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        assertThat(Http.json(granted).get("access_token").asString()).isEqualTo("token-of-sjw-system");
        assertThat(granted.headers().firstValue("Cache-Control")).hasValue("no-store");
        StubIssuer.Received got = issuer.received.get(issuer.received.size() - 1);
        assertThat(got.authorization()).isEqualTo(basic("sjw-system", "sjw-system-secret"));
        assertThat(got.body()).isEqualTo("grant_type=client_credentials");
        assertThat(got.cookie()).as("no cookie goes to the issuer").isNull();

        // the issuer's refusal comes back as it is
        HttpResponse<String> refused = relay(basic("sjw-system", "wrong"), "grant_type=client_credentials",
                "application/x-www-form-urlencoded", null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("invalid_client");

        // the client in the form instead of HTTP Basic
        HttpResponse<String> inForm = relay(null, "grant_type=client_credentials&client_id=sjw-system&client_secret=sjw-system-secret",
                "application/x-www-form-urlencoded;charset=UTF-8", null);
        assertThat(inForm.statusCode()).as(inForm.body()).isEqualTo(200);

        int before = issuer.received.size();
        GatewayIdentityAndRoutingTest.assertProblem(relay(basic("hub-gateway", "hub-gateway-secret"),
                "grant_type=authorization_code&code=x&redirect_uri=http://evil.example/", "application/x-www-form-urlencoded", null), 400);
        GatewayIdentityAndRoutingTest.assertProblem(relay(basic("sjw-system", "sjw-system-secret"),
                "grant_type=client_credentials&grant_type=password", "application/x-www-form-urlencoded", null), 400);
        GatewayIdentityAndRoutingTest.assertProblem(relay(basic("sjw-system", "sjw-system-secret"),
                "{\"grant_type\":\"client_credentials\"}", "application/json", null), 415);
        GatewayIdentityAndRoutingTest.assertProblem(relay(basic("sjw-system", "sjw-system-secret"),
                "grant_type=client_credentials&scope=" + "x".repeat(5000), "application/x-www-form-urlencoded", null), 413);
        GatewayIdentityAndRoutingTest.assertProblem(relay("Bearer " + token("bureau-sjw", "BUREAU", "SJW"),
                "grant_type=client_credentials", "application/x-www-form-urlencoded", null), 400);
        assertThat(issuer.received).hasSize(before);

        HttpResponse<String> get = Http.get(base(), "/docs/oauth2/token", null);
        GatewayIdentityAndRoutingTest.assertProblem(get, 405);
    }

    HttpResponse<String> relay(String authorization, String body, String contentType, String cookie) {
        HttpRequest.Builder request = Http.request(base(), "/docs/oauth2/token", null)
                .header("Content-Type", contentType).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return Http.send(request);
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<byte[]> getBytes(String path, String token) {
        return Http.sendBytes(Http.request(base(), path, token).GET());
    }

    /** An OIDC issuer's discovery and token endpoint (client credentials for sjw-system), recording what it receives. */
    static final class StubIssuer {

        record Received(String authorization, String cookie, String body) {
        }

        final HttpServer server;
        final List<Received> received = new CopyOnWriteArrayList<>();

        StubIssuer() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/.well-known/openid-configuration", ex -> answer(ex, 200, Http.JSON.writeValueAsString(Map.of(
                    "issuer", url(),
                    "authorization_endpoint", url() + "/oauth2/authorize",
                    "token_endpoint", url() + "/oauth2/token",
                    "jwks_uri", url() + "/oauth2/jwks",
                    "response_types_supported", List.of("code"),
                    "subject_types_supported", List.of("public"),
                    "id_token_signing_alg_values_supported", List.of("RS256")))));
            server.createContext("/oauth2/token", ex -> {
                String body;
                try (InputStream in = ex.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                String authorization = ex.getRequestHeaders().getFirst("Authorization");
                received.add(new Received(authorization, ex.getRequestHeaders().getFirst("Cookie"), body));
                boolean client = basic("sjw-system", "sjw-system-secret").equals(authorization)
                        || body.contains("client_id=sjw-system&client_secret=sjw-system-secret");
                if (client && body.startsWith("grant_type=client_credentials")) {
                    answer(ex, 200, "{\"access_token\":\"token-of-sjw-system\",\"token_type\":\"Bearer\",\"expires_in\":1800}");
                } else {
                    answer(ex, 401, "{\"error\":\"invalid_client\"}");
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private static void answer(com.sun.net.httpserver.HttpExchange ex, int status, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
