package cn.beijing.scienceedu.gateway;

import static cn.beijing.scienceedu.gateway.GatewayIdentityAndRoutingTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import cn.beijing.scienceedu.testsupport.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Prometheus scrapes the in-cluster management port without a token; the public port still demands one. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.identity.public-key-location=" + TestTokens.PUBLIC_KEY_LOCATION,
        "hub.gateway.rate-limit.store=memory",
        "management.server.port=0"})
class ManagementPortTest {

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Test
    void prometheusScrapesTheManagementPortAnonymouslyButNotThePublicOne() {
        HttpResponse<String> scrape = Http.get("http://localhost:" + managementPort, "/actuator/prometheus", null);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("jvm_memory_used_bytes");
        assertThat(Http.get("http://localhost:" + managementPort, "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        assertProblem(Http.get("http://localhost:" + port, "/actuator/prometheus", null), 401);
    }
}
