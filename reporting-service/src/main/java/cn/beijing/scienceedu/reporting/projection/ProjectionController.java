package cn.beijing.scienceedu.reporting.projection;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import cn.beijing.scienceedu.contracts.reporting.api.ProjectionApi;
import cn.beijing.scienceedu.contracts.reporting.model.RebuildResult;
import cn.beijing.scienceedu.reporting.web.Caller;

@RestController
class ProjectionController implements ProjectionApi {

    private final ProjectionRebuild rebuild;

    public ProjectionController(ProjectionRebuild rebuild) {
        this.rebuild = rebuild;
    }

    @Override
    public ResponseEntity<RebuildResult> rebuildProjection(String source) {
        if ("task-service".equals(source)) {
            return ResponseEntity.ok(rebuild.fromTaskService(Caller.token()));
        }
        return ResponseEntity.ok(rebuild.fromEventLog());
    }
}
