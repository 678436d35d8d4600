package cn.beijing.scienceedu.gateway.security;

import java.security.Principal;
import java.util.List;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who is calling, as the rate limiter, the access log and the metrics see it.
 *
 * @param client the client id (bureau system, service) or user name; "anonymous" without a token
 * @param unit   the unit code of a bureau system, or null
 * @param kind   BUREAU, SERVICE, USER or ANONYMOUS
 */
public record Caller(String client, String unit, String kind, List<String> roles) {

    /** Exchange attribute holding the {@link Caller} once security has run. */
    public static final String ATTRIBUTE = Caller.class.getName();

    public static final Caller ANONYMOUS = new Caller("anonymous", null, "ANONYMOUS", List.of());

    /** The key a client's rate limit is counted under: the unit for bureau systems, else the client. */
    public String limitKey() {
        return unit != null ? "unit:" + unit : "client:" + client;
    }

    /** The metrics tag for the client: bounded (units, services, people by role). */
    public String metricsClient() {
        return switch (kind) {
            case "BUREAU" -> unit != null ? unit : client;
            case "SERVICE" -> client;
            case "USER" -> "user:" + (roles.isEmpty() ? "none" : roles.get(0));
            default -> "anonymous";
        };
    }

    public static Caller of(ServerWebExchange exchange) {
        Caller caller = exchange.getAttribute(ATTRIBUTE);
        return caller != null ? caller : ANONYMOUS;
    }

    public static Caller from(Principal principal) {
        if (principal instanceof JwtAuthenticationToken jwt) {
            List<String> roles = roles(jwt.getAuthorities());
            String unit = jwt.getToken().getClaimAsString("unit");
            String kind = roles.contains("BUREAU") ? "BUREAU" : roles.contains("SERVICE") ? "SERVICE" : "USER";
            return new Caller(jwt.getName(), unit, kind, roles);
        }
        if (principal instanceof OAuth2AuthenticationToken login) {
            return new Caller(login.getName(), null, "USER", roles(login.getAuthorities()));
        }
        return ANONYMOUS;
    }

    private static List<String> roles(java.util.Collection<? extends GrantedAuthority> authorities) {
        return authorities.stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5)).sorted().toList();
    }
}
