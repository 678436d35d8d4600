package cn.beijing.scienceedu.gateway.limits;

import java.util.concurrent.atomic.AtomicLong;

import cn.beijing.scienceedu.gateway.problem.PayloadTooLargeException;
import cn.beijing.scienceedu.gateway.problem.Problems;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Request-body cap per route (route metadata {@code max-body-size}, else {@code hub.gateway.max-body-size}):
 * a declared Content-Length over the cap is refused before anything reaches the service; a chunked body is
 * counted as it streams and cut off at the cap. Both answer 413 as a problem detail.
 */
@Component
public class BodySizeFilter implements GlobalFilter, Ordered {

    private final DataSize defaultMax;

    public BodySizeFilter(@Value("${hub.gateway.max-body-size:1MB}") DataSize defaultMax) {
        this.defaultMax = defaultMax;
    }

    @Override
    public int getOrder() {
        return -200;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        long max = maxFor(exchange);
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > max) {
            return Problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                    "The request body is " + declared + " bytes; this API accepts at most " + max + " bytes.");
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        ServerHttpRequest counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().map(buffer -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > max) {
                        DataBufferUtils.release(buffer);
                        throw new PayloadTooLargeException("The request body exceeds the " + max + " bytes this API accepts.");
                    }
                    return buffer;
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    private long maxFor(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        Object configured = route != null ? route.getMetadata().get("max-body-size") : null;
        return configured != null ? DataSize.parse(configured.toString()).toBytes() : defaultMax.toBytes();
    }
}
