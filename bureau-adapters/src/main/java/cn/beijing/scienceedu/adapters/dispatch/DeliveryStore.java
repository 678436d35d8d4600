package cn.beijing.scienceedu.adapters.dispatch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import cn.beijing.scienceedu.adapters.outbound.Delivery;

/** The durable outbox (table {@code delivery}). */
@Repository
public class DeliveryStore {

    private final JdbcTemplate jdbc;

    public DeliveryStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a pending delivery; false when the same event was already queued for this unit. */
    public boolean enqueue(String id, String sourceEventId, String sourceEventType, String unit, String taskId,
            Long taskVersion, String kind, String protocol, String payload, String traceparent) {
        int n = jdbc.update("""
                insert into delivery(id, source_event_id, source_event_type, unit_code, task_id, task_version, kind,
                  protocol, payload, traceparent, status)
                values (?,?,?,?,?,?,?,?,?,?,'PENDING') on conflict do nothing""",
                id, sourceEventId, sourceEventType, unit, taskId, taskVersion, kind, protocol, payload, traceparent);
        return n == 1;
    }

    /**
     * The due head of each task's queue for a unit: a PENDING delivery with no older PENDING or PARKED one
     * for the same task (so order per task holds, also behind a parked message).
     */
    public List<Delivery> dueHeads(String unit, int limit) {
        return jdbc.query("""
                select d.* from delivery d
                where d.unit_code = ? and d.status = 'PENDING' and d.next_attempt_at <= now()
                  and not exists (select 1 from delivery e where e.unit_code = d.unit_code and e.task_id = d.task_id
                                  and e.status in ('PENDING','PARKED') and e.enqueue_seq < d.enqueue_seq)
                order by d.enqueue_seq limit ?""", DeliveryStore::row, unit, limit);
    }

    /** Units that have a due pending delivery. */
    public List<String> unitsWithDueWork() {
        return jdbc.queryForList(
                "select distinct unit_code from delivery where status = 'PENDING' and next_attempt_at <= now()",
                String.class);
    }

    /**
     * Runs {@code work} only if this replica gets the unit's session advisory lock (held on a connection
     * of its own for the duration); each update inside commits on its own.
     */
    public boolean withUnitLock(String unit, Runnable work) {
        return withLock("hub-adapters-dispatch:" + unit, work);
    }

    /** {@link #withUnitLock} for any named poll source. */
    public boolean withLock(String name, Runnable work) {
        javax.sql.DataSource ds = jdbc.getDataSource();
        try (java.sql.Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            boolean locked;
            try (java.sql.PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(hashtext(?))")) {
                ps.setString(1, name);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    locked = rs.next() && rs.getBoolean(1);
                }
            }
            if (!locked) {
                return false;
            }
            try {
                work.run();
            } finally {
                try (java.sql.PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(hashtext(?))")) {
                    ps.setString(1, name);
                    ps.execute();
                }
            }
            return true;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("lock " + name + ": " + e.getMessage(), e);
        }
    }

    public void delivered(String id, int attempts, String bureauReference) {
        jdbc.update("""
                update delivery set status = 'DELIVERED', attempts = ?, bureau_reference = ?, delivered_at = now(),
                  updated_at = now(), last_error = null where id = ?""", attempts, bureauReference, id);
    }

    /** One finished send to mark DELIVERED ({@link #deliveredAll}). */
    public record Done(String id, int attempts, String bureauReference) {
    }

    /** {@link #delivered} for a batch, in one round trip (inside the caller's transaction when there is one). */
    public void deliveredAll(List<Done> done) {
        if (done.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("""
                update delivery set status = 'DELIVERED', attempts = ?, bureau_reference = ?, delivered_at = now(),
                  updated_at = now(), last_error = null where id = ?""",
                done.stream().map(d -> new Object[] {d.attempts(), d.bureauReference(), d.id()}).toList());
    }

    public void retryLater(String id, int attempts, Instant next, String error) {
        jdbc.update("""
                update delivery set attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = now()
                where id = ? and status = 'PENDING'""", attempts, Timestamp.from(next), truncate(error), id);
    }

    public void park(String id, int attempts, String reason, String error) {
        jdbc.update("""
                update delivery set status = 'PARKED', attempts = ?, reason = ?, last_error = ?, updated_at = now()
                where id = ?""", attempts, truncate(reason), truncate(error), id);
    }

    /** Parked to pending again, due now, attempts kept. */
    public boolean replay(String id) {
        return jdbc.update("""
                update delivery set status = 'PENDING', next_attempt_at = now(), updated_at = now()
                where id = ? and status = 'PARKED'""", id) == 1;
    }

    public boolean discard(String id, String reason) {
        return jdbc.update("""
                update delivery set status = 'DISCARDED', discard_reason = ?, updated_at = now()
                where id = ? and status = 'PARKED'""", reason, id) == 1;
    }

    public Optional<Delivery> find(String id) {
        return jdbc.query("select * from delivery where id = ?", DeliveryStore::row, id).stream().findFirst();
    }

    public List<Delivery> parked(String unit, int limit) {
        if (unit == null) {
            return jdbc.query("select * from delivery where status = 'PARKED' order by enqueue_seq limit ?",
                    DeliveryStore::row, limit);
        }
        return jdbc.query("select * from delivery where status = 'PARKED' and unit_code = ? order by enqueue_seq limit ?",
                DeliveryStore::row, unit, limit);
    }

    public List<Delivery> forTask(String unit, String taskId) {
        return jdbc.query("select * from delivery where unit_code = ? and task_id = ? order by enqueue_seq",
                DeliveryStore::row, unit, taskId);
    }

    public Map<String, Long> countByUnit(String status) {
        return jdbc.query("select unit_code, count(*) n from delivery where status = ? group by unit_code",
                (rs, i) -> Map.entry(rs.getString(1), rs.getLong(2)), status).stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    static Delivery row(ResultSet rs, int i) throws SQLException {
        Timestamp next = rs.getTimestamp("next_attempt_at");
        long tv = rs.getLong("task_version");
        Long taskVersion = rs.wasNull() ? null : tv;
        return new Delivery(rs.getString("id"), rs.getLong("enqueue_seq"), rs.getString("source_event_id"),
                rs.getString("source_event_type"), rs.getString("unit_code"), rs.getString("task_id"), taskVersion,
                rs.getString("kind"), rs.getString("protocol"), rs.getString("payload"), rs.getString("traceparent"),
                rs.getString("status"), rs.getInt("attempts"), next == null ? null : next.toInstant(),
                rs.getString("reason"), rs.getString("last_error"), rs.getString("bureau_reference"),
                rs.getString("discard_reason"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 4000);
    }
}
