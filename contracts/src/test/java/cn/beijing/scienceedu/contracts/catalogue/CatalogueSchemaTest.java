package cn.beijing.scienceedu.contracts.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Catalogue JSON against the Policy component of catalogue.yaml (the one definition). */
class CatalogueSchemaTest {

  private final JsonMapper json = JsonMapper.builder().build();
  private final String catalogueJson = CatalogueSchema.toJson(Catalogues.defaultPolicy());

  @Test
  void theDefaultCatalogueIsValid() {
    assertThat(catalogueJson).contains("\"target\":null").contains("\"issuedOn\":\"2024-12-24\"");
    assertThat(CatalogueSchema.validate(catalogueJson)).isEmpty();
  }

  @Test
  void itRoundTripsThroughTheGeneratedTypes() {
    Policy back = json.readValue(catalogueJson, Policy.class);
    assertThat(back).isEqualTo(Catalogues.defaultPolicy());
  }

  @Test
  void aMissingRequiredPropertyIsReported() {
    ObjectNode tree = (ObjectNode) json.readTree(catalogueJson);
    tree.remove("measures");
    assertThat(CatalogueSchema.validate(json.writeValueAsString(tree))).anyMatch(e -> e.contains("measures"));
  }

  @Test
  void aPropertyTheSchemaDoesNotDefineIsReported() {
    ObjectNode tree = (ObjectNode) json.readTree(catalogueJson);
    ((ObjectNode) tree.get("measures").get(0)).put("owner", "x");
    assertThat(CatalogueSchema.validate(json.writeValueAsString(tree))).anyMatch(e -> e.contains("owner"));
  }

  @Test
  void aMeasureWithoutUnitsAndABadEnumAreReported() {
    ObjectNode tree = (ObjectNode) json.readTree(catalogueJson);
    ((ArrayNode) tree.get("measures").get(2).get("unitCodes")).removeAll();
    ((ObjectNode) tree.get("kpis").get(0)).put("level", "PROVINCE");
    assertThat(CatalogueSchema.validate(json.writeValueAsString(tree)))
        .anyMatch(e -> e.contains("unitCodes"))
        .anyMatch(e -> e.contains("level"));
  }
}
