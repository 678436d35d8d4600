package cn.beijing.scienceedu.adapters.inbound;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.server.ResponseStatusException;

import org.springframework.web.multipart.MultipartFile;

import cn.beijing.scienceedu.adapters.dispatch.KnownTasks;
import cn.beijing.scienceedu.adapters.mapping.BureauWrite;
import cn.beijing.scienceedu.adapters.registry.Protocol;
import cn.beijing.scienceedu.contracts.bureau.api.BureauInboundApi;
import cn.beijing.scienceedu.contracts.bureau.model.ExtensionRequest;
import cn.beijing.scienceedu.contracts.bureau.model.ProgressReport;
import cn.beijing.scienceedu.contracts.bureau.model.Receipt;
import cn.beijing.scienceedu.contracts.bureau.model.SignFor;
import cn.beijing.scienceedu.contracts.bureau.model.StoredEvidence;
import cn.beijing.scienceedu.contracts.bureau.model.Submission;
import tools.jackson.databind.json.JsonMapper;

/** REST bureaus call these (through the gateway) with a BUREAU token carrying their {@code unit}. */
@RestController
public class BureauRestController implements BureauInboundApi {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private final InboundPipeline pipeline;
    private final JsonMapper json;
    private final KnownTasks knownTasks;
    private final TaskServiceClient taskService;

    public BureauRestController(InboundPipeline pipeline, JsonMapper json, KnownTasks knownTasks,
            TaskServiceClient taskService) {
        this.pipeline = pipeline;
        this.json = json;
        this.knownTasks = knownTasks;
        this.taskService = taskService;
    }

    @Override
    public ResponseEntity<Receipt> signFor(String taskId, SignFor body, String idempotencyKey) {
        body.setMessageId(key(body.getMessageId(), idempotencyKey));
        return run(BureauWrite.Kind.SIGN_FOR, taskId, body);
    }

    @Override
    public ResponseEntity<Receipt> reportProgress(String taskId, ProgressReport body, String idempotencyKey) {
        body.setMessageId(key(body.getMessageId(), idempotencyKey));
        return run(BureauWrite.Kind.PROGRESS, taskId, body);
    }

    @Override
    public ResponseEntity<Receipt> submit(String taskId, Submission body, String idempotencyKey) {
        body.setMessageId(key(body.getMessageId(), idempotencyKey));
        return run(BureauWrite.Kind.SUBMISSION, taskId, body);
    }

    @Override
    public ResponseEntity<Receipt> requestExtension(String taskId, ExtensionRequest body, String idempotencyKey) {
        body.setMessageId(key(body.getMessageId(), idempotencyKey));
        return run(BureauWrite.Kind.EXTENSION_REQUEST, taskId, body);
    }

