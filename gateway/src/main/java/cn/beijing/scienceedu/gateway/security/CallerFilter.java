package cn.beijing.scienceedu.gateway.security;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** Records the authenticated {@link Caller} on the exchange (after Spring Security, order -100, has run). */
@Component
@Order(0)
public class CallerFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return exchange.getPrincipal()
                .map(Caller::from)
                .defaultIfEmpty(Caller.ANONYMOUS)
                .doOnNext(caller -> exchange.getAttributes().put(Caller.ATTRIBUTE, caller))
                .then(chain.filter(exchange));
    }
}
