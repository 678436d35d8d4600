package cn.beijing.scienceedu.reporting.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.beijing.scienceedu.contracts.calendar.WorkingDaysSource;
import cn.beijing.scienceedu.reporting.ReportingProperties;

/**
 * {@code hub.reporting.calendar-file} ({@code HUB_CALENDAR_FILE}): the shipped years of contracts' calendar, plus an
 * operator's file, loaded again when it changes — a new year without a rebuild (plain JUnit, no Spring).
 */
class CalendarConfigTest {

    private static ReportingProperties properties(Path file) {
        return new ReportingProperties(null, null, null, null, null, null, null,
                file == null ? "" : file.toString(), Duration.ZERO, null);
    }

    @Test
    void withoutAFileTheShippedYearsOnly() {
        WorkingDaysSource source = new CalendarConfig().workingDays(properties(null));
        assertThat(source.get().knows(LocalDate.of(2026, 10, 1))).isTrue();
        assertThat(source.get().knows(LocalDate.of(2027, 1, 1))).isFalse();
        // 1–7 October 2026 off, Saturday 10 October worked: after 30 Sep up to 12 Oct, 8, 9, 10 and 12 October
        assertThat(source.get().workingDaysBetween(LocalDate.of(2026, 9, 30), LocalDate.of(2026, 10, 12))).isEqualTo(4);
    }

    @Test
    void anOperatorsFileAddsAYearAndIsReadAgainWhenItChanges(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("calendar.yaml");
        Files.writeString(file, """
                years:
                  2027:
                    notice: test notice
                    holidays: [2027-01-01]
                    workdays: []
                """);
        WorkingDaysSource source = new CalendarConfig().workingDays(properties(file));
        assertThat(source.get().knows(LocalDate.of(2027, 3, 1))).isTrue();
        assertThat(source.get().knows(LocalDate.of(2026, 3, 1))).isTrue();
        // Thursday 31 Dec 2026 → Monday 4 Jan 2027: Friday 1 January off → 1 working day
        assertThat(source.get().workingDaysBetween(LocalDate.of(2026, 12, 31), LocalDate.of(2027, 1, 4))).isEqualTo(1);

        Files.writeString(file, """
                years:
                  2027:
                    notice: corrected
                    holidays: [2027-01-01, 2027-01-04]
                    workdays: []
                """);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(source.get().workingDaysBetween(LocalDate.of(2026, 12, 31), LocalDate.of(2027, 1, 4))).isEqualTo(0);
    }

    @Test
    void aFileThatDoesNotReadStopsTheStart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "years:\n  2027:\n    holidays: [2026-05-01]\n");
        assertThatThrownBy(() -> new CalendarConfig().workingDays(properties(file)))
                .hasMessageContaining("2026-05-01");
        assertThatThrownBy(() -> new CalendarConfig().workingDays(properties(dir.resolve("missing.yaml"))))
                .hasMessageContaining("does not exist");
    }
}
