package cn.beijing.scienceedu.adapters.messagelog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import cn.beijing.scienceedu.contracts.operations.model.ChainResult;

/**
 * The bureau message log (as X-Road keeps one): every exchange in and out, hash-chained per unit.
 * {@code record_hash = sha256(prev_hash | unit | seq | direction | protocol | message id | kind | task |
 * at (µs) | size | payload hash | outcome)}. Chain heads are checkpointed to a file outside the
 * database; {@link #verify(String)} recomputes every chain and compares it with the checkpoints, so an
 * edited, deleted or reordered record is found. Records older than the retention are archived to a file
 * together with an anchor (the last archived hash) from which verification continues.
 */
@Service
public class MessageLog {

    private static final Logger log = LoggerFactory.getLogger(MessageLog.class);
    static final String GENESIS = "0".repeat(64);

    public enum Direction { IN, OUT }

    public record Entry(String unitCode, Direction direction, String protocol, String messageId, String kind,
            String taskId, byte[] payload, String outcome) {
    }

    public record Record(long id, String unitCode, long seq, String direction, String protocol, String messageId,
            String messageKind, String taskId, Instant at, int size, String payloadHash, String outcome,
            String prevHash, String recordHash) {
    }

    private final JdbcTemplate jdbc;
    private final Path checkpointFile;
    private final Path archiveDir;
    private final Duration retention;
    @Value("${hub.adapters.message-log.checkpointing:true}")
    private boolean checkpointing = true;

    public MessageLog(JdbcTemplate jdbc,
            @Value("${hub.adapters.message-log.checkpoint-file:${java.io.tmpdir}/hub-adapters/message-log-checkpoints.log}") Path checkpointFile,
            @Value("${hub.adapters.message-log.archive-dir:${java.io.tmpdir}/hub-adapters/message-log-archive}") Path archiveDir,
            @Value("${hub.adapters.message-log.retention:P365D}") Duration retention) {
        this.jdbc = jdbc;
        this.checkpointFile = checkpointFile;
        this.archiveDir = archiveDir;
        this.retention = retention;
    }

