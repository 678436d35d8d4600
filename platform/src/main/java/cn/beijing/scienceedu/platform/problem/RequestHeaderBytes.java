package cn.beijing.scienceedu.platform.problem;

import java.util.Enumeration;
import java.util.Locale;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Request headers as the client sent them. Tomcat reads header bytes as ISO-8859-1, so each byte of an invalid UTF-8
 * sequence reaches the application as one character: 0x80–0x9F as a C1 control, which Spring Security's
 * {@code StrictHttpFirewall} refuses lazily — when the value is first read, wherever that is (a
 * {@code @RequestHeader}, content negotiation on {@code Accept}, the trace id of a problem answer). Read here under
 * the firewall's wrapper, a bad byte is named instead ("byte 2: not printable ASCII (0xFF)").
 */
public final class RequestHeaderBytes {

    private RequestHeaderBytes() {
    }

    /** The first header whose value holds a byte outside printable ASCII, as {@code {name, what is wrong}}, or null. */
    public static String[] firstBad(HttpServletRequest request) {
        HttpServletRequest raw = unwrapped(request);
        Enumeration<String> names = raw.getHeaderNames();
        while (names != null && names.hasMoreElements()) {
            String name = names.nextElement();
            Enumeration<String> values = raw.getHeaders(name);
            while (values != null && values.hasMoreElements()) {
                String bad = badOctet(values.nextElement());
                if (bad != null) {
                    return new String[] {name, bad};
                }
            }
        }
        return null;
    }

    /**
     * What is wrong with a header value as Tomcat decoded it (one character per byte): the first byte that is not
     * printable ASCII or a tab, counted from 1, or null when there is none.
     */
    public static String badOctet(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7F) {
                String b = c <= 0xFF ? String.format(Locale.ROOT, "0x%02X", (int) c) : String.format(Locale.ROOT, "U+%04X", (int) c);
                return "byte " + (i + 1) + ": not printable ASCII (" + b + ")";
            }
        }
        return null;
    }

    /** A header as the client sent it, not through the firewall's lazy check; null when absent. */
    public static String raw(HttpServletRequest request, String name) {
        return request == null ? null : unwrapped(request).getHeader(name);
    }

    /** The values of one header as the client sent them, not through the firewall's lazy check. */
    public static Enumeration<String> unwrappedHeaders(HttpServletRequest request, String name) {
        return unwrapped(request).getHeaders(name);
    }

    /** The request as the container gave it, under Spring Security's firewall and any other wrapper. */
    static HttpServletRequest unwrapped(HttpServletRequest request) {
        ServletRequest r = request;
        while (r instanceof ServletRequestWrapper w) {
            r = w.getRequest();
        }
        return r instanceof HttpServletRequest h ? h : request;
    }
}
