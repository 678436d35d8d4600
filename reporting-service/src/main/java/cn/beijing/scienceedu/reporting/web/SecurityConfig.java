package cn.beijing.scienceedu.reporting.web;

import cn.beijing.scienceedu.platform.security.HubResourceServer;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * OAuth2 resource server: JWTs of the hub's issuer, claim {@code roles} → {@code ROLE_*}. Every token is checked here,
 * gateway or not, by platform's decoder (RS256 by the issuer's key — the test key when {@code public-key-location} is
 * set, else the issuer's JWKS fetched on first use — expiry, issuer {@code hub.reporting.token-issuer}, audience
 * {@code bureau-hub}, verified-token cache); 401 and 403 are platform's problems, answered through {@link ErrorPages}
 * (a browser gets the page in the dashboard's language). Reports and
 * the dashboard are for LIAISON, OPERATOR and ADMIN; closing periods and importing schools for LIAISON
 * and ADMIN; rebuilding for OPERATOR and ADMIN. The dashboard is reached through the gateway, which
 * relays the signed-in user's token; there is no other way in.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http, ErrorPages pages) throws Exception {
        HubResourceServer.statelessApi(http, pages)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health/**", "/actuator/prometheus", "/actuator/info").permitAll()
                        .requestMatchers("/webjars/**", "/dashboard/assets/**", "/error").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/reports/rebuild").hasAnyRole("OPERATOR", "ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/v1/reports/periods/*/close").hasAnyRole("LIAISON", "ADMIN")
                        .requestMatchers(HttpMethod.POST, "/api/v1/schools").hasAnyRole("LIAISON", "ADMIN")
                        .requestMatchers("/api/v1/**", "/dashboard/**", "/").hasAnyRole("LIAISON", "OPERATOR", "ADMIN")
                        .anyRequest().denyAll());
        return http.build();
    }

    /**
     * An encoded slash ({@code %2F}) in the path is passed on rather than refused by Tomcat, so that Spring Security's
     * firewall refuses it and the refusal reaches the error path as a problem (or a page) like any other.
     */
    @Bean
    static TomcatConnectorCustomizer encodedSlashesReachTheFirewall() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }
}
