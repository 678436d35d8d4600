package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import java.util.List;

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

    private static final String HEADER = "code,name,districtCode,stage,synthetic\n";

    private static byte[] bytes(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String p : parts) {
            out.writeBytes(p.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private JsonNode refused(tools.jackson.databind.JsonNode problem) {
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("errors")).hasSize(1);
        assertThat(problem.at("/errors/0/field").asText()).isEqualTo("file");
        return problem.at("/errors/0/message");
    }

    /**
     * Issue 17, item 5: a register CSV with a byte that is not UTF-8 was imported with U+FFFD in the school's name. It
     * is refused whole, naming the line and the byte (counted from 1 in the line), and nothing of the file is stored —
     * with the charset declared or not.
     */
    @Test
    void aCsvWithAByteThatIsNotUtf8IsRefusedNamingLineAndByteAndNothingIsStored() {
        // line 3 is "U2,二小" + 0xFF + ",…": 3 ASCII bytes, two characters of 3 bytes, then the bad byte (byte 10)
        byte[] csv = concat(bytes(HEADER, "U1,一小,110105,PRIMARY,false\n", "U2,二小"), new byte[] {(byte) 0xFF},
                bytes(",110105,PRIMARY,false\n", "U3,三小,110105,PRIMARY,false\n"));
        for (String type : List.of("text/csv; charset=UTF-8", "text/csv")) {
            var r = post("/api/v1/schools", liaison(), type, csv);
            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(refused(JSON.readTree(r.body())).asText()).isEqualTo("line 3, byte 10: not UTF-8 (0xFF)");
        }
        // a sequence cut short (the first two bytes of 学) on line 2, and CRLF line ends
        byte[] cut = concat(bytes(HEADER.replace("\n", "\r\n"), "U4,小"), new byte[] {(byte) 0xE5, (byte) 0xAD},
                bytes(",110105,PRIMARY,false\r\n"));
        var r = post("/api/v1/schools", liaison(), "text/csv", cut);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(refused(JSON.readTree(r.body())).asText()).isEqualTo("line 2, byte 7: not UTF-8 (0xE5 0xAD)");
        assertThat(getJson("/api/v1/schools?district=110105").findValuesAsString("code")).doesNotContain("U1", "U2", "U3", "U4");
        assertThat(jdbc.sql("select count(*) from school where name like '%\uFFFD%'").query(Integer.class).single()).isZero();
    }

    /** A valid UTF-8 file with Chinese names and a character outside the BMP (𠀀, U+20000) imports whole, as written. */
    @Test
    void aUtf8CsvWithChineseNamesAndSupplementaryCharactersImportsWhole() {
        String csv = HEADER + "V1,北京市东城区第一实验小学,110101,PRIMARY,false\n" + "V2,𠀀字中学（合成）,110101,JUNIOR_SECONDARY,true\n"
                + "V3,\"朝阳区\"\"科学\"\"九年一贯制学校\",110105,NINE_YEAR,false\n";
        var r = post("/api/v1/schools", liaison(), "text/csv; charset=UTF-8", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("imported").asInt()).isEqualTo(3);
        JsonNode dongcheng = getJson("/api/v1/schools?district=110101");
        assertThat(names(dongcheng)).contains("北京市东城区第一实验小学", "𠀀字中学（合成）");
        assertThat(names(getJson("/api/v1/schools?district=110105"))).contains("朝阳区\"科学\"九年一贯制学校");
    }

    /**
     * A file a bureau writes in GB18030 and declares so imports as the text it is; a byte that is not GB18030 is refused
     * as for UTF-8. Bytes sent as UTF-8 that are GB18030 are refused.
     */
    @Test
    void aGb18030FileDeclaredSoImportsAndItsBadBytesAreNamed() {
        Charset gb = Charset.forName("GB18030");
        String csv = HEADER + "W1,朝阳区实验小学𠀀,110105,PRIMARY,false\n";
        var r = post("/api/v1/schools", liaison(), "text/csv; charset=GB18030", csv.getBytes(gb));
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(names(getJson("/api/v1/schools?district=110105"))).contains("朝阳区实验小学𠀀");

        byte[] bad = (HEADER + "W2,朝阳区第二小学,110105,PRIMARY,false\n").getBytes(gb);
        int at = (HEADER + "W2,朝阳区").getBytes(gb).length;
        bad[at] = (byte) 0x81;
        bad[at + 1] = (byte) 0x7F; // 0x81 leads a two- or four-byte sequence; 0x7F trails neither
        r = post("/api/v1/schools", liaison(), "text/csv; charset=GB18030", bad);
        assertThat(r.statusCode()).isEqualTo(400);
        // "W2," and 朝阳区 in two bytes each: the bad byte is byte 10 of line 2
        assertThat(refused(JSON.readTree(r.body())).asText()).startsWith("line 2, byte 10: not GB18030 (0x81");

        r = post("/api/v1/schools", liaison(), "text/csv", (HEADER + "W3,朝阳区第三小学,110105,PRIMARY,false\n").getBytes(gb));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(refused(JSON.readTree(r.body())).asText()).startsWith("line 2, byte 4: not UTF-8");
        assertThat(getJson("/api/v1/schools?district=110105").findValuesAsString("code")).doesNotContain("W2", "W3");
    }

    /** The import takes text/csv only: a JSON body is a 415 problem (not in reporting-api.yaml's answers of the operation). */
    @Test
    void aJsonBodyIsA415() {
        var r = post("/api/v1/schools", liaison(), "application/json", "{\"code\":\"X\"}");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    private static List<String> names(JsonNode schools) {
        return schools.findValuesAsString("name");
    }
}
