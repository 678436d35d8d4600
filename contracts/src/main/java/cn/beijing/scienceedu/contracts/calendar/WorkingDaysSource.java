package cn.beijing.scienceedu.contracts.calendar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The calendar a service counts on: the shipped {@link WorkingDays#standard()} plus, where an operator set one
 * ({@code HUB_CALENDAR_FILE}), the years of a file of the same form — read again when its modification time
 * changes (looked at no more often than {@code recheck}), so a new year is loaded without a rebuild or a
 * restart. A file that does not read keeps the calendar as it was and is reported to {@code problems}.
 */
public final class WorkingDaysSource {

    private final WorkingDays shipped = WorkingDays.standard();
    private final Path file;
    private final Duration recheck;
    private final Consumer<String> problems;
    private volatile WorkingDays current;
    private volatile FileTime loadedVersion;
    private volatile long checkedAtNanos;

    /** {@code file} may be null (only the shipped years). */
    public WorkingDaysSource(Path file, Duration recheck, Consumer<String> problems) {
        this.file = file;
        this.recheck = recheck;
        this.problems = problems;
        this.current = shipped;
        if (file != null) {
            // at start an unreadable file is an error the operator must see at once
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("calendar file " + file + " does not exist");
            }
            reload(true);
        }
    }

    /** The calendar now (re-reading the operator's file if it changed). */
    public WorkingDays get() {
        if (file != null && System.nanoTime() - checkedAtNanos > recheck.toNanos()) {
            reload(false);
        }
        return current;
    }

    public Path file() {
        return file;
    }

    private synchronized void reload(boolean strict) {
        checkedAtNanos = System.nanoTime();
        try {
            FileTime version = Files.getLastModifiedTime(file);
            if (version.equals(loadedVersion)) {
                return;
            }
            current = shipped.with(file);
            loadedVersion = version;
        } catch (IOException | IllegalArgumentException e) {
            if (strict) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            problems.accept("calendar file " + file + " not loaded, the calendar stays as it was: " + e.getMessage());
        }
    }
}
