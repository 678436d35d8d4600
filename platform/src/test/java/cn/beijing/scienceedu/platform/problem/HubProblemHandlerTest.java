package cn.beijing.scienceedu.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import jakarta.servlet.RequestDispatcher;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every servlet service answers alike, through a small controller of the test: each case a problem of its
 * kind ({@code type} URN), with {@code traceId}, {@code application/problem+json;charset=UTF-8}, the bad field named as
 * the caller knows it, and nothing of the server's internals.
 */
class HubProblemHandlerTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private final JsonMapper json = JsonMapper.builder().build();

    record Report(String unit, int count) {
    }

    @RestController
    static class Endpoints {
        @PostMapping(path = "/reports", consumes = MediaType.APPLICATION_JSON_VALUE)
        String report(@RequestBody Report report, @RequestHeader("Idempotency-Key") String key) {
            return report.unit();
        }

        @GetMapping("/away")
        String away() {
            throw new DataAccessResourceFailureException("Connection to 10.0.0.7:5432 refused");
        }

        @GetMapping("/refused")
        org.springframework.http.ResponseEntity<org.springframework.http.ProblemDetail> refused() {
            return org.springframework.http.ResponseEntity.status(409).body(
                    org.springframework.http.ProblemDetail.forStatusAndDetail(org.springframework.http.HttpStatus.CONFLICT,
                            "already replayed"));
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("secret internal state at com.example.Foo");
        }
    }

    @RestControllerAdvice
    static class Handler extends HubProblemHandler {
        Handler() {
            super(new JsonProblemAnswers());
        }
    }

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Endpoints())
            .setControllerAdvice(new Handler(), new ProblemBodyAdvice()).build();

    private JsonNode problem(MockHttpServletResponse response, int status, String slug) throws Exception {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getContentType()).isEqualTo("application/problem+json;charset=UTF-8");
        JsonNode body = json.readTree(response.getContentAsString(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(body.get("type").asString()).isEqualTo("urn:bureau-hub:problem:" + slug);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("traceId").asString()).matches("[0-9a-f]{32}");
        assertThat(response.getContentAsString()).doesNotContain("Exception").doesNotContain("java.");
        return body;
    }

    @Test
    void aFieldOfTheWrongTypeIsNamedByItsPathInTheBody() throws Exception {
        var r = mvc.perform(post("/reports").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "k")
                .header("traceparent", TRACEPARENT).content("{\"unit\":\"市教委\",\"count\":\"many\"}")).andReturn().getResponse();
        JsonNode body = problem(r, 400, "invalid-request");
        assertThat(body.get("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(body.get("errors").get(0).get("field").asString()).isEqualTo("count");
        assertThat(body.get("errors").get(0).get("message").asString()).isEqualTo("invalid value: expected a number");
    }

    @Test
    void malformedJsonSaysWhere() throws Exception {
        var r = mvc.perform(post("/reports").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "k")
                .content("{\"unit\":")).andReturn().getResponse();
        JsonNode body = problem(r, 400, "invalid-request");
        assertThat(body.get("errors").get(0).get("field").asString()).isEqualTo("body");
        assertThat(body.get("errors").get(0).get("message").asString()).startsWith("malformed JSON");
    }

    @Test
    void aMissingHeaderIsNamedAsTheCallerSpellsIt() throws Exception {
        var r = mvc.perform(post("/reports").contentType(MediaType.APPLICATION_JSON).content("{\"unit\":\"x\",\"count\":1}"))
                .andReturn().getResponse();
        JsonNode body = problem(r, 400, "invalid-request");
        assertThat(body.get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(body.get("errors").get(0).get("message").asString()).isEqualTo("required header is missing");
    }

    @Test
    void springMvcsOwnAnswersGetTheirKind() throws Exception {
        problem(mvc.perform(delete("/reports")).andReturn().getResponse(), 405, "method-not-allowed");
        problem(mvc.perform(post("/reports").contentType(MediaType.TEXT_PLAIN).header("Idempotency-Key", "k")
                .content("x")).andReturn().getResponse(), 415, "unsupported-media-type");
    }

    @Test
    void theDatabaseAwayIsA503WithRetryAfterAndNoAddress() throws Exception {
        var r = mvc.perform(get("/away")).andReturn().getResponse();
        JsonNode body = problem(r, 503, "service-unavailable");
        assertThat(r.getHeader("Retry-After")).isEqualTo("5");
        assertThat(body.get("detail").asString()).contains("try again");
        assertThat(r.getContentAsString()).doesNotContain("10.0.0.7");
    }

    @Test
    void aProblemAControllerReturnsItselfGetsItsKindAndTheTraceId() throws Exception {
        JsonNode body = problem(mvc.perform(get("/refused").header("traceparent", TRACEPARENT)).andReturn().getResponse(),
                409, "conflict");
        assertThat(body.get("detail").asString()).isEqualTo("already replayed");
        assertThat(body.get("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void theUnforeseenIsA500WithoutTheCause() throws Exception {
        var r = mvc.perform(get("/boom")).andReturn().getResponse();
        problem(r, 500, "internal-error");
        assertThat(r.getContentAsString()).doesNotContain("secret");
    }

    @Test
    void theErrorPathAnswersAProblemNeverTheCause() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 400);
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, new IllegalArgumentException("the URL contained %2F"));
        var answer = new ProblemErrorController(new JsonProblemAnswers()).error(request);
        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        var p = (org.springframework.http.ProblemDetail) answer.getBody();
        assertThat(p.getType()).hasToString("urn:bureau-hub:problem:invalid-request");
        assertThat(p.getDetail()).doesNotContain("%2F");
        assertThat(p.getProperties()).containsKey("traceId");

        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, 200);
        assertThat(new ProblemErrorController(new JsonProblemAnswers()).error(request).getStatusCode().value()).isEqualTo(500);
    }
}
