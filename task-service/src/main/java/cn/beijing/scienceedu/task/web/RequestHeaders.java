package cn.beijing.scienceedu.task.web;

import java.util.Enumeration;
import java.util.List;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import cn.beijing.scienceedu.platform.problem.RequestHeaderBytes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The hub's own request headers ({@code If-Match}, {@code Idempotency-Key}, {@code X-Hub-Acting-Unit}) are printable
 * ASCII, checked before any controller reads them: a byte outside it is a 400 problem naming the header and the
 * byte.
 *
 * <p>Tomcat reads header bytes as ISO-8859-1, so a byte of an invalid UTF-8 sequence reaches the application as one
 * character: 0x80–0x9F as a C1 control, which Spring Security's {@code StrictHttpFirewall} refuses lazily, when the
 * value is first read — in Spring MVC's {@code @RequestHeader} resolution, where its {@code RequestRejectedException}
 * fell through to the catch-all 500; 0xA0–0xFF as a Latin-1 letter the firewall lets through, an If-Match that never
 * matched (412) and an Idempotency-Key stored as mojibake. Read here from the request under the firewall's wrapper,
 * every such byte gets the same answer. Other headers the firewall refuses are answered 400 by platform ({@link RequestHeaderBytes}).
 */
@Configuration
public class RequestHeaders implements WebMvcConfigurer {

    /** The headers of the task API a controller reads itself. */
    static final List<String> CHECKED = List.of("If-Match", "Idempotency-Key", "X-Hub-Acting-Unit");

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                check(request);
                return true;
            }
        });
    }

    /** 400 naming the first of {@link #CHECKED} with a byte outside printable ASCII. */
    static void check(HttpServletRequest request) {
        for (String name : CHECKED) {
            Enumeration<String> values = RequestHeaderBytes.unwrappedHeaders(request, name);
            while (values != null && values.hasMoreElements()) {
                String bad = RequestHeaderBytes.badOctet(values.nextElement());
                if (bad != null) {
                    throw ApiException.badField(name, bad);
                }
            }
        }
    }
}
