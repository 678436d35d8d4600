package cn.beijing.scienceedu.adapters.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.adapters.ssrf.AddressPolicy;

/**
 * Outbound SSRF guard: a bureau endpoint may not point into the hub's own network — loopback, link-local
 * (cloud metadata 169.254.169.254), private ranges (10/8, 172.16/12, 192.168/16, fc00::/7), CGNAT
 * (100.64/10), "this network" and multicast — unless the address is in
 * {@code hub.adapters.outbound.allowed-networks} (the {@link AddressPolicy}, which the registry applies to IP
 * literals at load). Checked here before every send after DNS resolution (every address the name resolves
 * to), so a name that (now) resolves inside is refused too — and, against DNS rebinding, in the connection
 * itself: the HTTP clients (camel-http for REST and SOAP, the status poller) resolve through
 * {@link #dnsResolver()} and the SFTP connections through {@link GuardedSftpConnection}, so the address a socket
 * is opened to is one this guard has just checked, never the answer of a second, unchecked lookup.
 */
@Component
public class OutboundAddressGuard {

    /** Thrown at send time; permanent, so the delivery is parked with the reason instead of retried. */
    public static class ForbiddenAddressException extends PermanentDeliveryException {
        public ForbiddenAddressException(String message) {
            super(message);
        }
    }

    /** Name resolution (DNS); the system resolver outside tests. */
    @FunctionalInterface
    public interface HostResolver {
        HostResolver SYSTEM = InetAddress::getAllByName;

        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final AddressPolicy policy;
    private final HostResolver resolver;

    @Autowired
    public OutboundAddressGuard(AddressPolicy policy, ObjectProvider<HostResolver> resolver) {
        this(policy, resolver.getIfAvailable(() -> HostResolver.SYSTEM));
    }

    public OutboundAddressGuard(List<String> allowedNetworks) {
        this(new AddressPolicy(allowedNetworks), HostResolver.SYSTEM);
    }

    public OutboundAddressGuard(List<String> allowedNetworks, HostResolver resolver) {
        this(new AddressPolicy(allowedNetworks), resolver);
    }

    public OutboundAddressGuard(AddressPolicy policy, HostResolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    /** At send time: resolves the endpoint's host and refuses it if any address it resolves to is forbidden. */
    public void checkBeforeSend(String unit, String endpoint) {
        String host = AddressPolicy.host(endpoint);
        if (host == null) {
            throw new ForbiddenAddressException(unit + ": endpoint " + endpoint + " has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            // not resolvable now: the call itself fails and is retried like any outage
            return;
        }
        for (InetAddress a : addresses) {
            String p = policy.problem(a);
            if (p != null) {
                throw new ForbiddenAddressException(unit + ": endpoint " + endpoint + " resolves to " + p);
            }
        }
    }

    /**
     * Resolves a host for a connection about to be opened: one lookup, every address checked, and only
     * these addresses may be connected to. A forbidden answer is refused before any socket is opened.
     */
    public InetAddress[] resolveForConnect(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses = resolver.resolve(bare);
        for (InetAddress a : addresses) {
            String p = policy.problem(a);
            if (p != null) {
                throw new ForbiddenAddressException("host " + host + " resolves to " + p
                        + " when connecting; refused before connecting");
            }
        }
        return addresses;
    }

    /** HttpClient 5's name resolution through this guard (for every pool that connects to bureaus). */
    public DnsResolver dnsResolver() {
        return new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return resolveForConnect(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                // a name, not a connection (only SPNEGO asks for it)
                return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
            }
        };
    }
}
