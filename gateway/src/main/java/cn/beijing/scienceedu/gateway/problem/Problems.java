package cn.beijing.scienceedu.gateway.problem;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.micrometer.tracing.handler.TracingObservationHandler;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the gateway's own errors as RFC 9457 problem details ({@code application/problem+json}), with the
 * request's trace id so a caller's complaint can be found in the logs.
 */
public final class Problems {

    /** Problem type URIs of the gateway: {@code urn:bureau-hub:problem:<slug>}. */
    public static final String TYPE_PREFIX = "urn:bureau-hub:problem:";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    public static Map<String, Object> body(ServerWebExchange exchange, HttpStatus status, String slug, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + slug);
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", exchange.getRequest().getPath().value());
        traceId(exchange).ifPresent(id -> body.put("traceId", id));
        return body;
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
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().remove("Content-Length");
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
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
        return URI.create(TYPE_PREFIX + slug);
    }
}
