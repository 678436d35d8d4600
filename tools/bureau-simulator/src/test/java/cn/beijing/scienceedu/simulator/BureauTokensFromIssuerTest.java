package cn.beijing.scienceedu.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;

import com.sun.net.httpserver.HttpServer;

/**
 * The simulated bureaus get their own tokens by OAuth2 client credentials, over real HTTP from a token endpoint that
 * answers as the local issuer does ({@code tools/token-issuer}: client {@code <unit lower>-system}, secret
 * {@code <clientId>-secret}, HTTP Basic), keep them, and fetch a new one before the old one expires.
 */
class BureauTokensFromIssuerTest {

    private HttpServer issuer;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger issued = new AtomicInteger();
    private volatile long expiresIn = 1800;

    @BeforeEach
    void startIssuer() throws IOException {
        issuer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer.createContext("/oauth2/token", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String client = auth == null ? "" : new String(Base64.getDecoder().decode(auth.substring("Basic ".length())),
                    StandardCharsets.UTF_8);
            requests.add(client + " " + URLDecoder.decode(form, StandardCharsets.UTF_8));
            String id = client.contains(":") ? client.substring(0, client.indexOf(':')) : "";
            boolean ok = client.equals(id + ":" + id + "-secret") && form.contains("grant_type=client_credentials");
            byte[] body = (ok ? "{\"access_token\":\"" + id + "-token-" + issued.incrementAndGet()
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + ",\"scope\":\"hub\"}"
                    : "{\"error\":\"invalid_client\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        issuer.start();
    }

    @AfterEach
    void stopIssuer() {
        issuer.stop(0);
    }

    private SimSettings.Oauth2 settings(Duration refreshBefore) {
        SimSettings.Oauth2 o = new SimSettings.Oauth2();
        o.setTokenUri("http://127.0.0.1:" + issuer.getAddress().getPort() + "/oauth2/token");
        o.setRefreshBefore(refreshBefore);
        return o;
    }

    @Test
    void eachBureauGetsItsOwnTokenByClientCredentialsAndKeepsItUntilNearExpiry() {
        ClientCredentialsBureauTokens tokens = new ClientCredentialsBureauTokens(settings(Duration.ofSeconds(60)),
                List.of("SJW", "SKW"));

        assertThat(tokens.tokenFor("SJW")).isEqualTo("sjw-system-token-1");
        assertThat(tokens.tokenFor("SJW")).as("kept, not fetched again").isEqualTo("sjw-system-token-1");
        assertThat(tokens.tokenFor("SKW")).isEqualTo("skw-system-token-2");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0)).startsWith("sjw-system:sjw-system-secret ").contains("grant_type=client_credentials");
    }

    @Test
    void aTokenAboutToExpireIsReplacedBeforeItRunsOut() {
        expiresIn = 30; // expires within the 60 s refresh margin: every call gets a new one
        ClientCredentialsBureauTokens tokens = new ClientCredentialsBureauTokens(settings(Duration.ofSeconds(60)),
                List.of("TSW"));

        String first = tokens.tokenFor("TSW");
        String second = tokens.tokenFor("TSW");

        assertThat(first).isEqualTo("tsw-system-token-1");
        assertThat(second).isEqualTo("tsw-system-token-2");
        assertThat(requests).hasSize(2);
    }

    @Test
    void aWrongSecretIsRefusedByTheIssuerAndSaysSo() {
        SimSettings.Oauth2 o = settings(Duration.ofSeconds(60));
        o.setClientSecrets(Map.of("fgw-system", "wrong"));
        ClientCredentialsBureauTokens tokens = new ClientCredentialsBureauTokens(o, List.of("FGW"));

        assertThatThrownBy(() -> tokens.tokenFor("FGW")).isInstanceOf(OAuth2AuthorizationException.class)
                .hasMessageContaining("invalid_client");
    }

    @Test
    void aFixedTokenFromSettingsWinsOverTheIssuer() {
        SimSettings settings = new SimSettings();
        settings.setOauth2(settings(Duration.ofSeconds(60)));
        settings.setTokens(Map.of("SJW", "fixed-test-token"));
        SimBureaus bureaus = new SimBureaus();
        bureaus.setBureaus(Map.of("SJW", new SimBureaus.Bureau(), "SKX", new SimBureaus.Bureau()));

        BureauTokens tokens = new SimConfig().bureauTokens(settings, bureaus);

        assertThat(tokens.tokenFor("SJW")).isEqualTo("fixed-test-token");
        assertThat(tokens.tokenFor("SKX")).isEqualTo("skx-system-token-1");
        assertThat(requests).hasSize(1);
    }
}
