package cn.beijing.scienceedu.task.deadline;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.task.calendar.WorkingCalendar;
import cn.beijing.scienceedu.task.lifecycle.TaskRecord;

/**
 * The bureau's own times (signedAt, reportedAt, submittedAt, requestedAt) are kept as sent, the hub's receipt time
 * beside them. A time more than {@code hub.bureau-times.future-tolerance} ahead of the hub's clock cannot be true;
 * one before the task was dispatched cannot be either (with the same allowance, for a bureau clock running behind).
 * Either is refused with a problem naming the field.
 */
@Component
public class BureauTimes {

    private final WorkingCalendar calendar;
    private final Duration tolerance;

    public BureauTimes(WorkingCalendar calendar,
            @Value("${hub.bureau-times.future-tolerance:5m}") Duration tolerance) {
        this.calendar = calendar;
        this.tolerance = tolerance;
    }

    /** Adds an error for {@code field} to {@code errors} when {@code sent} (may be null: nothing to check) is impossible. */
    public void check(String field, OffsetDateTime sent, TaskRecord t, OffsetDateTime now, List<Map<String, String>> errors) {
        if (sent == null) {
            return;
        }
        if (sent.isAfter(now.plus(tolerance))) {
            errors.add(error(field, "is more than " + describe(tolerance) + " ahead of the hub's clock (" + now + ")"));
        } else if (t.dispatchedAt != null && sent.isBefore(t.dispatchedAt.minus(tolerance))) {
            errors.add(error(field, "is before the task was dispatched (" + t.dispatchedAt + ")"));
        }
    }

    /** The bureau's time as sent, or the hub's receipt time when it sent none. */
    public static OffsetDateTime orReceived(OffsetDateTime sent, OffsetDateTime received) {
        return sent != null ? sent : received;
    }

    public OffsetDateTime now() {
        return calendar.now();
    }

    private static String describe(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " minute(s)" : d.toSeconds() + " second(s)";
    }

    static Map<String, String> error(String field, String message) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("field", field);
        m.put("message", message);
        return m;
    }
}
