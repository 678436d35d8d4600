package cn.beijing.scienceedu.reporting.web;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Errors raised outside the controllers (a URL the firewall rejects, a request the container refuses, an
 * exception no handler maps) as problem details too, in place of Boot's default error body; never a stack trace.
 * A browser gets the same error as a page in the dashboard's language ({@link ErrorPages}).
 */
@RestController
class ProblemErrorController implements ErrorController {

    private final ErrorPages pages;

    public ProblemErrorController(ErrorPages pages) {
        this.pages = pages;
    }

    /**
     * An encoded slash ({@code %2F}) in the path is passed on rather than refused by Tomcat with its own HTML
     * page, so that Spring Security's firewall refuses it and the refusal is a problem detail like any other.
     */
    @org.springframework.context.annotation.Bean
    static org.springframework.boot.tomcat.TomcatConnectorCustomizer encodedSlashesReachTheFirewall() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    @RequestMapping("/error")
    ResponseEntity<Object> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = HttpStatus.resolve(code instanceof Integer i ? i : 500);
        if (status == null || status.is2xxSuccessful()) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, status.is4xxClientError()
                ? "the request was refused: " + status.getReasonPhrase()
                : "the reporting-service could not answer; the error is logged");
        return pages.respond(request, status, p, null);
    }
}
