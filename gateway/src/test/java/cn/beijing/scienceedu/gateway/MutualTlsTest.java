package cn.beijing.scienceedu.gateway;

import static cn.beijing.scienceedu.gateway.GatewayIdentityAndRoutingTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import cn.beijing.scienceedu.gateway.BureauCertificates.Issued;
import cn.beijing.scienceedu.gateway.mtls.MutualTlsListener;
import cn.beijing.scienceedu.testsupport.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Mutual TLS for bureau systems, over real TLS with Java's HttpClient: certificates of a bureau CA made at test
 * time, the gateway's second listener demanding one, and the bearer token's unit tied to the certificate's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hub.identity.public-key-location=" + TestTokens.PUBLIC_KEY_LOCATION,
        "hub.gateway.rate-limit.store=memory",
        "hub.gateway.rate-limit.roles.BUREAU.capacity=100000",
        "hub.gateway.rate-limit.roles.LIAISON.capacity=100000",
        "hub.gateway.mtls.port=0"})
class MutualTlsTest {

    static final Backends backends = new Backends();
    static final Issued serverCa = BureauCertificates.authority("Hub server CA");
    static final Issued bureauCa = BureauCertificates.authority("Hub bureau CA");
    static final Issued rogueCa = BureauCertificates.authority("Someone else's CA");

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) throws IOException {
        backends.register(registry);
        Path dir = Files.createTempDirectory("hub-mtls");
        Issued server = BureauCertificates.server(serverCa);
        BureauCertificates.writePem(dir.resolve("tls.crt"), server.certificate(), serverCa.certificate());
        BureauCertificates.writePem(dir.resolve("tls.key"), server.keys().getPrivate());
        BureauCertificates.writePem(dir.resolve("ca.crt"), bureauCa.certificate());
        registry.add("hub.gateway.mtls.dir", dir::toString);
    }

    @AfterAll
    static void stopBackends() {
        backends.task.close();
        backends.adapters.close();
        backends.reporting.close();
    }

    @Autowired
    MutualTlsListener listener;

    @LocalServerPort
    int port;

    @BeforeEach
    void reset() {
        backends.reset();
    }

    HttpResponse<String> call(Issued certificate, String token, String path) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .sslContext(BureauCertificates.clientContext(certificate, serverCa.certificate()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + listener.port() + path))
                .timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBureauWithItsOwnCertificateAndTokenReachesTheService() throws Exception {
        assertThat(listener.port()).isPositive().isNotEqualTo(port);
        String token = TestTokens.bureau("SJW");
        HttpResponse<String> response = call(BureauCertificates.bureau(bureauCa, "SJW"), token, "/api/v1/tasks");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(backends.task.last().header("Authorization")).isEqualTo("Bearer " + token);
        assertThat(backends.task.last().header("traceparent")).isNotNull();
    }

    @Test
    void aTokenStolenFromAnotherBureauIsUselessFromThisBureausCertificate() throws Exception {
        HttpResponse<String> response = call(BureauCertificates.bureau(bureauCa, "SKW"), TestTokens.bureau("SJW"), "/api/v1/tasks");
        JsonNode problem = assertProblem(response, 403);
        assertThat(problem.get("type").asString()).endsWith("certificate-unit-mismatch");
        assertThat(problem.get("detail").asString()).contains("SKW").contains("SJW");
        assertThat(backends.task.received()).isEmpty();
    }

    @Test
    void aTokenNamingNoUnitIsRefusedOnTheBureauListener() throws Exception {
        HttpResponse<String> response = call(BureauCertificates.bureau(bureauCa, "SJW"), TestTokens.liaison("li.ming"), "/api/v1/tasks");
        assertProblem(response, 403);
        assertThat(backends.task.received()).isEmpty();
    }

    @Test
    void aCertificateWithoutATokenStillNeedsOne() throws Exception {
        assertProblem(call(BureauCertificates.bureau(bureauCa, "SJW"), null, "/api/v1/tasks"), 401);
        assertThat(call(BureauCertificates.bureau(bureauCa, "SJW"), null, "/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(backends.task.received()).isEmpty();
    }

    @Test
    void withoutAClientCertificateTheHandshakeIsRefused() {
        assertThatThrownBy(() -> call(null, TestTokens.bureau("SJW"), "/api/v1/tasks")).isInstanceOf(IOException.class);
        assertThat(backends.task.received()).isEmpty();
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedEvenIfItNamesTheUnit() {
        Issued forged = BureauCertificates.bureau(rogueCa, "SJW");
        assertThatThrownBy(() -> call(forged, TestTokens.bureau("SJW"), "/api/v1/tasks")).isInstanceOf(IOException.class);
        assertThat(backends.task.received()).isEmpty();
    }

    @Test
    void anExpiredBureauCertificateIsRefused() {
        Issued expired = BureauCertificates.bureau(bureauCa, "SJW", Instant.now().minus(Duration.ofDays(400)), Duration.ofDays(365));
        assertThatThrownBy(() -> call(expired, TestTokens.bureau("SJW"), "/api/v1/tasks")).isInstanceOf(IOException.class);
        assertThat(backends.task.received()).isEmpty();
    }

    @Test
    void theMainPortStillServesBearerTokensWithoutACertificate() {
        assertThat(Http.get("http://localhost:" + port, "/api/v1/tasks", TestTokens.bureau("SJW")).statusCode()).isEqualTo(200);
    }
}
