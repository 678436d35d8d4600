package cn.beijing.scienceedu.gateway.security;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * People's logins live in the WebSession; bearer-token callers (bureau systems, services) have none. Spring's
 * session repository calls {@code exchange.getSession()} on every request, and for a request without a session
 * cookie the in-memory store creates a new session on the bounded-elastic scheduler and hands back on the parallel
 * one: two thread hops per request for nothing. Under load on two shared cores that was most of the gateway's
 * latency (bench P1, see docs/benchmarks.md). So a login is loaded only when the request carries the session
 * cookie; saving (at login) is unchanged.
 */
final class LoginSessionContextRepository implements ServerSecurityContextRepository {

    /** Spring WebFlux's default session cookie (CookieWebSessionIdResolver). */
    static final String SESSION_COOKIE = "SESSION";

    private final ServerSecurityContextRepository sessions = new WebSessionServerSecurityContextRepository();

    @Override
    public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
        return sessions.save(exchange, context);
    }

    @Override
    public Mono<SecurityContext> load(ServerWebExchange exchange) {
        return exchange.getRequest().getCookies().containsKey(SESSION_COOKIE) ? sessions.load(exchange) : Mono.empty();
    }
}
