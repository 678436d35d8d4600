package cn.beijing.scienceedu.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.DriverManager;

import org.junit.jupiter.api.Test;

class HubInfrastructureTest {

    @Test
    void aBrokerThatIsNotThereFailsLoudlyNamingIt() {
        System.setProperty("HUB_TEST_INFRA", "local");
        System.setProperty("HUB_RABBITMQ_PORT", "1");
        try {
            assertThatThrownBy(HubInfrastructure::rabbit)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("RabbitMQ is not reachable")
                    .hasMessageContaining(":1");
        } finally {
            System.clearProperty("HUB_RABBITMQ_PORT");
            System.clearProperty("HUB_TEST_INFRA");
        }
    }

    @Test
    void aDatabaseThatIsNotThereFailsLoudlyNamingIt() {
        System.setProperty("HUB_TEST_INFRA", "local");
        System.setProperty("HUB_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/postgres");
        try {
            assertThatThrownBy(() -> HubInfrastructure.postgres("hub_never_created"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("PostgreSQL is not reachable at jdbc:postgresql://127.0.0.1:1/postgres");
        } finally {
            System.clearProperty("HUB_DATABASE_URL");
            System.clearProperty("HUB_TEST_INFRA");
        }
    }

    @Test
    void theRealServicesAnswerAndEachDatabaseStartsEmpty() throws Exception {
        HubInfrastructure.Broker broker = HubInfrastructure.rabbit("hub-support-selftest");
        assertThat(broker.virtualHost()).isEqualTo("hub-support-selftest");

        HubInfrastructure.Database db = HubInfrastructure.postgres("hub_support_selftest");
        try (var c = DriverManager.getConnection(db.url(), db.username(), db.password());
                var rs = c.createStatement().executeQuery(
                        "select count(*) from information_schema.tables where table_schema = 'public'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void mintedTokensCarryTheHubsClaims() throws Exception {
        var jwt = com.nimbusds.jwt.SignedJWT.parse(TestTokens.bureau("SJW"));
        assertThat(jwt.getJWTClaimsSet().getStringClaim("unit")).isEqualTo("SJW");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("BUREAU");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("bureau-hub");
        assertThat(jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(publicKey()))).isTrue();
    }

    private static java.security.interfaces.RSAPublicKey publicKey() throws Exception {
        try (var in = TestTokens.class.getResourceAsStream("/hub-test-issuer.pub")) {
            String pem = new String(in.readAllBytes()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return (java.security.interfaces.RSAPublicKey) java.security.KeyFactory.getInstance("RSA")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(pem)));
        }
    }
}
