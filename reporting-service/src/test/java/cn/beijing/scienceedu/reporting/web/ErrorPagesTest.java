package cn.beijing.scienceedu.reporting.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Plain JUnit: who gets the error page and who the problem detail (content negotiation on {@code Accept}). */
class ErrorPagesTest {

    @ParameterizedTest(name = "{0} → html {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            // browsers following a link or opening a page
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7 | true",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8 | true",
            "application/xhtml+xml | true",
            "text/html | true",
            "text/html, application/json | true",
            // API clients
            "application/json | false",
            "application/problem+json | false",
            "application/json, text/html;q=0.5 | false",
            "application/json, text/html | false",
            "text/html;q=0.5, application/json | false",
            "application/vnd.api+json, text/html;q=0.9 | false",
            "*/* | false",
            "text/* | false",
            "application/pdf | false",
            "text/csv | false",
            "text/html;q=0 | false",
            "not a media type;;; | false",
            "'' | false",
            "NULL | false"})
    void browsersGetPagesApiClientsProblems(String accept, boolean html) {
        assertThat(ErrorPages.prefersHtml(accept)).isEqualTo(html);
    }
}
