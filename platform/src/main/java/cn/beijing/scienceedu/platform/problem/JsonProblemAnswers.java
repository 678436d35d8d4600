package cn.beijing.scienceedu.platform.problem;

import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The problem as {@code application/problem+json;charset=UTF-8}: a {@code type} URN (a Spring MVC problem still
 * {@code about:blank} gets its status's kind) and a {@code traceId} — the request's span, else its
 * {@code traceparent}, else (an answer written before tracing saw the request) a new id that is logged with the
 * status, so that a caller quoting it is found in the logs.
 */
public class JsonProblemAnswers implements ProblemAnswers {

    private static final Logger log = LoggerFactory.getLogger(JsonProblemAnswers.class);

    @Override
    public ResponseEntity<Object> respond(HttpServletRequest request, HttpStatusCode status, ProblemDetail problem,
            HttpHeaders headers) {
        complete(request, status, problem);
        HttpHeaders h = new HttpHeaders();
        if (headers != null) {
            h.putAll(headers);
        }
        h.setContentType(Problems.PROBLEM_JSON_UTF8);
        return ResponseEntity.status(status).headers(h).body(problem);
    }

    @Override
    public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        complete(request, HttpStatusCode.valueOf(problem.getStatus()), problem);
        response.setStatus(problem.getStatus());
        response.setCharacterEncoding("UTF-8");
        response.setContentType(Problems.PROBLEM_JSON_UTF8.toString());
        response.getWriter().write(Problems.json(problem));
    }

    /** Adds the {@code type} URN and the {@code traceId} the problem lacks. */
    public static ProblemDetail complete(HttpServletRequest request, HttpStatusCode status, ProblemDetail problem) {
        Problems.typed(problem, status);
        if (problem.getProperties() == null || !problem.getProperties().containsKey("traceId")) {
            // read under the firewall: a refused traceparent must not stop the answer that refuses it
            String id = Problems.traceId(RequestHeaderBytes.raw(request, "traceparent"));
            if (id == null) {
                id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong())
                        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
                log.info("answered {} {} before tracing saw the request, traceId={}", status.value(), problem.getType(), id);
            }
            problem.setProperty("traceId", id);
        }
        return problem;
    }
}
