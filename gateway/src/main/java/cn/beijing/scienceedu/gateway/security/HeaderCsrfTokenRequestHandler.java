package cn.beijing.scienceedu.gateway.security;

import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Reads the CSRF token of a login session's write from the {@code X-XSRF-TOKEN} header only. Spring Security's
 * default handler first reads a form body ({@code application/x-www-form-urlencoded}) looking for {@code _csrf}; in a
 * gateway that consumes the body of a request it then proxies, so the service received the headers of a body that
 * never came and waited until the gateway's timeout (504, found by the long hostile-caller run). The gateway serves no
 * form of its own that posts a token, and its 403 already tells callers to send the header.
 */
final class HeaderCsrfTokenRequestHandler extends ServerCsrfTokenRequestAttributeHandler {

    @Override
    public Mono<String> resolveCsrfTokenValue(ServerWebExchange exchange, CsrfToken csrfToken) {
        return Mono.justOrEmpty(exchange.getRequest().getHeaders().getFirst(csrfToken.getHeaderName()));
    }
}
