package cn.beijing.scienceedu.platform.problem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * The servlet resource servers' 401 and 403 answers as RFC 9457 problem details, written before any controller runs
 * through the service's {@link ProblemAnswers}: {@code urn:bureau-hub:problem:unauthorized} with a {@code Bearer}
 * challenge, {@code …:forbidden}, a {@code traceId}; never the token's own error (no hint for a forger).
 */
public final class SecurityProblems {

    /** The 401 detail. */
    public static final String UNAUTHORIZED_DETAIL = "a valid bearer token (audience bureau-hub) is required";
    /** The 403 detail. */
    public static final String FORBIDDEN_DETAIL = "your role may not do this";

    private SecurityProblems() {
    }

    /** 401 with {@link #UNAUTHORIZED_DETAIL} and {@code WWW-Authenticate: Bearer}. */
    public static AuthenticationEntryPoint unauthorized(ProblemAnswers answers) {
        return (request, response, e) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            answers.write(request, response, problem(401, UNAUTHORIZED_DETAIL, RequestHeaderBytes.raw(request, "traceparent")));
        };
    }

    /** 403 with {@link #FORBIDDEN_DETAIL}. */
    public static AccessDeniedHandler forbidden(ProblemAnswers answers) {
        return (request, response, e) -> answers.write(request, response,
                problem(403, FORBIDDEN_DETAIL, RequestHeaderBytes.raw(request, "traceparent")));
    }

    private static ProblemDetail problem(int status, String detail, String traceparent) {
        return Problems.of(status, detail, traceparent);
    }
}
