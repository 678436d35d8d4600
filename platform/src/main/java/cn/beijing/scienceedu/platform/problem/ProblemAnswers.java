package cn.beijing.scienceedu.platform.problem;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * How a servlet service answers a problem: from a handler ({@link #respond}) or straight to the response before any
 * controller runs ({@link #write}: security handlers, filters, the error controller). The default
 * ({@link JsonProblemAnswers}) answers {@code application/problem+json;charset=UTF-8} with the {@code type} URN and
 * {@code traceId}; a service that serves browsers declares its own bean (the reporting-service answers a browser with
 * an error page in the dashboard's language and everyone else with the JSON).
 */
public interface ProblemAnswers {

    ResponseEntity<Object> respond(HttpServletRequest request, HttpStatusCode status, ProblemDetail problem,
            HttpHeaders headers);

    void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem) throws IOException;
}
