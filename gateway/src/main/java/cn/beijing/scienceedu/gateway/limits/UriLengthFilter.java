package cn.beijing.scienceedu.gateway.limits;

import cn.beijing.scienceedu.gateway.problem.Problems;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * An over-long URI ({@code hub.gateway.max-uri-length}) is answered here with a 414 problem detail, before it
 * could reach a service whose own server would refuse it with a bare error page.
 */
@Component
public class UriLengthFilter implements WebFilter, Ordered {

    private final long maxLength;

    public UriLengthFilter(@Value("${hub.gateway.max-uri-length:6KB}") DataSize maxLength) {
        this.maxLength = maxLength.toBytes();
    }

    /** Right after the access log, before security: the answer does not depend on who asks. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String raw = exchange.getRequest().getURI().getRawPath();
        String query = exchange.getRequest().getURI().getRawQuery();
        long length = raw.length() + (query != null ? query.length() + 1 : 0);
        if (length > maxLength) {
            return Problems.write(exchange, HttpStatus.URI_TOO_LONG, "uri-too-long",
                    "The request's path and query are " + length + " characters long; the hub accepts at most " + maxLength + ".");
        }
        return chain.filter(exchange);
    }
}
