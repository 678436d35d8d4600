package cn.beijing.scienceedu.task.web;

import cn.beijing.scienceedu.platform.problem.HubProblemHandler;
import cn.beijing.scienceedu.platform.problem.ProblemAnswers;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every error as an RFC 9457 problem detail: what every service answers alike comes from platform's
 * {@link HubProblemHandler} (bad fields in {@code errors}, 403, 409 on stored data, 503 with the database away, Spring
 * MVC's own answers, 500 without the cause; the {@code /error} path and Tomcat's own refusals through platform's
 * error controller and valve); the task-service adds its {@link ApiException}s — lifecycle conflicts name
 * {@code currentState}, stale versions {@code currentETag} (a header the firewall refuses is platform's 400 naming
 * it).
 */
@RestControllerAdvice
public class ProblemHandler extends HubProblemHandler {

    public ProblemHandler(ProblemAnswers answers) {
        super(answers);
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException e) {
        return problem(e.status(), null, e.title(), e.getMessage(), e.properties(), null);
    }
}
