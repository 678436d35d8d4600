package cn.beijing.scienceedu.reporting.web;

import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * OAuth2 resource server: JWTs of the hub's issuer, claim {@code roles} → {@code ROLE_*}. Reports and
 * the dashboard are for LIAISON, OPERATOR and ADMIN; closing periods and importing schools for LIAISON
 * and ADMIN; rebuilding for OPERATOR and ADMIN. The dashboard is reached through the gateway, which
 * relays the signed-in user's token; there is no other way in.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http, ErrorPages pages) throws Exception {
        org.springframework.security.web.AuthenticationEntryPoint unauthorized = (rq, rs, e) -> unauthorized(pages, rq, rs, e);
        org.springframework.security.web.access.AccessDeniedHandler forbidden = (rq, rs, e) -> forbidden(pages, rq, rs, e);
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health/**", "/actuator/prometheus", "/actuator/info").permitAll()
                        .requestMatchers("/webjars/**", "/dashboard/assets/**", "/error").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/reports/rebuild").hasAnyRole("OPERATOR", "ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/v1/reports/periods/*/close").hasAnyRole("LIAISON", "ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/v1/schools").hasAnyRole("LIAISON", "ADMIN")
                        .requestMatchers("/api/v1/**", "/dashboard/**", "/").hasAnyRole("LIAISON", "OPERATOR", "ADMIN")
                        .anyRequest().denyAll())
                .oauth2ResourceServer(o -> o.jwt(j -> j.jwtAuthenticationConverter(jwtConverter()))
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden));
        return http.build();
    }

    /**
     * Checks every token here, gateway or not: RS256 signature by the issuer's key (the test key when
     * {@code public-key-location} is set, else the issuer's JWKS, fetched on first use), expiry, issuer
     * {@code hub.reporting.token-issuer} and audience {@code bureau-hub}; a verified token is remembered until it
     * expires ({@link VerifiedTokenCache}).
     */
    @Bean
    JwtDecoder jwtDecoder(OAuth2ResourceServerProperties props,
            @Value("${hub.reporting.token-issuer}") String expectedIssuer) throws Exception {
        OAuth2ResourceServerProperties.Jwt p = props.getJwt();
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(expectedIssuer), audience(p.getAudiences()));
        if (p.getPublicKeyLocation() != null) {
            try (var in = p.getPublicKeyLocation().getInputStream()) {
                String pem = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
                        .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
                NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(key).build();
                decoder.setJwtValidator(validator);
                return new VerifiedTokenCache(decoder);
            }
        }
        String issuerUri = p.getIssuerUri();
        // resolved on first use: the service starts while the issuer is still starting
        return new VerifiedTokenCache(new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuerUri).build();
            decoder.setJwtValidator(validator);
            return decoder;
        }));
    }

    private static OAuth2TokenValidator<Jwt> audience(List<String> configured) {
        List<String> audiences = configured == null || configured.isEmpty() ? List.of("bureau-hub") : configured;
        return jwt -> jwt.getAudience() != null && jwt.getAudience().stream().anyMatch(audiences::contains)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "audience " + audiences + " required", null));
    }

    /**
     * 401 as a problem detail, with the bearer challenge the standard asks for (a browser: the page in the dashboard's
     * language, with the same challenge).
     */
    static void unauthorized(ErrorPages pages, jakarta.servlet.http.HttpServletRequest request,
            jakarta.servlet.http.HttpServletResponse response,
            org.springframework.security.core.AuthenticationException e) throws java.io.IOException {
        new org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint()
                .commence(request, response, e);
        problem(pages, request, response, 401, "Unauthorized", "a valid bearer token of the hub's issuer is required");
    }

    static void forbidden(ErrorPages pages, jakarta.servlet.http.HttpServletRequest request,
            jakarta.servlet.http.HttpServletResponse response,
            org.springframework.security.access.AccessDeniedException e) throws java.io.IOException {
        problem(pages, request, response, 403, "Forbidden", "the caller's role may not use this resource");
    }

    private static void problem(ErrorPages pages, jakarta.servlet.http.HttpServletRequest request,
            jakarta.servlet.http.HttpServletResponse response, int status, String title, String detail)
            throws java.io.IOException {
        pages.write(request, response, status, detail, "{\"type\":\"about:blank\",\"title\":\"" + title
                + "\",\"status\":" + status + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    static JwtAuthenticationConverter jwtConverter() {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName("roles");
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter c = new JwtAuthenticationConverter();
        c.setJwtGrantedAuthoritiesConverter(roles);
        return c;
    }
}
