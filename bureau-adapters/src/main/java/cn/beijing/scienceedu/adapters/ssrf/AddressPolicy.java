package cn.beijing.scienceedu.adapters.ssrf;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

/**
 * Which addresses a bureau endpoint may point at (the SSRF policy): not into the hub's own network — loopback,
 * link-local (cloud metadata 169.254.169.254), private ranges (10/8, 172.16/12, 192.168/16, fc00::/7), CGNAT
 * (100.64/10), "this network" and multicast — unless the address is in {@code hub.adapters.outbound.allowed-networks}.
 * The registry applies it to IP literals at load ({@link #literalProblem(String)}); {@code outbound.OutboundAddressGuard}
 * applies it after DNS resolution, before every send and in the connection itself.
 */
@Component
public class AddressPolicy {

    private static final List<IpAddressMatcher> ALWAYS_INTERNAL = List.of(new IpAddressMatcher("100.64.0.0/10"),
            new IpAddressMatcher("0.0.0.0/8"), new IpAddressMatcher("fc00::/7"), new IpAddressMatcher("198.18.0.0/15"));

    private final List<IpAddressMatcher> allowed;
    private final List<String> allowedText;

    public AddressPolicy(@Value("${hub.adapters.outbound.allowed-networks:}") List<String> allowedNetworks) {
        this.allowedText = allowedNetworks.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        this.allowed = allowedText.stream().map(IpAddressMatcher::new).toList();
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

    /** The endpoint's host without IPv6 brackets, or null when it has none (or is no URI). */
    public static String host(String endpoint) {
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
