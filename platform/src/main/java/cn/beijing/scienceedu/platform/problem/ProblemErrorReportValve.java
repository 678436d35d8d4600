package cn.beijing.scienceedu.platform.problem;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's host error report valve, writing a problem instead of its HTML page, for what Tomcat refuses before the
 * application sees the request (an encoded slash or NUL in the path, invalid UTF-8, a header too large, a malformed
 * request line). No detail of the cause is echoed.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String traceparent = null;
        try {
            traceparent = request.getHeader("traceparent");
        } catch (RuntimeException e) {
            // headers unreadable: the request was malformed
        }
        var problem = JsonProblemAnswers.complete(null, org.springframework.http.HttpStatusCode.valueOf(status),
                Problems.of(status, ProblemErrorController.detail(status), traceparent));
        try {
            response.setContentType(Problems.PROBLEM_JSON_UTF8.toString());
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(Problems.json(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is committed: nothing more to say
        }
    }
}
