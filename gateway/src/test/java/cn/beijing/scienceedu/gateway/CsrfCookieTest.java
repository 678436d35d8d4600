package cn.beijing.scienceedu.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import cn.beijing.scienceedu.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A browser with a login session must receive the XSRF-TOKEN cookie it echoes on writes; without it
 * every dashboard action was refused (found by the end-to-end suite). Bearer callers get none.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.identity.public-key-location=" + TestTokens.PUBLIC_KEY_LOCATION,
        "hub.gateway.rate-limit.store=memory"})
class CsrfCookieTest {

    @LocalServerPort
    int port;

    @Test
    void aBrowserRequestReceivesTheXsrfCookieItMustEchoOnWrites() {
        HttpResponse<String> page = Http.get("http://localhost:" + port, "/actuator/health", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(xsrfCookies(page)).hasSize(1).first().asString().doesNotContain("HttpOnly");
    }

    @Test
    void aBearerCallerGetsNoXsrfCookie() {
        HttpResponse<String> call = Http.get("http://localhost:" + port, "/actuator/health", TestTokens.liaison("li"));
        assertThat(xsrfCookies(call)).isEmpty();
    }

    private static List<String> xsrfCookies(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN=")).toList();
    }
}
