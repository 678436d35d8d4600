package cn.beijing.scienceedu.platform.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's error controller: whatever is dispatched to {@code /error} (a request Spring Security's
 * firewall rejects, an exception in a filter, a {@code sendError} of the container) is answered as a problem through
 * the service's {@link ProblemAnswers}, never as Boot's {@code {timestamp, status, error, path}} or a stack trace. No
 * detail of the cause is echoed.
 */
@RestController
public class ProblemErrorController implements ErrorController {

    private final ProblemAnswers answers;

    public ProblemErrorController(ProblemAnswers answers) {
        this.answers = answers;
    }

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<Object> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i && i >= 400 && HttpStatus.resolve(i) != null ? i : 500;
        return answers.respond(request, HttpStatus.valueOf(status),
                Problems.of(status, detail(status), RequestHeaderBytes.raw(request, "traceparent")), null);
    }

    /** What the caller is told for a status that reached the error path: never the cause. */
    public static String detail(int status) {
        if (status >= 500) {
            return "an unexpected error occurred; it has been logged";
        }
        return switch (status) {
            case 401 -> SecurityProblems.UNAUTHORIZED_DETAIL;
            case 403 -> SecurityProblems.FORBIDDEN_DETAIL;
            case 404 -> "no such resource";
            case 405 -> "the method is not allowed here";
            case 413 -> "the request is too large";
            default -> "the request was refused before it reached the application: malformed path, header or encoding";
        };
    }
}
