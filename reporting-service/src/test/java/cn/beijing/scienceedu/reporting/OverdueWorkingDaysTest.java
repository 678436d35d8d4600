package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * Overdue days are working days on the hub's calendar (contracts {@code calendar/working-days.yaml}):
 * weekends and public holidays do not count, 调休 make-up Saturdays and Sundays do.
 */
class OverdueWorkingDaysTest extends ReportingTestBase {

    private static final String P = "working-days";

    @Test
    void overdueDaysAcrossTheSpringFestivalCountOnlyWorkingDays() {
        policyCopy(P);
        OffsetDateTime t0 = OffsetDateTime.of(2025, 1, 6, 9, 0, 0, 0, ZoneOffset.ofHours(8));
        // due Friday 24 January 2025, before the Spring Festival (28 Jan – 4 Feb off; Sun 26 Jan and Sat 8 Feb worked)
        publish(TaskEvents.task("task.signed-for", P, "wd-m2-SJW", 2, "SJW", "SJW", "SIGNED_FOR", 3, t0)
                .deadline(LocalDate.of(2025, 1, 24)));
        // due Monday 3 March 2025
        publish(TaskEvents.task("task.signed-for", P, "wd-m4-SJW", 4, "SJW", "SJW", "SIGNED_FOR", 3, t0)
                .deadline(LocalDate.of(2025, 3, 3)));
        await("both tasks applied", Duration.ofSeconds(20), () -> eventsApplied(P) == 2);

        // as of 28 February: 26, 27 Jan, 5-8 Feb, then 15 weekdays = 21 working days (35 calendar days)
        JsonNode feb = getJson("/api/v1/reports/overdue?policy=" + P + "&period=2025-02");
        assertThat(feb).hasSize(1);
        assertThat(feb.get(0).get("taskId").asText()).isEqualTo("wd-m2-SJW");
        assertThat(feb.get(0).get("daysOverdue").asInt()).isEqualTo(21);
        // as of 31 January (the festival): 26, 27 Jan = 2 working days (7 calendar days)
        JsonNode jan = getJson("/api/v1/reports/overdue?policy=" + P + "&period=2025-01");
        assertThat(jan).hasSize(1);
        assertThat(jan.get(0).get("daysOverdue").asInt()).isEqualTo(2);
        // as of 30 April: 64 and 42 working days (96 and 58 calendar days; 4 April (清明) off, Sunday 27 April worked)
        JsonNode april = getJson("/api/v1/reports/overdue?policy=" + P + "&period=2025-04");
        assertThat(april).hasSize(2);
        assertThat(april.get(0).get("taskId").asText()).isEqualTo("wd-m2-SJW");
        assertThat(april.get(0).get("daysOverdue").asInt()).isEqualTo(64);
        assertThat(april.get(1).get("taskId").asText()).isEqualTo("wd-m4-SJW");
        assertThat(april.get(1).get("daysOverdue").asInt()).isEqualTo(42);
    }
}
