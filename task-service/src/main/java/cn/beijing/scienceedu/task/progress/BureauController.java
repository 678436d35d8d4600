package cn.beijing.scienceedu.task.progress;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import cn.beijing.scienceedu.contracts.task.api.BureauApi;
import cn.beijing.scienceedu.contracts.task.model.Attachment;
import cn.beijing.scienceedu.contracts.task.model.ExtensionRequest;
import cn.beijing.scienceedu.contracts.task.model.ExtensionRequestCreate;
import cn.beijing.scienceedu.contracts.task.model.ProgressReport;
import cn.beijing.scienceedu.contracts.task.model.ProgressReportRequest;
import cn.beijing.scienceedu.contracts.task.model.SignForRequest;
import cn.beijing.scienceedu.contracts.task.model.Task;
import cn.beijing.scienceedu.task.deadline.Extensions;
import cn.beijing.scienceedu.task.lifecycle.TaskChanges;
import cn.beijing.scienceedu.task.lifecycle.TaskViews;
import cn.beijing.scienceedu.task.security.Caller;
import cn.beijing.scienceedu.task.security.Callers;
import cn.beijing.scienceedu.task.web.ETags;
import cn.beijing.scienceedu.task.web.Idempotency;

/**
 * Bureau writes, normally from bureau-adapters (SERVICE + X-Hub-Acting-Unit); a BUREAU token acts for its
 * own unit. Idempotent on Idempotency-Key, else on the bureau's message id.
 */
@RestController
class BureauController implements BureauApi {

    private final ProgressReports reports;
    private final Extensions extensions;
    private final AttachmentStore attachments;
    private final TaskChanges changes;
    private final TaskViews views;
    private final Callers callers;
    private final Idempotency idempotency;
    private final TransactionTemplate tx;

    BureauController(ProgressReports reports, Extensions extensions, AttachmentStore attachments, TaskChanges changes,
            TaskViews views, Callers callers, Idempotency idempotency, TransactionTemplate tx) {
        this.reports = reports;
        this.extensions = extensions;
        this.attachments = attachments;
        this.changes = changes;
        this.views = views;
        this.callers = callers;
        this.idempotency = idempotency;
        this.tx = tx;
    }

    private static String key(String header, String messageId) {
        return header != null && !header.isBlank() ? header : messageId;
    }

    @Override
    public ResponseEntity<ProgressReport> reportProgress(String taskId, ProgressReportRequest request,
            String idempotencyKey, String actingUnit) {
        Caller c = callers.bureauWriter(actingUnit);
        return idempotency.run("progress:" + taskId, key(idempotencyKey, request.getMessageId()), ProgressReport.class,
                () -> changes.findVisible(taskId, c),
                () -> ResponseEntity.status(HttpStatus.CREATED).body(reports.report(taskId, request, false, c)));
    }

    @Override
    public ResponseEntity<ProgressReport> submitTask(String taskId, ProgressReportRequest request, String idempotencyKey,
            String actingUnit) {
        Caller c = callers.bureauWriter(actingUnit);
        return idempotency.run("submission:" + taskId, key(idempotencyKey, request.getMessageId()), ProgressReport.class,
                () -> changes.findVisible(taskId, c),
                () -> ResponseEntity.status(HttpStatus.CREATED).body(reports.report(taskId, request, true, c)));
    }

    @Override
    public ResponseEntity<Task> signForTask(String taskId, SignForRequest request, String idempotencyKey,
            String actingUnit) {
        Caller c = callers.bureauWriter(actingUnit);
        return idempotency.run("sign-for:" + taskId, key(idempotencyKey, request.getMessageId()), Task.class,
                () -> changes.findVisible(taskId, c), () -> {
            Task t = views.api(reports.signFor(taskId, request, c));
            return ResponseEntity.ok().eTag(ETags.of(t.getVersion())).body(t);
        });
    }

    @Override
    public ResponseEntity<ExtensionRequest> requestExtension(String taskId, ExtensionRequestCreate request,
            String idempotencyKey, String actingUnit) {
        Caller c = callers.bureauWriter(actingUnit);
        return idempotency.run("extension:" + taskId, key(idempotencyKey, request.getMessageId()), ExtensionRequest.class,
                () -> changes.findVisible(taskId, c),
                () -> ResponseEntity.status(HttpStatus.CREATED).body(extensions.request(taskId, request, c)));
    }

    @Override
    public ResponseEntity<Attachment> uploadAttachment(String taskId, MultipartFile file, String actingUnit) {
        Caller c = callers.bureauWriter(actingUnit);
        return tx.execute(s -> {
            changes.lockVisible(taskId, c); // one upload per task at a time: identical bytes are stored once
            return ResponseEntity.status(HttpStatus.CREATED).body(attachments.store(taskId, file, c.subject()));
        });
    }
}
