package cn.beijing.scienceedu.gateway.security;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code X-Hub-Acting-Unit} names the unit a SERVICE caller acts for; from anyone else the gateway drops it before
 * it reaches a service (the task-service ignores it from other roles too: defence in depth).
 */
@Component
public class ActingUnitHeaderFilter implements GlobalFilter, Ordered {

    public static final String HEADER = "X-Hub-Acting-Unit";

    @Override
    public int getOrder() {
        return -180;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!exchange.getRequest().getHeaders().containsHeader(HEADER) || "SERVICE".equals(Caller.of(exchange).kind())) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate().request(r -> r.headers(h -> h.remove(HEADER))).build());
    }
}
