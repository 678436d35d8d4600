package cn.beijing.scienceedu.reporting.shared;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A reporting period: a year {@code 2025}, a quarter {@code 2025-Q1} or a month {@code 2025-03}. */
public record Period(String id, Kind kind, LocalDate start, LocalDate endExclusive) {

    public enum Kind { YEAR, QUARTER, MONTH }

    private static final Pattern FORMAT = Pattern.compile("^(?!0000)([0-9]{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$"); // year 0000 refused, as the spec says

    public static Period parse(String id) {
        Matcher m = id == null ? null : FORMAT.matcher(id);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("period must look like 2025, 2025-Q1 or 2025-03: " + id);
        }
        int year = Integer.parseInt(m.group(1));
        if (m.group(2) != null) {
            int q = Integer.parseInt(m.group(2));
            LocalDate s = LocalDate.of(year, (q - 1) * 3 + 1, 1);
            return new Period(id, Kind.QUARTER, s, s.plusMonths(3));
        }
        if (m.group(3) != null) {
            LocalDate s = LocalDate.of(year, Integer.parseInt(m.group(3)), 1);
            return new Period(id, Kind.MONTH, s, s.plusMonths(1));
        }
        LocalDate s = LocalDate.of(year, 1, 1);
        return new Period(id, Kind.YEAR, s, s.plusYears(1));
    }

    public static boolean isValid(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }

    public LocalDate endInclusive() {
        return endExclusive.minusDays(1);
    }

    public Instant startInstant(ZoneId zone) {
        return start.atStartOfDay(zone).toInstant();
    }

    public Instant endInstant(ZoneId zone) {
        return endExclusive.atStartOfDay(zone).toInstant();
    }

    /** Whether {@code other} lies within this period (a month in its quarter and year, …). */
    public boolean contains(Period other) {
        return !other.start.isBefore(start) && !other.endExclusive.isAfter(endExclusive);
    }

    /**
     * The ids of every period that lies within this one (itself, its quarters and months): what a report counts
     * by a fact's own period, so the read models can be filtered by them in SQL.
     */
    public java.util.List<String> within() {
        java.util.List<String> ids = new java.util.ArrayList<>();
        ids.add(id);
        if (kind == Kind.YEAR) {
            for (int q = 1; q <= 4; q++) {
                ids.add(start.getYear() + "-Q" + q);
            }
        }
        if (kind != Kind.MONTH) {
            for (LocalDate m = start; m.isBefore(endExclusive); m = m.plusMonths(1)) {
                ids.add(String.format("%d-%02d", m.getYear(), m.getMonthValue()));
            }
        }
        return ids;
    }

    public boolean contains(Instant t, ZoneId zone) {
        return !t.isBefore(startInstant(zone)) && t.isBefore(endInstant(zone));
    }

    /** The following period of the same kind. */
    public Period next() {
        return switch (kind) {
            case YEAR -> parse(String.valueOf(start.getYear() + 1));
            case QUARTER -> {
                LocalDate n = start.plusMonths(3);
                yield parse(n.getYear() + "-Q" + ((n.getMonthValue() - 1) / 3 + 1));
            }
            case MONTH -> {
                LocalDate n = start.plusMonths(1);
                yield parse(String.format("%d-%02d", n.getYear(), n.getMonthValue()));
            }
        };
    }

    /** The preceding period of the same kind. */
    public Period previous() {
        return switch (kind) {
            case YEAR -> parse(String.valueOf(start.getYear() - 1));
            case QUARTER -> {
                LocalDate p = start.minusMonths(3);
                yield parse(p.getYear() + "-Q" + ((p.getMonthValue() - 1) / 3 + 1));
            }
            case MONTH -> {
                LocalDate p = start.minusMonths(1);
                yield parse(String.format("%d-%02d", p.getYear(), p.getMonthValue()));
            }
        };
    }

    /** The period of the same kind that contains {@code date}. */
    public static Period containing(LocalDate date, Kind kind) {
        return switch (kind) {
            case YEAR -> parse(String.valueOf(date.getYear()));
            case QUARTER -> parse(date.getYear() + "-Q" + ((date.getMonthValue() - 1) / 3 + 1));
            case MONTH -> parse(String.format("%d-%02d", date.getYear(), date.getMonthValue()));
        };
    }
}