    /**
     * Evidence uploaded first (佐证材料): checked against the 5 MiB limit, then stored by the task-service acting for
     * the unit — for a task dispatched to this unit only (else 404, as for every write). A task-service refusal (a
     * file type it does not keep: 415) is passed on as its problem.
     */
    @Override
    public ResponseEntity<StoredEvidence> uploadEvidence(String taskId, MultipartFile file) {
        String unit = callerUnit();
        if (!knownTasks.belongsTo(taskId, unit)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "task " + taskId + " not found");
        }
        if (file == null || file.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "file: required, not empty");
        }
        if (file.getSize() > InboundPipeline.MAX_EVIDENCE_BYTES) {
            throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, "file: " + file.getSize()
                    + " bytes, more than 5 MiB (" + InboundPipeline.MAX_EVIDENCE_BYTES + ")");
        }
        byte[] bytes;
        try {
            bytes = file.getBytes();
        } catch (java.io.IOException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "file: cannot be read");
        }
        String name = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank() ? "evidence"
                : file.getOriginalFilename();
        TaskServiceClient.Stored stored = taskService.upload(unit, taskId, name, bytes, traceparent());
        if (stored.answer().transientFailure()) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "task-service unavailable, try again");
        }
        if (!stored.answer().ok()) {
            HttpStatus status = HttpStatus.resolve(stored.answer().status());
            HttpStatus s = status == null ? HttpStatus.BAD_REQUEST : status;
            ProblemDetail p = ProblemDetail.forStatusAndDetail(s, String.join("; ", stored.answer().reasons()));
            p.setTitle(s.getReasonPhrase());
            throw new ErrorResponseException(s, p, null);
        }
        var a = stored.attachment();
        return ResponseEntity.status(HttpStatus.CREATED).body(new StoredEvidence(a.getId(), name, a.getSize(), a.getSha256())
                .contentType(a.getContentType()));
    }

    private static String key(String messageId, String idempotencyKey) {
        return messageId != null ? messageId : idempotencyKey;
    }

    private static String traceparent() {
        var attrs = RequestContextHolder.getRequestAttributes();
        return attrs instanceof ServletRequestAttributes sra ? sra.getRequest().getHeader("traceparent") : null;
    }

    private ResponseEntity<Receipt> run(BureauWrite.Kind kind, String taskId, Object body) {
        String unit = callerUnit();
        BureauWrite report = BureauWrite.of(kind, taskId, null, body, OffsetDateTime.now(ZONE));
        InboundPipeline.Result r;
        try {
            r = pipeline.handle(unit, Protocol.REST, report, json.writeValueAsBytes(body), traceparent());
        } catch (InboundTransientException e) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "task-service unavailable, try again");
        }
        if (r.httpStatus() == 404) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "task " + report.taskId() + " not found");
        }
        if (r.httpStatus() == 400) {
            // the hub's checks or the task-service's (a bureau time in the future …): one reason per bad field
            ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, String.join("; ", r.receipt().getReasons()));
            p.setTitle("Bad Request");
            p.setProperty("errors", r.receipt().getReasons().stream().map(BureauRestController::fieldError).toList());
            p.setProperty("receiptId", r.receipt().getReceiptId());
            p.setProperty("messageId", r.receipt().getMessageId());
            p.setProperty("outcome", r.receipt().getOutcome().getValue());
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, p, null);
        }
        if (r.httpStatus() >= 400) {
            // refused by the task-service (409 lifecycle conflict, 422 …): a problem detail, the receipt riding along
            HttpStatus status = HttpStatus.resolve(r.httpStatus());
            ProblemDetail p = ProblemDetail.forStatusAndDetail(status == null ? HttpStatus.CONFLICT : status,
                    String.join("; ", r.receipt().getReasons()));
            p.setTitle(status == null ? "Refused" : status.getReasonPhrase());
            if (r.receipt().getTaskStatus() != null) {
                p.setProperty("currentState", r.receipt().getTaskStatus());
            }
            p.setProperty("receiptId", r.receipt().getReceiptId());
            p.setProperty("messageId", r.receipt().getMessageId());
            p.setProperty("outcome", r.receipt().getOutcome().getValue());
            throw new ErrorResponseException(status == null ? HttpStatus.CONFLICT : status, p, null);
        }
        return ResponseEntity.status(r.httpStatus()).body(r.receipt());
    }

    /** A reason {@code "field: message"} as a FieldError of common.yaml. */
    static Map<String, String> fieldError(String reason) {
        int colon = reason.indexOf(": ");
        return colon > 0 && !reason.substring(0, colon).contains(" ")
                ? Map.of("field", reason.substring(0, colon), "message", reason.substring(colon + 2))
                : Map.of("field", "", "message", reason);
    }

    static String callerUnit() {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken jwt) {
            String unit = jwt.getToken().getClaimAsString("unit");
            if (unit != null && !unit.isBlank()) {
                return unit;
            }
        }
        throw new ResponseStatusException(HttpStatus.FORBIDDEN, "token carries no unit");
    }
}
