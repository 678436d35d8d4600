package cn.beijing.scienceedu.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The synthetic register the bureaus report school KPI values for (the values: BureauAnswersTest). */
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
}
