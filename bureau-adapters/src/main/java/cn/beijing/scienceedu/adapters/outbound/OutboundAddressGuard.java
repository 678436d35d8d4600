package cn.beijing.scienceedu.adapters.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

/**
 * Outbound SSRF guard: a bureau endpoint may not point into the hub's own network — loopback, link-local
 * (cloud metadata 169.254.169.254), private ranges (10/8, 172.16/12, 192.168/16, fc00::/7), CGNAT
 * (100.64/10), "this network" and multicast — unless the address is in
 * {@code hub.adapters.outbound.allowed-networks}. Checked at registry load for IP literals, before every
 * send after DNS resolution (every address the name resolves to), so a name that (now) resolves inside
 * is refused too — and, against DNS rebinding, in the connection itself: the HTTP clients (camel-http for
 * REST and SOAP, the status poller) resolve through {@link #dnsResolver()} and the SFTP connections through
 * {@link GuardedSftpConnection}, so the address a socket is opened to is one this guard has just checked,
 * never the answer of a second, unchecked lookup.
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

    private static final List<IpAddressMatcher> ALWAYS_INTERNAL = List.of(new IpAddressMatcher("100.64.0.0/10"),
            new IpAddressMatcher("0.0.0.0/8"), new IpAddressMatcher("fc00::/7"), new IpAddressMatcher("198.18.0.0/15"));

    private final List<IpAddressMatcher> allowed;
    private final List<String> allowedText;
    private final HostResolver resolver;

    @Autowired
    public OutboundAddressGuard(@Value("${hub.adapters.outbound.allowed-networks:}") List<String> allowedNetworks,
            ObjectProvider<HostResolver> resolver) {
        this(allowedNetworks, resolver.getIfAvailable(() -> HostResolver.SYSTEM));
    }

    public OutboundAddressGuard(List<String> allowedNetworks) {
        this(allowedNetworks, HostResolver.SYSTEM);
    }

    public OutboundAddressGuard(List<String> allowedNetworks, HostResolver resolver) {
        this.allowedText = allowedNetworks.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.allowed = allowedText.stream().map(IpAddressMatcher::new).toList();
        this.resolver = resolver;
    }

    /** Why the address is internal, or null when it is a public address. */
    static String internal(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local (cloud metadata)";
        }
        if (a.isSiteLocalAddress()) {
            return "private range";
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified address";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        String text = a.getHostAddress();
        return ALWAYS_INTERNAL.stream().anyMatch(m -> m.matches(text)) ? "private range" : null;
    }

    /** The problem with this address (internal and not allow-listed), or null. */
    public String problem(InetAddress a) {
        String why = internal(a);
        if (why == null) {
            return null;
        }
        String text = a.getHostAddress();
        if (allowed.stream().anyMatch(m -> m.matches(text))) {
            return null;
        }
        return "forbidden address " + text + " (" + why + "; not in hub.adapters.outbound.allowed-networks "
                + allowedText + ")";
    }

    /** At registry load: an endpoint whose host is an IP literal must not be internal (names: at send time). */
    public String literalProblem(String endpoint) {
        String host = host(endpoint);
        if (host == null) {
            return "endpoint " + endpoint + " has no host";
        }
        if (!isIpLiteral(host)) {
            return null;
        }
        try {
            String p = problem(InetAddress.getByName(host));
            return p == null ? null : "endpoint " + endpoint + ": " + p;
        } catch (UnknownHostException e) {
            return "endpoint " + endpoint + ": bad address";
        }
    }

    /** At send time: resolves the endpoint's host and refuses it if any address it resolves to is forbidden. */
    public void checkBeforeSend(String unit, String endpoint) {
        String host = host(endpoint);
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
            String p = problem(a);
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
            String p = problem(a);
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

    static String host(String endpoint) {
        try {
            String h = URI.create(endpoint.trim()).getHost();
            return h == null ? null : h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }
}
