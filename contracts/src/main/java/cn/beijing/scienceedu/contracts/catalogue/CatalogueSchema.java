package cn.beijing.scienceedu.contracts.catalogue;

import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates catalogue JSON against the {@code Policy} component of catalogue.yaml itself (OpenAPI 3.0
 * dialect, so {@code nullable} counts): the same definition the Java types are generated from.
 */
public final class CatalogueSchema {

  /** catalogue.yaml is copied to the classpath under openapi/ by the contracts build. */
  public static final String POLICY_SCHEMA = "classpath:openapi/catalogue.yaml#/components/schemas/Policy";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** OpenAPI 3.0 dialect that also knows the document's top-level keys, so loading it logs no warnings. */
  private static final JsonMetaSchema DIALECT = JsonMetaSchema.builder(OpenApi30.getInstance())
      .keywords(Stream.of("openapi", "info", "paths", "components").map(NonValidationKeyword::new).toList())
      .build();

  private static final JsonSchema POLICY = JsonSchemaFactory
      .getInstance(SpecVersion.VersionFlag.V4, builder -> builder
          .metaSchema(DIALECT)
          .defaultMetaSchemaIri(DIALECT.getIri()))
      .getSchema(SchemaLocation.of(POLICY_SCHEMA));

  private CatalogueSchema() {
  }

  /** The schema violations of a catalogue JSON document; empty when it is valid. */
  public static List<String> validate(String catalogueJson) {
    return POLICY.validate(catalogueJson, InputFormat.JSON).stream()
        .map(ValidationMessage::getMessage)
        .sorted()
        .toList();
  }

  public static List<String> validate(Policy policy) {
    return validate(toJson(policy));
  }

  public static String toJson(Policy policy) {
    return JSON.writeValueAsString(policy);
  }
}
