package cn.beijing.scienceedu.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

class ProblemsTest {

    @AfterEach
    void clearLogContext() {
        MDC.clear();
    }

    @Test
    void aProblemHasATypeUrnPerKind() {
        ProblemDetail p = Problems.of(HttpStatus.NOT_FOUND, "Not Found", "no such task");
        assertThat(p.getType()).isEqualTo(URI.create("urn:bureau-hub:problem:not-found"));
        assertThat(p.getStatus()).isEqualTo(404);
        assertThat(p.getDetail()).isEqualTo("no such task");
        assertThat(Problems.of(HttpStatus.CONFLICT, "illegal-transition", "Conflict", "x").getType())
                .hasToString("urn:bureau-hub:problem:illegal-transition");
        assertThat(Problems.of(HttpStatus.I_AM_A_TEAPOT, null, "x").getType()).hasToString("urn:bureau-hub:problem:http-418");
        assertThat(Problems.of(HttpStatus.BAD_REQUEST, null, "x").getTitle()).isEqualTo("Bad Request");
    }

    @Test
    void validationProblemsListTheirFields() {
        ProblemDetail p = Problems.withErrors(Problems.of(HttpStatus.BAD_REQUEST, "Bad Request", "invalid request"),
                List.of(Map.of("field", "dueDate", "message", "must be a date")));
        assertThat(p.getProperties()).containsKey("errors");
        assertThat(Problems.withErrors(Problems.of(HttpStatus.BAD_REQUEST, "t", "d"), List.of()).getProperties()).isNull();
    }

    @Test
    void theTraceIdComesFromTheLogContextElseFromTraceparent() {
        String header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assertThat(Problems.withTraceId(Problems.of(HttpStatus.NOT_FOUND, "t", "d"), header).getProperties())
                .containsEntry("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        MDC.put("traceId", "0af7651916cd43dd8448eb211c80319c");
        assertThat(Problems.traceId(header)).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        MDC.clear();
        assertThat(Problems.traceId("garbage")).isNull();
        assertThat(Problems.traceId("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isNull();
        assertThat(Problems.traceId(null)).isNull();
    }

    @Test
    void theMediaTypeIsProblemJsonInUtf8() {
        assertThat(Problems.PROBLEM_JSON_UTF8.toString()).isEqualTo("application/problem+json;charset=UTF-8");
    }
}
