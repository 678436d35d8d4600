package cn.beijing.scienceedu.adapters.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartException;

import cn.beijing.scienceedu.adapters.inbound.InboundTransientException;
import cn.beijing.scienceedu.platform.problem.HubProblemHandler;
import cn.beijing.scienceedu.platform.problem.ProblemAnswers;

/**
 * Every error of the adapters' HTTP endpoints (REST bureau endpoints, operations API; the SOAP endpoint answers
 * faults itself) as an RFC 9457 problem detail: what every service answers alike comes from platform's
 * {@link HubProblemHandler}; the adapters add a body over the limit 413, the task-service away 503, and a multipart
 * body 415 (no endpoint takes one).
 */
@RestControllerAdvice
public class ProblemHandler extends HubProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    public ProblemHandler(ProblemAnswers answers) {
        super(answers);
    }

    @ExceptionHandler(InboundTransientException.class)
    ResponseEntity<Object> unavailable(InboundTransientException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, null, "Service Unavailable", "task-service unavailable, try again",
                null, null);
    }

    @Override
    @ExceptionHandler(MultipartException.class)
    public ResponseEntity<Object> multipart(MultipartException e) {
        log.debug("unreadable multipart request: {}", e.getMessage());
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, null, "Unsupported Media Type",
                "the body cannot be read: send application/json", null, null);
    }

    @Override
    @ExceptionHandler(Exception.class)
    public ResponseEntity<Object> unexpected(Exception e) {
        return BodySizeLimitFilter.tooLarge(e) ? tooLarge() : super.unexpected(e);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return BodySizeLimitFilter.tooLarge(ex) ? tooLarge() : super.handleHttpMessageNotReadable(ex, headers, status, request);
    }

    private ResponseEntity<Object> tooLarge() {
        return problem(HttpStatus.CONTENT_TOO_LARGE, null, "Content Too Large",
                "request body exceeds hub.adapters.inbound.max-body-size", null, null);
    }
}
