package cn.beijing.scienceedu.adapters.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;

/**
 * OAuth2 resource server: bureaus ({@code BUREAU} + {@code unit}) write through {@code /api/v1/bureau/**}
 * and {@code /soap/bureau}; operators ({@code OPERATOR}, {@code ADMIN}) use {@code /api/v1/operations/**};
 * health and metrics are open.
 */
@Configuration(proxyBeanMethods = false)
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication(type = org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type.SERVLET)
public class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(SecurityConfig::roles);
        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/error").permitAll()
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus", "/actuator/info").permitAll()
                        .requestMatchers("/api/v1/bureau/**", "/soap/bureau").hasRole("BUREAU")
                        .requestMatchers(HttpMethod.GET, "/api/v1/operations/**").hasAnyRole("OPERATOR", "ADMIN")
                        .requestMatchers("/api/v1/operations/**").hasAnyRole("OPERATOR", "ADMIN")
                        .anyRequest().denyAll())
                .oauth2ResourceServer(o -> o.jwt(j -> j.jwtAuthenticationConverter(converter))
                        .authenticationEntryPoint((req, res, ex) -> problem(res, 401, "Unauthorized",
                                "a valid bearer token (audience bureau-hub) is required"))
                        .accessDeniedHandler((req, res, ex) -> problem(res, 403, "Forbidden", "your role may not do this")))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> problem(res, 401, "Unauthorized",
                                "a valid bearer token (audience bureau-hub) is required"))
                        .accessDeniedHandler((req, res, ex) -> problem(res, 403, "Forbidden", "your role may not do this")));
        return http.build();
    }

    /** 401/403 as problem details too; the token error itself is not echoed (no hint for a forger). */
    static void problem(jakarta.servlet.http.HttpServletResponse res, int status, String title, String detail)
            throws java.io.IOException {
        res.setStatus(status);
        res.setContentType("application/problem+json");
        if (status == 401) {
            res.setHeader("WWW-Authenticate", "Bearer");
        }
        res.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}");
    }

    static Collection<GrantedAuthority> roles(Jwt jwt) {
        List<GrantedAuthority> out = new ArrayList<>();
        List<String> roles = jwt.getClaimAsStringList("roles");
        if (roles != null) {
            roles.forEach(r -> out.add(new SimpleGrantedAuthority("ROLE_" + r)));
        }
        return out;
    }

    /** Requires audience {@code bureau-hub} in addition to the signature/issuer checks. */
    static OAuth2TokenValidator<Jwt> audience() {
        return jwt -> jwt.getAudience() != null && jwt.getAudience().contains("bureau-hub")
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "audience bureau-hub required", null));
    }

    @Bean
    JwtDecoder jwtDecoder(OAuth2ResourceServerProperties props) throws Exception {
        OAuth2ResourceServerProperties.Jwt p = props.getJwt();
        NimbusJwtDecoder decoder;
        if (p.getPublicKeyLocation() != null) {
            try (var in = p.getPublicKeyLocation().getInputStream()) {
                String pem = new String(in.readAllBytes()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                var key = (java.security.interfaces.RSAPublicKey) java.security.KeyFactory.getInstance("RSA")
                        .generatePublic(new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(pem)));
                decoder = NimbusJwtDecoder.withPublicKey(key).build();
            }
        } else {
            // resolved on first use, so the adapters start (and deliver) while the issuer is still starting or away
            String issuer = p.getIssuerUri();
            return new org.springframework.security.oauth2.jwt.SupplierJwtDecoder(() -> {
                NimbusJwtDecoder fromIssuer = NimbusJwtDecoder.withIssuerLocation(issuer).build();
                fromIssuer.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                        JwtValidators.createDefaultWithIssuer(issuer), audience()));
                return fromIssuer;
            });
        }
        OAuth2TokenValidator<Jwt> base = p.getIssuerUri() != null ? JwtValidators.createDefaultWithIssuer(p.getIssuerUri())
                : JwtValidators.createDefault();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(base, audience()));
        return decoder;
    }
}
