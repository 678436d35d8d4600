package cn.beijing.scienceedu.gateway.server;

import io.netty.channel.EventLoop;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * Keeps HTTP/1.1 keep-alive connections reading. With Reactor Netty 1.3.6 (the version Spring Boot 4.0 brings), a
 * response completed synchronously inside the request's own dispatch ends the exchange before the request's
 * end-of-message has been read; that trailing part is then dropped without asking the socket for more, and the next
 * request on the connection stays unread until the client gives up (same family as reactor-netty issue #4361 / PR
 * #4347, fixed after 1.3.6). The gateway answers some requests that way: an over-long URI (414), a path the firewall
 * refuses (400), a bearer token that fails validation (401). Every client that reuses connections (bureau systems,
 * services, browsers, the JDK client of the system suites) then saw a later request hang until it gave up (access log
 * {@code route=cancelled}, the gateway only starting the request when the connection closed).
 *
 * <p>So each exchange starts in the next task of its connection's own event loop (the same thread, no hand-off):
 * the request has been read to its end before any answer can complete. Remove once Reactor Netty has the fix.
 */
@Component
public final class KeepAliveGuard implements HttpHandlerDecoratorFactory {

    @Override
    public HttpHandler apply(HttpHandler handler) {
        return (request, response) -> {
            EventLoop loop = eventLoop(request);
            Mono<Void> handled = Mono.defer(() -> handler.handle(request, response));
            return loop == null ? handled : handled.subscribeOn(Schedulers.fromExecutor(loop));
        };
    }

    private static EventLoop eventLoop(ServerHttpRequest request) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
        return nativeRequest instanceof Connection connection ? connection.channel().eventLoop() : null;
    }
}
