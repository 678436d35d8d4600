package cn.beijing.scienceedu.reporting.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
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
public class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
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
                .oauth2ResourceServer(o -> o.jwt(j -> j.jwtAuthenticationConverter(jwtConverter())))
                .exceptionHandling(Customizer.withDefaults());
        return http.build();
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
