package cn.beijing.scienceedu.task.plan;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import cn.beijing.scienceedu.contracts.task.api.PlanApi;
import cn.beijing.scienceedu.contracts.task.model.PlanRequest;
import cn.beijing.scienceedu.contracts.task.model.PlanSummary;
import cn.beijing.scienceedu.contracts.task.model.SettingsResult;
import cn.beijing.scienceedu.contracts.task.model.TaskSettings;
import cn.beijing.scienceedu.task.security.Caller;
import cn.beijing.scienceedu.task.security.Callers;
import cn.beijing.scienceedu.task.web.Idempotency;

@RestController
class PlanController implements PlanApi {

    private final PlanService plans;
    private final Callers callers;
    private final Idempotency idempotency;

    PlanController(PlanService plans, Callers callers, Idempotency idempotency) {
        this.plans = plans;
        this.callers = callers;
        this.idempotency = idempotency;
    }

    @Override
    public ResponseEntity<PlanSummary> createPlan(String policyId, String idempotencyKey, PlanRequest request) {
        Caller caller = callers.liaison();
        return idempotency.run("plan:" + policyId, idempotencyKey, PlanSummary.class, () -> {
            PlanService.Result r = plans.plan(policyId, request == null ? null : request.getDefaultDeadline(),
                    request == null || request.getReportingCycle() == null ? null : request.getReportingCycle().getValue(),
                    caller);
            r.summary().setCreated(r.created());
            return ResponseEntity.status(r.created() ? HttpStatus.CREATED : HttpStatus.OK).body(r.summary());
        });
    }

    @Override
    public ResponseEntity<SettingsResult> updateMeasureSettings(String policyId, Integer measureNo, TaskSettings settings,
            String idempotencyKey) {
        Caller caller = callers.liaison();
        return idempotency.run("settings:" + policyId + ":" + measureNo, idempotencyKey, SettingsResult.class,
                () -> ResponseEntity.ok(new SettingsResult(plans.applySettings(policyId, measureNo, settings.getDeadline(),
                        cycle(settings), caller))));
    }

    @Override
    public ResponseEntity<SettingsResult> updatePolicySettings(String policyId, TaskSettings settings,
            String idempotencyKey) {
        Caller caller = callers.liaison();
        return idempotency.run("settings:" + policyId, idempotencyKey, SettingsResult.class,
                () -> ResponseEntity.ok(new SettingsResult(plans.applySettings(policyId, null, settings.getDeadline(),
                        cycle(settings), caller))));
    }

    private static String cycle(TaskSettings s) {
        return s.getReportingCycle() == null ? null : s.getReportingCycle().getValue();
    }
}
