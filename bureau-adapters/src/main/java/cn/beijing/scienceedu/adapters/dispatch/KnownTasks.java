package cn.beijing.scienceedu.adapters.dispatch;

import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Tasks dispatched through this hub and the unit each belongs to (from the task events). */
@Repository
public class KnownTasks {

    private final JdbcTemplate jdbc;

    public KnownTasks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the task's state from an event; false when the event is older than what is held (stale),
     * so the caller drops it.
     */
    public boolean advance(String taskId, String unit, long version, String status) {
        int n = jdbc.update("""
                insert into known_task(task_id, unit_code, version, status) values (?,?,?,?)
                on conflict (task_id) do update set unit_code = excluded.unit_code, version = excluded.version,
                  status = excluded.status, updated_at = now()
                where known_task.version < excluded.version""", taskId, unit, version, status);
        return n == 1;
    }

    /** The unit the task was dispatched to, if it was. */
    public Optional<String> unitOf(String taskId) {
        return jdbc.queryForList("select unit_code from known_task where task_id = ?", String.class, taskId).stream()
                .findFirst();
    }

    public boolean belongsTo(String taskId, String unit) {
        return unitOf(taskId).filter(unit::equals).isPresent();
    }
}
