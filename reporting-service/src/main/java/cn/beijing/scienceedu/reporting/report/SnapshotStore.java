package cn.beijing.scienceedu.reporting.report;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Frozen period snapshots (a trigger refuses any update or delete). */
@Component
public class SnapshotStore {

    public record Snapshot(String policyId, String period, OffsetDateTime closedAt, String closedBy, String contentHash,
            String body) {
    }

    private final JdbcClient jdbc;

    public SnapshotStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Snapshot> find(String policyId, String period) {
        return jdbc.sql("select * from period_snapshot where policy_id = :p and period = :period")
                .param("p", policyId).param("period", period)
                .query((rs, i) -> new Snapshot(rs.getString("policy_id"), rs.getString("period"),
                        rs.getTimestamp("closed_at").toInstant().atOffset(ZoneOffset.UTC), rs.getString("closed_by"),
                        rs.getString("content_hash"), rs.getString("body")))
                .optional();
    }

    public List<Snapshot> list(String policyId) {
        return jdbc.sql("""
                select policy_id, period, closed_at, closed_by, content_hash from period_snapshot
                where policy_id = :p order by closed_at""")
                .param("p", policyId)
                .query((rs, i) -> new Snapshot(rs.getString("policy_id"), rs.getString("period"),
                        rs.getTimestamp("closed_at").toInstant().atOffset(ZoneOffset.UTC), rs.getString("closed_by"),
                        rs.getString("content_hash"), null))
                .list();
    }

    /** Inserts the snapshot; false when the period was already closed. */
    public boolean insert(Snapshot s) {
        return jdbc.sql("""
                insert into period_snapshot (policy_id, period, closed_at, closed_by, content_hash, body)
                values (:p, :period, :at, :by, :hash, :body) on conflict do nothing""")
                .param("p", s.policyId()).param("period", s.period())
                .param("at", java.sql.Timestamp.from(s.closedAt().toInstant())).param("by", s.closedBy())
                .param("hash", s.contentHash()).param("body", s.body())
                .update() == 1;
    }
}
