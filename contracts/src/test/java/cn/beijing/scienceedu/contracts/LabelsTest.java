package cn.beijing.scienceedu.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Every code the specs define has a Chinese and an English label in i18n/enums*.properties. */
class LabelsTest {

    static Properties load(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = LabelsTest.class.getResourceAsStream("/i18n/" + name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    static List<String> codes(String spec, String schema) throws Exception {
        JsonNode root = YAMLMapper.builder().build().readTree(Files.newInputStream(Path.of("src/main/openapi", spec)));
        List<String> out = new ArrayList<>();
        root.path("components").path("schemas").path(schema).path("enum").forEach(v -> out.add(schema + "." + v.asString()));
        assertThat(out).as(spec + " " + schema).isNotEmpty();
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"enums.properties", "enums_en.properties"})
    void everyCodeHasALabel(String file) throws Exception {
        Properties labels = load(file);
        List<String> keys = new ArrayList<>();
        for (String s : List.of("TaskStatus", "DeliveryStatus", "TaskRole", "Rating", "RatingReason", "ReportStatus",
                "ReportingCycle", "KpiLevel")) {
            keys.addAll(codes("task-api.yaml", s));
        }
        keys.addAll(codes("bureau-api.yaml", "BureauReportStatus").stream().map(k -> k.replace("BureauReportStatus", "ReportStatus")).toList());
        for (String key : keys) {
            assertThat(labels.getProperty(key)).as(file + " " + key).isNotBlank();
        }
    }
}
