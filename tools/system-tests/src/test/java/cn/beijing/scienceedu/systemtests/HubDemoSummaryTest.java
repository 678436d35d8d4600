package cn.beijing.scienceedu.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** The demo's summary (no hub needed): which KPI roll-ups count as charts with values, and what it prints. */
class HubDemoSummaryTest {

    static JsonNode json(String s) {
        return HubHttp.JSON.readTree(s);
    }

    @Test
    void aKpiChartHasValuesWhenACityDistrictOrSchoolFigureIsThere() {
        assertThat(HubDemo.KPI_CODES).hasSize(7).contains("LAB_EQUIPMENT_USAGE_RATE", "SCIENCE_EDUCATION_BRANDS");
        assertThat(HubDemo.hasValues(json("{\"kpiCode\":\"A\",\"cityValue\":null,\"schoolCount\":0,\"districts\":[]}"))).isFalse();
        assertThat(HubDemo.hasValues(json("{\"kpiCode\":\"A\",\"cityValue\":12.0,\"districts\":[]}"))).isTrue();
        assertThat(HubDemo.hasValues(json("{\"kpiCode\":\"A\",\"schoolCount\":3}"))).isTrue();
        assertThat(HubDemo.hasValues(json("{\"kpiCode\":\"A\",\"districts\":[{\"districtCode\":\"110108\",\"value\":null,"
                + "\"schoolCount\":0},{\"districtCode\":\"110101\",\"value\":87.5,\"schoolCount\":0}]}"))).isTrue();
    }

    @Test
    void theSummaryPrintsTheRatingsTheKpiChartsAndTheSigningTimes() {
        List<String> lines = new ArrayList<>();
        HubDemo demo = new HubDemo(java.nio.file.Path.of("."), lines::add);
        HubDemo.Summary s = new HubDemo.Summary(122, Map.of("REST", 122), Map.of("REST", 122), 3, 3, 34,
                json("{\"taskCount\":122,\"signedForCount\":122,\"progressReportCount\":122}"), null, "2026-Q4",
                Map.of("IN_PROGRESS", 100, "SUBMITTED", 22), Duration.ofSeconds(90), HubDemo.KPI_CODES,
                Map.of("GREEN", 84, "AMBER", 14, "RED", 24), Map.of("BUREAU_AT_RISK", 14), Map.of("AT_RISK", 14),
                new HubDemo.SigningTimes(122, 122, Map.of("REST", 122), List.of()), null, null, Map.of(),
                Map.of("RED", 15, "GREEN", 5));
        demo.print(s);
        String out = String.join("\n", lines);
        assertThat(out).contains("ratings (task-service): GREEN 84, AMBER 14, RED 24, GREY 0")
                .contains("KPI charts with values: 7 of 7").contains("122 of 122 signed tasks carry the bureau's own signedAt")
                .contains("measures per rating").contains("every KPI chart with values");
        assertThat(s.complete()).isTrue();
        HubDemo.Summary fewer = new HubDemo.Summary(122, Map.of("REST", 122), Map.of("REST", 122), 3, 3, 34,
                s.reportSummary(), null, "2026-Q4", Map.of(), Duration.ZERO, Set.of("SCIENCE_EDUCATION_BRANDS"), Map.of(),
                Map.of(), Map.of(), HubDemo.SigningTimes.none(), null, null, Map.of(), Map.of());
        assertThat(fewer.complete()).as("not complete while KPI charts are empty").isFalse();
    }
}
