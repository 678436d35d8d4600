package cn.beijing.scienceedu.gateway.security;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * The separate management port, when {@code management.server.port} (env MANAGEMENT_SERVER_PORT) is set. Only there
 * may Prometheus scrape {@code /actuator/prometheus} without a token: the ingress publishes the gateway's main port
 * to the internet, the management port stays inside the cluster.
 */
@Component
public class ManagementPort {

    private final AtomicInteger port = new AtomicInteger(-1);

    @EventListener
    void onServerStarted(WebServerInitializedEvent event) {
        if ("management".equals(event.getApplicationContext().getServerNamespace())) {
            port.set(event.getWebServer().getPort());
        }
    }

    boolean served(ServerWebExchange exchange) {
        InetSocketAddress local = exchange.getRequest().getLocalAddress();
        int management = port.get();
        return management > 0 && local != null && local.getPort() == management;
    }
}
