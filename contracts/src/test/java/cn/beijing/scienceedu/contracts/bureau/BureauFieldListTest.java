package cn.beijing.scienceedu.contracts.bureau;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The bureau API's report schemas are the one field list of what a bureau says (sign-for, progress report,
 * submission, extension request). The SOAP/XML shape ({@code BureauReport} of soap/bureau-exchange.xsd) must
 * carry every one of those fields, so no protocol drops what another carries.
 */
class BureauFieldListTest {

    static final List<String> REPORT_SCHEMAS = List.of("SignFor", "ProgressReport", "Submission", "ExtensionRequest");

    static JsonNode schemas() throws Exception {
        try (InputStream in = BureauFieldListTest.class.getResourceAsStream("/openapi/bureau-api.yaml")) {
            JsonNode root = YAMLMapper.builder().build().readTree(
                    in != null ? in : java.nio.file.Files.newInputStream(java.nio.file.Path.of("src/main/openapi/bureau-api.yaml")));
            return root.path("components").path("schemas");
        }
    }

    /** Every field a bureau can send in any of its four messages, by the bureau API's names. */
    static Set<String> fieldList() throws Exception {
        JsonNode schemas = schemas();
        Set<String> fields = new LinkedHashSet<>();
        for (String s : REPORT_SCHEMAS) {
            schemas.path(s).path("properties").propertyNames().forEach(fields::add);
        }
        return fields;
    }

    /** A top-level declaration of the XSD ({@code element}, {@code complexType} or {@code simpleType}). */
    static Element xsdElement(Document xsd, String name) {
        for (var n = xsd.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getAttribute("name"))) {
                return e;
            }
        }
        throw new AssertionError("no top-level " + name + " in the XSD");
    }

    static Set<String> childElements(Element parent) {
        Set<String> names = new LinkedHashSet<>();
        NodeList seq = parent.getElementsByTagNameNS("http://www.w3.org/2001/XMLSchema", "sequence");
        Element first = (Element) seq.item(0);
        for (var n = first.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "element".equals(e.getLocalName())) {
                names.add(e.getAttribute("name"));
            }
        }
        return names;
    }

    static String upper(String field) {
        return Character.toUpperCase(field.charAt(0)) + field.substring(1);
    }

    @Test
    void theSoapAndXmlReportCarriesEveryFieldOfTheBureauApi() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document xsd;
        try (InputStream in = getClass().getResourceAsStream("/soap/bureau-exchange.xsd")) {
            xsd = f.newDocumentBuilder().parse(in);
        }
        Set<String> report = childElements(xsdElement(xsd, "BureauReport"));
        Set<String> expected = new LinkedHashSet<>();
        fieldList().forEach(field -> expected.add(upper(field)));
        // the JSON names the text of a sign-for "note" and of a submission "summary"; XML has Narrative/Summary
        expected.remove("Note");
        assertThat(report).containsAll(expected);

        JsonNode schemas = schemas();
        for (String type : List.of("KpiValue", "Evidence")) {
            Set<String> xml = childElements(xsdElement(xsd, type));
            Set<String> json = new LinkedHashSet<>();
            schemas.path(type).path("properties").propertyNames().forEach(p -> json.add(upper(p)));
            assertThat(xml).as(type).containsExactlyElementsOf(json);
        }
        // the bureau's statuses: the same four values in both
        Set<String> xmlStatus = new LinkedHashSet<>();
        NodeList enums = xsdElement(xsd, "BureauReportStatus").getElementsByTagNameNS("http://www.w3.org/2001/XMLSchema", "enumeration");
        for (int i = 0; i < enums.getLength(); i++) {
            xmlStatus.add(((Element) enums.item(i)).getAttribute("value"));
        }
        Set<String> jsonStatus = new LinkedHashSet<>();
        schemas.path("BureauReportStatus").path("enum").forEach(v -> jsonStatus.add(v.asString()));
        assertThat(xmlStatus).containsExactlyElementsOf(jsonStatus);
    }

    @Test
    void fieldListNamesWhatABureauSays() throws Exception {
        assertThat(fieldList()).contains("signedBy", "signedAt", "status", "narrative", "problems", "nextSteps",
                "kpiValues", "evidence", "reportedAt", "summary", "submittedAt", "requestedDeadline", "reason",
                "requestedAt", "reporter");
    }
}
