package cn.beijing.scienceedu.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.contracts.catalogue.Catalogues;
import cn.beijing.scienceedu.contracts.catalogue.model.Kpi;
import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** What the simulated bureaus say: statuses, KPI values over the synthetic register, evidence, their own times. */
class BureauAnswersTest {

    private final SyntheticRegister register = new SyntheticRegister();
    private final BureauAnswers answers = new BureauAnswers(register);
    private final Policy policy = Catalogues.defaultPolicy();

    /** Unit → protocol of the one bureau registry (bureaus.yaml, on the simulator's classpath). */
    @SuppressWarnings("unchecked")
    static Map<String, String> protocols() throws Exception {
        try (InputStream in = BureauAnswersTest.class.getResourceAsStream("/bureaus.yaml")) {
            Map<String, Object> root = YAMLMapper.builder().build().readValue(in, Map.class);
            Map<String, Map<String, Object>> bureaus = (Map<String, Map<String, Object>>) ((Map<String, Object>) root.get("hub")).get("bureaus");
            Map<String, String> out = new TreeMap<>();
            bureaus.forEach((u, b) -> out.put(u, String.valueOf(b.get("protocol"))));
            return out;
        }
    }

    static Received assignment(String unit, String taskId, Object measureNo, Instant at) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("kind", "ASSIGNMENT");
        fields.put("taskId", taskId);
        fields.put("measureNo", measureNo);
        return new Received(7, unit, "REST", "ASSIGNMENT", "m-1", taskId, at, true, List.of(), fields, null, null, null);
    }

    @Test
    void theSevenKpisOfTheCatalogueGetValuesAtTheirOwnLevelFromTheBureausOfTheirMeasure() {
        Set<String> schools = register.schools().stream().map(SyntheticRegister.School::code).collect(Collectors.toSet());
        Map<String, String> districtOf = register.schools().stream()
                .collect(Collectors.toMap(SyntheticRegister.School::code, SyntheticRegister.School::districtCode));
        Map<String, Kpi> kpis = policy.getKpis().stream().collect(Collectors.toMap(Kpi::getCode, k -> k));
        assertThat(kpis).hasSize(7);
        Set<String> reported = new TreeSet<>();
        for (Measure m : policy.getMeasures()) {
            for (String unit : m.getUnitCodes()) {
                for (Map<String, Object> v : answers.kpiValues(unit, m.getNo())) {
                    Kpi k = kpis.get((String) v.get("code"));
                    assertThat(k).as("a catalogue KPI: %s", v).isNotNull();
                    assertThat(k.getMeasureNo()).as("a KPI of the task's own measure: %s", v).isEqualTo(m.getNo());
                    assertThat(v.get("level")).as("the catalogue's level of %s", k.getCode()).isEqualTo(k.getLevel().getValue());
                    assertThat(v.get("value")).isInstanceOf(Number.class);
                    switch (k.getLevel().getValue()) {
                        case "SCHOOL" -> {
                            assertThat(schools).contains((String) v.get("schoolCode"));
                            assertThat(v.get("districtCode")).isEqualTo(districtOf.get(v.get("schoolCode")));
                            if (k.getDescription().contains("小学")) {
                                assertThat(register.schools()).filteredOn(s -> s.code().equals(v.get("schoolCode")))
                                        .allMatch(s -> s.stage().equals("PRIMARY"));
                            }
                        }
                        case "DISTRICT" -> {
                            assertThat(districtOf.values()).contains((String) v.get("districtCode"));
                            assertThat(v).doesNotContainKey("schoolCode");
                        }
                        default -> assertThat(v).doesNotContainKeys("districtCode", "schoolCode");
                    }
                    reported.add(k.getCode());
                }
            }
        }
        assertThat(reported).as("every KPI of the catalogue gets values").isEqualTo(kpis.keySet());
        // the lead unit reports for every school of the register, the same values every time
        List<Map<String, Object>> sjw = answers.kpiValues("SJW", 3);
        assertThat(sjw).hasSize(register.schools().size()).isEqualTo(answers.kpiValues("SJW", 3));
        assertThat(sjw).extracting(v -> ((Number) v.get("value")).doubleValue()).as("some below the 10 %% target, some above")
                .anyMatch(x -> x < 10).anyMatch(x -> x >= 10);
    }

    @Test
    void aBureauReportsNoKpiOfAnotherMeasureNorOfAMeasureItIsNotIn() {
        assertThat(answers.kpiValues("SJW", 5)).as("measure 5 has no KPI").isEmpty();
        assertThat(answers.kpiValues("CZJ", 4)).as("CZJ is not a unit of measure 4").isEmpty();
        assertThat(answers.kpiValues("SJW", null)).isEmpty();
    }

    @Test
    void everyProtocolHasBureausThatAreNotOnTrackAndRestSoapAmqpReportKpis() throws Exception {
        Map<String, String> protocols = protocols();
        Map<String, Set<String>> statuses = new TreeMap<>();
        Set<String> kpiProtocols = new TreeSet<>();
        protocols.forEach((unit, protocol) -> {
            statuses.computeIfAbsent(protocol, p -> new TreeSet<>()).add(answers.status(unit));
            for (Measure m : policy.getMeasures()) {
                if (!answers.kpiValues(unit, m.getNo()).isEmpty()) {
                    kpiProtocols.add(protocol);
                }
            }
        });
        assertThat(statuses.keySet()).containsExactlyInAnyOrder("REST", "SOAP", "FILE", "SFTP", "AMQP");
        statuses.forEach((p, s) -> assertThat(s).as(p).anyMatch(x -> !x.equals("ON_TRACK")));
        assertThat(statuses.values().stream().flatMap(Set::stream).collect(Collectors.toSet()))
                .contains("ON_TRACK", "AT_RISK", "DELAYED", "BLOCKED");
        // FILE and SFTP bureaus are responsible for no measure with a KPI (catalogue), so only these can report them
        assertThat(kpiProtocols).containsExactlyInAnyOrder("REST", "SOAP", "AMQP");
        assertThat(BureauAnswers.EVIDENCE.keySet().stream().map(protocols::get).collect(Collectors.toSet()))
                .as("some bureaus of each protocol attach evidence").containsExactlyInAnyOrder("REST", "SOAP", "FILE", "SFTP", "AMQP");
    }

    @Test
    void aBlockedBureausProgressReportSaysWhatBlocksItAndWhatComesNext() {
        Instant received = Instant.now().minusSeconds(60);
        Map<String, Object> r = answers.answer(assignment("RSJ", "bj-sciedu-20-2024.M11.RSJ", "11", received),
                "PROGRESS", "RSJ-1", Instant.now());
        assertThat(r).containsEntry("kind", "PROGRESS").containsEntry("status", "BLOCKED").containsEntry("reporter", answers.person("RSJ"))
                .containsKeys("period", "percentComplete", "narrative", "problems", "nextSteps", "reportedAt", "kpiValues");
        assertThat((String) r.get("problems")).contains("受阻");
        assertThat(((Number) r.get("percentComplete")).intValue()).isBetween(10, 14);
        assertThat(((List<?>) r.get("kpiValues")).stream().map(v -> String.valueOf(((Map<?, ?>) v).get("code"))).collect(Collectors.toSet()))
                .containsOnly("SCHOOL_SCIENCE_TUTORS", "SCHOOL_SCIENCE_OUTREACH_PARTNERS");
        assertThat(answers.submits("RSJ")).isFalse();
        Map<String, Object> ok = answers.answer(assignment("SKX", "t", "1", received), "PROGRESS", "SKX-1", Instant.now());
        assertThat(ok).containsEntry("status", "ON_TRACK").doesNotContainKey("problems").containsKey("nextSteps");
        assertThat(answers.submits("SKX")).isTrue();
    }

    @Test
    void evidenceCarriesItsTrueSizeAndLowerCaseSha256() {
        for (String unit : BureauAnswers.EVIDENCE.keySet()) {
            for (String kind : List.of("PROGRESS", "SUBMISSION")) {
                Map<String, Object> e = answers.evidence(unit, "task-" + unit, kind);
                byte[] bytes = Base64.getDecoder().decode((String) e.get("content"));
                assertThat(e.get("size")).isEqualTo(bytes.length);
                assertThat((String) e.get("sha256")).matches("[0-9a-f]{64}").isEqualTo(BureauAnswers.sha256(bytes));
                String name = (String) e.get("name");
                if ("application/pdf".equals(e.get("contentType"))) {
                    String pdf = new String(bytes, StandardCharsets.ISO_8859_1);
                    assertThat(name).endsWith(".pdf");
                    assertThat(pdf).startsWith("%PDF-1.4\n").endsWith("%%EOF\n");
                    int xref = Integer.parseInt(pdf.replaceAll("(?s).*startxref\n(\\d+)\n%%EOF\n$", "$1"));
                    assertThat(pdf.substring(xref)).as("startxref points at the xref table").startsWith("xref\n");
                } else {
                    assertThat(e.get("contentType")).isEqualTo("text/plain");
                    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("合成").contains(unit);
                }
                if (BureauAnswers.EVIDENCE.get(unit) == BureauAnswers.EvidenceMode.BESIDE) {
                    assertThat(name).as("a file name any locale can write").matches("[A-Za-z0-9._-]+");
                }
            }
            assertThat(answers.evidence(unit, "a", "PROGRESS").get("sha256")).as("different per task")
                    .isNotEqualTo(answers.evidence(unit, "b", "PROGRESS").get("sha256"));
        }
        Map<String, Object> sjw = answers.answer(assignment("SJW", "t", "3", Instant.now().minusSeconds(30)), "SUBMISSION", "x", Instant.now());
        assertThat(sjw).containsEntry(Sender.UPLOAD_FIRST, true).containsKeys("evidence", "submittedAt", "reporter", "summary");
    }

    @Test
    void theBureausOwnTimeIsALittleBeforeNowButNeverBeforeItReceivedTheTask() {
        Instant now = Instant.parse("2026-12-07T01:00:30.700Z");
        List<String> seen = new ArrayList<>();
        for (String unit : List.of("SJW", "CZJ", "XCB", "TXGLJ", "FL")) {
            OffsetDateTime t = OffsetDateTime.parse(answers.bureauTime(unit, now.minusSeconds(600), now));
            assertThat(t.getOffset()).isEqualTo(ZoneOffset.ofHours(8));
            assertThat(t.getNano()).isZero();
            assertThat(t.toInstant()).isBefore(now).isAfterOrEqualTo(now.minusSeconds(21));
            seen.add(answers.bureauTime(unit, now.minusSeconds(600), now));
        }
        // received a moment ago: not before the receipt (the hub refuses a time before the task was dispatched)
        Instant received = now.minusMillis(900);
        Instant t = OffsetDateTime.parse(answers.bureauTime("SJW", received, now)).toInstant();
        assertThat(t).isAfter(received).isBeforeOrEqualTo(now.plusSeconds(1));
        // answered 3 s and 6 s after the receipt (the launcher's auto-reply delay): in order, after the receipt
        Instant got = now.minusSeconds(6);
        Instant signed = OffsetDateTime.parse(answers.bureauTime("TXGLJ", got, now.minusSeconds(3))).toInstant();
        Instant reported = OffsetDateTime.parse(answers.bureauTime("TXGLJ", got, now)).toInstant();
        assertThat(signed).isAfter(got).isBefore(reported);
        // each answer kind carries it in its own field
        Received a = assignment("XCB", "t", "11", now.minusSeconds(600));
        assertThat(answers.answer(a, "SIGN_FOR", "1", now)).containsKeys("signedAt", "signedBy");
        assertThat(answers.answer(a, "PROGRESS", "2", now)).containsKey("reportedAt");
        assertThat(answers.answer(a, "SUBMISSION", "3", now)).containsKey("submittedAt");
        assertThat(answers.answer(a, "EXTENSION_REQUEST", "4", now)).containsKeys("requestedAt", "reporter", "requestedDeadline", "reason");
    }
}
