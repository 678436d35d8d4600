package cn.beijing.scienceedu.gateway.mtls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.netty.handler.ssl.ClientAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;

/**
 * A second HTTPS listener that demands a client certificate issued by the hub's bureau CA. It serves the same
 * handler chain as the main port (same routes, security, limits, tracing, access log); {@link BureauCertificateFilter}
 * then ties the bearer token to the certificate's unit. The TLS handshake itself refuses a caller without a
 * certificate or with one the bureau CA did not issue, before any HTTP is read.
 *
 * <p>Why a listener of its own: the main port sits behind an ingress that ends TLS, and such an ingress never shows
 * the gateway the client certificate; this port is reached through TLS passthrough instead.
 */
public class MutualTlsListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MutualTlsListener.class);

    private final MutualTlsProperties props;
    private final ObjectProvider<HttpHandler> httpHandler;
    private volatile DisposableServer server;

    MutualTlsListener(MutualTlsProperties props, ObjectProvider<HttpHandler> httpHandler) {
        this.props = props;
        this.httpHandler = httpHandler;
    }

    @Override
    public void start() {
        if (!props.isEnabled()) {
            return;
        }
        SslBundle bundle = SslBundle.of(new PemSslStoreBundle(
                PemSslStoreDetails.forCertificates(location(props.getCertificate())).withPrivateKey(location(props.getPrivateKey())),
                PemSslStoreDetails.forCertificates(location(props.getTrustedCa()))));
        Http11SslContextSpec tls = Http11SslContextSpec.forServer(bundle.getManagers().getKeyManagerFactory())
                .configure(builder -> builder
                        .trustManager(bundle.getManagers().getTrustManagerFactory())
                        .clientAuth(ClientAuth.REQUIRE));
        server = HttpServer.create()
                .host(props.getBindAddress())
                .port(props.getPort())
                .secure(spec -> spec.sslContext(tls))
                .handle(new ReactorHttpHandlerAdapter(httpHandler.getObject()))
                .bindNow(Duration.ofSeconds(30));
        log.info("mutual-TLS listener for bureau systems on port {} (client certificates of the CA in {})", port(),
                props.getDir().resolve(props.getTrustedCa()));
    }

    private String location(String file) {
        Path path = props.getDir().resolve(file);
        if (!Files.isReadable(path)) {
            throw new IllegalStateException("hub.gateway.mtls: cannot read " + path
                    + " (HUB_GATEWAY_MTLS_DIR must hold tls.crt, tls.key and the bureau CA ca.crt)");
        }
        return path.toUri().toString();
    }

    /** The port the listener is bound to, or -1 when it is off. */
    public int port() {
        DisposableServer current = server;
        return current != null ? current.port() : -1;
    }

    @Override
    public void stop() {
        DisposableServer current = server;
        if (current != null) {
            current.disposeNow(Duration.ofSeconds(10));
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
