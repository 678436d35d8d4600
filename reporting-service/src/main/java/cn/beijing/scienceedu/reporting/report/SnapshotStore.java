package cn.beijing.scienceedu.reporting.report;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Frozen period snapshots (a trigger refuses any update or delete): the report body, the lineage of its figures
 * and the circular as they were at the close, each with its SHA-256.
 */
@Component
public class SnapshotStore {

    /**
     * One closed period. {@code lineage}, {@code circular} and {@code circularDocx} are null for periods closed
     * before they were frozen too (V2).
     */
    public record Snapshot(String policyId, String period, OffsetDateTime closedAt, String closedBy, String contentHash,
            String body, String lineage, String lineageHash, String circular, String circularHash, byte[] circularDocx) {

        public Snapshot(String policyId, String period, OffsetDateTime closedAt, String closedBy, String contentHash,
                String body) {
            this(policyId, period, closedAt, closedBy, contentHash, body, null, null, null, null, null);
        }
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
                        rs.getString("content_hash"), rs.getString("body"), rs.getString("lineage"),
                        rs.getString("lineage_hash"), rs.getString("circular"), rs.getString("circular_hash"),
                        rs.getBytes("circular_docx")))
                .optional();
    }

    /** Whether the period is closed, without reading its body. */
    public Optional<OffsetDateTime> closedAt(String policyId, String period) {
        return jdbc.sql("select closed_at from period_snapshot where policy_id = :p and period = :period")
                .param("p", policyId).param("period", period)
                .query((rs, i) -> rs.getTimestamp(1).toInstant().atOffset(ZoneOffset.UTC))
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
                insert into period_snapshot (policy_id, period, closed_at, closed_by, content_hash, body, lineage,
                    lineage_hash, circular, circular_hash, circular_docx)
                values (:p, :period, :at, :by, :hash, :body, :lineage, :lineageHash, :circular, :circularHash, :docx)
                on conflict do nothing""")
                .param("p", s.policyId()).param("period", s.period())
                .param("at", java.sql.Timestamp.from(s.closedAt().toInstant())).param("by", s.closedBy())
                .param("hash", s.contentHash()).param("body", s.body())
                .param("lineage", s.lineage()).param("lineageHash", s.lineageHash())
                .param("circular", s.circular()).param("circularHash", s.circularHash())
                .param("docx", s.circularDocx())
                .update() == 1;
    }
}
