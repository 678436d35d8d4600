package cn.beijing.scienceedu.platform.problem;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * A problem a controller returns itself (a bureau's refused report, an operator's conflicting replay) is completed
 * like every other: the {@code type} URN of its status when it has none, the {@code traceId}, and the charset
 * (UTF-8) named in its {@code Content-Type}.
 */
@ControllerAdvice
public class ProblemBodyAdvice implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
            Class<? extends HttpMessageConverter<?>> selectedConverterType, ServerHttpRequest request,
            ServerHttpResponse response) {
        if (body instanceof ProblemDetail p) {
            JsonProblemAnswers.complete(request instanceof ServletServerHttpRequest s ? s.getServletRequest() : null,
                    HttpStatusCode.valueOf(p.getStatus()), p);
            if (selectedContentType != null && selectedContentType.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)) {
                response.getHeaders().setContentType(Problems.PROBLEM_JSON_UTF8);
            }
        }
        return body;
    }
}
