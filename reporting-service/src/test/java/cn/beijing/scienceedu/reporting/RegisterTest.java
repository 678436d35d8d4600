package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.reporting.registry.SyntheticSchools;
import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;

class RegisterTest extends ReportingTestBase {

    @Test
    void beijingsSixteenDistrictsAndTheDevelopmentAreaAreRegistered() {
        JsonNode d = getJson("/api/v1/districts");
        assertThat(d).hasSize(17);
        assertThat(d.get(0).get("code").asText()).isEqualTo("110101");
        assertThat(d.get(0).get("name").asText()).isEqualTo("东城区");
        assertThat(d.get(5).get("name").asText()).isEqualTo("海淀区");
        assertThat(d.get(15).get("name").asText()).isEqualTo("延庆区");
        assertThat(d.get(16).get("code").asText()).isEqualTo("110400");
    }

    @Test
    void schoolsAreImportedFromCsvAndTheDemoListIsMarkedSynthetic() throws Exception {
        String csv = SyntheticSchools.read();
        assertThat(csv).startsWith("# SYNTHETIC");
        var r = post("/api/v1/schools", liaison(), "text/csv; charset=UTF-8", csv);
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode result = JSON.readTree(r.body());
        assertThat(result.get("imported").asInt()).isEqualTo(68);
        JsonNode haidian = getJson("/api/v1/schools?district=110108");
        assertThat(haidian).hasSize(4);
        assertThat(haidian.get(0).get("synthetic").asBoolean()).isTrue();
        assertThat(haidian.get(0).get("name").asText()).contains("海淀区").contains("合成");
        JsonNode districts = getJson("/api/v1/districts");
        assertThat(districts.get(5).get("schoolCount").asInt()).isEqualTo(4);

        // a second import of the same file updates, creates nothing
        JsonNode again = JSON.readTree(post("/api/v1/schools", liaison(), "text/csv", csv).body());
        assertThat(again.get("created").asInt()).isEqualTo(0);
        assertThat(again.get("updated").asInt()).isEqualTo(68);
    }

    @Test
    void aBadRowRejectsTheFileNamingEachBadField() {
        String csv = "code,name,districtCode,stage,synthetic\nX1,一小,110105,PRIMARY,false\nX2,二小,999999,KINDERGARTEN,maybe\n";
        var r = post("/api/v1/schools", liaison(), "text/csv", csv);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("errors").findValuesAsString("field"))
                .containsExactly("row[2].districtCode", "row[2].stage", "row[2].synthetic");
        assertThat(getJson("/api/v1/schools?district=110105").findValuesAsString("code")).doesNotContain("X1");
        assertThat(post("/api/v1/schools", TestTokens.operator("ops"), "text/csv", csv).statusCode()).isEqualTo(403);
    }
}
