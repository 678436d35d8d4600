package cn.beijing.scienceedu.reporting.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

/** The period identifiers the reporting API takes, as reporting-api.yaml states them. */
class PeriodTest {

    @Test
    void aYearAQuarterOrAMonthAndNeverTheYear0000() {
        assertThat(Period.isValid("2025")).isTrue();
        assertThat(Period.isValid("2025-Q1")).isTrue();
        assertThat(Period.isValid("2025-03")).isTrue();
        assertThat(Period.isValid("0001")).isTrue();
        assertThat(Period.isValid("0000")).as("year 0000, which the spec refuses").isFalse();
        assertThat(Period.isValid("0000-Q1")).isFalse();
        assertThat(Period.isValid("2025-Q5")).isFalse();
        assertThat(Period.isValid("2025-13")).isFalse();
        assertThat(Period.parse("2025-Q2").start()).isEqualTo(LocalDate.of(2025, 4, 1));
    }
}
