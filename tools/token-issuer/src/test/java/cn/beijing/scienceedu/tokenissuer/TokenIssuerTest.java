package cn.beijing.scienceedu.tokenissuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The issuer hands out the hub's tokens with the claims the gateway and services rely on. */
class TokenIssuerTest {

    private static final HttpClient http = HttpClient.newHttpClient();
    private static final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    static Path dataDir;
    static ConfigurableApplicationContext issuer;
    static String base;

    @BeforeAll
    static void start() {
        issuer = startIssuer(dataDir);
        base = baseUrl(issuer);
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    static ConfigurableApplicationContext startIssuer(Path dir) {
        return new SpringApplicationBuilder(TokenIssuerApplication.class).run(
                "--server.port=0", "--hub.issuer.data-dir=" + dir, "--hub.issuer.uri=http://localhost:9000",
                "--hub.issuer.secrets.skw-system=configured-skw-secret");
    }

    static String baseUrl(ConfigurableApplicationContext ctx) {
        return "http://localhost:" + ((WebServerApplicationContext) ctx).getWebServer().getPort();
    }

    static HttpResponse<String> clientCredentials(String baseUrl, String clientId, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/token"))
                        .header("Authorization", "Basic " + basic)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String accessToken(String baseUrl, String clientId, String secret) throws Exception {
        HttpResponse<String> response = clientCredentials(baseUrl, clientId, secret);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).get("access_token").asString();
    }

    @Test
    void aUnitsClientCredentialsTokenCarriesItsUnitRolesAndAudienceAndVerifiesAgainstTheJwks() throws Exception {
        String token = accessToken(base, "sjw-system", "sjw-system-secret");

        Jwt jwt = NimbusJwtDecoder.withJwkSetUri(base + "/oauth2/jwks").build().decode(token);

        assertThat(jwt.getSubject()).isEqualTo("sjw-system");
        assertThat(jwt.getClaimAsString("unit")).isEqualTo("SJW");
        assertThat(jwt.getClaimAsStringList("roles")).containsExactly("BUREAU");
        assertThat(jwt.getAudience()).containsExactly("bureau-hub");
        assertThat(jwt.getIssuer().toString()).isEqualTo("http://localhost:9000");
        assertThat(jwt.getExpiresAt()).isAfter(jwt.getIssuedAt());
    }

    @Test
    void everyOneOfTheSeventeenUnitsHasItsOwnClient() throws Exception {
        for (String unit : new String[] {"SJW", "SKX", "SKW", "XCB", "WXB", "FGW", "JXJ", "CZJ", "RSJ", "GHZRW",
                "STHJJ", "NNJ", "TXGLJ", "KXY", "TSW", "FL", "SGW"}) {
            String clientId = unit.toLowerCase() + "-system";
            String secret = unit.equals("SKW") ? "configured-skw-secret" : clientId + "-secret";
            Jwt jwt = NimbusJwtDecoder.withJwkSetUri(base + "/oauth2/jwks").build()
                    .decode(accessToken(base, clientId, secret));
            assertThat(jwt.getClaimAsString("unit")).isEqualTo(unit);
        }
    }

    @Test
    void aConfiguredSecretReplacesTheDemoDefault() throws Exception {
        assertThat(clientCredentials(base, "skw-system", "skw-system-secret").statusCode()).isEqualTo(401);
        assertThat(clientCredentials(base, "skw-system", "configured-skw-secret").statusCode()).isEqualTo(200);
    }

    @Test
    void aServiceTokenHasRoleServiceAndNoUnit() throws Exception {
        Jwt jwt = NimbusJwtDecoder.withJwkSetUri(base + "/oauth2/jwks").build()
                .decode(accessToken(base, "bureau-adapters", "bureau-adapters-secret"));
        assertThat(jwt.getClaimAsStringList("roles")).containsExactly("SERVICE");
        assertThat(jwt.hasClaim("unit")).isFalse();
        assertThat(jwt.getAudience()).containsExactly("bureau-hub");
    }

    @Test
    void theGatewaysLoginClientMustUsePkceAndThenMeetsTheLoginForm() throws Exception {
        String authorize = base + "/oauth2/authorize?response_type=code&client_id=hub-gateway&scope=openid%20profile"
                + "&redirect_uri=http://localhost:8080/login/oauth2/code/hub&state=abc";
        HttpResponse<String> withoutPkce = http.send(HttpRequest.newBuilder(URI.create(authorize)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withoutPkce.statusCode()).isEqualTo(302);
        assertThat(withoutPkce.headers().firstValue("Location").orElseThrow())
                .startsWith("http://localhost:8080/login/oauth2/code/hub").contains("error=invalid_request");

        HttpResponse<String> withPkce = http.send(HttpRequest.newBuilder(URI.create(authorize
                        + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"))
                        .header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withPkce.statusCode()).isEqualTo(302);
        assertThat(withPkce.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    }

    @Test
    void aWrongSecretGetsNoToken() throws Exception {
        assertThat(clientCredentials(base, "sjw-system", "guess").statusCode()).isEqualTo(401);
    }

    @Test
    void discoveryNamesTheConfiguredIssuer() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(base + "/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode doc = json.readTree(response.body());
        assertThat(doc.get("issuer").asString()).isEqualTo("http://localhost:9000");
        assertThat(doc.get("jwks_uri").asString()).endsWith("/oauth2/jwks");
    }

    @Test
    void tokensStayValidAcrossARestartBecauseTheKeyIsKept(@TempDir Path dir) throws Exception {
        String token;
        try (ConfigurableApplicationContext first = startIssuer(dir)) {
            token = accessToken(baseUrl(first), "fl-system", "fl-system-secret");
        }
        assertThat(Files.list(dir)).anyMatch(p -> p.getFileName().toString().equals("signing-key.jwk.json"));
        try (ConfigurableApplicationContext second = startIssuer(dir)) {
            Jwt jwt = NimbusJwtDecoder.withJwkSetUri(baseUrl(second) + "/oauth2/jwks").build().decode(token);
            assertThat(jwt.getClaimAsString("unit")).isEqualTo("FL");
        }
        // another data folder means another key: the old token no longer verifies there
        try (ConfigurableApplicationContext other = startIssuer(Files.createTempDirectory(dir.getParent(), "other"))) {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(baseUrl(other) + "/oauth2/jwks").build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class);
        }
    }
}
