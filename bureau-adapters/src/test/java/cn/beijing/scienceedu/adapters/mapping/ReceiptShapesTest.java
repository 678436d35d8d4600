package cn.beijing.scienceedu.adapters.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.OffsetDateTime;
import java.util.Map;

import javax.xml.transform.TransformerFactory;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;

import cn.beijing.scienceedu.contracts.bureau.model.BureauTaskMessage;
import tools.jackson.databind.json.JsonMapper;

/**
 * A receipt (回执) to a FILE, SFTP or AMQP bureau says what the REST and SOAP receipts say: the outcome ({@code status},
 * as bureaus have always read it), the bureau's own time of the answered message as kept ({@code sentAt}, the same
 * instant) and the task's status after it ({@code taskStatus}) — in every outbound shape. Other kinds leave both out.
 */
class ReceiptShapesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    final PayloadMapper payloads = new PayloadMapper(new DefaultResourceLoader(), JSON);

    /** 16:05:00.25 in Beijing, as a bureau might send it in UTC. */
    static final OffsetDateTime SENT = OffsetDateTime.parse("2025-04-02T08:05:00.25Z");

    static BureauTaskMessage receipt() {
        return new BureauTaskMessage("r-1", BureauTaskMessage.KindEnum.RECEIPT, "T-1", "CZJ").status("ACCEPTED")
                .issuedAt(OffsetDateTime.parse("2025-04-02T08:06:00Z")).sentAt(SENT).taskStatus("IN_PROGRESS");
    }

    @Test
    void hubJsonAndTheCanonicalXmlCarryTheSameInstantAndTheTaskStatus() {
        Map<String, Object> f = PayloadMapper.fields(receipt());
        assertThat(f.get("status")).isEqualTo("ACCEPTED");
        assertThat(f.get("taskStatus")).isEqualTo("IN_PROGRESS");
        assertThat(f.get("sentAt")).isEqualTo("2025-04-02T16:05:00.25+08:00");
        assertThat(OffsetDateTime.parse((String) f.get("sentAt")).toInstant()).isEqualTo(SENT.toInstant());
        // read back from the outbox's JSON into the generated type, it renders the same
        BureauTaskMessage again = JSON.readValue(JSON.writeValueAsString(f), BureauTaskMessage.class);
        assertThat(PayloadMapper.fields(again)).isEqualTo(f);
        assertThat(payloads.canonicalXml(receipt())).contains("<sentAt>2025-04-02T16:05:00.25+08:00</sentAt>")
                .contains("<taskStatus>IN_PROGRESS</taskStatus>");
    }

    @Test
    void theCsvHasTheTaskStatusAndTheBureausTimeInItsOwnFormat() {
        String csv = payloads.csv(payloads.spec("classpath:mappings/csv-gb.yaml"), receipt());
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).endsWith(",状态,发送时间,任务状态,原报送时间");
        assertThat(lines[1]).startsWith("r-1,回执,T-1,CZJ,").endsWith(",ACCEPTED,2025-04-02 16:06:00,IN_PROGRESS,2025-04-02 16:05:00");
        // an assignment leaves both empty
        String assignment = payloads.csv(payloads.spec("classpath:mappings/csv-gb.yaml"),
                new BureauTaskMessage("a-1", BureauTaskMessage.KindEnum.ASSIGNMENT, "T-1", "CZJ").status("DISPATCHED"));
        assertThat(assignment.split("\r\n")[1]).endsWith(",DISPATCHED,,,");
    }

    @Test
    void aJsonMapBureauGetsThemByTheBureauApiNames() {
        Map<String, Object> m = payloads.mapFields(payloads.spec("classpath:mappings/tsw-json.yaml"), receipt());
        assertThat(m).containsEntry("msgType", "回执").containsEntry("status", "ACCEPTED")
                .containsEntry("taskStatus", "IN_PROGRESS").containsEntry("sentAt", "2025/04/02 16:05:00");
    }

    @Test
    void theExchangeXmlSaysThemInRwztAndYbssj() throws Exception {
        String xml = xslt("mappings/file-task-xml.xsl", payloads.canonicalXml(receipt()));
        assertThat(xml).contains("<ZT>ACCEPTED</ZT>").contains("<RWZT>IN_PROGRESS</RWZT>")
                .contains("<YBSSJ>2025-04-02T16:05:00.25+08:00</YBSSJ>");
        String assignment = xslt("mappings/file-task-xml.xsl", payloads.canonicalXml(
                new BureauTaskMessage("a-1", BureauTaskMessage.KindEnum.ASSIGNMENT, "T-1", "GHZRW").status("DISPATCHED")));
        assertThat(assignment).doesNotContain("<ZT>").doesNotContain("<RWZT>").doesNotContain("<YBSSJ>");
    }

    static String xslt(String stylesheet, String xml) throws Exception {
        try (var in = ReceiptShapesTest.class.getClassLoader().getResourceAsStream(stylesheet)) {
            var t = TransformerFactory.newInstance().newTransformer(new StreamSource(in));
            StringWriter out = new StringWriter();
            t.transform(new StreamSource(new StringReader(xml)), new StreamResult(out));
            return out.toString();
        }
    }
}
