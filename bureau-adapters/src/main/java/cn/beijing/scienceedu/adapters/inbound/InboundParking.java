package cn.beijing.scienceedu.adapters.inbound;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.adapters.dispatch.TaskEventIntake;
import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Parks a bureau answer the hub will not act on (unreadable, wrong charset, XML with a DOCTYPE, over the
 * size limit, an invalid report in it): nothing of it reaches the task-service. The file is kept byte for
 * byte under {@code hub.adapters.inbound.parked-dir/<unit>/} with a {@code .reason.txt} beside it; the
 * message log records it (direction IN, outcome {@code PARKED: <reason>}, so an operator finds it with
 * {@code GET /api/v1/operations/message-log?unit=…&direction=IN}); the bureau gets a rejected receipt in
 * its own protocol; {@code hub_adapters_inbound_total{outcome="PARKED"}} counts it. A row in
 * {@code parked_answer} makes it a resource of the operations API ({@link ParkedAnswers}: list, show,
 * replay after the cause was fixed, discard with a reason).
 */
@Component
public class InboundParking {

    private static final Logger log = LoggerFactory.getLogger(InboundParking.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final Path parkedDir;
    private final MessageLog messageLog;
    private final TaskEventIntake intake;
    private final MeterRegistry meters;
    private final JdbcTemplate jdbc;

    public InboundParking(@Value("${hub.adapters.inbound.parked-dir:${java.io.tmpdir}/hub-adapters/parked-answers}") Path parkedDir,
            MessageLog messageLog, TaskEventIntake intake, MeterRegistry meters, JdbcTemplate jdbc) {
        this.parkedDir = parkedDir;
        this.messageLog = messageLog;
        this.intake = intake;
        this.meters = meters;
        this.jdbc = jdbc;
    }

    /** Where parked answers are kept ({@code <unit>/<stored name>} below it). */
    public Path parkedDir() {
        return parkedDir;
    }

    /** Parks an answer already read into memory. */
    public Path park(Bureau b, String name, byte[] bytes, String reason) {
        Path target = target(b, name);
        try {
            Files.write(target, bytes);
        } catch (IOException e) {
            log.error("{} parked answer {} not kept on disk: {}", b.code(), name, e.getMessage());
        }
        return finish(b, name, bytes, bytes.length, MessageLog.sha256(bytes), reason, target);
    }

    /** Parks an answer too big to read into memory: streamed to disk (and hashed), logged without its payload. */
    public Path park(Bureau b, String name, InputStream in, String reason) {
        Path target = target(b, name);
        long size = 0;
        String sha256 = MessageLog.sha256(new byte[0]);
        try (DigestInputStream digest = new DigestInputStream(in, sha256())) {
            Files.copy(digest, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            size = Files.size(target);
            sha256 = HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (IOException e) {
            log.error("{} parked answer {} not kept on disk: {}", b.code(), name, e.getMessage());
        }
        return finish(b, name, new byte[0], size, sha256, reason, target);
    }

    /** A name of its own under {@code <unit>/}: the time it was parked, then the bureau's name made safe. */
    private Path target(Bureau b, String name) {
        String safe = (name == null ? "answer" : name).replaceAll("[^A-Za-z0-9._\\-\\u4e00-\\u9fff]", "_");
        Path dir = parkedDir.resolve(b.code());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            log.error("parked-dir {} not writable: {}", dir, e.getMessage());
        }
        String stamp = LocalDateTime.now(ZoneId.of("Asia/Shanghai")).format(STAMP);
        for (int n = 1; ; n++) {
            Path candidate = dir.resolve(stamp + (n == 1 ? "" : "-" + n) + "-" + safe);
            try {
                // claimed atomically: two answers of the same name in the same millisecond keep both
                Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW).close();
                return candidate;
            } catch (FileAlreadyExistsException taken) {
                // next number
            } catch (IOException e) {
                return candidate;
            }
        }
    }

    /** Writes (or rewrites, after a replay that failed again) the reason beside the parked file. */
    static void writeReason(Path target, String reason) {
        try {
            Files.writeString(target.resolveSibling(target.getFileName() + ".reason.txt"), reason + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.error("reason for parked {} not written: {}", target, e.getMessage());
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path finish(Bureau b, String name, byte[] logged, long size, String sha256, String reason, Path target) {
        writeReason(target, reason);
        Timestamp modified = ParkedAnswers.modified(target); // null when not on disk: the row still says why
        jdbc.update("""
                insert into parked_answer(id, unit_code, protocol, file_name, stored_name, reason, size, sha256,
                  file_modified_at, status)
                values (?,?,?,?,?,?,?,?,?,'PARKED') on conflict (unit_code, stored_name) do nothing""",
                UUID.randomUUID().toString(), b.code(), b.protocol().name(), name == null ? "answer" : name,
                target.getFileName().toString(), reason, size, sha256, modified);
        messageLog.append(new MessageLog.Entry(b.code(), MessageLog.Direction.IN, b.protocol().name(), name, "UNKNOWN",
                null, logged, "PARKED: " + reason));
        String receiptId = UUID.nameUUIDFromBytes(("parked|" + b.code() + "|" + target.getFileName())
                .getBytes(StandardCharsets.UTF_8)).toString();
        intake.queueReceipt(b, receiptId, null, "answer " + name + " rejected: " + reason, Map.of("outcome", "REJECTED"));
        meters.counter("hub.adapters.inbound", "unit", b.code(), "protocol", b.protocol().name(), "outcome", "PARKED")
                .increment();
        log.warn("{} answer {} parked as {}: {}", b.code(), name, target, reason);
        return target;
    }
}
