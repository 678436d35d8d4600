package cn.beijing.scienceedu.adapters.operations;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.springframework.amqp.core.Message;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.ErrorResponseException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import cn.beijing.scienceedu.adapters.dispatch.BureauBreakers;
import cn.beijing.scienceedu.adapters.dispatch.DeliveryStore;
import cn.beijing.scienceedu.adapters.inbound.ParkedAnswers;
import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.adapters.outbound.Delivery;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.contracts.operations.api.OperationsApi;
import cn.beijing.scienceedu.contracts.operations.model.BureauHealth;
import cn.beijing.scienceedu.contracts.operations.model.ChainResult;
import cn.beijing.scienceedu.contracts.operations.model.DeadLetterQueue;
import cn.beijing.scienceedu.contracts.operations.model.DiscardRequest;
import cn.beijing.scienceedu.contracts.operations.model.MessageLogRecord;
import cn.beijing.scienceedu.contracts.operations.model.ParkedAnswer;
import cn.beijing.scienceedu.contracts.operations.model.ParkedDelivery;
import cn.beijing.scienceedu.contracts.operations.model.ReplayRequest;
import cn.beijing.scienceedu.contracts.operations.model.ReplayResult;
import cn.beijing.scienceedu.contracts.operations.model.VerifyReport;

/**
 * The operations API (OPERATOR): parked deliveries, parked bureau answers, the hub's dead-letter queues, the
 * message log, bureau health.
 */
@RestController
public class OperationsController implements OperationsApi {

    private final DeliveryStore store;
    private final MessageLog messageLog;
    private final RabbitTemplate rabbit;
    private final AmqpAdmin admin;
    private final BureauRegistry registry;
    private final BureauBreakers breakers;
    private final JdbcTemplate jdbc;
    private final List<String> deadLetterQueues;
    private final ParkedAnswers parkedAnswers;

    public OperationsController(DeliveryStore store, MessageLog messageLog, RabbitTemplate rabbit, AmqpAdmin admin,
            BureauRegistry registry, BureauBreakers breakers, JdbcTemplate jdbc, ParkedAnswers parkedAnswers,
            @Value("${hub.adapters.operations.dead-letter-queues:hub.task-events.adapters.dlq,hub.task-events.reporting.dlq,hub.delivery-events.task-service.dlq}")
            List<String> deadLetterQueues) {
        this.parkedAnswers = parkedAnswers;
        this.store = store;
        this.messageLog = messageLog;
        this.rabbit = rabbit;
        this.admin = admin;
        this.registry = registry;
        this.breakers = breakers;
        this.jdbc = jdbc;
        this.deadLetterQueues = deadLetterQueues;
    }

