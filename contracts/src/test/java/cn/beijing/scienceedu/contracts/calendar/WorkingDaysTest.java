package cn.beijing.scienceedu.contracts.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkingDaysTest {

    private final WorkingDays calendar = WorkingDays.standard();

    /**
     * N working days after a date, across 春节 and 国庆 of 2025 and 2026, counted by hand from the State
     * Council's notices (days off and 调休 make-up days), e.g. 2025-01-24 (Fri) + 5: 1/26 (Sun, make-up) 1,
     * 1/27 2, 1/28–2/4 off, 2/5 3, 2/6 4, 2/7 5.
     */
    @ParameterizedTest(name = "{0} + {1} working days = {2}")
    @CsvSource({
            "2025-01-24, 5, 2025-02-07",
            "2025-01-24, 7, 2025-02-10",
            "2025-09-26, 3, 2025-09-30",
            "2025-09-26, 4, 2025-10-09",
            "2025-09-26, 6, 2025-10-11",
            "2026-02-12, 2, 2026-02-14",
            "2026-02-12, 3, 2026-02-24",
            "2026-02-12, 7, 2026-02-28",
            "2026-09-24, 1, 2026-09-28",
            "2026-09-24, 4, 2026-10-08",
            "2026-09-24, 6, 2026-10-10"})
    void deadlinesAcrossTheLongHolidays(LocalDate from, int n, LocalDate expected) {
        assertThat(calendar.plusWorkingDays(from, n)).isEqualTo(expected);
        assertThat(calendar.workingDaysBetween(from, expected)).isEqualTo(n);
        assertThat(calendar.workingDaysBetween(expected, from)).isEqualTo(-n);
    }

    @Test
    void makeUpDaysAreWorkingDaysAndHolidaysAreNot() {
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-02-14"))).as("Sat, 调休上班").isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-02-16"))).as("Mon, 春节").isFalse();
        assertThat(calendar.isWorkingDay(LocalDate.parse("2025-10-08"))).as("Wed, 国庆·中秋").isFalse();
        assertThat(calendar.onOrAfter(LocalDate.parse("2025-10-01"))).isEqualTo(LocalDate.parse("2025-10-09"));
    }

    @Test
    void aYearNotLoadedIsFlaggedNotGuessed() {
        assertThat(calendar.knownYears()).contains(2025, 2026);
        assertThat(calendar.knows(LocalDate.parse("2026-12-31"))).isTrue();
        assertThat(calendar.knows(LocalDate.parse("2027-02-10"))).isFalse();
        assertThat(calendar.knowsAll(LocalDate.parse("2026-12-01"), LocalDate.parse("2027-01-05"))).isFalse();
        // counted Monday–Friday meanwhile: 2027-02-10 is a Wednesday
        assertThat(calendar.isWorkingDay(LocalDate.parse("2027-02-10"))).isTrue();
    }

    @Test
    void anOperatorLoadsANewYearFromAFileWithoutARebuild(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("calendar.yaml");
        Files.writeString(file, "years:\n  2027:\n    notice: test\n    holidays: [2027-02-10]\n    workdays: [2027-02-06]\n");
        List<String> problems = new ArrayList<>();
        WorkingDaysSource source = new WorkingDaysSource(file, Duration.ZERO, problems::add);
        assertThat(source.get().knows(LocalDate.parse("2027-02-10"))).isTrue();
        assertThat(source.get().isWorkingDay(LocalDate.parse("2027-02-10"))).isFalse();
        assertThat(source.get().isWorkingDay(LocalDate.parse("2027-02-06"))).as("Sat, make-up").isTrue();
        assertThat(source.get().knows(LocalDate.parse("2026-05-01"))).as("shipped years stay").isTrue();

        // a broken edit keeps the calendar as it was and says why
        Files.writeString(file, "years:\n  2027:\n    holidays: [2028-01-01]\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertThat(source.get().isWorkingDay(LocalDate.parse("2027-02-10"))).isFalse();
        assertThat(problems).singleElement().asString().contains("2028-01-01 is not in 2027");
    }

    @Test
    void inconsistentYearsAreRefused() {
        assertThatThrownBy(() -> calendar.with(java.util.Map.of(2027,
                new WorkingDays.Year("x", List.of(), List.of(LocalDate.parse("2027-02-10"))))))
                .hasMessageContaining("not a weekend day");
        assertThatThrownBy(() -> new WorkingDaysSource(Path.of("/nonexistent/calendar.yaml"), Duration.ZERO, s -> { }))
                .hasMessageContaining("does not exist");
    }
}
