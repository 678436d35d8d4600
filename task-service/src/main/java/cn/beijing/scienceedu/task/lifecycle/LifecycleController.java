package cn.beijing.scienceedu.task.lifecycle;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import cn.beijing.scienceedu.contracts.task.api.LifecycleApi;
import cn.beijing.scienceedu.contracts.task.model.ActionNote;
import cn.beijing.scienceedu.contracts.task.model.DispatchResult;
import cn.beijing.scienceedu.contracts.task.model.ReasonRequest;
import cn.beijing.scienceedu.contracts.task.model.Task;
import cn.beijing.scienceedu.contracts.task.model.UrgeRequest;
import cn.beijing.scienceedu.task.security.Caller;
import cn.beijing.scienceedu.task.security.Callers;
import cn.beijing.scienceedu.task.web.ETags;
import cn.beijing.scienceedu.task.web.Idempotency;

@RestController
class LifecycleController implements LifecycleApi {

    private final LifecycleService lifecycle;
    private final Callers callers;
    private final Idempotency idempotency;
    private final TaskViews views;
    private final String commissionUnit;

    LifecycleController(LifecycleService lifecycle, Callers callers, Idempotency idempotency, TaskViews views,
            @Value("${hub.urging.commission-unit:SJW}") String commissionUnit) {
        this.lifecycle = lifecycle;
        this.callers = callers;
        this.idempotency = idempotency;
        this.views = views;
        this.commissionUnit = commissionUnit;
    }

    static ResponseEntity<Task> ok(Task t) {
        return ResponseEntity.ok().eTag(ETags.of(t.getVersion())).body(t);
    }

    @Override
    public ResponseEntity<Task> acceptTask(String taskId, String idempotencyKey, String ifMatch, ActionNote note) {
        Caller c = callers.liaison();
        return idempotency.run("accept:" + taskId, idempotencyKey, Task.class,
                () -> ok(views.api(lifecycle.accept(taskId, ifMatch, c, note == null ? null : note.getNote()))));
    }

    @Override
    public ResponseEntity<Task> cancelTask(String taskId, ReasonRequest reason, String idempotencyKey, String ifMatch) {
        Caller c = callers.liaison();
        return idempotency.run("cancel:" + taskId, idempotencyKey, Task.class,
                () -> ok(views.api(lifecycle.cancel(taskId, ifMatch, c, reason.getReason()))));
    }

    @Override
    public ResponseEntity<DispatchResult> dispatchMeasure(String policyId, Integer measureNo, String idempotencyKey,
            ActionNote note) {
        Caller c = callers.liaison();
        return idempotency.run("dispatch:" + policyId + ":" + measureNo, idempotencyKey, DispatchResult.class,
                () -> ResponseEntity.ok(lifecycle.dispatchScope(policyId, measureNo, c, note == null ? null : note.getNote())));
    }

    @Override
    public ResponseEntity<DispatchResult> dispatchPolicy(String policyId, String idempotencyKey, ActionNote note) {
        Caller c = callers.liaison();
        return idempotency.run("dispatch:" + policyId, idempotencyKey, DispatchResult.class,
                () -> ResponseEntity.ok(lifecycle.dispatchScope(policyId, null, c, note == null ? null : note.getNote())));
    }

    @Override
    public ResponseEntity<Task> dispatchTask(String taskId, String idempotencyKey, String ifMatch, ActionNote note) {
        Caller c = callers.liaison();
        return idempotency.run("dispatch:" + taskId, idempotencyKey, Task.class,
                () -> ok(views.api(lifecycle.dispatchOne(taskId, ifMatch, c, note == null ? null : note.getNote()))));
    }

    @Override
    public ResponseEntity<Task> returnTask(String taskId, ReasonRequest reason, String idempotencyKey, String ifMatch) {
        Caller c = callers.liaison();
        return idempotency.run("return:" + taskId, idempotencyKey, Task.class,
                () -> ok(views.api(lifecycle.returnTask(taskId, ifMatch, c, reason.getReason()))));
    }

    @Override
    public ResponseEntity<Task> urgeTask(String taskId, String idempotencyKey, UrgeRequest request) {
        Caller c = callers.liaison();
        return idempotency.run("urge:" + taskId, idempotencyKey, Task.class,
                () -> ok(views.api(lifecycle.urge(taskId, c, request == null ? null : request.getLevel(),
                        request == null ? null : request.getNote(), commissionUnit))));
    }
}
