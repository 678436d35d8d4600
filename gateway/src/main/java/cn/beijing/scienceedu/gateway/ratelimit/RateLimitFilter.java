package cn.beijing.scienceedu.gateway.ratelimit;

import java.util.Map;

import cn.beijing.scienceedu.gateway.problem.Problems;
import cn.beijing.scienceedu.gateway.security.Caller;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Per-client rate limit on every routed request: the unit for bureau systems, the client id for services, the
 * user name for people. Over the limit: 429 problem detail with Retry-After.
 */
public class RateLimitFilter implements GlobalFilter, Ordered {

    private final RateLimitProperties props;
    private final Buckets buckets;
    /** Built once per configured limit, not per request. */
    private final Map<RateLimitProperties.Limit, BucketConfiguration> configurations = new java.util.concurrent.ConcurrentHashMap<>();

    RateLimitFilter(RateLimitProperties props, Buckets buckets) {
        this.props = props;
        this.buckets = buckets;
    }

    @Override
    public int getOrder() {
        return -150;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Caller caller = Caller.of(exchange);
        RateLimitProperties.Limit limit = limitFor(caller);
        BucketConfiguration configuration = configurations.computeIfAbsent(limit, Buckets::configuration);
        String key = caller.limitKey() + ":" + limit.signature();
        return Mono.fromFuture(() -> buckets.tryConsume(key, configuration)).flatMap(probe -> {
            exchange.getResponse().getHeaders().set("X-RateLimit-Limit", String.valueOf(limit.getCapacity()));
            exchange.getResponse().getHeaders().set("X-RateLimit-Remaining", String.valueOf(Math.max(0, probe.getRemainingTokens())));
            if (probe.isConsumed()) {
                return chain.filter(exchange);
            }
            return tooMany(exchange, caller, limit, probe);
        });
    }

    private Mono<Void> tooMany(ServerWebExchange exchange, Caller caller, RateLimitProperties.Limit limit, ConsumptionProbe probe) {
        long retryAfter = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        exchange.getResponse().getHeaders().set("Retry-After", String.valueOf(retryAfter));
        Map<String, Object> body = Problems.body(exchange, HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                "Client " + caller.client() + " is over its limit of " + limit.getCapacity() + " requests per "
                        + limit.getPeriod().toSeconds() + "s. Retry after " + retryAfter + "s.");
        body.put("client", caller.client());
        if (caller.unit() != null) {
            body.put("unit", caller.unit());
        }
        return Problems.write(exchange, body);
    }

    RateLimitProperties.Limit limitFor(Caller caller) {
        if (caller.unit() != null && props.getClients().containsKey(caller.unit())) {
            return props.getClients().get(caller.unit());
        }
        if (props.getClients().containsKey(caller.client())) {
            return props.getClients().get(caller.client());
        }
        for (String role : caller.roles()) {
            if (props.getRoles().containsKey(role)) {
                return props.getRoles().get(role);
            }
        }
        return props.getDefaultLimit();
    }
}
