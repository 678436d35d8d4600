package cn.beijing.scienceedu.platform.security;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * The servlet services' JWT decoder ({@link HubJwtDecoders}) from the standard resource-server properties
 * ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri}, {@code public-key-location}, {@code audiences}),
 * the expected issuer {@code hub.security.token-issuer} (default: the issuer-uri) and
 * {@code hub.security.verified-token-cache} (default {@code true}). Runs before Spring Boot's resource-server
 * configuration, whose decoder then backs off; a service that declares its own {@link JwtDecoder} keeps it.
 * Access rules stay in each service's {@code SecurityFilterChain}. Without {@code issuer-uri} or
 * {@code public-key-location} it does nothing.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ JwtDecoder.class, OAuth2ResourceServerProperties.class })
@Conditional(PlatformSecurityAutoConfiguration.KeysConfigured.class)
@EnableConfigurationProperties(OAuth2ResourceServerProperties.class)
public class PlatformSecurityAutoConfiguration {

    /**
     * Only where the application names where the keys are ({@code issuer-uri} or {@code public-key-location}): an
     * application that is no resource server (a simulator started inside a service's tests, say) gets nothing.
     */
    static class KeysConfigured extends AnyNestedCondition {

        KeysConfigured() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri")
        static class IssuerUri {
        }

        @ConditionalOnProperty("spring.security.oauth2.resourceserver.jwt.public-key-location")
        static class PublicKey {
        }
    }

    @Bean
    @ConditionalOnMissingBean(JwtDecoder.class)
    JwtDecoder jwtDecoder(OAuth2ResourceServerProperties properties,
            @Value("${hub.security.token-issuer:}") String tokenIssuer,
            @Value("${hub.security.verified-token-cache:true}") boolean verifiedTokenCache) {
        OAuth2ResourceServerProperties.Jwt jwt = properties.getJwt();
        return HubJwtDecoders.builder()
                .publicKeyLocation(jwt.getPublicKeyLocation())
                .issuerUri(jwt.getIssuerUri())
                .expectedIssuer(tokenIssuer)
                .audiences(jwt.getAudiences())
                .verifiedTokenCache(verifiedTokenCache)
                .build();
    }
}
