package cn.beijing.scienceedu.adapters.inbound;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
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
import cn.beijing.scienceedu.adapters.mapping.InboundReport;
import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;
import cn.beijing.scienceedu.contracts.bureau.model.Receipt;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one path every bureau write takes, whatever the protocol: message log → schema check → one
 * effect per message id → the task was dispatched to THIS unit (else 404 / rejected receipt) →
 * task-service as SERVICE acting for the unit → receipt (synchronous for REST and SOAP, queued in the
 * bureau's own protocol for file, SFTP and AMQP).
 */
@Service
public class InboundPipeline {

    private static final Logger log = LoggerFactory.getLogger(InboundPipeline.class);
    private static final String PERIOD = "^\\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$";

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

    public Result handle(String unit, Protocol protocol, InboundReport report, byte[] raw, String traceparent) {
        String messageId = report.messageId();
        // the message log keeps the raw bytes as received; its id columns get a printable copy, since PostgreSQL text
        // refuses a NUL (the report itself is refused below for it)
        long logId = messageLog.append(new MessageLog.Entry(unit, MessageLog.Direction.IN, protocol.name(),
                printable(report.messageId()), report.kind().name(), printable(report.taskId()),
                raw == null ? new byte[0] : raw, "RECEIVED"));

        List<String> errors = check(unit, report);
        if (!errors.isEmpty()) {
            boolean foreign = errors.stream().anyMatch(s -> s.startsWith("unitCode"));
            return finish(unit, protocol, report, reject(unit, report, foreign ? List.of("task not found") : errors),
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
                    "RECEIPT", report.taskId(), json.writeValueAsBytes(again), "DUPLICATE"));
            return new Result(again, status == null ? 200 : status);
        }
        if (!knownTasks.belongsTo(report.taskId(), unit)) {
            // another unit's task, or none: the same answer either way (never a leak)
            return finish(unit, protocol, report, reject(unit, report, List.of("task not found")), 404, false);
        }
        TaskServiceClient.Answer answer = taskService.forward(unit, report, String.valueOf(logId), traceparent);
        if (answer.transientFailure()) {
            count(unit, protocol, "RETRY");
            throw new InboundTransientException("task-service: " + answer.status() + " " + answer.detail());
        }
        Receipt receipt;
        int status;
        if (answer.ok()) {
            receipt = receipt(unit, report, Receipt.OutcomeEnum.ACCEPTED, List.of());
            receipt.setTaskStatus(answer.taskStatus());
            status = 200;
        } else {
            receipt = reject(unit, report, List.of(answer.detail() == null ? "task-service answered " + answer.status()
                    : answer.detail()));
            receipt.setTaskStatus(answer.taskStatus()); // the state a conflict names (currentState)
            status = answer.status();
        }
        return finish(unit, protocol, report, receipt, status, true);
    }

    private Result finish(String unit, Protocol protocol, InboundReport report, Receipt receipt, int status, boolean remember) {
        if (remember) {
            int n = jdbc.update("""
                    insert into inbound_message(unit_code, message_id, protocol, kind, task_id, outcome, http_status, receipt)
                    values (?,?,?,?,?,?,?,?) on conflict do nothing""", unit, report.messageId(), protocol.name(),
                    report.kind().name(), report.taskId(), receipt.getOutcome().getValue(), status,
                    json.writeValueAsString(receipt));
            if (n == 0) {
                // a twin got there first: answer as it did
                Receipt first = jdbc.queryForObject("select receipt from inbound_message where unit_code = ? and message_id = ?",
                        (rs, i) -> json.readValue(rs.getString(1), Receipt.class), unit, report.messageId());
                return new Result(first.duplicate(true), status);
            }
        }
        count(unit, protocol, receipt.getOutcome().getValue());
        messageLog.append(new MessageLog.Entry(unit, MessageLog.Direction.OUT, protocol.name(), receipt.getReceiptId(),
                "RECEIPT", printable(report.taskId()), json.writeValueAsString(receipt).getBytes(StandardCharsets.UTF_8),
                receipt.getOutcome().getValue()));
        if (protocol == Protocol.FILE || protocol == Protocol.SFTP || protocol == Protocol.AMQP) {
            Bureau bureau = registry.require(unit);
            intake.queueReceipt(bureau, receipt.getReceiptId(), report.taskId(),
                    receipt.getReasons().isEmpty() ? null : String.join("; ", receipt.getReasons()),
                    java.util.Map.of("outcome", receipt.getOutcome().getValue()));
        }
        log.info("{} {} from {} for task {}: {}", protocol, report.kind(), unit, report.taskId(), receipt.getOutcome());
        return new Result(receipt, status);
    }

    private Receipt reject(String unit, InboundReport report, List<String> reasons) {
        return receipt(unit, report, Receipt.OutcomeEnum.REJECTED, reasons);
    }

    private Receipt receipt(String unit, InboundReport report, Receipt.OutcomeEnum outcome, List<String> reasons) {
        String id = UUID.nameUUIDFromBytes(("receipt|" + unit + "|" + report.messageId()).getBytes(StandardCharsets.UTF_8))
                .toString();
        Receipt r = new Receipt(id, report.messageId() == null ? "" : report.messageId(), outcome);
        r.setTaskId(report.taskId());
        r.setUnitCode(unit);
        r.setKind(Receipt.KindEnum.fromValue(report.kind().name()));
        r.setReasons(new ArrayList<>(reasons));
        r.setDuplicate(false);
        r.setAt(OffsetDateTime.now(ZoneId.of("Asia/Shanghai")));
        return r;
    }

    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cc}");

    /** An id as the message log's text columns can hold it: control characters replaced by U+FFFD. */
    static String printable(String id) {
        return id == null ? null : CONTROL.matcher(id).replaceAll("\uFFFD");
    }

    static List<String> check(String unit, InboundReport r) {
        List<String> errors = new ArrayList<>();
        if (r.messageId() == null || r.messageId().isBlank() || r.messageId().length() > 128) {
            errors.add("messageId: required, at most 128 characters");
        } else if (CONTROL.matcher(r.messageId()).find()) {
            // a CR/LF or NUL in an id would split log lines and cannot be stored; any other character is the bureau's choice
            errors.add("messageId: no control characters (CR, LF, NUL …)");
        }
        if (r.taskId() == null || r.taskId().isBlank() || r.taskId().length() > 64) {
            errors.add("taskId: required, at most 64 characters");
        } else if (CONTROL.matcher(r.taskId()).find()) {
            errors.add("taskId: no control characters");
        }
        if (r.unitCode() != null && !r.unitCode().isBlank() && !r.unitCode().equals(unit)) {
            errors.add("unitCode: not the caller's unit");
        }
        switch (r.kind()) {
            case PROGRESS -> {
                if (r.period() == null || !r.period().matches(PERIOD)) {
                    errors.add("period: must be 2025, 2025-Q1 or 2025-03");
                }
                if (r.percentComplete() == null || r.percentComplete() < 0 || r.percentComplete() > 100) {
                    errors.add("percentComplete: 0..100 required");
                }
                if (r.kpiValues() != null) {
                    for (int i = 0; i < r.kpiValues().size(); i++) {
                        var k = r.kpiValues().get(i);
                        if (k.get("code") == null || k.get("value") == null
                                || !java.util.List.of("SCHOOL", "DISTRICT", "CITY").contains(String.valueOf(k.get("level")))) {
                            errors.add("kpiValues[" + i + "]: code, value and level (SCHOOL, DISTRICT, CITY) required");
                        }
                        if (k.get("code") != null && !String.valueOf(k.get("code")).matches("^[A-Z][A-Z0-9_]*$")) {
                            errors.add("kpiValues[" + i + "].code: catalogue KPI code (A-Z, 0-9, _)");
                        }
                        if (k.get("value") != null && !isNumber(k.get("value"))) {
                            errors.add("kpiValues[" + i + "].value: a number");
                        }
                        if (k.get("districtCode") != null && String.valueOf(k.get("districtCode")).length() > 32) {
                            errors.add("kpiValues[" + i + "].districtCode: at most 32 characters");
                        }
                        if (k.get("schoolCode") != null && String.valueOf(k.get("schoolCode")).length() > 64) {
                            errors.add("kpiValues[" + i + "].schoolCode: at most 64 characters");
                        }
                    }
                }
            }
            case SUBMISSION -> {
                if (r.summary() == null || r.summary().isBlank()) {
                    errors.add("summary: required");
                }
                if (r.period() != null && !r.period().matches(PERIOD)) {
                    errors.add("period: must be 2025, 2025-Q1 or 2025-03");
                }
            }
            case EXTENSION_REQUEST -> {
                try {
                    LocalDate.parse(String.valueOf(r.requestedDeadline()));
                } catch (RuntimeException e) {
                    errors.add("requestedDeadline: ISO date required");
                }
                if (r.reason() == null || r.reason().isBlank()) {
                    errors.add("reason: required");
                }
            }
            default -> {
            }
        }
        return errors;
    }

    private static boolean isNumber(Object v) {
        try {
            new java.math.BigDecimal(String.valueOf(v));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void count(String unit, Protocol protocol, String outcome) {
        meters.counter("hub.adapters.inbound", "unit", unit, "protocol", protocol.name(), "outcome", outcome).increment();
    }
}
