package cn.beijing.scienceedu.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The synthetic register the REST bureaus report school KPI values for, and the values they send. */
class SyntheticRegisterTest {

    private final SyntheticRegister register = new SyntheticRegister();

    @Test
    void theRegisterIsMarkedSyntheticInTheReportingServicesCsvShape() {
        List<String> lines = register.csv().lines().toList();
        assertThat(lines.get(0)).isEqualTo("code,name,districtCode,stage,synthetic");
        assertThat(lines).hasSize(1 + 34);
        assertThat(lines.subList(1, lines.size())).allSatisfy(l -> assertThat(l).endsWith(",true").contains("（合成）"));
        assertThat(register.schools().stream().map(SyntheticRegister.School::districtCode).distinct()).hasSize(17);
    }

    @Test
    void restBureausReportTheSchoolKpiForSchoolsOfTheRegisterWithTheirDistrict() {
        AutoReplier replier = new AutoReplier(new Recorder(new SimSettings()), null, new SimSettings(), register);
        Map<String, String> districtOf = register.schools().stream()
                .collect(Collectors.toMap(SyntheticRegister.School::code, SyntheticRegister.School::districtCode));

        List<Map<String, Object>> values = replier.schoolKpis("bj-sciedu-20-2024.M07.SJW");

        assertThat(values).hasSize(3);
        Set<Object> schools = values.stream().map(v -> v.get("schoolCode")).collect(Collectors.toSet());
        assertThat(schools).hasSize(3);
        for (Map<String, Object> v : values) {
            assertThat(v).containsEntry("code", "LAB_EQUIPMENT_USAGE_RATE").containsEntry("level", "SCHOOL");
            assertThat(districtOf).containsEntry((String) v.get("schoolCode"), (String) v.get("districtCode"));
            assertThat(((Number) v.get("value")).intValue()).isBetween(60, 95);
        }
        assertThat(replier.schoolKpis("bj-sciedu-20-2024.M07.SJW")).as("the same task, the same values").isEqualTo(values);
        replier.destroy();
    }
}
