package cn.beijing.scienceedu.platform.security;

import cn.beijing.scienceedu.platform.problem.ProblemAnswers;
import cn.beijing.scienceedu.platform.problem.SecurityProblems;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * What every servlet service's {@code SecurityFilterChain} shares, so that the service itself writes only its access
 * rules ({@code authorizeHttpRequests}): no CSRF (bearer tokens, no cookies), no session, the JWT resource server with
 * roles from {@code roles} ({@link HubAuthentication}), and the 401/403 answers as problem details
 * ({@link SecurityProblems}) written by the service's {@link ProblemAnswers} (the reporting's dashboard answers a
 * browser with a page).
 *
 * <pre>{@code
 * HubResourceServer.statelessApi(http, answers).authorizeHttpRequests(a -> a ...);
 * return http.build();
 * }</pre>
 */
public final class HubResourceServer {

    private HubResourceServer() {
    }

    public static HttpSecurity statelessApi(HttpSecurity http, ProblemAnswers answers) throws Exception {
        return statelessApi(http, SecurityProblems.unauthorized(answers), SecurityProblems.forbidden(answers));
    }

    public static HttpSecurity statelessApi(HttpSecurity http, AuthenticationEntryPoint unauthorized,
            AccessDeniedHandler forbidden) throws Exception {
        return http.csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .oauth2ResourceServer(o -> o.jwt(j -> j.jwtAuthenticationConverter(HubAuthentication.jwtConverter()))
                        .authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden));
    }
}
