package cn.beijing.scienceedu.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** Which problem beans a service gets, with and without a web server, and that its own answers win. */
class PlatformProblemAutoConfigurationTest {

    private static final AutoConfigurations PLATFORM = AutoConfigurations.of(PlatformProblemAutoConfiguration.class);

    @Test
    void aServletServiceGetsTheAnswersTheErrorControllerAndTheBodyAdvice() {
        new WebApplicationContextRunner().withConfiguration(PLATFORM).run(ctx -> {
            assertThat(ctx).hasSingleBean(ProblemAnswers.class).hasSingleBean(ProblemErrorController.class)
                    .hasSingleBean(ProblemBodyAdvice.class);
            assertThat(ctx.getBean(ProblemAnswers.class)).isInstanceOf(JsonProblemAnswers.class);
        });
    }

    @Test
    void withoutAWebServerTheAnswersStillExistForTheServicesFilters() {
        new ApplicationContextRunner().withConfiguration(PLATFORM).run(ctx -> {
            assertThat(ctx).hasSingleBean(ProblemAnswers.class).doesNotHaveBean(ProblemErrorController.class);
        });
    }

    @Test
    void aServicesOwnAnswersAreUsedByTheErrorController() {
        ProblemAnswers own = new JsonProblemAnswers() {
        };
        new WebApplicationContextRunner().withConfiguration(PLATFORM)
                .withBean("ownAnswers", ProblemAnswers.class, () -> own).run(ctx -> {
                    assertThat(ctx).hasSingleBean(ProblemAnswers.class);
                    assertThat(ctx.getBean(ProblemAnswers.class)).isSameAs(own);
                });
    }
}
