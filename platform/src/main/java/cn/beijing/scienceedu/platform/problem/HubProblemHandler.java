package cn.beijing.scienceedu.platform.problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import org.apache.tomcat.util.http.InvalidParameterException;
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
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * What every servlet service answers alike, as RFC 9457 problem details through its {@link ProblemAnswers}: each bad
 * field of a body, parameter or header in {@code errors} (named as the caller knows it: {@code kpiValues[0].kpiCode},
 * {@code Idempotency-Key}), undecodable input 400, a role that may not 403, a conflict with stored data 409, the
 * database away 503 with {@code Retry-After} (nothing was committed), Spring MVC's own answers (404, 405, 406, 415 …)
 * with their {@code type} URN, and anything unforeseen 500 without a word of the cause. Never a stack trace.
 * A service extends it with a {@code @RestControllerAdvice} that adds the exceptions of its own domain.
 */
public abstract class HubProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(HubProblemHandler.class);

    protected final ProblemAnswers answers;

    protected HubProblemHandler(ProblemAnswers answers) {
        this.answers = answers;
    }

    /** A problem of the named kind ({@code null}: the status's own), answered as the service answers problems. */
    protected ResponseEntity<Object> problem(HttpStatusCode status, String slug, String title, String detail,
            Map<String, ?> properties, HttpHeaders headers) {
        ProblemDetail p = slug == null ? Problems.of(status, title, detail) : Problems.of(status, slug, title, detail);
        if (properties != null) {
            properties.forEach(p::setProperty);
        }
        return answers.respond(currentRequest(), status, p, headers);
    }

    /** 400 {@code invalid-request} listing each bad field. */
    protected ResponseEntity<Object> badFields(List<?> errors) {
        return problem(HttpStatus.BAD_REQUEST, null, "Bad Request", "the request has invalid fields",
                Map.of("errors", errors), null);
    }

    protected ResponseEntity<Object> badField(String field, String message) {
        return badFields(List.of(error(field, message)));
    }

    /** One entry of {@code errors}: {@code {"field":…,"message":…}}. */
    public static Map<String, String> error(String field, String message) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("field", field);
        m.put("message", message == null ? "invalid" : message);
        return m;
    }

    @ExceptionHandler(AccessDeniedException.class)
    public ResponseEntity<Object> denied(AccessDeniedException e) {
        return problem(HttpStatus.FORBIDDEN, null, "Forbidden", SecurityProblems.FORBIDDEN_DETAIL, null, null);
    }

    /**
     * Spring Security's firewall checks a header's value when it is first read: one read by Spring MVC (a
     * {@code @RequestHeader}, content negotiation) and refused throws here, inside the dispatcher. The caller sent a
     * byte the hub does not accept: 400 naming the header, not an unexpected error.
     */
    @ExceptionHandler(org.springframework.security.web.firewall.RequestRejectedException.class)
    public ResponseEntity<Object> rejected(org.springframework.security.web.firewall.RequestRejectedException e) {
        String[] bad = currentRequest() == null ? null : RequestHeaderBytes.firstBad(currentRequest());
        return bad == null ? badField("request", "a header or parameter holds characters the hub does not accept")
                : badField(bad[0], bad[1]);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    public ResponseEntity<Object> constraint(ConstraintViolationException e) {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getConstraintViolations().forEach(v -> errors.add(error(field(v.getPropertyPath()), v.getMessage())));
        return badFields(errors);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    public ResponseEntity<Object> integrity(DataIntegrityViolationException e) {
        log.warn("integrity violation: {}", e.getMostSpecificCause().getMessage());
        return problem(HttpStatus.CONFLICT, null, "Conflict", "the change conflicts with stored data", null, null);
    }

    /**
     * The database is away (connection refused or lost, no connection within the pool's timeout, a lock or query
     * timeout): the request was fine and can be sent again, so 503 with {@code Retry-After}. Every write is one
     * transaction, so nothing was changed.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            CannotCreateTransactionException.class})
    public ResponseEntity<Object> databaseUnavailable(Exception e) {
        log.warn("database unavailable: {}", e.getMessage());
        HttpHeaders h = new HttpHeaders();
        h.set(HttpHeaders.RETRY_AFTER, "5");
        return problem(HttpStatus.SERVICE_UNAVAILABLE, null, "Service Unavailable",
                "the database is unavailable; nothing was changed, try again", null, h);
    }

    /** A multipart body that cannot be parsed (no boundary, cut short, a NUL in a file name): the client's fault. */
    @ExceptionHandler(MultipartException.class)
    public ResponseEntity<Object> multipart(MultipartException e) {
        log.debug("unreadable multipart request: {}", e.getMessage());
        return badField("file", "the multipart body cannot be read");
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Object> unexpected(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // Tomcat decodes parameters lazily: undecodable bytes (%FF) surface here, and are bad input
            if (t instanceof InvalidParameterException || t instanceof java.nio.charset.CharacterCodingException
                    || t instanceof java.nio.charset.IllegalCharsetNameException
                    || t instanceof java.nio.charset.UnsupportedCharsetException) {
                log.debug("undecodable request: {}", t.getMessage());
                return badField("request", "parameters or body cannot be decoded (UTF-8 expected)");
            }
        }
        // a fault of the hub, not of the caller: logged with the trace id the answer carries
        log.error("unexpected error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, null, "Internal error",
                "an unexpected error occurred; it has been logged", null, null);
    }

    /** Spring MVC's own answers (no such resource, method not allowed, …): the same URN, trace id and negotiation. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        ProblemDetail p = body instanceof ProblemDetail pd ? pd
                : body instanceof ErrorResponse er ? er.getBody() : ProblemDetail.forStatus(statusCode);
        HttpServletRequest servlet = request instanceof NativeWebRequest n ? n.getNativeRequest(HttpServletRequest.class)
                : currentRequest();
        return answers.respond(servlet, statusCode, p, headers);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError fe : ex.getBindingResult().getFieldErrors()) {
            errors.add(error(fe.getField(), fe.getDefaultMessage()));
        }
        ex.getBindingResult().getGlobalErrors().forEach(g -> errors.add(error(g.getObjectName(), g.getDefaultMessage())));
        return badFields(errors);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(r -> {
            String name = parameterName(r.getMethodParameter());
            r.getResolvableErrors().forEach(e -> errors.add(error(e instanceof FieldError fe ? fe.getField() : name,
                    e.getDefaultMessage())));
        });
        return badFields(errors);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = "body";
        String message = "malformed JSON";
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
                // Jackson's own message names Java types and exceptions: say what is wrong in the API's terms
                if (!path.isEmpty()) {
                    field = path.toString();
                    message = je instanceof MismatchedInputException mi && mi.getTargetType() != null
                            ? "invalid value: expected " + expected(mi.getTargetType()) : "invalid value";
                } else if (je.getLocation() != null) {
                    message = "malformed JSON at line " + je.getLocation().getLineNr() + ", column "
                            + je.getLocation().getColumnNr();
                }
                break;
            }
        }
        if (ex.getMessage() != null && ex.getMessage().startsWith("Required request body is missing")) {
            message = "required request body is missing";
        }
        log.debug("unreadable request: {}", ex.getMostSpecificCause().getMessage());
        return badField(field, message.length() > 300 ? message.substring(0, 300) : message);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        Class<?> type = ex.getRequiredType();
        return badField(name, type == null ? "invalid value" : "invalid value: expected " + expected(type));
    }

    @Override
    protected ResponseEntity<Object> handleServletRequestBindingException(ServletRequestBindingException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (ex instanceof MissingRequestHeaderException mh) {
            return badField(mh.getHeaderName(), "required header is missing");
        }
        return badField("request", ex.getBody().getDetail());
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(MissingServletRequestPartException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return badField(ex.getRequestPartName(), "required part is missing");
    }

    /**
     * The name a caller knows: a parameter's own name ({@code page}, {@code idempotencyKey}), or for a field of the
     * request body its path in the body ({@code kpiValues[0].kpiCode}) — the method and the body parameter's Java name
     * are dropped.
     */
    public static String field(Path path) {
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
    public static String expected(Class<?> type) {
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

    protected static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a ? a.getRequest() : null;
    }
}
