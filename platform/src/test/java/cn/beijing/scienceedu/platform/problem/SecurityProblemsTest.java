package cn.beijing.scienceedu.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The 401/403 the security filters write: a problem of its kind with the caller's trace id, in UTF-8. */
class SecurityProblemsTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void unauthorizedIsAProblemWithABearerChallengeAndTheTraceId() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01");
        MockHttpServletResponse response = new MockHttpServletResponse();
        SecurityProblems.unauthorized(new JsonProblemAnswers()).commence(request, response, new BadCredentialsException("x"));
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getContentType()).isEqualTo("application/problem+json;charset=UTF-8");
        assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        JsonNode body = json.readTree(response.getContentAsString());
        assertThat(body.get("type").asString()).isEqualTo("urn:bureau-hub:problem:unauthorized");
        assertThat(body.get("title").asString()).isEqualTo("Unauthorized");
        assertThat(body.get("status").asInt()).isEqualTo(401);
        assertThat(body.get("detail").asString()).isEqualTo("a valid bearer token (audience bureau-hub) is required");
        assertThat(body.get("traceId").asString()).isEqualTo(TRACE);
        assertThat(response.getContentAsString()).doesNotContain("BadCredentials").doesNotContain("\"x\"");
    }

    @Test
    void forbiddenIsAProblemWithoutAChallengeAndATraceIdEvenWithoutTraceparent() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        SecurityProblems.forbidden(new JsonProblemAnswers()).handle(new MockHttpServletRequest(), response,
                new AccessDeniedException("x"));
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getHeader("WWW-Authenticate")).isNull();
        JsonNode body = json.readTree(response.getContentAsString());
        assertThat(body.get("type").asString()).isEqualTo("urn:bureau-hub:problem:forbidden");
        assertThat(body.get("detail").asString()).isEqualTo("your role may not do this");
        assertThat(body.get("traceId").asString()).matches("[0-9a-f]{32}");
    }

    @Test
    void chineseAndQuotesInADetailStayValidUtf8Json() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        new JsonProblemAnswers().write(new MockHttpServletRequest(), response,
                Problems.of(400, "字段 \"单位\" 无效 𠀀", null));
        byte[] bytes = response.getContentAsByteArray();
        JsonNode body = json.readTree(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(body.get("detail").asString()).isEqualTo("字段 \"单位\" 无效 𠀀");
        assertThat(body.get("type").asString()).isEqualTo("urn:bureau-hub:problem:invalid-request");
    }
}
