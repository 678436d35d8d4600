package cn.beijing.scienceedu.adapters.outbound;

import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * camel-http's {@code http} and {@code https} components (REST and SOAP bureaus), with every connection
 * pool resolving host names through the {@link OutboundAddressGuard}. Without it the guard's check before
 * a send and HttpClient's own lookup when it connects were two DNS answers: a name that answered a public
 * address to the first and an internal one to the second (DNS rebinding) got through. Now the address
 * the socket is opened to is the one just checked. Camel finds these beans by the component names; the
 * starter's {@code camel.component.http.*} settings still apply to them.
 */
@Configuration(proxyBeanMethods = false)
public class GuardedHttpComponents {

    @Bean("http")
    HttpComponent http(OutboundAddressGuard guard) {
        return new GuardedHttpComponent(guard.dnsResolver());
    }

    @Bean("https")
    HttpComponent https(OutboundAddressGuard guard) {
        return new GuardedHttpComponent(guard.dnsResolver());
    }

    /** The pool camel-http 4.22 builds for each endpoint, with the guard's resolver in it. */
    static class GuardedHttpComponent extends HttpComponent {

        private final DnsResolver resolver;

        GuardedHttpComponent(DnsResolver resolver) {
            this.resolver = resolver;
        }

        @Override
        protected HttpClientConnectionManager createConnectionManager(TlsSocketStrategy tls, int maxTotalConnections,
                int connectionsPerRoute, SocketConfig socketConfig) {
            PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create()
                    .setTlsSocketStrategy(tls)
                    .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                    .setDefaultConnectionConfig(ConnectionConfig.custom()
                            .setTimeToLive(TimeValue.ofMilliseconds(getConnectionTimeToLive())).build())
                    .setDefaultSocketConfig(socketConfig)
                    .setDnsResolver(resolver);
            int total = maxTotalConnections == 0 ? getMaxTotalConnections() : maxTotalConnections;
            if (total > 0) {
                pool.setMaxConnTotal(total);
            }
            int perRoute = connectionsPerRoute == 0 ? getConnectionsPerRoute() : connectionsPerRoute;
            if (perRoute > 0) {
                pool.setMaxConnPerRoute(perRoute);
            }
            return pool.build();
        }
    }
}
