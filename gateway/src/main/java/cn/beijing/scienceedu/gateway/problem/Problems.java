package cn.beijing.scienceedu.gateway.problem;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import io.micrometer.tracing.handler.TracingObservationHandler;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Writes the gateway's own errors (WebFlux) as the services write theirs — platform's
 * {@link cn.beijing.scienceedu.platform.problem.Problems}: a {@code type} URN per kind, {@code instance}, the request's
 * {@code traceId} so a caller's complaint can be found in the logs, {@code application/problem+json;charset=UTF-8}.
 * Only the exchange's plumbing is the gateway's.
 */
public final class Problems {

    private Problems() {
    }

    public static Map<String, Object> body(ServerWebExchange exchange, HttpStatus status, String slug, String detail) {
        ProblemDetail p = cn.beijing.scienceedu.platform.problem.Problems.of(status, slug, status.getReasonPhrase(), detail);
        p.setInstance(URI.create(exchange.getRequest().getPath().value()));
        traceId(exchange).ifPresent(id -> p.setProperty("traceId", id));
        return cn.beijing.scienceedu.platform.problem.Problems.members(p);
    }

    public static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String slug, String detail) {
        return write(exchange, body(exchange, status, slug, detail));
    }

    public static Mono<Void> write(ServerWebExchange exchange, Map<String, Object> body) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.empty();
        }
        response.setStatusCode(HttpStatus.valueOf((Integer) body.get("status")));
        response.getHeaders().setContentType(cn.beijing.scienceedu.platform.problem.Problems.PROBLEM_JSON_UTF8);
        response.getHeaders().remove("Content-Length");
        byte[] bytes = cn.beijing.scienceedu.platform.problem.Problems.json(body).getBytes(StandardCharsets.UTF_8);
        DataBuffer buffer = response.bufferFactory().wrap(bytes);
        return response.writeWith(Mono.just(buffer));
    }

    /** The W3C trace id of the request being served, if tracing is on. */
    public static Optional<String> traceId(ServerWebExchange exchange) {
        return ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .map(ctx -> {
                    TracingObservationHandler.TracingContext tracing = ctx.get(TracingObservationHandler.TracingContext.class);
                    return tracing != null && tracing.getSpan() != null ? tracing.getSpan().context().traceId() : null;
                });
    }

    static URI type(String slug) {
        return cn.beijing.scienceedu.platform.problem.Problems.type(slug);
    }
}
