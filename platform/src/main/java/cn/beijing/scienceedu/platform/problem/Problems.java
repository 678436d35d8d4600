package cn.beijing.scienceedu.platform.problem;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.slf4j.MDC;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problem details built one way: a {@code type} URN per kind of problem
 * ({@code urn:bureau-hub:problem:<slug>}, the same URNs as the gateway's), {@code title}, {@code status},
 * {@code detail}, the {@code traceId} of the request when one is known, and {@code errors[]} (one entry per bad
 * field) for validation problems; written as {@code application/problem+json;charset=UTF-8}.
 * No web-stack type: a servlet handler and a WebFlux one both use it.
 */
public final class Problems {

    /** Problem type URIs of the hub: {@code urn:bureau-hub:problem:<slug>}. */
    public static final String TYPE_PREFIX = "urn:bureau-hub:problem:";

    /** {@code application/problem+json;charset=UTF-8}. */
    public static final MediaType PROBLEM_JSON_UTF8 = MediaType.parseMediaType("application/problem+json;charset=UTF-8");

    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");
    private static final String NO_TRACE = "00000000000000000000000000000000";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    /**
     * A problem as the hub writes it, given a status alone: the status's kind, its reason phrase as title, and a
     * {@code traceId}; for the answers written before any message converter (filters, security handlers, the error
     * controller and Tomcat's valve).
     */
    public static ProblemDetail of(int status, String detail, String traceparent) {
        HttpStatusCode code = HttpStatusCode.valueOf(status);
        org.springframework.http.HttpStatus known = org.springframework.http.HttpStatus.resolve(status);
        return withTraceId(of(code, known == null ? "Error" : known.getReasonPhrase(), detail), traceparent);
    }

    /** A problem whose {@code type} is still {@code about:blank} (Spring MVC's own) gets its status's URN. */
    public static ProblemDetail typed(ProblemDetail p, HttpStatusCode status) {
        if (p.getType() == null || "about:blank".equals(p.getType().toString())) {
            p.setType(type(slug(status)));
        }
        return p;
    }

    /** The members of the problem in the order of RFC 9457, then its extension members. */
    public static Map<String, Object> members(ProblemDetail p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", p.getType() == null ? "about:blank" : p.getType().toString());
        if (p.getTitle() != null) {
            m.put("title", p.getTitle());
        }
        m.put("status", p.getStatus());
        if (p.getDetail() != null) {
            m.put("detail", p.getDetail());
        }
        if (p.getInstance() != null) {
            m.put("instance", p.getInstance().toString());
        }
        if (p.getProperties() != null) {
            m.putAll(p.getProperties());
        }
        return m;
    }

    /** The problem as JSON text, for a writer that has no message converter at hand. */
    public static String json(ProblemDetail p) {
        return json(members(p));
    }

    /** Problem members (as {@link #members}) as JSON text. */
    public static String json(Map<String, Object> members) {
        return JSON.writeValueAsString(members);
    }

    /** The type URN of a slug. */
    public static URI type(String slug) {
        return URI.create(TYPE_PREFIX + slug);
    }

    /** The slug of a status when the service names no kind of its own. */
    public static String slug(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "invalid-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 412 -> "precondition-failed";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 428 -> "precondition-required";
            case 429 -> "rate-limited";
            case 500 -> "internal-error";
            case 502 -> "bad-gateway";
            case 503 -> "service-unavailable";
            case 504 -> "gateway-timeout";
            default -> "http-" + status.value();
        };
    }

    /** A problem of the status's own kind. */
    public static ProblemDetail of(HttpStatusCode status, String title, String detail) {
        return of(status, slug(status), title, detail);
    }

    /** A problem of the named kind; {@code title} null keeps the status's reason phrase. */
    public static ProblemDetail of(HttpStatusCode status, String slug, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(type(slug));
        if (title != null) {
            p.setTitle(title);
        }
        return p;
    }

    /** Adds {@code errors} (one entry per bad field); an empty list adds nothing. */
    public static ProblemDetail withErrors(ProblemDetail p, List<?> errors) {
        if (errors != null && !errors.isEmpty()) {
            p.setProperty("errors", errors);
        }
        return p;
    }

    /**
     * Adds {@code traceId}: the current span's (the logging context's {@code traceId}), else the one of the
     * request's W3C {@code traceparent} header; nothing when neither is known.
     */
    public static ProblemDetail withTraceId(ProblemDetail p, String traceparent) {
        String id = traceId(traceparent);
        if (id != null) {
            p.setProperty("traceId", id);
        }
        return p;
    }

    /** The trace id, as {@link #withTraceId} finds it, or null. */
    public static String traceId(String traceparent) {
        String fromLogs = MDC.get("traceId");
        if (fromLogs != null && !fromLogs.isBlank()) {
            return fromLogs;
        }
        if (traceparent != null) {
            var m = TRACEPARENT.matcher(traceparent.trim());
            if (m.matches() && !m.group(1).equals(NO_TRACE)) {
                return m.group(1);
            }
        }
        return null;
    }
}
