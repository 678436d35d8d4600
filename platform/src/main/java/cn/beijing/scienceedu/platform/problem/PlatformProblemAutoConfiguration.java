package cn.beijing.scienceedu.platform.problem;

import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Problem details for every servlet service: the default {@link ProblemAnswers} (JSON; a service that serves
 * browsers declares its own), the {@link ProblemErrorController} in place of Boot's, and Tomcat's error report valve
 * replaced by {@link ProblemErrorReportValve}, and {@link ProblemBodyAdvice} completing the problems controllers return
 * themselves. Each service's {@code @RestControllerAdvice} extends
 * {@link HubProblemHandler}.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@ConditionalOnClass({ jakarta.servlet.http.HttpServletRequest.class, ResponseEntityExceptionHandler.class })
public class PlatformProblemAutoConfiguration {

    /**
     * Also without a web server (a service's command-line mode), so that a servlet filter or handler of the service
     * can always be built.
     */
    @Bean
    @ConditionalOnMissingBean(ProblemAnswers.class)
    ProblemAnswers problemAnswers() {
        return new JsonProblemAnswers();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(ErrorController.class)
    static class ServletWeb {

        @Bean
        @ConditionalOnMissingBean(ErrorController.class)
        ProblemErrorController problemErrorController(ProblemAnswers answers) {
            return new ProblemErrorController(answers);
        }

        @Bean
        ProblemBodyAdvice problemBodyAdvice() {
            return new ProblemBodyAdvice();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(org.springframework.security.web.firewall.RequestRejectedHandler.class)
    static class Firewall {

        /**
         * A request Spring Security's firewall refuses before the dispatcher — its path, or a header whose value holds a
         * control character — answered as a problem written directly: a 400 naming the header and the byte, else the
         * error path's 400. Spring's default ({@code sendError(400)}, then {@code /error}) left a bare 400 without a body
         * when the refused header was {@code Accept}, since every answer negotiates on it.
         */
        @Bean
        @ConditionalOnMissingBean(org.springframework.security.web.firewall.RequestRejectedHandler.class)
        org.springframework.security.web.firewall.RequestRejectedHandler requestRejectedHandler(ProblemAnswers answers) {
            return (request, response, rejected) -> {
                if (response.isCommitted()) {
                    return;
                }
                response.resetBuffer();
                // what Spring Security's header writer adds to every answer (it has not run for this one)
                response.setHeader("X-Content-Type-Options", "nosniff");
                response.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
                String[] bad = RequestHeaderBytes.firstBad(request);
                org.springframework.http.ProblemDetail p = bad == null
                        ? Problems.of(400, ProblemErrorController.detail(400), null)
                        : Problems.withErrors(Problems.of(org.springframework.http.HttpStatus.BAD_REQUEST, "Bad Request",
                                "the request has invalid fields"), java.util.List.of(HubProblemHandler.error(bad[0], bad[1])));
                answers.write(request, response, p);
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({ TomcatServletWebServerFactory.class, ErrorReportValve.class })
    static class TomcatValve {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
            return factory -> factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                    host.getPipeline().addValve(new ProblemErrorReportValve());
                }
            });
        }
    }
}
