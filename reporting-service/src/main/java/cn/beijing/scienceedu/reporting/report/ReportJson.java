package cn.beijing.scienceedu.reporting.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import cn.beijing.scienceedu.contracts.reporting.model.JointReport;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Canonical JSON of a joint report (sorted properties) and its SHA-256, for frozen snapshots. */
public final class ReportJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ReportJson() {
    }

    public static String canonical(JointReport report) {
        return MAPPER.writeValueAsString(report);
    }

    public static JointReport read(String json) {
        return MAPPER.readValue(json, JointReport.class);
    }

    public static String canonical(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    public static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }

    /** Lineage per figure id, as frozen with a snapshot. */
    public static java.util.Map<String, cn.beijing.scienceedu.contracts.reporting.model.Lineage> readLineage(String json) {
        return MAPPER.readValue(json, new tools.jackson.core.type.TypeReference<
                java.util.TreeMap<String, cn.beijing.scienceedu.contracts.reporting.model.Lineage>>() { });
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
