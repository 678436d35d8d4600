package cn.beijing.scienceedu.reporting.report;

import static cn.beijing.scienceedu.reporting.report.Facts.asOf;
import static cn.beijing.scienceedu.reporting.report.Facts.kpi;
import static cn.beijing.scienceedu.reporting.report.Facts.kpiData;
import static cn.beijing.scienceedu.reporting.report.Facts.kpiValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.contracts.catalogue.model.KpiComparison;
import cn.beijing.scienceedu.contracts.catalogue.model.KpiLevel;
import cn.beijing.scienceedu.contracts.reporting.model.DistrictKpi;
import cn.beijing.scienceedu.contracts.reporting.model.KpiRollup;
import cn.beijing.scienceedu.contracts.reporting.model.LineageSource;

/** KPI roll-ups school → district → city over a handful of values of Q1 2025, figures worked out by hand. */
class KpiRollupsTest {

    final AsOf q1 = asOf("2025-Q1", "2025-06-01");
    final FigureSources figures = new FigureSources();

    @Test
    void aSchoolLevelTargetIsTheShareOfSchoolsMeetingIt() {
        ReportData data = kpiData(List.of(
                kpiValue("k1", "K1", "SCHOOL", "D1", "S1", 90),
                kpiValue("k2", "K1", "SCHOOL", "D1", "S2", 70, "2025-02"),
                kpiValue("k3", "K1", "SCHOOL", "D2", "S3", 85),
                // S1 again, later: the latest value of a school counts
                kpiValue("k4", "K1", "SCHOOL", "D1", "S1", 95),
                // April is not in the first quarter
                kpiValue("k5", "K1", "SCHOOL", "D2", "S4", 99, "2025-04"),
                // another KPI's value
                kpiValue("k6", "K9", "SCHOOL", "D2", "S3", 10)), "D1", "D2", "D3");

        List<KpiRollup> out = KpiRollups.of(List.of(kpi("K1", "percent", 80.0, KpiComparison.AT_LEAST, KpiLevel.SCHOOL)),
                data, q1, figures);

        KpiRollup k1 = out.get(0);
        assertThat(k1.getTracked()).isFalse();
        assertThat(k1.getTarget()).isEqualTo(80.0);
        assertThat(k1.getSchoolCount()).isEqualTo(3);
        // D1: S1 95, S2 70 → mean 82.5, 1 of 2 meets 80 → 50 %; D2: S3 85 → 100 %; D3 reported nothing
        assertThat(k1.getDistricts()).extracting(DistrictKpi::getDistrictCode, DistrictKpi::getDistrictName,
                DistrictKpi::getSchoolCount, DistrictKpi::getMean, DistrictKpi::getValue, DistrictKpi::getMet)
                .containsExactly(tuple("D1", "D1区", 2, 82.5, 50.0, false), tuple("D2", "D2区", 1, 85.0, 100.0, true));
        // city: mean (95 + 70 + 85) / 3 = 83.33; 2 of 3 schools meet → 66.67 %, not met (needs 100 %)
        assertThat(k1.getCityMean()).isEqualTo(83.33);
        assertThat(k1.getCityValue()).isEqualTo(66.67);
        assertThat(k1.getMet()).isFalse();

        assertThat(figures.values()).containsEntry("kpi:K1:district:D1", 50.0).containsEntry("kpi:K1:city", 66.67);
        assertThat(sources("kpi:K1:district:D1")).containsExactly("k4", "k2");
        assertThat(sources("kpi:K1:city")).containsExactly("k4", "k2", "k3");
    }

    @Test
    void aTrackedDistrictCountAddsUpToTheCity() {
        ReportData data = kpiData(List.of(
                kpiValue("k6", "K2", "DISTRICT", "D2", null, 8),
                kpiValue("k7", "K2", "DISTRICT", "D1", null, 12),
                kpiValue("k8", "K2", "DISTRICT", "D1", null, 13),
                // a district value without a district: not placed anywhere
                kpiValue("k9", "K2", "DISTRICT", null, null, 100)), "D1", "D2", "D3");

        KpiRollup k2 = KpiRollups.of(List.of(kpi("K2", "schools", null, KpiComparison.TRACKED, KpiLevel.DISTRICT)),
                data, q1, figures).get(0);

        assertThat(k2.getTracked()).isTrue();
        assertThat(k2.getDistricts()).extracting(DistrictKpi::getDistrictCode, DistrictKpi::getMean,
                DistrictKpi::getValue, DistrictKpi::getMet)
                .containsExactly(tuple("D1", null, 13.0, null), tuple("D2", null, 8.0, null));
        // not a percent: the districts' values add up, 13 + 8
        assertThat(k2.getCityValue()).isEqualTo(21.0);
        assertThat(k2.getCityMean()).isEqualTo(21.0);
        assertThat(k2.getMet()).isNull();
        assertThat(sources("kpi:K2:city")).containsExactly("k6", "k8");
    }

