package cn.beijing.scienceedu.gateway.security;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The gateway's own cookies (its login session and CSRF token) stay at the gateway: services get the person's
 * access token through TokenRelay instead, never the session that holds it.
 */
@Component
public class GatewayCookieFilter implements GlobalFilter, Ordered {

    static final Set<String> GATEWAY_COOKIES = Set.of("SESSION", "XSRF-TOKEN");

    @Override
    public int getOrder() {
        return -170;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (exchange.getRequest().getCookies().keySet().stream().noneMatch(GATEWAY_COOKIES::contains)) {
            return chain.filter(exchange);
        }
        String kept = exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.COOKIE).stream()
                .flatMap(header -> Arrays.stream(header.split(";")))
                .map(String::trim)
                .filter(c -> !c.isEmpty() && !GATEWAY_COOKIES.contains(c.split("=", 2)[0].trim()))
                .collect(Collectors.joining("; "));
        return chain.filter(exchange.mutate().request(r -> r.headers(h -> {
            h.remove(HttpHeaders.COOKIE);
            if (!kept.isEmpty()) {
                h.set(HttpHeaders.COOKIE, kept);
            }
        })).build());
    }
}
