package cn.beijing.scienceedu.reporting.web;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestClientException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import cn.beijing.scienceedu.contracts.reporting.model.FieldError;
import cn.beijing.scienceedu.reporting.registry.SchoolRegister;
import cn.beijing.scienceedu.reporting.report.ConflictException;
import cn.beijing.scienceedu.reporting.report.NotFoundException;
import jakarta.validation.ConstraintViolationException;

/** Every error as an RFC 9457 problem detail; never a stack trace. */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, e.getMessage(), Map.of());
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e) {
        return problem(HttpStatus.CONFLICT, e.getMessage(), Map.of("currentState", e.currentState()));
    }

    @ExceptionHandler(SchoolRegister.InvalidCsvException.class)
    ResponseEntity<ProblemDetail> badCsv(SchoolRegister.InvalidCsvException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage(), Map.of("errors", e.errors()));
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> invalid(ConstraintViolationException e) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage())).toList();
        return problem(HttpStatus.BAD_REQUEST, "invalid request", Map.of("errors", errors));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> illegal(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage(), Map.of());
    }

    @ExceptionHandler(RestClientException.class)
    ResponseEntity<ProblemDetail> upstream(RestClientException e) {
        return problem(HttpStatus.BAD_GATEWAY, "the task-service could not be read: " + e.getMessage(), Map.of());
    }

    private static String lastNode(String path) {
        int i = path.lastIndexOf('.');
        return i < 0 ? path : path.substring(i + 1);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail, Map<String, Object> props) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        props.forEach(p::setProperty);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }
}
