package cn.beijing.scienceedu.task.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * OAuth2 resource server: JWTs from the hub's issuer ({@code iss} = {@code hub.security.token-issuer}, audience
 * {@code bureau-hub}, checked through {@code spring.security.oauth2.resourceserver.jwt.audiences}); the {@code roles} claim maps to
 * {@code ROLE_<role>}. Fine-grained rules (liaison only, own unit only) live in {@link Callers}.
 */
@Configuration
public class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName("roles");
        roles.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);

        http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/actuator/prometheus", "/error")
                        .permitAll()
                        .requestMatchers("/actuator/**").hasAnyRole("OPERATOR", "ADMIN")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(o -> o
                        .jwt(j -> j.jwtAuthenticationConverter(converter))
                        .authenticationEntryPoint((req, res, ex) -> problem(res, 401, "Unauthorized",
                                "a valid bearer token (audience bureau-hub) is required")))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((req, res, ex) -> problem(res, 401, "Unauthorized",
                                "a valid bearer token (audience bureau-hub) is required"))
                        .accessDeniedHandler((req, res, ex) -> problem(res, 403, "Forbidden",
                                "your role may not do this")));
        return http.build();
    }

    /**
     * No observation (span, timer, counters) per security filter: the request's own observation covers it, and in
     * the bench's JFR profile the per-filter observations and their meter lookups cost more than the filters.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * The issuer check, whatever decoder Spring Boot builds: Boot adds it only when it fetches the keys from
     * {@code issuer-uri}; a decoder from {@code public-key-location} or {@code jwk-set-uri} took any {@code iss}. Boot
     * adds every {@code OAuth2TokenValidator<Jwt>} bean to the decoder's validators.
     */
    @Bean
    OAuth2TokenValidator<Jwt> hubIssuer(@Value("${hub.security.token-issuer}") String issuer) {
        return new JwtIssuerValidator(issuer);
    }

    /** Wraps the JWT decoder Spring Boot configures (issuer or test key) in {@link VerifiedTokenCache}. */
    @Bean
    static BeanPostProcessor verifiedTokenCache() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof JwtDecoder decoder && !(bean instanceof VerifiedTokenCache)
                        ? new VerifiedTokenCache(decoder) : bean;
            }
        };
    }

    static void problem(HttpServletResponse res, int status, String title, String detail) throws IOException {
        res.setStatus(status);
        res.setContentType("application/problem+json");
        if (status == 401) {
            res.setHeader("WWW-Authenticate", "Bearer");
        }
        res.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}");
    }
}
