package cn.beijing.scienceedu.gateway.problem;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.cloud.gateway.support.ServiceUnavailableException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Every error the gateway itself produces becomes a problem detail: no route (404), a body over the cap (413),
 * a service down or its breaker open (503), a service too slow (504). Runs before Boot's own error handler.
 */
@Component
@Order(-2)
public class GatewayErrors implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrors.class);

    private final Duration retryAfterWhenDown;

    public GatewayErrors(@org.springframework.beans.factory.annotation.Value("${hub.gateway.resilience.retry-after-when-down:10s}")
            Duration retryAfterWhenDown) {
        this.retryAfterWhenDown = retryAfterWhenDown;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        String service = serviceOf(exchange);
        Throwable cause = rootCauseWorthNaming(ex);
        if (ex instanceof PayloadTooLargeException tooLarge) {
            return Problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", tooLarge.getMessage());
        }
        if (ex instanceof ServiceUnavailableException || cause instanceof CallNotPermittedException) {
            exchange.getResponse().getHeaders().set("Retry-After", String.valueOf(retryAfterWhenDown.toSeconds()));
            Map<String, Object> body = Problems.body(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable",
                    service + " is failing and its circuit breaker is open; the gateway is not calling it for now. Retry later.");
            body.put("service", service);
            body.put("circuitBreaker", "OPEN");
            return Problems.write(exchange, body);
        }
        if (cause instanceof BulkheadFullException) {
            exchange.getResponse().getHeaders().set("Retry-After", "1");
            Map<String, Object> body = Problems.body(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service-busy",
                    service + " has too many calls in flight through this gateway. Retry shortly.");
            body.put("service", service);
            return Problems.write(exchange, body);
        }
        if (isTimeout(ex)) {
            Map<String, Object> body = Problems.body(exchange, HttpStatus.GATEWAY_TIMEOUT, "gateway-timeout",
                    service + " did not answer in time.");
            body.put("service", service);
            return Problems.write(exchange, body);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || (cause instanceof IOException && exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR) != null)) {
            exchange.getResponse().getHeaders().set("Retry-After", String.valueOf(retryAfterWhenDown.toSeconds()));
            Map<String, Object> body = Problems.body(exchange, HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable",
                    service + " cannot be reached. Retry later.");
            body.put("service", service);
            return Problems.write(exchange, body);
        }
        if (ex instanceof ResponseStatusException rse) {
            HttpStatusCode code = rse.getStatusCode();
            HttpStatus status = HttpStatus.resolve(code.value());
            if (status == null) {
                status = HttpStatus.INTERNAL_SERVER_ERROR;
            }
            rse.getHeaders().forEach((name, values) -> exchange.getResponse().getHeaders().put(name, values));
            String detail = switch (status) {
                case NOT_FOUND -> "No API of the hub at " + exchange.getRequest().getPath().value() + ".";
                case METHOD_NOT_ALLOWED -> "Method not allowed here.";
                default -> rse.getReason() != null ? rse.getReason() : status.getReasonPhrase();
            };
            return Problems.write(exchange, status, slugOf(status), detail);
        }
        log.error("unexpected gateway error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        return Problems.write(exchange, HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "The gateway failed to handle the request.");
    }

    private static boolean isTimeout(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof org.springframework.cloud.gateway.support.TimeoutException
                    || t instanceof io.netty.handler.timeout.ReadTimeoutException) {
                return true;
            }
            if (t instanceof ResponseStatusException rse && rse.getStatusCode().value() == 504) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCauseWorthNaming(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && t.getCause() != t && !(t instanceof ConnectException)
                && !(t instanceof CallNotPermittedException) && !(t instanceof BulkheadFullException)) {
            t = t.getCause();
        }
        return t;
    }

    static String serviceOf(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        if (route == null) {
            return "the service";
        }
        Object service = route.getMetadata().get("service");
        return service != null ? service.toString() : route.getId();
    }

    private static String slugOf(HttpStatus status) {
        return status.getReasonPhrase().toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }
}
