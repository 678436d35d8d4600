package cn.beijing.scienceedu.reporting.web;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestClientException;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import cn.beijing.scienceedu.contracts.reporting.model.FieldError;
import cn.beijing.scienceedu.reporting.shared.ConflictException;
import cn.beijing.scienceedu.reporting.shared.InvalidFieldsException;
import cn.beijing.scienceedu.reporting.shared.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;

/**
 * Every error as an RFC 9457 problem detail, never a stack trace; for a browser (a request preferring
 * {@code text/html}) the same error as a page in the dashboard's language ({@link ErrorPages}).
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private final ErrorPages pages;

    public ProblemHandler(ErrorPages pages) {
        this.pages = pages;
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Object> notFound(NotFoundException e, HttpServletRequest request) {
        return problem(request, HttpStatus.NOT_FOUND, e.getMessage(), Map.of());
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<Object> conflict(ConflictException e, HttpServletRequest request) {
        return problem(request, HttpStatus.CONFLICT, e.getMessage(), Map.of("currentState", e.currentState()));
    }

    @ExceptionHandler(InvalidFieldsException.class)
    ResponseEntity<Object> invalidFields(InvalidFieldsException e, HttpServletRequest request) {
        return problem(request, HttpStatus.BAD_REQUEST, e.getMessage(), Map.of("errors", e.errors()));
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> invalid(ConstraintViolationException e, HttpServletRequest request) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(lastNode(v.getPropertyPath().toString()), v.getMessage())).toList();
        return problem(request, HttpStatus.BAD_REQUEST, "invalid request", Map.of("errors", errors));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Object> illegal(IllegalArgumentException e, HttpServletRequest request) {
        return problem(request, HttpStatus.BAD_REQUEST, e.getMessage(), Map.of());
    }

    @ExceptionHandler(RestClientException.class)
    ResponseEntity<Object> upstream(RestClientException e, HttpServletRequest request) {
        return problem(request, HttpStatus.BAD_GATEWAY, "the task-service could not be read: " + e.getMessage(), Map.of());
    }

    /** Spring MVC's own errors (missing parameter, no such resource, method not allowed, …): negotiated as well. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        HttpServletRequest servlet = request instanceof NativeWebRequest n ? n.getNativeRequest(HttpServletRequest.class) : null;
        if (servlet != null && pages.prefersHtml(servlet)) {
            ProblemDetail p = body instanceof ProblemDetail pd ? pd
                    : body instanceof ErrorResponse er ? er.getBody() : ProblemDetail.forStatus(statusCode);
            return pages.respond(servlet, statusCode, p, headers);
        }
        return super.createResponseEntity(body, headers, statusCode, request);
    }

    private static String lastNode(String path) {
        int i = path.lastIndexOf('.');
        return i < 0 ? path : path.substring(i + 1);
    }

    private ResponseEntity<Object> problem(HttpServletRequest request, HttpStatus status, String detail,
            Map<String, Object> props) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        props.forEach(p::setProperty);
        return pages.respond(request, status, p, null);
    }
}
