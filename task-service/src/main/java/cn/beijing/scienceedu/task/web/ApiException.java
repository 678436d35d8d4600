package cn.beijing.scienceedu.task.web;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/** An error the API answers with a problem detail; subclasses name the common cases. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final Map<String, Object> properties;

    public ApiException(HttpStatus status, String title, String detail, Map<String, Object> properties) {
        super(detail);
        this.status = status;
        this.title = title;
        this.properties = properties == null ? Map.of() : properties;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> properties() {
        return properties;
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", what + " does not exist", null);
    }

    /** A lifecycle conflict: the problem names the current state. */
    public static ApiException conflict(String currentState, String detail) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict", detail, Map.of("currentState", currentState));
    }

    public static ApiException preconditionFailed(long currentVersion) {
        return new ApiException(HttpStatus.PRECONDITION_FAILED, "Precondition failed",
                "If-Match does not match the current version", Map.of("currentETag", ETags.of(currentVersion)));
    }

    public static ApiException preconditionRequired() {
        return new ApiException(HttpStatus.PRECONDITION_REQUIRED, "Precondition required",
                "this edit requires If-Match with the task's ETag",
                Map.of("errors", List.of(Map.of("field", "If-Match", "message", "required"))));
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "Forbidden", detail, null);
    }

    /** A validation problem naming one bad field. */
    public static ApiException badField(String field, String message) {
        return badFields(List.of(Map.of("field", field, "message", message)));
    }

    public static ApiException badFields(List<Map<String, String>> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Bad request", "the request has invalid fields",
                Map.of("errors", errors));
    }

    public static ApiException unsupportedMediaType(String detail) {
        return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", detail, null);
    }
}
