package cn.beijing.scienceedu.adapters.inbound;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import cn.beijing.scienceedu.adapters.dispatch.KnownTasks;
import cn.beijing.scienceedu.adapters.dispatch.TaskEventIntake;
import cn.beijing.scienceedu.adapters.mapping.BureauWrite;
import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;
import cn.beijing.scienceedu.contracts.bureau.model.Evidence;
import cn.beijing.scienceedu.contracts.bureau.model.ExtensionRequest;
import cn.beijing.scienceedu.contracts.bureau.model.KpiValue;
import cn.beijing.scienceedu.contracts.bureau.model.ProgressReport;
import cn.beijing.scienceedu.contracts.bureau.model.Receipt;
import cn.beijing.scienceedu.contracts.bureau.model.SignFor;
import cn.beijing.scienceedu.contracts.bureau.model.Submission;
import cn.beijing.scienceedu.contracts.task.client.model.EvidenceRef;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one path every bureau write takes, whatever the protocol: message log → schema check (what could not be
 * read, the bureau API's rules, evidence bytes against their size and SHA-256) → one effect per message id → the
 * task was dispatched to THIS unit (else 404 / rejected receipt) → evidence bytes stored by the task-service →
 * the write, every field of it, to the task-service as SERVICE acting for the unit → receipt (with the bureau's
 * time as kept, {@code sentAt}, and the hub's, {@code at}) (synchronous for REST and SOAP, queued in the
 * bureau's own protocol for file, SFTP and AMQP).
 */
@Service
public class InboundPipeline {

    private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final String PERIOD = "^(?!0000)\\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"; // year 0000 refused, as the spec says

    /** The receipt and the HTTP status a synchronous caller gets. */
    public record Result(Receipt receipt, int httpStatus) {
    }

    private final MessageLog messageLog;
    private final KnownTasks knownTasks;
    private final TaskServiceClient taskService;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final BureauRegistry registry;
    private final TaskEventIntake intake;
    private final MeterRegistry meters;

    public InboundPipeline(MessageLog messageLog, KnownTasks knownTasks, TaskServiceClient taskService, JdbcTemplate jdbc,
            JsonMapper json, BureauRegistry registry, TaskEventIntake intake, MeterRegistry meters) {
        this.messageLog = messageLog;
        this.knownTasks = knownTasks;
        this.taskService = taskService;
        this.jdbc = jdbc;
        this.json = json;
        this.registry = registry;
        this.intake = intake;
        this.meters = meters;
    }

    public Result handle(String unit, Protocol protocol, BureauWrite write, byte[] raw, String traceparent) {
        String messageId = write.messageId();
        // the message log keeps the raw bytes as received; its id columns get a printable copy, since PostgreSQL text
        // refuses a NUL (the write itself is refused below for it)
        long logId = messageLog.append(new MessageLog.Entry(unit, MessageLog.Direction.IN, protocol.name(),
                printable(messageId), write.kind().name(), printable(write.taskId()),
                raw == null ? new byte[0] : raw, "RECEIVED"));

        List<String> errors = check(unit, write);
        if (!errors.isEmpty()) {
            boolean foreign = errors.stream().anyMatch(s -> s.startsWith("unitCode"));
            return finish(unit, protocol, write, reject(unit, write, foreign ? List.of("task not found") : errors),
                    foreign ? 404 : 400, false);
        }
        List<Receipt> previous = jdbc.query("select receipt from inbound_message where unit_code = ? and message_id = ?",
                (rs, i) -> json.readValue(rs.getString(1), Receipt.class), unit, messageId);
        if (!previous.isEmpty()) {
            Receipt again = previous.get(0).duplicate(true);
            Integer status = jdbc.queryForObject(
                    "select http_status from inbound_message where unit_code = ? and message_id = ?", Integer.class,
                    unit, messageId);
            count(unit, protocol, "DUPLICATE");
            messageLog.append(new MessageLog.Entry(unit, MessageLog.Direction.OUT, protocol.name(), again.getReceiptId(),
                    "RECEIPT", write.taskId(), json.writeValueAsBytes(again), "DUPLICATE"));
            return new Result(again, status == null ? 200 : status);
        }
        if (!knownTasks.belongsTo(write.taskId(), unit)) {
            // another unit's task, or none: the same answer either way (never a leak)
            return finish(unit, protocol, write, reject(unit, write, List.of("task not found")), 404, false);
        }
        // evidence bytes first (stored once by the task-service: the same bytes again are the same attachment, so a
        // retry after an outage stores nothing twice); a refused file refuses the whole write, nothing is forwarded
        List<EvidenceRef> evidence = new ArrayList<>();
        for (Evidence e : write.evidence()) {
            EvidenceRef ref = new EvidenceRef().name(e.getName()).contentType(e.getContentType()).size(e.getSize())
                    .sha256(e.getSha256()).attachmentId(e.getAttachmentId());
            if (e.getContent() != null) {
                TaskServiceClient.Stored stored = taskService.upload(unit, write.taskId(), e.getName(), e.getContent(),
                        traceparent);
                if (stored.answer().transientFailure()) {
                    count(unit, protocol, "RETRY");
                    throw new InboundTransientException("task-service: " + stored.answer().status() + " "
                            + stored.answer().detail());
                }
                if (!stored.answer().ok()) {
                    List<String> reasons = new ArrayList<>();
                    for (String r : stored.answer().reasons()) {
                        reasons.add("evidence '" + e.getName() + "': " + r);
                    }
                    Receipt refused = reject(unit, write, reasons);
                    return finish(unit, protocol, write, refused, stored.answer().status(), true);
                }
                ref.attachmentId(stored.attachment().getId());
                if (ref.getContentType() == null) {
                    ref.contentType(stored.attachment().getContentType());
                }
            }
            evidence.add(ref);
        }
        TaskServiceClient.Answer answer = taskService.forward(unit, write, evidence, String.valueOf(logId), traceparent);
        if (answer.transientFailure()) {
            count(unit, protocol, "RETRY");
            throw new InboundTransientException("task-service: " + answer.status() + " " + answer.detail());
        }
        Receipt receipt;
        int status;
        if (answer.ok()) {
            receipt = receipt(unit, write, Receipt.OutcomeEnum.ACCEPTED, List.of());
            receipt.setTaskStatus(answer.taskStatus());
            status = 200;
        } else {
            // the task-service's reasons, one per bad field (a bureau time in the future, a KPI code the policy lacks …)
            receipt = reject(unit, write, answer.reasons());
            receipt.setTaskStatus(answer.taskStatus()); // the state a conflict names (currentState)
            status = answer.status();
        }
        return finish(unit, protocol, write, receipt, status, true);
    }

    private Result finish(String unit, Protocol protocol, BureauWrite write, Receipt receipt, int status, boolean remember) {
        if (remember) {
            int n = jdbc.update("""
                    insert into inbound_message(unit_code, message_id, protocol, kind, task_id, outcome, http_status, receipt)
                    values (?,?,?,?,?,?,?,?) on conflict do nothing""", unit, write.messageId(), protocol.name(),
                    write.kind().name(), write.taskId(), receipt.getOutcome().getValue(), status,
                    json.writeValueAsString(receipt));
            if (n == 0) {
                // a twin got there first: answer as it did
                Receipt first = jdbc.queryForObject("select receipt from inbound_message where unit_code = ? and message_id = ?",
                        (rs, i) -> json.readValue(rs.getString(1), Receipt.class), unit, write.messageId());
                return new Result(first.duplicate(true), status);
            }
        }
        count(unit, protocol, receipt.getOutcome().getValue());
        messageLog.append(new MessageLog.Entry(unit, MessageLog.Direction.OUT, protocol.name(), receipt.getReceiptId(),
                "RECEIPT", printable(write.taskId()), json.writeValueAsString(receipt).getBytes(StandardCharsets.UTF_8),
                receipt.getOutcome().getValue()));
        if (protocol == Protocol.FILE || protocol == Protocol.SFTP || protocol == Protocol.AMQP) {
            Bureau bureau = registry.require(unit);
            intake.queueReceipt(bureau, receipt.getReceiptId(), write.taskId(),
                    receipt.getReasons().isEmpty() ? null : String.join("; ", receipt.getReasons()),
                    java.util.Map.of("outcome", receipt.getOutcome().getValue()), receipt.getSentAt(),
                    receipt.getTaskStatus());
        }
        log.info("{} {} from {} for task {}: {}", protocol, write.kind(), unit, write.taskId(), receipt.getOutcome());
        return new Result(receipt, status);
    }

    private Receipt reject(String unit, BureauWrite write, List<String> reasons) {
        return receipt(unit, write, Receipt.OutcomeEnum.REJECTED, reasons);
    }

    private Receipt receipt(String unit, BureauWrite write, Receipt.OutcomeEnum outcome, List<String> reasons) {
        String id = UUID.nameUUIDFromBytes(("receipt|" + unit + "|" + write.messageId()).getBytes(StandardCharsets.UTF_8))
                .toString();
        Receipt r = new Receipt(id, write.messageId() == null ? "" : write.messageId(), outcome);
        r.setTaskId(write.taskId());
        r.setUnitCode(unit);
        r.setKind(Receipt.KindEnum.fromValue(write.kind().name()));
        r.setReasons(new ArrayList<>(reasons));
        r.setDuplicate(false);
        r.setAt(OffsetDateTime.now(ZONE));
        // the bureau's own time as kept (its receipt time where it sent none)
        r.setSentAt(write.keptTime() == null ? null : write.keptTime());
        return r;
    }

    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cc}");

    /** An id as the message log's text columns can hold it: control characters replaced by U+FFFD. */
    static String printable(String id) {
        return id == null ? null : CONTROL.matcher(id).replaceAll("\uFFFD");
    }

    /** Largest evidence (佐证材料) a bureau may send: 5 MiB, as bureau-api.yaml says. */
    public static final long MAX_EVIDENCE_BYTES = 5L * 1024 * 1024;
    private static final java.util.regex.Pattern SHA256 = java.util.regex.Pattern.compile("^[0-9a-f]{64}$");
    private static final java.util.regex.Pattern KPI_CODE = java.util.regex.Pattern.compile("^[A-Z][A-Z0-9_]*$");

    /** Why the write must be refused (empty: it may go on): what could not be read, then the bureau API's rules. */
    static List<String> check(String unit, BureauWrite w) {
        List<String> errors = new ArrayList<>(w.problems());
        String messageId = w.messageId();
        if (messageId == null || messageId.isBlank() || messageId.length() > 128) {
            errors.add("messageId: required, at most 128 characters");
        } else if (CONTROL.matcher(messageId).find()) {
            // a CR/LF or NUL in an id would split log lines and cannot be stored; any other character is the bureau's choice
            errors.add("messageId: no control characters (CR, LF, NUL …)");
        }
        if (w.taskId() == null || w.taskId().isBlank() || w.taskId().length() > 64) {
            errors.add("taskId: required, at most 64 characters");
        } else if (CONTROL.matcher(w.taskId()).find()) {
            errors.add("taskId: no control characters");
        }
        if (w.unitCode() != null && !w.unitCode().isBlank() && !w.unitCode().equals(unit)) {
            errors.add("unitCode: not the caller's unit");
        }
        if (w.body() == null) {
            return errors;
        }
        if (w.body() instanceof SignFor s) {
            length(errors, "signedBy", s.getSignedBy(), 100);
            length(errors, "note", s.getNote(), 2000);
        } else if (w.body() instanceof ProgressReport r) {
            if (r.getPeriod() == null || !r.getPeriod().matches(PERIOD)) {
                errors.add("period: must be 2025, 2025-Q1 or 2025-03");
            }
            if (r.getPercentComplete() == null || r.getPercentComplete() < 0 || r.getPercentComplete() > 100) {
                errors.add("percentComplete: 0..100 required");
            }
            length(errors, "narrative", r.getNarrative(), 10000);
            length(errors, "problems", r.getProblems(), 10000);
            length(errors, "nextSteps", r.getNextSteps(), 10000);
            length(errors, "reporter", r.getReporter(), 100);
        } else if (w.body() instanceof Submission s) {
            if (s.getSummary() == null || s.getSummary().isBlank()) {
                errors.add("summary: required");
            }
            length(errors, "summary", s.getSummary(), 10000);
            if (s.getPeriod() != null && !s.getPeriod().matches(PERIOD)) {
                errors.add("period: must be 2025, 2025-Q1 or 2025-03");
            }
            length(errors, "reporter", s.getReporter(), 100);
        } else if (w.body() instanceof ExtensionRequest e) {
            if (e.getRequestedDeadline() == null) {
                errors.add("requestedDeadline: ISO date required");
            }
            if (e.getReason() == null || e.getReason().isBlank()) {
                errors.add("reason: required");
            }
            length(errors, "reason", e.getReason(), 2000);
            length(errors, "reporter", e.getReporter(), 100);
        }
        checkKpis(errors, w.kpiValues());
        checkEvidence(errors, w.evidence());
        return errors;
    }

    private static void length(List<String> errors, String field, String value, int max) {
        if (value != null && value.length() > max) {
            errors.add(field + ": at most " + max + " characters");
        }
    }

    static void checkKpis(List<String> errors, List<KpiValue> kpis) {
        if (kpis.size() > 500) {
            errors.add("kpiValues: at most 500");
        }
        for (int i = 0; i < kpis.size(); i++) {
            KpiValue k = kpis.get(i);
            String at = "kpiValues[" + i + "]";
            if (k == null) {
                errors.add(at + ": code, value and level (SCHOOL, DISTRICT, CITY) required");
                continue;
            }
            if (k.getCode() == null || k.getValue() == null || k.getLevel() == null) {
                errors.add(at + ": code, value and level (SCHOOL, DISTRICT, CITY) required");
            }
            if (k.getCode() != null && !KPI_CODE.matcher(k.getCode()).matches()) {
                errors.add(at + ".code: catalogue KPI code (A-Z, 0-9, _)");
            }
            if (k.getLevel() == KpiValue.LevelEnum.SCHOOL && (k.getSchoolCode() == null || k.getSchoolCode().isBlank())) {
                errors.add(at + ".schoolCode: required for a SCHOOL value (" + k.getCode() + ")");
            }
            if ((k.getLevel() == KpiValue.LevelEnum.SCHOOL || k.getLevel() == KpiValue.LevelEnum.DISTRICT)
                    && (k.getDistrictCode() == null || k.getDistrictCode().isBlank())) {
                errors.add(at + ".districtCode: required for a " + k.getLevel().getValue() + " value (" + k.getCode() + ")");
            }
            if (k.getDistrictCode() != null && k.getDistrictCode().length() > 32) {
                errors.add(at + ".districtCode: at most 32 characters");
            }
            if (k.getSchoolCode() != null && k.getSchoolCode().length() > 64) {
                errors.add(at + ".schoolCode: at most 64 characters");
            }
        }
    }

    /** Name, size and SHA-256 as the contract says; bytes that came along must be those (size, hash, 5 MiB). */
    static void checkEvidence(List<String> errors, List<Evidence> evidence) {
        if (evidence.size() > 20) {
            errors.add("evidence: at most 20");
        }
        for (int i = 0; i < evidence.size(); i++) {
            Evidence e = evidence.get(i);
            String at = "evidence[" + i + "]";
            if (e == null) {
                errors.add(at + ": name, size and sha256 required");
                continue;
            }
            if (e.getName() == null || e.getName().isBlank() || e.getName().length() > 255) {
                errors.add(at + ".name: required, at most 255 characters");
            } else {
                at += " '" + e.getName() + "'";
            }
            if (e.getSize() == null || e.getSize() < 0) {
                errors.add(at + ".size: required");
            } else if (e.getSize() > MAX_EVIDENCE_BYTES) {
                errors.add(at + ".size: " + e.getSize() + " bytes, more than 5 MiB (" + MAX_EVIDENCE_BYTES + ")");
            }
            if (e.getSha256() == null || !SHA256.matcher(e.getSha256()).matches()) {
                errors.add(at + ".sha256: 64 lower-case hex digits required");
            }
            length(errors, at + ".contentType", e.getContentType(), 100);
            length(errors, at + ".attachmentId", e.getAttachmentId(), 64);
            byte[] bytes = e.getContent();
            if (bytes != null) {
                if (bytes.length > MAX_EVIDENCE_BYTES) {
                    errors.add(at + ": " + bytes.length + " bytes, more than 5 MiB (" + MAX_EVIDENCE_BYTES + ")");
                } else if (e.getSize() != null && e.getSize() != bytes.length) {
                    errors.add(at + ".size: says " + e.getSize() + " bytes, the file has " + bytes.length);
                } else if (e.getSha256() != null && !e.getSha256().equals(MessageLog.sha256(bytes))) {
                    errors.add(at + ".sha256: does not match the file (its SHA-256 is " + MessageLog.sha256(bytes) + ")");
                }
            }
        }
    }

    private void count(String unit, Protocol protocol, String outcome) {
        meters.counter("hub.adapters.inbound", "unit", unit, "protocol", protocol.name(), "outcome", outcome).increment();
    }
}
