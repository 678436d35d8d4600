package cn.beijing.scienceedu.adapters.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The bureau API's report schemas (contracts bureau-api.yaml: SignFor, ProgressReport, Submission,
 * ExtensionRequest, with KpiValue and Evidence) are the one field list of what a bureau says. The CSV answer
 * columns of {@code csv-gb.yaml} and the JSON reader (AMQP replies, JSON answer files) must carry every field of it
 * — a field added to the contract and not to these shapes fails here. The few a shape cannot carry by its nature
 * are named below, each with its reason.
 */
class BureauFieldCoverageTest {

    static final List<String> REPORTS = List.of("SignFor", "ProgressReport", "Submission", "ExtensionRequest");
    static final JsonMapper JSON = JsonMapper.builder().build();
    final PayloadMapper payloads = new PayloadMapper(new DefaultResourceLoader(), JSON);
    final ReportReader reader = new ReportReader(payloads, JSON);

    static JsonNode schemas() throws Exception {
        Path local = Path.of("../contracts/src/main/openapi/bureau-api.yaml");
        try (InputStream in = Files.exists(local) ? Files.newInputStream(local)
                : BureauFieldCoverageTest.class.getResourceAsStream("/openapi/bureau-api.yaml")) {
            assertThat(in).as("bureau-api.yaml (contracts)").isNotNull();
            return YAMLMapper.builder().build().readTree(in).path("components").path("schemas");
        }
    }

    static Set<String> properties(JsonNode schemas, String schema) {
        Set<String> p = new LinkedHashSet<>();
        schemas.path(schema).path("properties").propertyNames().forEach(p::add);
        return p;
    }

    @Test
    void theCsvAnswerColumnsCarryEveryFieldOfTheBureauApi() throws Exception {
        JsonNode schemas = schemas();
        MappingSpec spec = payloads.spec("classpath:mappings/csv-gb.yaml");
        Set<String> columns = new LinkedHashSet<>();
        spec.reportColumns.forEach(c -> columns.add(c.field));

        Set<String> expected = new LinkedHashSet<>();
        REPORTS.forEach(r -> expected.addAll(properties(schemas, r)));
        // one column 报送时间 (sentAt) holds the bureau's time of whichever kind the row is
        assertThat(expected.removeAll(ReportReader.TIME_FIELDS)).isTrue();
        expected.add("sentAt");
        // a sign-for's note is the row's 进展说明 (narrative), as in the XML shape
        expected.remove("note");
        expected.addAll(List.of("kind", "taskId", "unitCode"));
        assertThat(columns).containsAll(expected);

        MappingSpec.Column kpis = spec.reportColumns.stream().filter(c -> c.field.equals("kpiValues")).findFirst().orElseThrow();
        assertThat(kpis.parts).containsExactlyInAnyOrderElementsOf(properties(schemas, "KpiValue"));
        MappingSpec.Column evidence = spec.reportColumns.stream().filter(c -> c.field.equals("evidence")).findFirst().orElseThrow();
        Set<String> evidenceFields = properties(schemas, "Evidence");
        // a file bureau's bytes are the file in <answer>.evidence/ (no content, nothing uploaded first: no attachmentId);
        // the content type is the task-service's reading of that file
        evidenceFields.removeAll(List.of("content", "attachmentId", "contentType"));
        assertThat(evidence.parts).containsExactlyInAnyOrderElementsOf(evidenceFields);
        // the four statuses of the contract, each with its code word
        List<String> statuses = new ArrayList<>();
        schemas.path("BureauReportStatus").path("enum").forEach(v -> statuses.add(v.asString()));
        assertThat(spec.reportCodes.get("status")).containsOnlyKeys(statuses);
    }

