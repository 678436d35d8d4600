package cn.beijing.scienceedu.adapters.security;

import cn.beijing.scienceedu.platform.problem.ProblemAnswers;
import cn.beijing.scienceedu.platform.security.HubResourceServer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * OAuth2 resource server; the JWT decoder is platform's ({@code HubJwtDecoders}: RS256 by the issuer's key, expiry,
 * issuer, audience {@code bureau-hub}, verified-token cache), roles from {@code roles}. Access rules: bureaus ({@code BUREAU} + {@code unit}) write through {@code /api/v1/bureau/**}
 * and {@code /soap/bureau}; operators ({@code OPERATOR}, {@code ADMIN}) use {@code /api/v1/operations/**};
 * health and metrics are open.
 */
@Configuration(proxyBeanMethods = false)
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication(type = org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type.SERVLET)
public class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http, ProblemAnswers answers) throws Exception {
        HubResourceServer.statelessApi(http, answers)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/error").permitAll()
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus", "/actuator/info").permitAll()
                        .requestMatchers("/api/v1/bureau/**", "/soap/bureau").hasRole("BUREAU")
                        .requestMatchers(HttpMethod.GET, "/api/v1/operations/**").hasAnyRole("OPERATOR", "ADMIN")
                        .requestMatchers("/api/v1/operations/**").hasAnyRole("OPERATOR", "ADMIN")
                        .anyRequest().denyAll());
        return http.build();
    }
}