    /** Unit codes as the registry allows them; anything else is a bad request, not a query. */
    private static String unit(String field, String unit) {
        if (unit != null && !unit.matches("[A-Z][A-Z0-9_]{0,31}")) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, field + ": a unit code (A-Z, 0-9, _)");
        }
        return unit;
    }

    private static String text(String field, String value) {
        if (value != null && (value.length() > 128 || value.chars().anyMatch(Character::isISOControl))) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, field + ": at most 128 characters, no control characters");
        }
        return value;
    }

    @Override
    public ResponseEntity<List<ParkedDelivery>> listParkedDeliveries(String unit, Integer limit) {
        unit("unit", unit);
        return ResponseEntity.ok(store.parked(unit, limit == null ? 100 : limit).stream().map(d -> view(d, false)).toList());
    }

    @Override
    public ResponseEntity<ParkedDelivery> getParkedDelivery(String deliveryId) {
        return ResponseEntity.ok(view(find(deliveryId), true));
    }

    @Override
    public ResponseEntity<ReplayResult> replayParkedDelivery(String deliveryId) {
        Delivery d = find(deliveryId);
        if (!store.replay(d.id())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "delivery is " + d.status() + ", not PARKED");
        }
        return ResponseEntity.ok(new ReplayResult(1).ids(List.of(d.id())));
    }

    @Override
    public ResponseEntity<ReplayResult> replayParkedDeliveries(ReplayRequest request) {
        List<String> ids = new ArrayList<>();
        if (request.getDeliveryIds() != null && !request.getDeliveryIds().isEmpty()) {
            for (int i = 0; i < request.getDeliveryIds().size(); i++) {
                String id = request.getDeliveryIds().get(i);
                if (id == null || id.isBlank()) {
                    // the spec's items are non-empty strings; the generated interface does not check list items
                    throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "deliveryIds[" + i + "]: must not be empty");
                }
            }
            ids.addAll(request.getDeliveryIds());
        } else if (request.getUnit() != null) {
            unit("unit", request.getUnit());
            store.parked(request.getUnit(), 10_000).forEach(d -> ids.add(d.id()));
        } else {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "name deliveryIds or unit");
        }
        List<String> done = ids.stream().filter(store::replay).toList();
        return ResponseEntity.ok(new ReplayResult(done.size()).ids(done));
    }

    @Override
    public ResponseEntity<ParkedDelivery> discardParkedDelivery(String deliveryId, DiscardRequest request) {
        Delivery d = find(deliveryId);
        if (request.getReason() == null || request.getReason().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "reason: required");
        }
        if (!store.discard(d.id(), request.getReason())) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "delivery is " + d.status() + ", not PARKED");
        }
        return ResponseEntity.ok(view(find(deliveryId), true));
    }

    @Override
    public ResponseEntity<List<ParkedAnswer>> listParkedAnswers(String unit, String status, Integer limit) {
        unit("unit", unit);
        ParkedAnswers.Status s;
        try {
            s = status == null ? ParkedAnswers.Status.PARKED : ParkedAnswers.Status.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "status: PARKED, REPLAYING, REPLAYED or DISCARDED");
        }
        return ResponseEntity.ok(parkedAnswers.list(unit, s, limit == null ? 100 : limit).stream()
                .map(a -> view(a, null)).toList());
    }

    @Override
    public ResponseEntity<ParkedAnswer> getParkedAnswer(String answerId) {
        ParkedAnswers.Answer a = mapped(() -> parkedAnswers.get(answerId));
        return ResponseEntity.ok(view(a, parkedAnswers.preview(a)));
    }

    @Override
    public ResponseEntity<Resource> getParkedAnswerContent(String answerId) {
        java.nio.file.Path file = mapped(() -> parkedAnswers.file(answerId));
        String name = mapped(() -> parkedAnswers.get(answerId)).fileName();
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(name, java.nio.charset.StandardCharsets.UTF_8).build().toString())
                .body(new FileSystemResource(file));
    }

    @Override
    public ResponseEntity<ParkedAnswer> replayParkedAnswer(String answerId) {
        return ResponseEntity.ok(view(mapped(() -> parkedAnswers.replay(answerId, caller())), null));
    }

    @Override
    public ResponseEntity<ParkedAnswer> discardParkedAnswer(String answerId, DiscardRequest request) {
        mapped(() -> parkedAnswers.get(answerId));
        if (request == null || request.getReason() == null || request.getReason().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "reason: required");
        }
        if (request.getReason().length() > 2000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "reason: at most 2000 characters");
        }
        return ResponseEntity.ok(view(mapped(() -> parkedAnswers.discard(answerId, request.getReason(), caller())), null));
    }

    /** Unknown answer → 404; one in the wrong state → 409 naming {@code currentState}. */
    private static <T> T mapped(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ParkedAnswers.NoSuchAnswer e) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, e.getMessage());
        } catch (ParkedAnswers.WrongState e) {
            ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
            p.setTitle("Conflict");
            p.setProperty("currentState", e.current().name());
            throw new ErrorResponseException(HttpStatus.CONFLICT, p, null);
        }
    }

    private static String caller() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null ? "unknown" : auth.getName();
    }

    static ParkedAnswer view(ParkedAnswers.Answer a, String preview) {
        ParkedAnswer p = new ParkedAnswer(a.id(), a.unitCode(), ParkedAnswer.ProtocolEnum.fromValue(a.protocol().name()),
                a.fileName(), ParkedAnswer.StatusEnum.fromValue(a.status().name()), a.reason(), a.size(), a.sha256(),
                utc(a.parkedAt()))
                .storedAs(a.storedAs()).updatedAt(utc(a.updatedAt())).replays(a.replays())
                .lastReplayAt(utc(a.lastReplayAt())).lastReplayBy(a.lastReplayBy())
                .lastReplayOutcome(a.lastReplayOutcome()).discardReason(a.discardReason())
                .discardedBy(a.discardedBy()).discardedAt(utc(a.discardedAt()));
        if (preview != null) {
            p.setPreview(preview);
        }
        return p;
    }

    private static OffsetDateTime utc(java.time.Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    @Override
    public ResponseEntity<List<DeadLetterQueue>> listDeadLetterQueues() {
        List<DeadLetterQueue> out = new ArrayList<>();
        for (String q : deadLetterQueues) {
            Properties p = admin.getQueueProperties(q);
            if (p != null) {
                Object count = p.get(RabbitAdmin.QUEUE_MESSAGE_COUNT);
                out.add(new DeadLetterQueue(q, count == null ? 0 : ((Number) count).intValue())
                        .originalQueue(q.endsWith(".dlq") ? q.substring(0, q.length() - 4) : null));
            }
        }
        return ResponseEntity.ok(out);
    }

    @Override
    public ResponseEntity<ReplayResult> replayDeadLetters(String queue, Integer max) {
        requireDlq(queue);
        String original = queue.substring(0, queue.length() - 4);
        int n = 0;
        for (int i = 0; i < (max == null ? 100 : max); i++) {
            Message m = rabbit.receive(queue);
            if (m == null) {
                break;
            }
            m.getMessageProperties().getHeaders().remove("x-exception-stacktrace");
            rabbit.send("", original, m);
            n++;
        }
        return ResponseEntity.ok(new ReplayResult(n));
    }

    @Override
    public ResponseEntity<ReplayResult> discardDeadLetters(String queue, DiscardRequest request, Integer max) {
        requireDlq(queue);
        int n = 0;
        for (int i = 0; i < (max == null ? 100 : max); i++) {
            Message m = rabbit.receive(queue);
            if (m == null) {
                break;
            }
            messageLog.append(new MessageLog.Entry("HUB", MessageLog.Direction.IN, "AMQP",
                    m.getMessageProperties().getMessageId(), "DEAD_LETTER", null, m.getBody(),
                    "DISCARDED: " + request.getReason()));
            n++;
        }
        return ResponseEntity.ok(new ReplayResult(n));
    }

    @Override
    public ResponseEntity<List<MessageLogRecord>> queryMessageLog(String unit, String taskId, String direction, Integer limit) {
        unit("unit", unit);
        text("taskId", taskId);
        if (direction != null && !List.of("IN", "OUT").contains(direction)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "direction: IN or OUT");
        }
        return ResponseEntity.ok(messageLog.query(unit, taskId, direction, limit == null ? 100 : limit).stream()
                .map(r -> new MessageLogRecord(r.id(), r.unitCode(), MessageLogRecord.DirectionEnum.fromValue(r.direction()),
                        r.protocol(), r.at().atOffset(ZoneOffset.UTC), r.payloadHash(), r.recordHash())
                        .seq(r.seq()).messageId(r.messageId()).messageKind(r.messageKind()).taskId(r.taskId())
                        .size(r.size()).outcome(r.outcome()).prevHash(r.prevHash()))
                .toList());
    }

    @Override
    public ResponseEntity<VerifyReport> verifyMessageLog(String unit) {
        unit("unit", unit);
        List<ChainResult> chains = messageLog.verify(unit);
        return ResponseEntity.ok(new VerifyReport(chains.stream().allMatch(ChainResult::getOk), chains));
    }

    @Override
    public ResponseEntity<List<BureauHealth>> listBureauHealth() {
        Map<String, Long> backlog = store.countByUnit("PENDING");
        Map<String, Long> parked = store.countByUnit("PARKED");
        List<BureauHealth> out = new ArrayList<>();
        for (Bureau b : registry.all()) {
            BureauHealth h = new BureauHealth(b.code(), b.protocol().name(), breakers.state(b),
                    backlog.getOrDefault(b.code(), 0L).intValue()).parked(parked.getOrDefault(b.code(), 0L).intValue());
            jdbc.query("select last_success_at from bureau_state where unit_code = ?", rs -> {
                if (rs.getTimestamp(1) != null) {
                    h.setLastSuccessAt(rs.getTimestamp(1).toInstant().atOffset(ZoneOffset.UTC));
                }
            }, b.code());
            out.add(h);
        }
        return ResponseEntity.ok(out);
    }

    private void requireDlq(String queue) {
        if (!deadLetterQueues.contains(queue) || admin.getQueueProperties(queue) == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no dead-letter queue " + queue);
        }
    }

    private Delivery find(String id) {
        text("deliveryId", id);
        return store.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no delivery " + id));
    }

    static ParkedDelivery view(Delivery d, boolean withPayload) {
        ParkedDelivery p = new ParkedDelivery(d.id(), d.unitCode(), d.taskId(),
                ParkedDelivery.StatusEnum.fromValue(d.status()), d.attempts())
                .sourceEventId(d.sourceEventId()).sourceEventType(d.sourceEventType())
                .protocol(ParkedDelivery.ProtocolEnum.fromValue(d.protocol())).messageKind(d.kind())
                .reason(d.reason()).lastError(d.lastError()).discardReason(d.discardReason())
                .createdAt(OffsetDateTime.ofInstant(d.createdAt(), ZoneOffset.UTC))
                .updatedAt(OffsetDateTime.ofInstant(d.updatedAt(), ZoneOffset.UTC));
        if (withPayload) {
            p.setPayload(d.payload());
        }
        return p;
    }
}
