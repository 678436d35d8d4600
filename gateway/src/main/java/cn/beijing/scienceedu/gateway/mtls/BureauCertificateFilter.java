package cn.beijing.scienceedu.gateway.mtls;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Locale;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import cn.beijing.scienceedu.gateway.problem.Problems;
import cn.beijing.scienceedu.gateway.security.Caller;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * On the mutual-TLS listener the bearer token and the client certificate must name the same unit: a bureau's
 * token stolen and replayed from another bureau's (or no bureau's) certificate is refused with 403. Runs after
 * Spring Security and {@link cn.beijing.scienceedu.gateway.security.CallerFilter}, so the token is already
 * verified; requests without a token are left to Spring Security (health answers, everything else is 401).
 */
public class BureauCertificateFilter implements WebFilter, Ordered {

    /** Exchange attribute holding the unit named by the client certificate. */
    public static final String CERTIFICATE_UNIT = BureauCertificateFilter.class.getName() + ".unit";

    private final MutualTlsListener listener;
    private final String unitAttribute;

    BureauCertificateFilter(MutualTlsListener listener, MutualTlsProperties props) {
        this.listener = listener;
        this.unitAttribute = props.getUnitAttribute();
    }

    /** After Spring Security (-100) and the CallerFilter (0): the token is verified and the caller known. */
    @Override
    public int getOrder() {
        return 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!onMutualTlsListener(exchange)) {
            return chain.filter(exchange);
        }
        String certificateUnit = certificateUnit(exchange.getRequest().getSslInfo());
        if (certificateUnit == null) {
            return Problems.write(exchange, HttpStatus.FORBIDDEN, "certificate-required",
                    "This listener serves bureau systems with a client certificate of the hub's bureau CA naming their unit.");
        }
        exchange.getAttributes().put(CERTIFICATE_UNIT, certificateUnit);
        Caller caller = Caller.of(exchange);
        if ("ANONYMOUS".equals(caller.kind())) {
            return chain.filter(exchange);
        }
        if (!certificateUnit.equals(caller.unit())) {
            return Problems.write(exchange, HttpStatus.FORBIDDEN, "certificate-unit-mismatch",
                    "The client certificate is issued to unit " + certificateUnit + " but the bearer token "
                            + (caller.unit() == null ? "names no unit" : "belongs to unit " + caller.unit())
                            + "; on this listener both must name the same unit.");
        }
        return chain.filter(exchange);
    }

    private boolean onMutualTlsListener(ServerWebExchange exchange) {
        int port = listener.port();
        InetSocketAddress local = exchange.getRequest().getLocalAddress();
        return port > 0 && local != null && local.getPort() == port;
    }

    /** The unit code in the subject of the client's own (first) certificate, or null. */
    String certificateUnit(SslInfo ssl) {
        X509Certificate[] chain = ssl != null ? ssl.getPeerCertificates() : null;
        if (chain == null || chain.length == 0) {
            return null;
        }
        try {
            LdapName subject = new LdapName(chain[0].getSubjectX500Principal().getName());
            for (Rdn rdn : subject.getRdns()) {
                if (rdn.getType().equalsIgnoreCase(unitAttribute)) {
                    String unit = rdn.getValue().toString().trim();
                    return unit.isEmpty() ? null : unit.toUpperCase(Locale.ROOT);
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
