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
