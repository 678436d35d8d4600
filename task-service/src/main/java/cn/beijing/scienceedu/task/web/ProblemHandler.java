package cn.beijing.scienceedu.task.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.web.multipart.MultipartException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Every error as an RFC 9457 problem detail: validation errors list each bad field in {@code errors},
 * lifecycle conflicts name {@code currentState}. Bad input is never a 500, and no stack trace leaves.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        p.setTitle(e.title());
        e.properties().forEach(p::setProperty);
        return ResponseEntity.status(e.status()).body(p);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e) {
        return api(ApiException.forbidden("your role may not do this"));
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraint(ConstraintViolationException e) {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getConstraintViolations().forEach(v -> errors.add(error(field(v.getPropertyPath()), v.getMessage())));
        return api(ApiException.badFields(errors));
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e) {
        log.warn("integrity violation: {}", e.getMostSpecificCause().getMessage());
        return api(new ApiException(HttpStatus.CONFLICT, "Conflict", "the change conflicts with stored data", null));
    }

    /**
     * The database is away (connection refused or lost, no connection within the pool's timeout, a lock or query
     * timeout): the caller's request was fine and can be sent again, so 503 with {@code Retry-After}, not a 500.
     * Nothing was committed: every write is one transaction.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e) {
        log.warn("database unavailable: {}", e.getMessage());
        ResponseEntity<ProblemDetail> problem = api(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Service Unavailable",
                "the task database is unavailable; nothing was changed, try again", null));
        return ResponseEntity.status(problem.getStatusCode()).header(HttpHeaders.RETRY_AFTER, "5").body(problem.getBody());
    }

    /** A multipart body that cannot be parsed (no boundary, cut short, a NUL in a file name): the client's fault. */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> multipart(MultipartException e) {
        log.debug("unreadable multipart request: {}", e.getMessage());
        return api(ApiException.badField("file", "the multipart body cannot be read"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // Tomcat decodes parameters lazily: undecodable bytes (%FF) surface here, and are bad input
            if (t instanceof InvalidParameterException || t instanceof java.nio.charset.CharacterCodingException
                    || t instanceof java.nio.charset.IllegalCharsetNameException
                    || t instanceof java.nio.charset.UnsupportedCharsetException) {
                log.debug("undecodable request: {}", t.getMessage());
                return api(ApiException.badField("request", "parameters or body cannot be decoded (UTF-8 expected)"));
            }
        }
        log.error("unexpected error", e);
        return api(new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "an unexpected error occurred; it has been logged", null));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError fe : ex.getBindingResult().getFieldErrors()) {
            errors.add(error(fe.getField(), fe.getDefaultMessage()));
        }
        ex.getBindingResult().getGlobalErrors().forEach(g -> errors.add(error(g.getObjectName(), g.getDefaultMessage())));
        return cast(api(ApiException.badFields(errors)));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(r -> {
            String name = parameterName(r.getMethodParameter());
            r.getResolvableErrors().forEach(e -> {
                String field = name;
                if (e instanceof FieldError fe) {
                    field = fe.getField();
                }
                errors.add(error(field, e.getDefaultMessage()));
            });
        });
        return cast(api(ApiException.badFields(errors)));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = ex.getMostSpecificCause();
        String field = "body";
        String message = "malformed JSON";
        Throwable t = ex;
        while (t != null) {
            if (t instanceof JacksonException je) {
                StringBuilder path = new StringBuilder();
                for (JacksonException.Reference ref : je.getPath()) {
                    if (ref.getPropertyName() != null) {
                        if (!path.isEmpty()) {
                            path.append('.');
                        }
                        path.append(ref.getPropertyName());
                    } else if (ref.getIndex() >= 0) {
                        path.append('[').append(ref.getIndex()).append(']');
                    }
                }
                // Jackson's own message names Java types and exceptions: say what is wrong in the API's terms
                if (!path.isEmpty()) {
                    field = path.toString();
                    message = je instanceof MismatchedInputException mi && mi.getTargetType() != null
                            ? "invalid value: expected " + expected(mi.getTargetType()) : "invalid value";
                } else {
                    message = je.getLocation() == null ? "malformed JSON"
                            : "malformed JSON at line " + je.getLocation().getLineNr() + ", column " + je.getLocation().getColumnNr();
                }
                break;
            }
            t = t.getCause();
        }
        if (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")) {
            message = "required request body is missing";
        }
        if (message.length() > 300) {
            message = message.substring(0, 300);
        }
        log.debug("unreadable request: {}", cause.getMessage());
        return cast(api(ApiException.badField(field, message)));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        return cast(api(ApiException.badField(name, "invalid value '" + ex.getValue() + "'")));
    }

    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(ServletRequestBindingException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (ex instanceof MissingRequestHeaderException mh) {
            return cast(api(ApiException.badField(mh.getHeaderName(), "required header is missing")));
        }
        return cast(api(ApiException.badField("request", ex.getMessage())));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(MissingServletRequestPartException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return cast(api(ApiException.badField(ex.getRequestPartName(), "required part is missing")));
    }

    /**
     * The name a caller knows: a parameter's own name ({@code page}, {@code idempotencyKey}), or for a field of the
     * request body its path in the body ({@code kpiValues[0].kpiCode}) — the method and the body parameter's Java name
     * are dropped.
     */
    static String field(Path path) {
        List<Path.Node> nodes = new ArrayList<>();
        path.forEach(nodes::add);
        int param = -1;
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).getKind() == ElementKind.PARAMETER) {
                param = i;
            }
        }
        if (param < 0 || param == nodes.size() - 1) {
            String s = path.toString();
            int dot = s.indexOf('.');
            return dot >= 0 ? s.substring(dot + 1) : s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = param + 1; i < nodes.size(); i++) {
            Path.Node n = nodes.get(i);
            if (n.isInIterable() && n.getIndex() != null) {
                b.append('[').append(n.getIndex()).append(']');
            } else if (n.isInIterable() && n.getKey() != null) {
                b.append('[').append(n.getKey()).append(']');
            }
            // a list element's own node ("<list element>") adds nothing to the path a caller knows
            if (n.getKind() != ElementKind.CONTAINER_ELEMENT && n.getName() != null && !n.getName().isEmpty()) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(n.getName());
            }
        }
        return b.isEmpty() ? nodes.get(param).getName() : b.toString();
    }

    /** What a field of the given Java type takes, in the terms of the API's JSON. */
    static String expected(Class<?> type) {
        if (type == java.time.LocalDate.class) {
            return "a date (yyyy-mm-dd)";
        }
        if (type == java.time.OffsetDateTime.class || type == java.time.Instant.class) {
            return "a date-time with offset (e.g. 2025-01-06T09:30:00+08:00)";
        }
        if (type.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                values.add(c.toString());
            }
            return "one of " + values;
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String parameterName(MethodParameter p) {
        RequestHeader h = p.getParameterAnnotation(RequestHeader.class);
        if (h != null && !h.value().isEmpty()) {
            return h.value();
        }
        RequestParam rp = p.getParameterAnnotation(RequestParam.class);
        if (rp != null && !rp.value().isEmpty()) {
            return rp.value();
        }
        return p.getParameterName() == null ? "parameter" : p.getParameterName();
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
