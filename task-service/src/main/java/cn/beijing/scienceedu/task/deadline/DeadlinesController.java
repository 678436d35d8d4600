package cn.beijing.scienceedu.task.deadline;

import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import cn.beijing.scienceedu.contracts.task.api.DeadlinesApi;
import cn.beijing.scienceedu.contracts.task.model.DeadlineChangeRequest;
import cn.beijing.scienceedu.contracts.task.model.ExtensionDecisionRequest;
import cn.beijing.scienceedu.contracts.task.model.ExtensionRequest;
import cn.beijing.scienceedu.contracts.task.model.Task;
import cn.beijing.scienceedu.task.lifecycle.TaskChanges;
import cn.beijing.scienceedu.task.lifecycle.TaskViews;
import cn.beijing.scienceedu.task.security.Caller;
import cn.beijing.scienceedu.task.security.Callers;
import cn.beijing.scienceedu.task.web.ETags;
import cn.beijing.scienceedu.task.web.Idempotency;

@RestController
class DeadlinesController implements DeadlinesApi {

    private final Extensions extensions;
    private final TaskChanges changes;
    private final TaskViews views;
    private final Callers callers;
    private final Idempotency idempotency;

    DeadlinesController(Extensions extensions, TaskChanges changes, TaskViews views, Callers callers,
            Idempotency idempotency) {
        this.extensions = extensions;
        this.changes = changes;
        this.views = views;
        this.callers = callers;
        this.idempotency = idempotency;
    }

    @Override
    public ResponseEntity<ExtensionRequest> decideExtension(String taskId, String requestId,
            ExtensionDecisionRequest request, String idempotencyKey) {
        Caller c = callers.liaison();
        return idempotency.run("decide:" + taskId + ":" + requestId, idempotencyKey, ExtensionRequest.class,
                () -> ResponseEntity.ok(extensions.decide(taskId, requestId, request, c)));
    }

    @Override
    public ResponseEntity<List<ExtensionRequest>> listExtensionRequests(String taskId) {
        changes.findVisible(taskId, callers.reader());
        return ResponseEntity.ok(extensions.list(taskId));
    }

    @Override
    public ResponseEntity<Task> setTaskDeadline(String taskId, DeadlineChangeRequest request, String idempotencyKey,
            String ifMatch) {
        Caller c = callers.liaison();
        return idempotency.run("deadline:" + taskId, idempotencyKey, Task.class, () -> {
            Task t = views.api(extensions.setDeadline(taskId, request.getDeadline(),
                    request.getReportingCycle() == null ? null : request.getReportingCycle().getValue(),
                    request.getReason(), ifMatch, c));
            return ResponseEntity.ok().eTag(ETags.of(t.getVersion())).body(t);
        });
    }
}
