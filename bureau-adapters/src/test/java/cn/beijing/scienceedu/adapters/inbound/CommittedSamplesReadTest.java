package cn.beijing.scienceedu.adapters.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;

import cn.beijing.scienceedu.adapters.mapping.BureauWrite;
import cn.beijing.scienceedu.adapters.mapping.PayloadMapper;
import cn.beijing.scienceedu.adapters.mapping.ReportReader;
import cn.beijing.scienceedu.adapters.mapping.SafeXml;
import cn.beijing.scienceedu.contracts.bureau.model.BureauReportStatus;
import cn.beijing.scienceedu.contracts.bureau.model.ProgressReport;
import cn.beijing.scienceedu.contracts.bureau.model.SignFor;
import cn.beijing.scienceedu.contracts.bureau.model.Submission;
import tools.jackson.databind.json.JsonMapper;

/**
 * The committed samples of what bureaus write (contracts {@code samples/}: the shapes the bureau simulator writes
 * too) are read by the adapters whole and pass every check: the GB18030 CSV progress report with its
 * {@code .evidence/} directory, the CSV sign-for with the bureau's time, the SOAP progress report and the AMQP
 * submission with inline evidence.
 */
class CommittedSamplesReadTest {

    static final Path SAMPLES = Path.of("../contracts/src/main/resources/samples");
    static final Charset GB18030 = Charset.forName("GB18030");
    final JsonMapper json = JsonMapper.builder().build();
    final PayloadMapper payloads = new PayloadMapper(new DefaultResourceLoader(), json);
    final ReportReader reader = new ReportReader(payloads, json);

    @Test
    void theCsvProgressSampleWithItsEvidenceDirectory() throws Exception {
        Path csv = SAMPLES.resolve("file/CZJ-report-progress-gb18030.csv");
        List<BureauWrite> writes = reader.readCsv(payloads.spec("classpath:mappings/csv-gb.yaml"),
                new String(Files.readAllBytes(csv), GB18030), OffsetDateTime.now());
        assertThat(writes).hasSize(1);
        BureauWrite w = writes.get(0);
        assertThat(AnswerReader.attachEvidence(w, AnswerReader.evidenceDir(csv))).isEmpty();
        assertThat(InboundPipeline.check("CZJ", w)).isEmpty();
        ProgressReport p = (ProgressReport) w.body();
        assertThat(p.getStatus()).isEqualTo(BureauReportStatus.AT_RISK);
        assertThat(p.getProblems()).isNotBlank();
        assertThat(p.getNextSteps()).isNotBlank();
        assertThat(p.getReporter()).isNotBlank();
        assertThat(p.getReportedAt()).isEqualTo(OffsetDateTime.parse("2025-04-02T16:05:00+08:00"));
        assertThat(w.kpiValues()).hasSize(2);
        assertThat(w.kpiValues().get(0).getSchoolCode()).isEqualTo("S110108001");
        assertThat(w.evidence()).hasSize(1);
        assertThat(w.evidence().get(0).getContent()).isNotNull().hasSize(w.evidence().get(0).getSize().intValue());
    }

    @Test
    void theCsvSignForSampleKeepsTheBureausTime() throws Exception {
        List<BureauWrite> writes = reader.readCsv(payloads.spec("classpath:mappings/csv-gb.yaml"),
                new String(Files.readAllBytes(SAMPLES.resolve("file/CZJ-report-sign-for-gb18030.csv")), GB18030),
                OffsetDateTime.now());
        BureauWrite w = writes.get(0);
        assertThat(InboundPipeline.check("CZJ", w)).isEmpty();
        assertThat(((SignFor) w.body()).getSignedAt()).isEqualTo(OffsetDateTime.parse("2025-01-07T09:30:00+08:00"));
        assertThat(w.keptTime()).isEqualTo(OffsetDateTime.parse("2025-01-07T09:30:00+08:00"));
    }

    @Test
    void theSoapProgressSample() throws Exception {
        var doc = SafeXml.parse(Files.readAllBytes(SAMPLES.resolve("soap/SKW-report-progress.xml")));
        BureauWrite w = reader.readXml(doc, OffsetDateTime.now());
        assertThat(InboundPipeline.check("SKW", w)).isEmpty();
        ProgressReport p = (ProgressReport) w.body();
        assertThat(p.getStatus()).isEqualTo(BureauReportStatus.DELAYED);
        assertThat(w.kpiValues().get(0).getSchoolCode()).isEqualTo("S110105001");
        assertThat(w.evidence().get(0).getContent()).hasSize(76);
    }

    @Test
    void theAmqpSubmissionSample() throws Exception {
        BureauWrite w = reader.readJson(null, Files.readString(SAMPLES.resolve("amqp/XCB-reply-submission.json"),
                StandardCharsets.UTF_8), OffsetDateTime.now());
        assertThat(InboundPipeline.check("XCB", w)).isEmpty();
        Submission s = (Submission) w.body();
        assertThat(s.getReporter()).isEqualTo("赵宣传");
        assertThat(s.getSubmittedAt()).isEqualTo(OffsetDateTime.parse("2025-06-30T17:20:00+08:00"));
        assertThat(w.evidence().get(0).getContent()).hasSize(76);
    }
}