    /** Appends one record to the unit's chain; its own transaction, so a failed exchange is still logged. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public long append(Entry e) {
        return chain(e.unitCode(), List.of(e)).get(0);
    }

    /**
     * Appends records to one unit's chain, in the given order, inside the caller's transaction: the chain head
     * is locked once, the records are inserted in one batch and the head moves once. The dispatcher logs a
     * batch of finished sends together with their delivery updates this way, so a send is logged exactly when
     * its outcome is recorded (both commit or neither does).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void appendAll(String unit, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        for (Entry e : entries) {
            if (!unit.equals(e.unitCode())) {
                throw new IllegalArgumentException("entry for " + e.unitCode() + " in a batch for " + unit);
            }
        }
        chain(unit, entries);
    }

    /** The chain step: lock the head, hash each record onto the previous one, insert, move the head. */
    private List<Long> chain(String unit, List<Entry> entries) {
        jdbc.update("insert into message_log_head(unit_code, seq, hash) values (?, 0, ?) on conflict do nothing",
                unit, GENESIS);
        Map<String, Object> head = jdbc.queryForMap(
                "select seq, hash from message_log_head where unit_code = ? for update", unit);
        long seq = ((Number) head.get("seq")).longValue();
        String prev = (String) head.get("hash");
        List<Object[]> rows = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            seq++;
            Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
            byte[] payload = e.payload() == null ? new byte[0] : e.payload();
            String payloadHash = sha256(payload);
            String hash = chainHash(prev, unit, seq, e.direction().name(), e.protocol(), e.messageId(), e.kind(),
                    e.taskId(), at, payload.length, payloadHash, e.outcome());
            rows.add(new Object[] {unit, seq, e.direction().name(), e.protocol(), e.messageId(), e.kind(), e.taskId(),
                    Timestamp.from(at), payload.length, payloadHash, e.outcome(), prev, hash});
            prev = hash;
        }
        List<Long> ids = new ArrayList<>(rows.size());
        if (rows.size() == 1) {
            ids.add(jdbc.queryForObject(INSERT_RECORD + " returning id", Long.class, rows.get(0)));
        } else {
            jdbc.batchUpdate(INSERT_RECORD, rows);
        }
        jdbc.update("update message_log_head set seq = ?, hash = ? where unit_code = ?", seq, prev, unit);
        return ids;
    }

    private static final String INSERT_RECORD = """
            insert into message_log(unit_code, seq, direction, protocol, message_id, message_kind, task_id, at,
              size, payload_hash, outcome, prev_hash, record_hash)
            values (?,?,?,?,?,?,?,?,?,?,?,?,?)""";

    public List<Record> query(String unit, String taskId, String direction, int limit) {
        StringBuilder sql = new StringBuilder("select * from message_log where 1=1");
        List<Object> args = new ArrayList<>();
        if (unit != null) {
            sql.append(" and unit_code = ?");
            args.add(unit);
        }
        if (taskId != null) {
            sql.append(" and task_id = ?");
            args.add(taskId);
        }
        if (direction != null) {
            sql.append(" and direction = ?");
            args.add(direction);
        }
        sql.append(" order by id desc limit ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, i) -> new Record(rs.getLong("id"), rs.getString("unit_code"),
                rs.getLong("seq"), rs.getString("direction"), rs.getString("protocol"), rs.getString("message_id"),
                rs.getString("message_kind"), rs.getString("task_id"), rs.getTimestamp("at").toInstant(),
                rs.getInt("size"), rs.getString("payload_hash"), rs.getString("outcome"), rs.getString("prev_hash"),
                rs.getString("record_hash")), args.toArray());
    }

    /** Recomputes each chain (or one unit's) from its anchor, and checks it against the checkpoint file. */
    public List<ChainResult> verify(String unitFilter) {
        List<String> units = unitFilter != null ? List.of(unitFilter)
                : jdbc.queryForList("select unit_code from message_log_head order by unit_code", String.class);
        Map<String, Map<Long, String>> checkpoints = readCheckpoints();
        List<ChainResult> results = new ArrayList<>();
        for (String unit : units) {
            results.add(verifyUnit(unit, checkpoints.getOrDefault(unit, Map.of())));
        }
        return results;
    }

    private ChainResult verifyUnit(String unit, Map<Long, String> checkpoints) {
        List<Map<String, Object>> anchor = jdbc.queryForList(
                "select seq, hash from message_log_anchor where unit_code = ?", unit);
        long expectedSeq = anchor.isEmpty() ? 1 : ((Number) anchor.get(0).get("seq")).longValue() + 1;
        String prev = anchor.isEmpty() ? GENESIS : (String) anchor.get(0).get("hash");
        List<Record> records = jdbc.query("select * from message_log where unit_code = ? order by seq",
                (rs, i) -> new Record(rs.getLong("id"), rs.getString("unit_code"), rs.getLong("seq"),
                        rs.getString("direction"), rs.getString("protocol"), rs.getString("message_id"),
                        rs.getString("message_kind"), rs.getString("task_id"), rs.getTimestamp("at").toInstant(),
                        rs.getInt("size"), rs.getString("payload_hash"), rs.getString("outcome"),
                        rs.getString("prev_hash"), rs.getString("record_hash")), unit);
        long count = 0;
        long trustedUpTo = expectedSeq - 1; // last seq a checkpoint (or the anchor) vouches for
        for (Record r : records) {
            if (r.seq() != expectedSeq) {
                return chain(unit, false, count, expectedSeq, "record " + expectedSeq + " missing (found " + r.seq() + ")");
            }
            if (!r.prevHash().equals(prev)) {
                return chain(unit, false, count, r.seq(), "previous-hash link broken (record deleted or reordered)");
            }
            String recomputed = chainHash(prev, r.unitCode(), r.seq(), r.direction(), r.protocol(), r.messageId(),
                    r.messageKind(), r.taskId(), r.at(), r.size(), r.payloadHash(), r.outcome());
            if (!recomputed.equals(r.recordHash())) {
                return chain(unit, false, count, r.seq(), "record content does not match its hash (edited)");
            }
            String cp = checkpoints.get(r.seq());
            if (cp != null && !cp.equals(r.recordHash())) {
                // a consistent rewrite (hashes recomputed): the chain holds together but no longer matches what
                // was checkpointed outside the database; it breaks after the last checkpoint it still matches
                return chain(unit, false, count, trustedUpTo + 1, "chain rewritten: record " + r.seq()
                        + " differs from the checkpoint; records " + (trustedUpTo + 1) + ".." + r.seq()
                        + " no longer match (last matching checkpoint at seq " + trustedUpTo + ")");
            }
            if (cp != null) {
                trustedUpTo = r.seq();
            }
            prev = r.recordHash();
            expectedSeq++;
            count++;
        }
        long last = expectedSeq - 1;
        for (Map.Entry<Long, String> cp : checkpoints.entrySet()) {
            if (cp.getKey() > last) {
                return chain(unit, false, count, last + 1,
                        "checkpoint at " + cp.getKey() + " but chain ends at " + last + " (records deleted)");
            }
        }
        return chain(unit, true, count, null, null);
    }

    /** Writes every chain head to the checkpoint file (append-only, outside the database). */
    @Scheduled(fixedDelayString = "${hub.adapters.message-log.checkpoint-interval:PT1M}")
    public synchronized void checkpoint() {
        if (!checkpointing) {
            return;
        }
        // one replica at a time appends (the file may be on a shared volume, where appends are not atomic)
        exclusively("hub-adapters-messagelog-checkpoint", this::writeCheckpoint);
    }

    /**
     * Runs {@code work} while holding a PostgreSQL session advisory lock; skips it when another replica holds
     * the lock (it is doing the same work).
     */
    private boolean exclusively(String lock, Runnable work) {
        Boolean done = jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<Boolean>) c -> {
            try (var ps = c.prepareStatement("select pg_try_advisory_lock(hashtext(?))")) {
                ps.setString(1, lock);
                try (var rs = ps.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        return false;
                    }
                }
            }
            try {
                work.run();
            } finally {
                try (var ps = c.prepareStatement("select pg_advisory_unlock(hashtext(?))")) {
                    ps.setString(1, lock);
                    ps.execute();
                }
            }
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    private void writeCheckpoint() {
        List<Map<String, Object>> heads = jdbc.queryForList("select unit_code, seq, hash from message_log_head where seq > 0");
        if (heads.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        Instant now = Instant.now();
        for (Map<String, Object> h : heads) {
            sb.append(now).append(' ').append(h.get("unit_code")).append(' ').append(h.get("seq")).append(' ')
                    .append(h.get("hash")).append('\n');
        }
        try {
            Files.createDirectories(checkpointFile.toAbsolutePath().getParent());
            Files.writeString(checkpointFile, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            log.error("message log checkpoint not written to {}: {}", checkpointFile, e.getMessage());
        }
    }

    private Map<String, Map<Long, String>> readCheckpoints() {
        Map<String, Map<Long, String>> out = new LinkedHashMap<>();
        if (!Files.exists(checkpointFile)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(checkpointFile, StandardCharsets.UTF_8)) {
                String[] p = line.trim().split(" ");
                if (p.length == 4) {
                    // the first checkpoint of a seq is authoritative: a later, different one for the same seq was
                    // taken after a rewrite and must not launder it
                    out.computeIfAbsent(p[1], k -> new LinkedHashMap<>()).putIfAbsent(Long.parseLong(p[2]), p[3]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read checkpoint file " + checkpointFile, e);
        }
        return out;
    }

    /** Moves records older than the retention to an archive file per unit and keeps their last hash as anchor. */
    @Scheduled(cron = "${hub.adapters.message-log.archive-cron:0 30 2 * * *}", zone = "Asia/Shanghai")
    @Transactional
    public int archive() {
        int[] n = new int[1];
        // one replica archives; the others skip this round
        exclusively("hub-adapters-messagelog-archive", () -> n[0] = archiveBefore(Instant.now().minus(retention)));
        return n[0];
    }

    /** Archives every record older than {@code cutoff}; see {@link #archive()}. */
    @Transactional
    public int archiveBefore(Instant cutoff) {
        int total = 0;
        for (String unit : jdbc.queryForList("select unit_code from message_log_head", String.class)) {
            List<Record> old = jdbc.query("select * from message_log where unit_code = ? and at < ? order by seq",
                    (rs, i) -> new Record(rs.getLong("id"), rs.getString("unit_code"), rs.getLong("seq"),
                            rs.getString("direction"), rs.getString("protocol"), rs.getString("message_id"),
                            rs.getString("message_kind"), rs.getString("task_id"), rs.getTimestamp("at").toInstant(),
                            rs.getInt("size"), rs.getString("payload_hash"), rs.getString("outcome"),
                            rs.getString("prev_hash"), rs.getString("record_hash")), unit, Timestamp.from(cutoff));
            if (old.isEmpty()) {
                continue;
            }
            Record last = old.get(old.size() - 1);
            Path file = archiveDir.resolve(unit + "-" + old.get(0).seq() + "-" + last.seq() + ".log");
            StringBuilder sb = new StringBuilder();
            for (Record r : old) {
                sb.append(String.join("\t", String.valueOf(r.seq()), r.direction(), r.protocol(),
                        String.valueOf(r.messageId()), String.valueOf(r.messageKind()), String.valueOf(r.taskId()),
                        r.at().toString(), String.valueOf(r.size()), r.payloadHash(), String.valueOf(r.outcome()),
                        r.prevHash(), r.recordHash())).append('\n');
            }
            try {
                Files.createDirectories(archiveDir);
                Files.writeString(file, sb, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot archive message log to " + file, e);
            }
            jdbc.update("""
                    insert into message_log_anchor(unit_code, seq, hash, archived_to, at) values (?,?,?,?,now())
                    on conflict (unit_code) do update set seq = excluded.seq, hash = excluded.hash,
                      archived_to = excluded.archived_to, at = now()""", unit, last.seq(), last.recordHash(), file.toString());
            jdbc.update("delete from message_log where unit_code = ? and seq <= ?", unit, last.seq());
            total += old.size();
        }
        return total;
    }

    /** A unit's verdict, as the operations API gives it (operations-api.yaml's {@code ChainResult}). */
    private static ChainResult chain(String unit, boolean ok, long records, Long brokenAtSeq, String problem) {
        return new ChainResult(unit, ok, records).brokenAtSeq(brokenAtSeq).problem(problem);
    }

    static String chainHash(String prev, String unit, long seq, String direction, String protocol, String messageId,
            String kind, String taskId, Instant at, int size, String payloadHash, String outcome) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
        String material = String.join("|", prev, unit, Long.toString(seq), direction, protocol,
                String.valueOf(messageId), String.valueOf(kind), String.valueOf(taskId), Long.toString(micros),
                Integer.toString(size), payloadHash, String.valueOf(outcome));
        return sha256(material.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
