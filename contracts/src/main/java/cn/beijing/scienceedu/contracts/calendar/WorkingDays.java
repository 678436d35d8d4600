package cn.beijing.scienceedu.contracts.calendar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The working-day calendar (工作日历) of {@code calendar/working-days.yaml}: public holidays and 调休 make-up
 * days per year, as the State Council's notices set them. One copy for the hub; every service counts
 * deadlines and overdue days on it. A year that is not loaded is not guessed at: its dates count Monday–Friday
 * and {@link #knows(LocalDate)} says false, so callers can flag them.
 *
 * <p>Immutable; {@link #with(Path)} gives a calendar with the years of an operator's file added (a year in
 * both is taken from the file, so a corrected notice replaces the shipped one).
 */
public final class WorkingDays {

    /** Classpath location of the shipped calendar. */
    public static final String RESOURCE = "calendar/working-days.yaml";

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** One year of the file: the notice it comes from, days off, weekend days worked. */
    public record Year(String notice, List<LocalDate> holidays, List<LocalDate> workdays) {
        public Year {
            holidays = holidays == null ? List.of() : List.copyOf(holidays);
            workdays = workdays == null ? List.of() : List.copyOf(workdays);
        }
    }

    /** The file's form. */
    public record CalendarFile(Map<Integer, Year> years) {
    }

    private final Map<Integer, Year> years;
    private final Set<LocalDate> holidays = new HashSet<>();
    private final Set<LocalDate> workdays = new HashSet<>();

    private WorkingDays(Map<Integer, Year> years) {
        this.years = Collections.unmodifiableMap(new LinkedHashMap<>(years));
        years.values().forEach(y -> {
            holidays.addAll(y.holidays());
            workdays.addAll(y.workdays());
        });
    }

    /** The shipped calendar (2025, 2026 …). */
    public static WorkingDays standard() {
        try (InputStream in = WorkingDays.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return new WorkingDays(read(in, RESOURCE));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** This calendar with the years of {@code file} added or replaced. */
    public WorkingDays with(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return with(read(in, file.toString()));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the calendar file " + file + ": " + e.getMessage(), e);
        }
    }

    /** This calendar with {@code more} years added or replaced. */
    public WorkingDays with(Map<Integer, Year> more) {
        Map<Integer, Year> all = new LinkedHashMap<>(years);
        more.forEach((year, y) -> {
            List<String> errors = check(year, y);
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", errors));
            }
            all.put(year, y);
        });
        return new WorkingDays(all);
    }

    static Map<Integer, Year> read(InputStream in, String source) {
        CalendarFile file;
        try {
            file = YAML.readValue(in, CalendarFile.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("calendar " + source + " is not of the form of " + RESOURCE + ": "
                    + e.getOriginalMessage(), e);
        }
        if (file == null || file.years() == null) {
            throw new IllegalArgumentException("calendar " + source + " has no years");
        }
        List<String> errors = new ArrayList<>();
        file.years().forEach((year, y) -> errors.addAll(check(year, y)));
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("calendar " + source + ": " + String.join("; ", errors));
        }
        return file.years();
    }

    /** A year is taken only whole and consistent: every date in that year, make-up days on weekends. */
    static List<String> check(int year, Year y) {
        List<String> errors = new ArrayList<>();
        if (y == null) {
            errors.add(year + ": empty");
            return errors;
        }
        for (LocalDate d : y.holidays()) {
            if (d.getYear() != year) {
                errors.add(year + ": holiday " + d + " is not in " + year);
            }
            if (y.workdays().contains(d)) {
                errors.add(year + ": " + d + " is both a holiday and a make-up working day");
            }
        }
        for (LocalDate d : y.workdays()) {
            if (d.getYear() != year) {
                errors.add(year + ": make-up working day " + d + " is not in " + year);
            }
            if (!weekend(d)) {
                errors.add(year + ": make-up working day " + d + " is a " + d.getDayOfWeek() + ", not a weekend day");
            }
        }
        return errors;
    }

    private static boolean weekend(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    /** The years loaded, ascending. */
    public SortedSet<Integer> knownYears() {
        return new TreeSet<>(years.keySet());
    }

    public Map<Integer, Year> years() {
        return years;
    }

    /** Whether the date's year is loaded (else it is counted Monday–Friday, unflagged holidays and all). */
    public boolean knows(LocalDate d) {
        return years.containsKey(d.getYear());
    }

    /** Whether every date from {@code from} to {@code to} (either order) lies in a loaded year. */
    public boolean knowsAll(LocalDate from, LocalDate to) {
        int a = Math.min(from.getYear(), to.getYear());
        int b = Math.max(from.getYear(), to.getYear());
        for (int y = a; y <= b; y++) {
            if (!years.containsKey(y)) {
                return false;
            }
        }
        return true;
    }

    public boolean isWorkingDay(LocalDate d) {
        if (workdays.contains(d)) {
            return true;
        }
        if (holidays.contains(d)) {
            return false;
        }
        return !weekend(d);
    }

    /** The day itself if it is a working day, else the next working day. */
    public LocalDate onOrAfter(LocalDate d) {
        LocalDate x = d;
        while (!isWorkingDay(x)) {
            x = x.plusDays(1);
        }
        return x;
    }

    /** The n-th working day after {@code from} (n ≤ 0 gives {@link #onOrAfter}). */
    public LocalDate plusWorkingDays(LocalDate from, int n) {
        if (n <= 0) {
            return onOrAfter(from);
        }
        LocalDate x = from;
        int left = n;
        while (left > 0) {
            x = x.plusDays(1);
            if (isWorkingDay(x)) {
                left--;
            }
        }
        return x;
    }

    /**
     * Working days in (from, to]: how many working days from {@code from} until {@code to}; negative when
     * {@code to} is before {@code from} (working days in (to, from], negated).
     */
    public int workingDaysBetween(LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            return -workingDaysBetween(to, from);
        }
        int n = 0;
        for (LocalDate x = from.plusDays(1); !x.isAfter(to); x = x.plusDays(1)) {
            if (isWorkingDay(x)) {
                n++;
            }
        }
        return n;
    }
}
