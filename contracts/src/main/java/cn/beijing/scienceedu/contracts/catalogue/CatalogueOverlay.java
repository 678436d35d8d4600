package cn.beijing.scienceedu.contracts.catalogue;

import cn.beijing.scienceedu.contracts.catalogue.model.KpiLevel;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What a notice's text cannot give: policy id, English names, unit and KPI codes, the goals an action
 * serves, and short name -> issuer where it is not derivable. The overlay's own file format (YAML),
 * not a contract type. Every part is optional.
 */
public record CatalogueOverlay(
    String policyId,
    String titleEn,
    List<GoalEntry> goals,
    List<ActionEntry> actions,
    List<MeasureEntry> measures,
    List<UnitEntry> units,
    List<KpiEntry> kpis) {

  public record GoalEntry(Integer no, String nameEn) {}

  public record ActionEntry(Integer no, String titleEn, List<Integer> goalNos) {}

  public record MeasureEntry(Integer no, String titleEn) {}

  /** {@code shortName} as the measures write it; {@code issuer} only where the importer cannot match it. */
  public record UnitEntry(String code, String shortName, String nameEn, String issuer, List<String> aliases) {}

  /** Applies to the KPI of {@code measure} whose matched term contains {@code match}. */
  public record KpiEntry(Integer measure, String match, String code, String description, String descriptionEn,
      KpiLevel level, String unit) {}

  public CatalogueOverlay {
    goals = goals == null ? List.of() : List.copyOf(goals);
    actions = actions == null ? List.of() : List.copyOf(actions);
    measures = measures == null ? List.of() : List.copyOf(measures);
    units = units == null ? List.of() : List.copyOf(units);
    kpis = kpis == null ? List.of() : List.copyOf(kpis);
  }

  public static CatalogueOverlay empty() {
    return new CatalogueOverlay(null, null, null, null, null, null, null);
  }

  /** Reads an overlay YAML; unknown keys fail, so a typo does not silently drop a code. */
  public static CatalogueOverlay read(InputStream yaml) {
    try (yaml) {
      return YAMLMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build()
          .readValue(yaml, CatalogueOverlay.class);
    } catch (JacksonException | IOException e) {
      throw new CatalogueImportException("overlay is not valid: " + e.getMessage(), e);
    }
  }

  Optional<GoalEntry> goal(int no) {
    return goals.stream().filter(g -> g.no() != null && g.no() == no).findFirst();
  }

  Optional<ActionEntry> action(int no) {
    return actions.stream().filter(a -> a.no() != null && a.no() == no).findFirst();
  }

  Optional<MeasureEntry> measure(int no) {
    return measures.stream().filter(m -> m.no() != null && m.no() == no).findFirst();
  }
}
