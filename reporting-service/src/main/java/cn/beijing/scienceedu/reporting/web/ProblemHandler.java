package cn.beijing.scienceedu.reporting.web;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestClientException;

import cn.beijing.scienceedu.contracts.reporting.model.FieldError;
import cn.beijing.scienceedu.platform.problem.HubProblemHandler;
import cn.beijing.scienceedu.reporting.shared.ConflictException;
import cn.beijing.scienceedu.reporting.shared.InvalidFieldsException;
import cn.beijing.scienceedu.reporting.shared.NotFoundException;
import jakarta.validation.ConstraintViolationException;

/**
 * Every error as an RFC 9457 problem detail, never a stack trace; for a browser (a request preferring
 * {@code text/html}) the same error as a page in the dashboard's language ({@link ErrorPages}, the service's
 * {@code ProblemAnswers}). What every service answers alike comes from platform's {@link HubProblemHandler}; the
 * reporting-service adds its own exceptions.
 */
@RestControllerAdvice
class ProblemHandler extends HubProblemHandler {

    public ProblemHandler(ErrorPages pages) {
        super(pages);
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Object> notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, null, null, e.getMessage(), Map.of(), null);
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<Object> conflict(ConflictException e) {
        return problem(HttpStatus.CONFLICT, null, null, e.getMessage(), Map.of("currentState", e.currentState()), null);
    }

    @ExceptionHandler(InvalidFieldsException.class)
    ResponseEntity<Object> invalidFields(InvalidFieldsException e) {
        return problem(HttpStatus.BAD_REQUEST, null, null, e.getMessage(), Map.of("errors", e.errors()), null);
    }

    /** Constraint violations name the last node of the path (the parameter) and answer "invalid request". */
    @Override
    @ExceptionHandler(ConstraintViolationException.class)
    public ResponseEntity<Object> constraint(ConstraintViolationException e) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage())).toList();
        return problem(HttpStatus.BAD_REQUEST, null, null, "invalid request", Map.of("errors", errors), null);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Object> illegal(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, null, null, e.getMessage(), Map.of(), null);
    }

    @ExceptionHandler(RestClientException.class)
    ResponseEntity<Object> upstream(RestClientException e) {
        return problem(HttpStatus.BAD_GATEWAY, null, null, "the task-service could not be read: " + e.getMessage(),
                Map.of(), null);
    }

    private static String lastNode(String path) {
        int i = path.lastIndexOf('.');
        return i < 0 ? path : path.substring(i + 1);
    }
}