    @Test
    void aCsvRowWithEveryColumnFilledIsReadIntoEveryFieldOfItsType() throws Exception {
        MappingSpec spec = payloads.spec("classpath:mappings/csv-gb.yaml");
        Map<String, String> cells = new LinkedHashMap<>();
        cells.put("messageId", "m-1");
        cells.put("kind", "进展");
        cells.put("taskId", "T-1");
        cells.put("unitCode", "CZJ");
        cells.put("period", "2025-Q1");
        cells.put("percentComplete", "35");
        cells.put("narrative", "工作进展");
        cells.put("status", "进度滞后");
        cells.put("problems", "存在问题");
        cells.put("nextSteps", "下一步计划");
        cells.put("reporter", "填报人");
        cells.put("sentAt", "2025-04-02 16:05:00");
        cells.put("kpiValues", "LAB_EQUIPMENT_USAGE_RATE|SCHOOL|110108|S110108001|87.5");
        cells.put("evidence", "台账.pdf|76|" + "a".repeat(64));
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\r\n").get())) {
            p.printRecord(spec.reportColumns.stream().map(c -> c.header).toList());
            p.printRecord(spec.reportColumns.stream().map(c -> cells.getOrDefault(c.field, "")).toList());
        }
        BureauWrite write = reader.readCsv(spec, w.toString(), OffsetDateTime.now()).get(0);
        assertThat(write.problems()).isEmpty();
        JsonNode body = JSON.valueToTree(write.body());
        JsonNode schemas = schemas();
        for (String field : properties(schemas, "ProgressReport")) {
            assertThat(body.hasNonNull(field)).as("ProgressReport." + field + " from the CSV row").isTrue();
        }
        assertThat(body.get("status").asString()).isEqualTo("DELAYED");
        assertThat(OffsetDateTime.parse(body.get("reportedAt").asString())).isEqualTo(OffsetDateTime.parse("2025-04-02T16:05:00+08:00"));
        for (String field : properties(schemas, "KpiValue")) {
            assertThat(body.get("kpiValues").get(0).hasNonNull(field)).as("KpiValue." + field).isTrue();
        }
    }

    @Test
    void theJsonReaderCarriesEveryFieldOfEveryReport() throws Exception {
        JsonNode schemas = schemas();
        Map<String, String> kinds = Map.of("SignFor", "SIGN_FOR", "ProgressReport", "PROGRESS", "Submission", "SUBMISSION",
                "ExtensionRequest", "EXTENSION_REQUEST");
        for (String schema : REPORTS) {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("kind", kinds.get(schema));
            tree.put("taskId", "T-1");
            tree.put("unitCode", "XCB");
            JsonNode props = schemas.path(schema).path("properties");
            for (String field : properties(schemas, schema)) {
                tree.put(field, sample(schemas, field, props.get(field)));
            }
            BureauWrite write = reader.readJson(null, JSON.writeValueAsString(tree), OffsetDateTime.now());
            assertThat(write.problems()).as(schema).isEmpty();
            assertThat(write.body()).isInstanceOf(BureauWrite.Kind.valueOf(kinds.get(schema)).type());
            JsonNode body = JSON.valueToTree(write.body());
            for (String field : properties(schemas, schema)) {
                assertThat(body.hasNonNull(field)).as(schema + "." + field + " read from JSON").isTrue();
            }
            if (!write.evidence().isEmpty()) {
                for (String field : properties(schemas, "Evidence")) {
                    assertThat(JSON.valueToTree(write.evidence().get(0)).hasNonNull(field)).as("Evidence." + field).isTrue();
                }
                for (String field : properties(schemas, "KpiValue")) {
                    assertThat(JSON.valueToTree(write.kpiValues().get(0)).hasNonNull(field)).as("KpiValue." + field).isTrue();
                }
            }
        }
    }

    /** A value of the schema's type (every property of objects filled). */
    static Object sample(JsonNode schemas, String name, JsonNode p) {
        if (p.has("$ref")) {
            String ref = p.get("$ref").asString();
            return sample(schemas, name, schemas.get(ref.substring(ref.lastIndexOf('/') + 1)));
        }
        if (p.has("enum")) {
            return p.get("enum").get(0).asString();
        }
        String type = p.path("type").asString("object");
        String format = p.path("format").asString("");
        switch (type) {
            case "array" -> {
                return List.of(sample(schemas, name, p.get("items")));
            }
            case "object" -> {
                Map<String, Object> m = new LinkedHashMap<>();
                p.path("properties").propertyNames().forEach(f -> m.put(f, sample(schemas, f, p.get("properties").get(f))));
                return m;
            }
            case "integer" -> {
                return 40;
            }
            case "number" -> {
                return 87.5;
            }
            default -> {
                return switch (format) {
                    case "date-time" -> "2025-04-02T16:05:00+08:00";
                    case "date" -> "2025-09-30";
                    case "byte" -> "aGVsbG8=";
                    default -> name.equals("period") ? "2025-Q1" : name.equals("sha256") ? "a".repeat(64) : "x";
                };
            }
        }
    }
}
