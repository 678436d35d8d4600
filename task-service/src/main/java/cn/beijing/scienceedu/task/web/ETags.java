package cn.beijing.scienceedu.task.web;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Task versions as strong ETags: {@code "7"}. */
public final class ETags {

    /** One entity-tag of RFC 9110 §8.8.3 in ASCII ({@code etagc} without obs-text): {@code "7"}, {@code W/"7"}. */
    private static final Pattern ENTITY_TAG = Pattern.compile("(W/)?\"([\\x21\\x23-\\x7E]*)\"");

    private ETags() {
    }

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * An {@code If-Match} as read (RFC 9110 §13.1.1): {@code *}, or the versions its entity-tags name. A tag that is
     * well formed but not one of ours ({@code "abc"}, {@code "-1"}) names no version, so it never matches (412).
     */
    public record IfMatch(boolean any, List<Long> versions) {
        public boolean matches(long version) {
            return any || versions.contains(version);
        }
    }

    /**
     * The {@code If-Match} header read, or null when it is absent or empty. {@code *} or a comma-separated list of
     * entity-tags; a weak tag ({@code W/"7"}) is taken for its version as before. Anything else — unquoted text, a
     * quote left open, a byte outside printable ASCII (a header's obs-text, or what an invalid UTF-8 sequence
     * becomes when Tomcat reads the header as ISO-8859-1) — is a 400 problem naming {@code If-Match}, never a 500
     * and never a silent 412.
     */
    public static IfMatch parse(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        String bad = cn.beijing.scienceedu.platform.problem.RequestHeaderBytes.badOctet(ifMatch);
        if (bad != null) {
            throw ApiException.badField("If-Match", bad);
        }
        String v = ifMatch.strip();
        if (v.equals("*")) {
            return new IfMatch(true, List.of());
        }
        List<Long> versions = new ArrayList<>();
        int pos = 0;
        boolean any = false;
        while (pos <= v.length()) {
            int comma = nextComma(v, pos);
            String element = v.substring(pos, comma).strip();
            pos = comma + 1;
            if (element.isEmpty()) {
                continue; // empty list elements are allowed (RFC 9110 §5.6.1.2)
            }
            Matcher m = ENTITY_TAG.matcher(element);
            if (!m.matches()) {
                throw ApiException.badField("If-Match",
                        "not \"*\" or a list of entity-tags such as \"7\" (RFC 9110 §13.1.1)");
            }
            any = true;
            String opaque = m.group(2);
            if (opaque.matches("[0-9]{1,18}")) {
                versions.add(Long.parseLong(opaque));
            }
        }
        return any ? new IfMatch(false, List.copyOf(versions)) : null;
    }

    /** The next comma outside a quoted tag, or the end. */
    private static int nextComma(String v, int from) {
        boolean quoted = false;
        for (int i = from; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return v.length();
    }
}
