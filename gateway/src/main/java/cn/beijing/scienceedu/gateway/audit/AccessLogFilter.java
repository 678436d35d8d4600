package cn.beijing.scienceedu.gateway.audit;

import java.util.concurrent.TimeUnit;

import cn.beijing.scienceedu.gateway.problem.GatewayErrors;
import cn.beijing.scienceedu.gateway.problem.Problems;
import cn.beijing.scienceedu.gateway.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The audit trail of the front door: one access-log line per request (logger {@code hub.gateway.access}: client,
 * unit, route, method, path, status, latency, trace id) and the timer {@code hub_gateway_requests_seconds} tagged
 * by route, client, method and status. Outermost filter, so it also sees 401/403/404/413/429/503/504 answers; errors
 * that escape the chain are rendered as problem details here.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AccessLogFilter implements WebFilter {

    private static final Logger access = LoggerFactory.getLogger("hub.gateway.access");

    private final GatewayErrors errors;
    private final MeterRegistry meters;
    private final RouteLocator routes;

    public AccessLogFilter(GatewayErrors errors, MeterRegistry meters, RouteLocator routes) {
        this.errors = errors;
        this.meters = meters;
        this.routes = routes;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long start = System.nanoTime();
        String traceId = Problems.traceId(exchange).orElse("-");
        return chain.filter(exchange)
                .onErrorResume(ex -> errors.handle(exchange, ex))
                .then(Mono.defer(() -> routeId(exchange)).doOnNext(routeId -> record(exchange, start, traceId, routeId)))
                .doOnCancel(() -> record(exchange, start, traceId, "cancelled"))
                .then();
    }

    /** The route that served the request; for a request refused before routing (401, 403), the route it asked for. */
    private Mono<String> routeId(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route != null) {
            return Mono.just(route.getId());
        }
        return routes.getRoutes()
                .filterWhen(r -> Mono.from(r.getPredicate().apply(exchange)).onErrorReturn(false))
                .next()
                .map(Route::getId)
                .defaultIfEmpty("none");
    }

    private void record(ServerWebExchange exchange, long start, String traceId, String routeId) {
        long nanos = System.nanoTime() - start;
        Caller caller = Caller.of(exchange);
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        int code = status != null ? status.value() : 200;
        String method = exchange.getRequest().getMethod().name();
        access.info("client={} unit={} kind={} route={} method={} path={} status={} latencyMs={} traceId={}",
                caller.client(), caller.unit() != null ? caller.unit() : "-", caller.kind(), routeId, method,
                exchange.getRequest().getPath().value(), code, TimeUnit.NANOSECONDS.toMillis(nanos), traceId);
        Timer.builder("hub.gateway.requests")
                .description("Requests through the gateway, by route and client")
                .tag("route", routeId)
                .tag("client", caller.metricsClient())
                .tag("method", method)
                .tag("status", String.valueOf(code))
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
