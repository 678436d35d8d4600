package cn.beijing.scienceedu.task.security;

import cn.beijing.scienceedu.platform.problem.ProblemAnswers;
import cn.beijing.scienceedu.platform.security.HubResourceServer;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * OAuth2 resource server: the JWT decoder is platform's ({@code HubJwtDecoders}: RS256 by the issuer's key, expiry,
 * {@code iss} = {@code hub.security.token-issuer}, audience from {@code spring.security.oauth2.resourceserver.jwt.audiences},
 * verified-token cache); the {@code roles} claim maps to {@code ROLE_<role>}. This class holds only the service's
 * access rules; fine-grained ones (liaison only, own unit only) live in {@link Callers}.
 */
@Configuration
public class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http, ProblemAnswers answers) throws Exception {
        HubResourceServer.statelessApi(http, answers)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/actuator/prometheus", "/error")
                        .permitAll()
                        .requestMatchers("/actuator/**").hasAnyRole("OPERATOR", "ADMIN")
                        .anyRequest().authenticated());
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
}
