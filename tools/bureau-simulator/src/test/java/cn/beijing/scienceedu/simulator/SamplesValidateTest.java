package cn.beijing.scienceedu.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;

/** The committed sample messages in contracts pass the simulator's checks; broken ones do not. */
class SamplesValidateTest {

    private final Shapes shapes;

    SamplesValidateTest() throws Exception {
        shapes = new Shapes(new DefaultResourceLoader());
    }

    static SimBureaus.Bureau bureau(String code, String protocol, String format, String file, String charset) {
        SimBureaus.Bureau b = new SimBureaus.Bureau();
        b.code = code;
        b.setProtocol(protocol);
        b.setMappingFormat(format);
        b.setMappingFile(file);
        b.setCharset(charset);
        return b;
    }

    static byte[] sample(String path) throws IOException {
        try (InputStream in = SamplesValidateTest.class.getResourceAsStream("/samples/" + path)) {
            assertThat(in).as(path).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void soapSampleIsValidAgainstTheContractXsd() throws Exception {
        Shapes.Read r = shapes.readSoap(bureau("SKW", "SOAP", "xslt", null, null), sample("soap/SKW-task-message.xml"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.fields()).containsEntry("taskId", "T-SKW-M05").containsEntry("kind", "ASSIGNMENT");
    }

    @Test
    void soapWithAnUnknownKindFailsTheXsd() throws Exception {
        String bad = new String(sample("soap/SKW-task-message.xml"), StandardCharsets.UTF_8).replace(">ASSIGNMENT<", ">ORDER<");
        Shapes.Read r = shapes.readSoap(bureau("SKW", "SOAP", "xslt", null, null), bad.getBytes(StandardCharsets.UTF_8));
        assertThat(r.errors()).anyMatch(e -> e.startsWith("XSD"));
    }

    @Test
    void restSamplesInBothJsonShapesAreValid() throws Exception {
        Shapes.Read hub = shapes.readJson(bureau("SJW", "REST", "hub-json", null, null), "hub-json",
                sample("rest/SJW-task-message.json"), StandardCharsets.UTF_8);
        assertThat(hub.errors()).isEmpty();
        Shapes.Read own = shapes.readJson(bureau("FGW", "REST", "json-map", "classpath:mappings/fgw-json.yaml", null),
                "json-map", sample("rest/FGW-task-message.json"), StandardCharsets.UTF_8);
        assertThat(own.errors()).isEmpty();
        assertThat(own.fields()).containsEntry("kind", "ASSIGNMENT").containsEntry("deadline", "2025-12-31")
                .containsEntry("role", "COOPERATING");
    }

    @Test
    void gb18030CsvSampleReadsBackWithTheFourByteCharacter() throws Exception {
        Charset gb = Charset.forName("GB18030");
        Shapes.Read r = shapes.readCsv(bureau("CZJ", "FILE", "csv", "classpath:mappings/csv-gb.yaml", "GB18030"),
                sample("file/CZJ-assignment-gb18030.csv"), gb);
        assertThat(r.errors()).isEmpty();
        assertThat(r.fields().get("workItems").toString()).contains("张\uD840\uDC00");
        // read as UTF-8 it is garbage, which the checks notice
        Shapes.Read wrong = shapes.readCsv(bureau("CZJ", "FILE", "csv", "classpath:mappings/csv-gb.yaml", "UTF-8"),
                sample("file/CZJ-assignment-gb18030.csv"), StandardCharsets.UTF_8);
        assertThat(wrong.errors()).isNotEmpty();
    }

    @Test
    void fileXmlSampleIsValid() throws Exception {
        Shapes.Read r = shapes.readFileXml(bureau("GHZRW", "FILE", "xslt", null, null), sample("file/GHZRW-task-message.xml"));
        assertThat(r.errors()).isEmpty();
    }
}
