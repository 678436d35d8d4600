package cn.beijing.scienceedu.adapters.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import cn.beijing.scienceedu.adapters.inbound.InboundTransientException;
import tools.jackson.core.JacksonException;

/**
 * Every error of the adapters' HTTP endpoints (REST bureau endpoints, operations API; the SOAP endpoint
 * answers faults itself) as an RFC 9457 problem detail: bad fields listed in {@code errors}, a body over
 * the limit 413, the task-service or database away 503. Bad input never gets a 500, and no stack trace
 * or exception text of the server leaves the process.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(InboundTransientException.class)
    ResponseEntity<ProblemDetail> unavailable(InboundTransientException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", "task-service unavailable, try again", null);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, "Forbidden", "your role may not do this", null);
    }

    @ExceptionHandler(jakarta.validation.ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraint(jakarta.validation.ConstraintViolationException e) {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getConstraintViolations().forEach(v -> {
            String path = v.getPropertyPath().toString();
            int dot = path.lastIndexOf('.');
            errors.add(error(dot >= 0 ? path.substring(dot + 1) : path, v.getMessage()));
        });
        return badFields(errors);
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ResponseEntity<ProblemDetail> databaseAway(Exception e) {
        log.warn("database unavailable: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable", "storage unavailable, try again", null);
    }

    /** A multipart body that cannot be parsed (no boundary, cut short): the client's fault; no endpoint takes one. */
    @ExceptionHandler(org.springframework.web.multipart.MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(org.springframework.web.multipart.MultipartException e) {
        log.debug("unreadable multipart request: {}", e.getMessage());
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
                "the body cannot be read: send application/json", null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (BodySizeLimitFilter.tooLarge(e)) {
            return tooLarge();
        }
        // a fault of the hub, not of the caller: logged with a reference the caller can quote
        String ref = UUID.randomUUID().toString();
        log.error("unexpected error, reference {}", ref, e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "an unexpected error occurred; it has been logged under reference " + ref, null);
    }

    static ResponseEntity<ProblemDetail> tooLarge() {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large",
                "request body exceeds hub.adapters.inbound.max-body-size", null);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError fe : ex.getBindingResult().getFieldErrors()) {
            errors.add(error(fe.getField(), fe.getDefaultMessage()));
        }
        ex.getBindingResult().getGlobalErrors().forEach(g -> errors.add(error(g.getObjectName(), g.getDefaultMessage())));
        return cast(badFields(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(r -> {
            String name = r.getMethodParameter().getParameterName() == null ? "parameter"
                    : r.getMethodParameter().getParameterName();
            r.getResolvableErrors().forEach(e -> errors.add(error(e instanceof FieldError fe ? fe.getField() : name,
                    e.getDefaultMessage())));
        });
        return cast(badFields(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (BodySizeLimitFilter.tooLarge(ex)) {
            return cast(tooLarge());
        }
        String field = "body";
        String message = ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")
                ? "required request body is missing" : "malformed JSON";
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof JacksonException je) {
                StringBuilder path = new StringBuilder();
                for (JacksonException.Reference ref : je.getPath()) {
                    if (ref.getPropertyName() != null) {
                        path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
                    } else if (ref.getIndex() >= 0) {
                        path.append('[').append(ref.getIndex()).append(']');
                    }
                }
                if (!path.isEmpty()) {
                    field = path.toString();
                    message = je instanceof tools.jackson.databind.exc.MismatchedInputException mie && mie.getTargetType() != null
                            ? "invalid value: expected " + expected(mie.getTargetType()) : "invalid value";
                } else {
                    message = "malformed JSON: " + je.getOriginalMessage();
                }
                if (message.contains("Exception") || message.contains("java.")) {
                    message = path.isEmpty() ? "malformed JSON" : "invalid value"; // no internals to the caller
                }
                break;
            }
        }
        return cast(badFields(List.of(error(field, message.length() > 300 ? message.substring(0, 300) : message))));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        return cast(badFields(List.of(error(name, "invalid value"))));
    }

    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(ServletRequestBindingException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (ex instanceof MissingRequestHeaderException mh) {
            return cast(badFields(List.of(error(mh.getHeaderName(), "required header is missing"))));
        }
        return cast(badFields(List.of(error("request", ex.getBody().getDetail()))));
    }

    private static String expected(Class<?> type) {
        if (java.time.LocalDate.class.equals(type)) {
            return "a date (yyyy-MM-dd)";
        }
        if (java.time.OffsetDateTime.class.equals(type)) {
            return "a date-time with offset";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (String.class.equals(type)) {
            return "a string";
        }
        return "an object";
    }

    private static ResponseEntity<ProblemDetail> badFields(List<Map<String, String>> errors) {
        return problem(HttpStatus.BAD_REQUEST, "Bad Request", "the request has invalid fields", errors);
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail, List<Map<String, String>> errors) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        if (errors != null) {
            p.setProperty("errors", errors);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    private static Map<String, String> error(String field, String message) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("field", field);
        m.put("message", message == null ? "invalid" : message);
        return m;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> cast(ResponseEntity<ProblemDetail> r) {
        return (ResponseEntity) r;
    }
}
