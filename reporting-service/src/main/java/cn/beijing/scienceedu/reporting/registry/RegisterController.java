package cn.beijing.scienceedu.reporting.registry;

import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import cn.beijing.scienceedu.contracts.reporting.api.RegisterApi;
import cn.beijing.scienceedu.contracts.reporting.model.District;
import cn.beijing.scienceedu.contracts.reporting.model.School;
import cn.beijing.scienceedu.contracts.reporting.model.SchoolImportResult;

@RestController
class RegisterController implements RegisterApi {

    private final SchoolRegister register;

    public RegisterController(SchoolRegister register) {
        this.register = register;
    }

    @Override
    public ResponseEntity<SchoolImportResult> importSchools(String body) {
        return ResponseEntity.ok(register.importCsv(body));
    }

    @Override
    public ResponseEntity<List<District>> listDistricts() {
        return ResponseEntity.ok(register.districts());
    }

    @Override
    public ResponseEntity<List<School>> listSchools(String district) {
        return ResponseEntity.ok(register.schools(district));
    }
}
