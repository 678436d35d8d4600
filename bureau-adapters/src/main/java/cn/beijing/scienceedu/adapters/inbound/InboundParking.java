package cn.beijing.scienceedu.adapters.inbound;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
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
 * its own protocol; {@code hub_adapters_inbound_total{outcome="PARKED"}} counts it.
 */
@Component
public class InboundParking {

    private static final Logger log = LoggerFactory.getLogger(InboundParking.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final Path parkedDir;
    private final MessageLog messageLog;
    private final TaskEventIntake intake;
    private final MeterRegistry meters;

    public InboundParking(@Value("${hub.adapters.inbound.parked-dir:${java.io.tmpdir}/hub-adapters/parked-answers}") Path parkedDir,
            MessageLog messageLog, TaskEventIntake intake, MeterRegistry meters) {
        this.parkedDir = parkedDir;
        this.messageLog = messageLog;
        this.intake = intake;
        this.meters = meters;
    }

    /** Parks an answer already read into memory. */
    public Path park(Bureau b, String name, byte[] bytes, String reason) {
        Path target = target(b, name);
        try {
            Files.write(target, bytes);
        } catch (IOException e) {
            log.error("{} parked answer {} not kept on disk: {}", b.code(), name, e.getMessage());
        }
        return finish(b, name, bytes, reason, target);
    }

    /** Parks an answer too big to read into memory: streamed to disk, logged without its payload. */
    public Path park(Bureau b, String name, InputStream in, String reason) {
        Path target = target(b, name);
        try (in) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.error("{} parked answer {} not kept on disk: {}", b.code(), name, e.getMessage());
        }
        return finish(b, name, new byte[0], reason, target);
    }

    private Path target(Bureau b, String name) {
        String safe = (name == null ? "answer" : name).replaceAll("[^A-Za-z0-9._\\-\\u4e00-\\u9fff]", "_");
        Path dir = parkedDir.resolve(b.code());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            log.error("parked-dir {} not writable: {}", dir, e.getMessage());
        }
        return dir.resolve(LocalDateTime.now(ZoneId.of("Asia/Shanghai")).format(STAMP) + "-" + safe);
    }

    private Path finish(Bureau b, String name, byte[] logged, String reason, Path target) {
        try {
            Files.writeString(target.resolveSibling(target.getFileName() + ".reason.txt"), reason + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.error("{} reason for parked {} not written: {}", b.code(), name, e.getMessage());
        }
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
