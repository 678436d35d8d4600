package cn.beijing.scienceedu.task.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolationException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
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

import tools.jackson.core.JacksonException;

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
        e.getConstraintViolations().forEach(v -> {
            String path = v.getPropertyPath().toString();
            int dot = path.indexOf('.');
            errors.add(error(dot >= 0 ? path.substring(dot + 1) : path, v.getMessage()));
        });
        return api(ApiException.badFields(errors));
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e) {
        log.warn("integrity violation: {}", e.getMostSpecificCause().getMessage());
        return api(new ApiException(HttpStatus.CONFLICT, "Conflict", "the change conflicts with stored data", null));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
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
                if (!path.isEmpty()) {
                    field = path.toString();
                    message = "invalid value: " + je.getOriginalMessage();
                } else {
                    message = "malformed JSON: " + je.getOriginalMessage();
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