    @Test
    void aCityValueStandsForTheCityAndSchoolsStillShowByDistrict() {
        ReportData data = kpiData(List.of(
                kpiValue("k9", "K3", "CITY", null, null, 4.2),
                kpiValue("k10", "K3", "SCHOOL", "D1", "S1", 9)), "D1", "D2");

        KpiRollup k3 = KpiRollups.of(List.of(kpi("K3", "percent", 5.0, KpiComparison.AT_MOST, KpiLevel.CITY)),
                data, q1, figures).get(0);

        assertThat(k3.getCityValue()).isEqualTo(4.2);
        assertThat(k3.getCityMean()).isEqualTo(4.2);
        // at most 5
        assertThat(k3.getMet()).isTrue();
        // not a school-level KPI: the district's value is its schools' mean, compared with the target itself
        assertThat(k3.getDistricts()).extracting(DistrictKpi::getDistrictCode, DistrictKpi::getMean,
                DistrictKpi::getValue, DistrictKpi::getMet).containsExactly(tuple("D1", 9.0, 9.0, false));
        assertThat(sources("kpi:K3:city")).containsExactly("k9");
    }

    @Test
    void aSchoolWithoutADistrictShowsUnderUnknownAfterTheRegistersDistricts() {
        ReportData data = kpiData(List.of(kpiValue("k11", "K4", "SCHOOL", null, "S9", 100)), "D1");

        KpiRollup k4 = KpiRollups.of(List.of(kpi("K4", "percent", 100.0, KpiComparison.EQUALS, KpiLevel.SCHOOL)),
                data, q1, figures).get(0);

        assertThat(k4.getDistricts()).extracting(DistrictKpi::getDistrictCode, DistrictKpi::getDistrictName,
                DistrictKpi::getDistrictNameEn, DistrictKpi::getValue, DistrictKpi::getMet)
                .containsExactly(tuple("UNKNOWN", "UNKNOWN", null, 100.0, true));
        assertThat(k4.getCityValue()).isEqualTo(100.0);
        assertThat(k4.getMet()).isTrue();
    }

    @Test
    void aKpiWithoutValuesHasNoCityFigure() {
        KpiRollup k5 = KpiRollups.of(List.of(kpi("K5", "percent", 90.0, KpiComparison.AT_LEAST, KpiLevel.SCHOOL)),
                kpiData(List.of(), "D1"), q1, figures).get(0);

        assertThat(k5.getDistricts()).isEmpty();
        assertThat(k5.getCityValue()).isNull();
        assertThat(k5.getMet()).isNull();
        assertThat(k5.getSchoolCount()).isZero();
        assertThat(figures.values()).containsEntry("kpi:K5:city", null);
    }

    @Test
    void comparisonsAllowForFloatingPointAndAggregatesMeanOnlyPercentages() {
        assertThat(KpiRollups.compare(5.0, 5, "AT_MOST")).isTrue();
        assertThat(KpiRollups.compare(5.01, 5, "AT_MOST")).isFalse();
        assertThat(KpiRollups.compare(80 - 1e-10, 80, "AT_LEAST")).isTrue();
        assertThat(KpiRollups.compare(79.99, 80, "AT_LEAST")).isFalse();
        assertThat(KpiRollups.compare(0.1 + 0.2, 0.3, "EQUALS")).isTrue();
        assertThat(KpiRollups.compare(0.31, 0.3, "EQUALS")).isFalse();
        assertThat(KpiRollups.aggregate(List.of(1.0, 2.0, 4.0), true)).isEqualTo(7.0 / 3);
        assertThat(KpiRollups.aggregate(List.of(1.0, 2.0, 4.0), false)).isEqualTo(7.0);
        assertThat(KpiRollups.round(66.666)).isEqualTo(66.67);
        assertThat(KpiRollups.round(2.004)).isEqualTo(2.0);
    }

    private List<String> sources(String figure) {
        return figures.lineage().get(figure).get().stream().map(LineageSource::getProgressReportId).toList();
    }
}
