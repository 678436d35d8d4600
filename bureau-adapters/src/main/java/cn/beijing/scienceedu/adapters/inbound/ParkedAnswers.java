package cn.beijing.scienceedu.adapters.inbound;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import cn.beijing.scienceedu.adapters.mapping.BureauWrite;
import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Parked bureau answers as the operations API sees them: listed with why they were parked, shown, replayed
 * once the cause is fixed (the unit's registry entry — e.g. its charset — or the bureau's corrected copy put
 * in place of the parked file), or discarded with a reason.
 * <p>
 * A replay reads the file as it now is and judges it with the {@link AnswerReader} and the unit's current
 * registry entry, exactly as the outbox pickup would; its reports then go through the {@link InboundPipeline},
 * so each takes effect once (a message id already taken is answered as a duplicate). A file that is still bad
 * is parked again with the new reason. One replay at a time per answer, across replicas: the row is claimed
 * ({@code PARKED → REPLAYING}) before the file is read. Every replay and discard is recorded in the unit's
 * message log (direction IN, kind {@code PARKED_ANSWER}, the file's bytes as payload, so its hash is there).
 */
@Service
public class ParkedAnswers {

    private static final Logger log = LoggerFactory.getLogger(ParkedAnswers.class);
    static final String KIND = "PARKED_ANSWER";
    private static final int PREVIEW_BYTES = 64 * 1024;

    public enum Status { PARKED, REPLAYING, REPLAYED, DISCARDED }

    /** One parked answer; {@code size}/{@code sha256} are those of the file as it now is. */
    public record Answer(String id, String unitCode, Protocol protocol, String fileName, String storedName,
            String reason, long size, String sha256, Status status, Instant parkedAt, Instant updatedAt, int replays,
            Instant lastReplayAt, String lastReplayBy, String lastReplayOutcome, String discardReason,
            String discardedBy, Instant discardedAt, Instant fileModifiedAt) {

        public String storedAs() {
            return unitCode + "/" + storedName;
        }
    }

    /** No parked answer with this id. */
    public static class NoSuchAnswer extends RuntimeException {
        public NoSuchAnswer(String id) {
            super("no parked answer " + id);
        }
    }

    /** The answer is not in a state that allows this; names the state it is in. */
    public static class WrongState extends RuntimeException {
        private final Status current;

        WrongState(Status current, String message) {
            super(message);
            this.current = current;
        }

        public Status current() {
            return current;
        }
    }

    private final JdbcTemplate jdbc;
    private final InboundParking parking;
    private final AnswerReader reader;
    private final InboundPipeline pipeline;
    private final BureauRegistry registry;
    private final MessageLog messageLog;
    private final MeterRegistry meters;

    public ParkedAnswers(JdbcTemplate jdbc, InboundParking parking, AnswerReader reader, InboundPipeline pipeline,
            BureauRegistry registry, MessageLog messageLog, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.parking = parking;
        this.reader = reader;
        this.pipeline = pipeline;
        this.registry = registry;
        this.messageLog = messageLog;
        this.meters = meters;
    }

    /**
     * Files parked before their row existed (an upgrade, or a row lost with a failed insert) become listed too:
     * at start-up every file in {@code parked-dir/<unit>/} without a row gets one, with the reason of its
     * {@code .reason.txt} and its modification time as the time it was parked. Replicas may race: the row of a
     * file is unique.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void adoptUnlisted() {
        Path dir = parking.parkedDir();
        if (!Files.isDirectory(dir)) {
            return;
        }
        int adopted = 0;
        try (var units = Files.list(dir)) {
            for (Path unitDir : units.filter(Files::isDirectory).toList()) {
                Optional<Bureau> b = registry.find(unitDir.getFileName().toString());
                if (b.isEmpty()) {
                    continue;
                }
                try (var files = Files.list(unitDir)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        adopted += adopt(b.get(), f);
                    }
                }
            }
        } catch (IOException e) {
            log.warn("parked-dir {} not read: {}", dir, e.getMessage());
        }
        if (adopted > 0) {
            log.info("{} parked answer file(s) found without a row in parked_answer: listed now", adopted);
        }
    }

    private int adopt(Bureau b, Path f) throws IOException {
        String stored = f.getFileName().toString();
        Path reasonFile = f.resolveSibling(stored + ".reason.txt");
        if (stored.endsWith(".reason.txt") || !Files.exists(reasonFile)) {
            return 0;
        }
        Integer known = jdbc.queryForObject("select count(*) from parked_answer where unit_code = ? and stored_name = ?",
                Integer.class, b.code(), stored);
        if (known != null && known > 0) {
            return 0;
        }
        String[] facts = hash(f);
        String reason = Files.readString(reasonFile, StandardCharsets.UTF_8).strip();
        Timestamp modified = modified(f);
        return jdbc.update("""
                insert into parked_answer(id, unit_code, protocol, file_name, stored_name, reason, size, sha256,
                  file_modified_at, status, parked_at)
                values (?,?,?,?,?,?,?,?,?,'PARKED',?) on conflict (unit_code, stored_name) do nothing""",
                java.util.UUID.randomUUID().toString(), b.code(), b.protocol().name(),
                stored.replaceFirst("^\\d{8}-\\d{6}-\\d{3}(-\\d+)?-", ""), stored,
                reason.isEmpty() ? "(no reason recorded)" : reason, Long.parseLong(facts[0]), facts[1], modified,
                modified == null ? Timestamp.from(Instant.now()) : modified);
    }

    /** Oldest first. */
    public List<Answer> list(String unit, Status status, int limit) {
        StringBuilder sql = new StringBuilder("select * from parked_answer where status = ?");
        List<Object> args = new ArrayList<>(List.of(status.name()));
        if (unit != null) {
            sql.append(" and unit_code = ?");
            args.add(unit);
        }
        sql.append(" order by parked_at, id limit ?");
        args.add(limit);
        return jdbc.query(sql.toString(), ParkedAnswers::row, args.toArray()).stream().map(this::current).toList();
    }

    public Answer get(String id) {
        return current(require(id));
    }

    /** The parked file (as it now is); {@link WrongState} when it is no longer on disk. */
    public Path file(String id) {
        Answer a = require(id);
        Path file = path(a);
        if (!Files.isRegularFile(file)) {
            throw new WrongState(a.status(), "the parked file " + a.storedAs() + " is no longer in the parked directory");
        }
        return file;
    }

    /** Its first 64 KiB as text in the unit's charset, undecodable bytes shown as U+FFFD. */
    public String preview(Answer a) {
        Charset cs = registry.find(a.unitCode()).map(Bureau::charset).orElse(StandardCharsets.UTF_8);
        byte[] head;
        try (InputStream in = Files.newInputStream(path(a))) {
            head = in.readNBytes(PREVIEW_BYTES);
        } catch (IOException e) {
            return null;
        }
        try {
            return cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(head)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Takes the parked file in again. Answers the row as it ends: REPLAYED (with what became of each report)
     * or PARKED (the new reason). A task-service outage mid-way puts it back to PARKED and is thrown
     * ({@link InboundTransientException}): reports already taken stay taken, a later replay finds them duplicate.
     */
    public Answer replay(String id, String by) {
        Answer a = require(id);
        int claimed = jdbc.update("""
                update parked_answer set status = 'REPLAYING', updated_at = now()
                where id = ? and (status = 'PARKED'
                  or (status = 'REPLAYING' and updated_at < now() - interval '10 minutes'))""", a.id());
        if (claimed == 0) {
            throw wrongState(require(id), "replayed");
        }
        try {
            return replayClaimed(require(id), by);
        } catch (RuntimeException e) {
            release(id);
            throw e;
        }
    }

    private Answer replayClaimed(Answer a, String by) {
        Path file = path(a);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            release(a.id());
            throw new WrongState(Status.PARKED, "the parked file " + a.storedAs() + " is no longer in the parked directory");
        }
        Optional<Bureau> bureau = registry.find(a.unitCode());
        if (bureau.isEmpty()) {
            return parkAgain(a, file, null, "no bureau configured for unit " + a.unitCode(), by);
        }
        Bureau b = bureau.get();
        if (size > reader.maxFileSize()) {
            return parkAgain(a, file, null, reader.oversize(size), by);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            release(a.id());
            throw new WrongState(Status.PARKED, "the parked file " + a.storedAs() + " cannot be read: " + e.getMessage());
        }
        AnswerReader.Reading reading = reader.read(b, a.fileName(), bytes, AnswerReader.evidenceDir(file));
        if (reading.parked()) {
            return parkAgain(a, file, bytes, reading.parkReason(), by);
        }
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        int taken = 0;
        try {
            for (BureauWrite r : reading.reports()) {
                InboundPipeline.Result res = pipeline.handle(b.code(), a.protocol(), r, bytes, null);
                String o = Boolean.TRUE.equals(res.receipt().getDuplicate()) ? "DUPLICATE"
                        : res.receipt().getOutcome().getValue();
                outcomes.merge(o, 1, Integer::sum);
                taken++;
            }
        } catch (InboundTransientException e) {
            release(a.id());
            messageLog.append(new MessageLog.Entry(a.unitCode(), MessageLog.Direction.IN, a.protocol().name(),
                    a.fileName(), KIND, null, bytes, "REPLAY INTERRUPTED: task-service unavailable after " + taken + " of "
                            + reading.reports().size() + " report(s); still parked (answer " + a.id() + ", by " + by + ")"));
            throw e;
        }
        String summary = reading.reports().size() + " report(s): " + outcomes.entrySet().stream()
                .map(en -> en.getKey() + " " + en.getValue()).reduce((x, y) -> x + ", " + y).orElse("none");
        jdbc.update("""
                update parked_answer set status = 'REPLAYED', replays = replays + 1, last_replay_at = now(),
                  last_replay_by = ?, last_replay_outcome = ?, size = ?, sha256 = ?, file_modified_at = ?,
                  updated_at = now()
                where id = ?""", by, summary, bytes.length, MessageLog.sha256(bytes), modified(file), a.id());
        messageLog.append(new MessageLog.Entry(a.unitCode(), MessageLog.Direction.IN, a.protocol().name(), a.fileName(),
                KIND, null, bytes, "REPLAYED: " + summary + " (answer " + a.id() + ", by " + by + ")"));
        log.info("{} parked answer {} ({}) replayed by {}: {}", a.unitCode(), a.id(), a.fileName(), by, summary);
        return require(a.id());
    }

    /** Still bad: parked again with the new reason (no second rejected receipt: the bureau has its first). */
    private Answer parkAgain(Answer a, Path file, byte[] bytes, String reason, String by) {
        long size;
        String sha256;
        if (bytes != null) {
            size = bytes.length;
            sha256 = MessageLog.sha256(bytes);
        } else {
            String[] facts = hash(file);
            size = Long.parseLong(facts[0]);
            sha256 = facts[1];
        }
        InboundParking.writeReason(file, reason);
        jdbc.update("""
                update parked_answer set status = 'PARKED', reason = ?, replays = replays + 1, last_replay_at = now(),
                  last_replay_by = ?, last_replay_outcome = ?, size = ?, sha256 = ?, file_modified_at = ?,
                  updated_at = now()
                where id = ?""", reason, by, "parked again: " + reason, size, sha256, modified(file), a.id());
        messageLog.append(new MessageLog.Entry(a.unitCode(), MessageLog.Direction.IN, a.protocol().name(), a.fileName(),
                KIND, null, bytes == null ? new byte[0] : bytes,
                "PARKED: " + reason + " (replay of answer " + a.id() + " by " + by + ")"));
        meters.counter("hub.adapters.inbound", "unit", a.unitCode(), "protocol", a.protocol().name(), "outcome", "PARKED")
                .increment();
        log.warn("{} parked answer {} ({}) replayed by {} and parked again: {}", a.unitCode(), a.id(), a.fileName(), by,
                reason);
        return require(a.id());
    }

    /** Discarded with a reason; the file stays where it is, as evidence. */
    public Answer discard(String id, String reason, String by) {
        Answer a = require(id);
        int n = jdbc.update("""
                update parked_answer set status = 'DISCARDED', discard_reason = ?, discarded_by = ?, discarded_at = now(),
                  updated_at = now()
                where id = ? and status = 'PARKED'""", reason, by, a.id());
        if (n == 0) {
            throw wrongState(require(id), "discarded");
        }
        byte[] payload = new byte[0];
        try {
            if (Files.size(path(a)) <= reader.maxFileSize()) {
                payload = Files.readAllBytes(path(a));
            }
        } catch (IOException e) {
            // gone from disk: recorded without its payload
        }
        messageLog.append(new MessageLog.Entry(a.unitCode(), MessageLog.Direction.IN, a.protocol().name(), a.fileName(),
                KIND, null, payload, "DISCARDED: " + reason + " (answer " + a.id() + ", by " + by + ")"));
        log.info("{} parked answer {} ({}) discarded by {}: {}", a.unitCode(), a.id(), a.fileName(), by, reason);
        return require(a.id());
    }

    private WrongState wrongState(Answer now, String wanted) {
        String why = switch (now.status()) {
            case REPLAYING -> "is being processed (a replay started at " + now.updatedAt() + ")";
            case REPLAYED -> "was already replayed at " + now.lastReplayAt() + " by " + now.lastReplayBy() + " ("
                    + now.lastReplayOutcome() + ")";
            case DISCARDED -> "was discarded at " + now.discardedAt() + " by " + now.discardedBy() + ": " + now.discardReason();
            case PARKED -> "is parked";
        };
        return new WrongState(now.status(), "parked answer " + now.id() + " " + why + "; it cannot be " + wanted);
    }

    private void release(String id) {
        jdbc.update("update parked_answer set status = 'PARKED', updated_at = now() where id = ? and status = 'REPLAYING'", id);
    }

    private Answer require(String id) {
        if (id == null || !id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            throw new NoSuchAnswer(id == null ? "" : id.length() > 64 ? id.substring(0, 64) + "…" : id);
        }
        List<Answer> found = jdbc.query("select * from parked_answer where id = ?", ParkedAnswers::row, id);
        if (found.isEmpty()) {
            throw new NoSuchAnswer(id);
        }
        return found.get(0);
    }

    private Path path(Answer a) {
        return parking.parkedDir().resolve(a.unitCode()).resolve(a.storedName());
    }

    /**
     * The row with the file's size and hash as it now is: a bureau's corrected copy put in place of the parked
     * file (or an operator's edit) is hashed again when its size or modification time changed.
     */
    private Answer current(Answer a) {
        Path file = path(a);
        try {
            long size = Files.size(file);
            Timestamp modified = modified(file);
            if (size == a.size() && modified != null && modified.toInstant().equals(a.fileModifiedAt())) {
                return a;
            }
            String[] facts = hash(file);
            jdbc.update("update parked_answer set size = ?, sha256 = ?, file_modified_at = ? where id = ?",
                    Long.parseLong(facts[0]), facts[1], modified, a.id());
            return require(a.id());
        } catch (NoSuchFileException e) {
            return a;
        } catch (IOException e) {
            log.warn("parked answer {} not readable: {}", a.storedAs(), e.getMessage());
            return a;
        }
    }

    /** Size and SHA-256 of a file, streamed (a parked file may be over the size limit). */
    private static String[] hash(Path file) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), InboundParking.sha256())) {
            long n = in.transferTo(java.io.OutputStream.nullOutputStream());
            return new String[] {String.valueOf(n), java.util.HexFormat.of().formatHex(in.getMessageDigest().digest())};
        } catch (IOException e) {
            return new String[] {"0", MessageLog.sha256(new byte[0])};
        }
    }

    /** The file's modification time as the database keeps it (microseconds). */
    static Timestamp modified(Path file) {
        try {
            return Timestamp.from(Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.MICROS));
        } catch (IOException e) {
            return null;
        }
    }

    private static Answer row(ResultSet rs, int i) throws SQLException {
        return new Answer(rs.getString("id"), rs.getString("unit_code"), Protocol.valueOf(rs.getString("protocol")),
                rs.getString("file_name"), rs.getString("stored_name"), rs.getString("reason"), rs.getLong("size"),
                rs.getString("sha256"), Status.valueOf(rs.getString("status")), instant(rs, "parked_at"),
                instant(rs, "updated_at"), rs.getInt("replays"), instant(rs, "last_replay_at"),
                rs.getString("last_replay_by"), rs.getString("last_replay_outcome"), rs.getString("discard_reason"),
                rs.getString("discarded_by"), instant(rs, "discarded_at"), instant(rs, "file_modified_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
