package cn.beijing.scienceedu.tokenissuer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The hub's local OIDC issuer (本地令牌签发). Local runs only: production points {@code HUB_ISSUER_URI}
 * at an external OIDC issuer such as Keycloak; nothing else changes.
 */
@SpringBootApplication
@EnableConfigurationProperties(IssuerProperties.class)
public class TokenIssuerApplication {

    public static void main(String[] args) {
        SpringApplication.run(TokenIssuerApplication.class, args);
    }
}
