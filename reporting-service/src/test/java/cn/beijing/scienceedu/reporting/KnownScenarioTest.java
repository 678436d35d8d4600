package cn.beijing.scienceedu.reporting;

import static cn.beijing.scienceedu.reporting.TaskEvents.kpi;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.extractor.XWPFWordExtractor;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import tools.jackson.databind.JsonNode;

/**
 * A known first quarter of 2025 for five tasks, whose report figures are written out below as literal
 * numbers; then exports, lineage, the period freeze, corrections and the circular.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KnownScenarioTest extends ReportingTestBase {

    static final String P = "scenario-q1";
    static final String Q = "/api/v1/reports/joint?policy=" + P + "&period=2025-Q1";
    private static boolean loaded;

    private static OffsetDateTime at(int month, int day, int hour) {
        return OffsetDateTime.of(2025, month, day, hour, 0, 0, 0, ZoneOffset.ofHours(8));
    }

    @BeforeEach
    void scenario() {
        if (loaded) {
            return;
        }
        policyCopy(P);
        List<TaskEvents> e = new ArrayList<>();
        LocalDate yearEnd = LocalDate.of(2025, 12, 31);
        // t1: measure 3, SJW leads; signed for on time; a Q1 report with school KPI values
        e.add(TaskEvents.task("task.planned", P, "t1", 3, "SJW", "SJW", "PLANNED", 1, at(1, 2, 9))
                .rating("GREY", "NOT_DISPATCHED").deadline(yearEnd));
        e.add(TaskEvents.task("task.dispatched", P, "t1", 3, "SJW", "SJW", "DISPATCHED", 2, at(1, 3, 9))
                .rating("GREEN", "ON_TRACK").deadline(yearEnd));
        e.add(TaskEvents.task("task.signed-for", P, "t1", 3, "SJW", "SJW", "SIGNED_FOR", 3, at(1, 4, 9))
                .rating("GREEN", "ON_TRACK").deadline(yearEnd));
        e.add(TaskEvents.task("task.progress-reported", P, "t1", 3, "SJW", "SJW", "IN_PROGRESS", 4, at(2, 10, 9))
                .rating("GREEN", "ON_TRACK")
                .deadline(yearEnd).messageLog("ml-pr-1").progress("pr-1", "2025-Q1", "ON_TRACK", 50, "跨学科主题学习课时已排入课表",
                        List.of(kpi("INTERDISCIPLINARY_HOURS_SHARE", 12, "SCHOOL", "110105", "S110105001"),
                                kpi("INTERDISCIPLINARY_HOURS_SHARE", 8, "SCHOOL", "110105", "S110105002"),
                                kpi("INTERDISCIPLINARY_HOURS_SHARE", 15, "SCHOOL", "110108", "S110108001"))));
        // t2: measure 1, SJW leads; signed for late; overdue since 15 March; urged at level 2
        LocalDate mar15 = LocalDate.of(2025, 3, 15);
        e.add(TaskEvents.task("task.planned", P, "t2", 1, "SJW", "SJW", "PLANNED", 1, at(1, 2, 9))
                .rating("GREY", "NOT_DISPATCHED").deadline(mar15));
        e.add(TaskEvents.task("task.dispatched", P, "t2", 1, "SJW", "SJW", "DISPATCHED", 2, at(1, 3, 9))
                .rating("GREEN", "ON_TRACK").deadline(mar15));
        e.add(TaskEvents.task("task.signed-for", P, "t2", 1, "SJW", "SJW", "SIGNED_FOR", 3, at(1, 10, 9))
                .rating("GREEN", "ON_TRACK").deadline(mar15));
        e.add(TaskEvents.task("task.urged", P, "t2", 1, "SJW", "SJW", "SIGNED_FOR", 4, at(3, 20, 9))
                .rating("RED", "OVERDUE").deadline(mar15).urging(2));
        // t3: measure 1, SKX cooperates; submitted, returned, submitted again, accepted
        LocalDate mar31 = LocalDate.of(2025, 3, 31);
        e.add(TaskEvents.task("task.planned", P, "t3", 1, "SKX", "SJW", "PLANNED", 1, at(1, 2, 9))
                .rating("GREY", "NOT_DISPATCHED").deadline(mar31));
        e.add(TaskEvents.task("task.dispatched", P, "t3", 1, "SKX", "SJW", "DISPATCHED", 2, at(1, 3, 9))
                .rating("GREEN", "ON_TRACK").deadline(mar31));
        e.add(TaskEvents.task("task.signed-for", P, "t3", 1, "SKX", "SJW", "SIGNED_FOR", 3, at(1, 4, 9))
                .rating("GREEN", "ON_TRACK").deadline(mar31));
        e.add(TaskEvents.task("task.progress-reported", P, "t3", 1, "SKX", "SJW", "IN_PROGRESS", 4, at(2, 1, 9))
                .rating("GREEN", "ON_TRACK")
                .deadline(mar31).messageLog("ml-pr-3").progress("pr-3", "2025-01", "COMPLETED", 100, "科普课程资源已上线", null));
        e.add(TaskEvents.task("task.submitted", P, "t3", 1, "SKX", "SJW", "SUBMITTED", 5, at(2, 5, 9))
                .rating("GREEN", "DONE").deadline(mar31).percent(100));
        e.add(TaskEvents.task("task.returned", P, "t3", 1, "SKX", "SJW", "RETURNED", 6, at(2, 8, 9))
                .rating("AMBER", "RETURNED").deadline(mar31)
                .percent(100).reason("材料不全"));
        e.add(TaskEvents.task("task.progress-reported", P, "t3", 1, "SKX", "SJW", "IN_PROGRESS", 7, at(3, 1, 9))
                .rating("GREEN", "ON_TRACK")
                .deadline(mar31).messageLog("ml-pr-4").progress("pr-4", "2025-02", "COMPLETED", 100, "补充材料", null));
        e.add(TaskEvents.task("task.submitted", P, "t3", 1, "SKX", "SJW", "SUBMITTED", 8, at(3, 5, 9))
                .rating("GREEN", "DONE").deadline(mar31).percent(100));
        e.add(TaskEvents.task("task.accepted", P, "t3", 1, "SKX", "SJW", "ACCEPTED", 9, at(3, 10, 9))
                .rating("GREEN", "DONE").deadline(mar31).percent(100));
        // t4: measure 19, SJW leads; at risk; city and district KPI values
        e.add(TaskEvents.task("task.planned", P, "t4", 19, "SJW", "SJW", "PLANNED", 1, at(1, 2, 9))
                .rating("GREY", "NOT_DISPATCHED").deadline(yearEnd));
        e.add(TaskEvents.task("task.dispatched", P, "t4", 19, "SJW", "SJW", "DISPATCHED", 2, at(1, 3, 9))
                .rating("GREEN", "ON_TRACK").deadline(yearEnd));
        e.add(TaskEvents.task("task.signed-for", P, "t4", 19, "SJW", "SJW", "SIGNED_FOR", 3, at(1, 5, 9))
                .rating("GREEN", "ON_TRACK").deadline(yearEnd));
        e.add(TaskEvents.task("task.progress-reported", P, "t4", 19, "SJW", "SJW", "IN_PROGRESS", 4, at(3, 28, 9))
                .rating("AMBER", "BUREAU_AT_RISK")
                .deadline(yearEnd).messageLog("ml-pr-5").progress("pr-5", "2025-Q1", "AT_RISK", 30, "实验区建设推进中",
                        List.of(kpi("SCIENCE_EDUCATION_BRANDS", 40, "CITY", null, null),
                                kpi("LAB_EQUIPMENT_COMPLIANCE_RATE", 95, "DISTRICT", "110105", null),
                                kpi("LAB_EQUIPMENT_COMPLIANCE_RATE", 85, "DISTRICT", "110108", null))));
        // t5: measure 19, TSW cooperates; never dispatched, overdue since 28 February
        e.add(TaskEvents.task("task.planned", P, "t5", 19, "TSW", "SJW", "PLANNED", 1, at(1, 2, 9))
                .rating("GREY", "NOT_DISPATCHED")
                .deadline(LocalDate.of(2025, 2, 28)));
        // t6: planned after the quarter: not in it
        e.add(TaskEvents.task("task.planned", P, "t6", 20, "SJW", "SJW", "PLANNED", 1, at(4, 2, 9))
                .rating("GREY", "NOT_DISPATCHED").deadline(yearEnd));
        for (TaskEvents x : e) {
            publish(x);
        }
        await("scenario applied", Duration.ofSeconds(30), () -> eventsApplied(P) == e.size());
        loaded = true;
    }

    @Test
    @Order(1)
    void theQuartersFiguresAreTheKnownOnes() {
        JsonNode r = getJson(Q);
        JsonNode s = r.get("summary");
        assertThat(s.get("taskCount").asInt()).isEqualTo(5);
        assertThat(s.get("signedForCount").asInt()).isEqualTo(4);
        assertThat(s.get("acceptedCount").asInt()).isEqualTo(1);
        assertThat(s.get("overdueCount").asInt()).isEqualTo(2);
        assertThat(s.get("returnedCount").asInt()).isEqualTo(1);
        assertThat(s.get("urgedCount").asInt()).isEqualTo(1);
        assertThat(s.get("progressReportCount").asInt()).isEqualTo(4);
        assertThat(s.get("percentComplete").asInt()).isEqualTo(36);
        assertThat(s.get("ratingCounts").get("GREEN").asInt()).isEqualTo(2);
        assertThat(s.get("ratingCounts").get("AMBER").asInt()).isEqualTo(1);
        // the task-service's ratings as the events carry them (the one rule): t5, planned and never dispatched, is
        // GREY (NOT_DISPATCHED) though its deadline passed — reporting used to rate it RED itself
        assertThat(s.get("ratingCounts").get("RED").asInt()).isEqualTo(1);
        assertThat(s.get("ratingCounts").get("GREY").asInt()).isEqualTo(1);

        assertThat(r.get("measures")).hasSize(20);
        JsonNode m1 = r.get("measures").get(0);
        assertThat(m1.get("measureNo").asInt()).isEqualTo(1);
        assertThat(m1.get("taskCount").asInt()).isEqualTo(2);
        assertThat(m1.get("acceptedCount").asInt()).isEqualTo(1);
        assertThat(m1.get("overdueCount").asInt()).isEqualTo(1);
        assertThat(m1.get("returnedCount").asInt()).isEqualTo(1);
        assertThat(m1.get("progressReportCount").asInt()).isEqualTo(2);
        assertThat(m1.get("percentComplete").asInt()).isEqualTo(50);
        assertThat(m1.get("rating").asText()).isEqualTo("RED");
        assertThat(m1.get("cells").get(0).get("unitCode").asText()).isEqualTo("SJW");
        assertThat(m1.get("cells").get(0).get("role").asText()).isEqualTo("LEAD");
        assertThat(m1.get("cells").get(1).get("unitCode").asText()).isEqualTo("SKX");
        assertThat(m1.get("cells").get(1).get("status").asText()).isEqualTo("ACCEPTED");
        JsonNode m3 = r.get("measures").get(2);
        assertThat(m3.get("percentComplete").asInt()).isEqualTo(50);
        assertThat(m3.get("rating").asText()).isEqualTo("GREEN");
        assertThat(m3.get("latestNarrative").asText()).isEqualTo("跨学科主题学习课时已排入课表");
        JsonNode m19 = r.get("measures").get(18);
        assertThat(m19.get("taskCount").asInt()).isEqualTo(2);
        assertThat(m19.get("percentComplete").asInt()).isEqualTo(15);
        assertThat(m19.get("overdueCount").asInt()).isEqualTo(1);
        assertThat(r.get("measures").get(19).get("taskCount").asInt()).isEqualTo(0);

        JsonNode a1 = r.get("actions").get(0);
        assertThat(a1.get("taskCount").asInt()).isEqualTo(3);
        assertThat(a1.get("acceptedCount").asInt()).isEqualTo(1);
        assertThat(a1.get("overdueCount").asInt()).isEqualTo(1);
        assertThat(a1.get("percentComplete").asInt()).isEqualTo(50);
        assertThat(a1.get("rating").asText()).isEqualTo("RED");
        JsonNode a6 = r.get("actions").get(5);
        assertThat(a6.get("taskCount").asInt()).isEqualTo(2);
        assertThat(a6.get("percentComplete").asInt()).isEqualTo(15);

        JsonNode goals = r.get("goals");
        assertThat(goals.get(0).get("taskCount").asInt()).isEqualTo(3);
        assertThat(goals.get(0).get("percentComplete").asInt()).isEqualTo(50);
        assertThat(goals.get(2).get("taskCount").asInt()).isEqualTo(2);
        assertThat(goals.get(3).get("actionNos")).isEmpty();
        assertThat(goals.get(3).get("rating").asText()).isEqualTo("GREY");

        JsonNode sjw = unit(r, "SJW");
        assertThat(sjw.get("taskCount").asInt()).isEqualTo(3);
        assertThat(sjw.get("leadCount").asInt()).isEqualTo(3);
        assertThat(sjw.get("signedForCount").asInt()).isEqualTo(3);
        assertThat(sjw.get("signedForOnTimeCount").asInt()).isEqualTo(2);
        assertThat(sjw.get("reportedCount").asInt()).isEqualTo(2);
        assertThat(sjw.get("reportedOnTimeCount").asInt()).isEqualTo(2);
        assertThat(sjw.get("overdueCount").asInt()).isEqualTo(1);
        assertThat(sjw.get("returnedCount").asInt()).isEqualTo(0);
        assertThat(sjw.get("urgedCount").asInt()).isEqualTo(1);
        assertThat(sjw.get("percentComplete").asInt()).isEqualTo(27);
        JsonNode skx = unit(r, "SKX");
        assertThat(skx.get("taskCount").asInt()).isEqualTo(1);
        assertThat(skx.get("leadCount").asInt()).isEqualTo(0);
        assertThat(skx.get("reportedCount").asInt()).isEqualTo(2);
        assertThat(skx.get("returnedCount").asInt()).isEqualTo(1);
        assertThat(skx.get("acceptedCount").asInt()).isEqualTo(1);
        JsonNode tsw = unit(r, "TSW");
        assertThat(tsw.get("taskCount").asInt()).isEqualTo(1);
        assertThat(tsw.get("signedForCount").asInt()).isEqualTo(0);
        assertThat(tsw.get("overdueCount").asInt()).isEqualTo(1);

        JsonNode overdue = r.get("overdue");
        assertThat(overdue).hasSize(2);
        assertThat(overdue.get(0).get("taskId").asText()).isEqualTo("t5");
        // working days (工作日) after the deadline up to 31 March: 21 (calendar days: 31)
        assertThat(overdue.get(0).get("daysOverdue").asInt()).isEqualTo(21);
        assertThat(overdue.get(1).get("taskId").asText()).isEqualTo("t2");
        // deadline Saturday 15 March: 11 working days (calendar days: 16)
        assertThat(overdue.get(1).get("daysOverdue").asInt()).isEqualTo(11);
        assertThat(overdue.get(1).get("urgingLevel").asInt()).isEqualTo(2);
        assertThat(overdue.get(1).get("urgingCount").asInt()).isEqualTo(1);

        JsonNode hours = kpiOf(r, "INTERDISCIPLINARY_HOURS_SHARE");
        assertThat(hours.get("target").asDouble()).isEqualTo(10.0);
        assertThat(hours.get("schoolCount").asInt()).isEqualTo(3);
        assertThat(hours.get("cityValue").asDouble()).isEqualTo(66.67);
        assertThat(hours.get("cityMean").asDouble()).isEqualTo(11.67);
        assertThat(hours.get("met").asBoolean()).isFalse();
        assertThat(hours.get("districts")).hasSize(2);
        assertThat(hours.get("districts").get(0).get("districtCode").asText()).isEqualTo("110105");
        assertThat(hours.get("districts").get(0).get("districtName").asText()).isEqualTo("朝阳区");
        assertThat(hours.get("districts").get(0).get("value").asDouble()).isEqualTo(50.0);
        assertThat(hours.get("districts").get(0).get("mean").asDouble()).isEqualTo(10.0);
        assertThat(hours.get("districts").get(1).get("value").asDouble()).isEqualTo(100.0);
        assertThat(hours.get("districts").get(1).get("met").asBoolean()).isTrue();
        JsonNode brands = kpiOf(r, "SCIENCE_EDUCATION_BRANDS");
        assertThat(brands.get("cityValue").asDouble()).isEqualTo(40.0);
        assertThat(brands.get("target").asDouble()).isEqualTo(100.0);
        assertThat(brands.get("met").asBoolean()).isFalse();
        JsonNode lab = kpiOf(r, "LAB_EQUIPMENT_COMPLIANCE_RATE");
        assertThat(lab.get("tracked").asBoolean()).isTrue();
        assertThat(lab.get("cityValue").asDouble()).isEqualTo(90.0);
        assertThat(lab.get("met").isNull() || lab.get("met") == null).isTrue();
        JsonNode stem = kpiOf(r, "PRIMARY_STEM_MASTER_TEACHERS");
        assertThat(stem.get("schoolCount").asInt()).isEqualTo(0);
    }

    @Test
    @Order(2)
    void everyFigureOpensDownToItsReportsHistoryAndMessages() {
        JsonNode k = getJson("/api/v1/reports/lineage?policy=" + P + "&period=2025-Q1&figure=kpi:INTERDISCIPLINARY_HOURS_SHARE:city");
        assertThat(k.get("value").asDouble()).isEqualTo(66.67);
        assertThat(k.get("sources")).hasSize(3);
        for (JsonNode s : k.get("sources")) {
            assertThat(s.get("progressReportId").asText()).isEqualTo("pr-1");
            assertThat(s.get("messageLogId").asText()).isEqualTo("ml-pr-1");
            assertThat(s.get("historyId").asText()).isEqualTo("h-t1-4");
        }
        JsonNode m = getJson("/api/v1/reports/lineage?policy=" + P + "&period=2025-Q1&figure=measure:1");
        List<String> reports = new ArrayList<>();
        List<String> history = new ArrayList<>();
        m.get("sources").forEach(s -> {
            if (s.hasNonNull("progressReportId")) {
                reports.add(s.get("progressReportId").asText());
            } else {
                history.add(s.get("historyId").asText());
            }
        });
        assertThat(reports).containsExactlyInAnyOrder("pr-3", "pr-4");
        assertThat(history).containsExactlyInAnyOrder("h-t2-4", "h-t3-9");
        JsonNode ret = getJson("/api/v1/reports/lineage?policy=" + P + "&period=2025-Q1&figure=unit:SKX:returned");
        assertThat(ret.get("sources")).hasSize(1);
        assertThat(ret.get("sources").get(0).get("historyId").asText()).isEqualTo("h-t3-6");
        assertThat(get("/api/v1/reports/lineage?policy=" + P + "&period=2025-Q1&figure=nothing", liaison()).statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(3)
    void xlsxHasASheetPerViewWithChineseHeaders() throws Exception {
        var resp = get(Q + "&format=xlsx", liaison());
        assertThat(resp.statusCode()).isEqualTo(200);
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(resp.body()))) {
            List<String> sheets = new ArrayList<>();
            wb.forEach(sh -> sheets.add(sh.getSheetName()));
            assertThat(sheets).containsExactly("概览", "按措施", "按行动", "按单位", "按目标", "逾期督办", "风险任务", "指标", "更正");
            Sheet units = wb.getSheet("按单位");
            assertThat(units.getRow(0).getCell(0).getStringCellValue()).isEqualTo("代码");
            assertThat(units.getRow(0).getCell(1).getStringCellValue()).isEqualTo("单位");
            assertThat(units.getRow(0).getCell(2).getStringCellValue()).isEqualTo("任务数");
            Row sjw = units.getRow(1);
            assertThat(sjw.getCell(0).getStringCellValue()).isEqualTo("SJW");
            assertThat(sjw.getCell(1).getStringCellValue()).isEqualTo("市教委");
            assertThat(sjw.getCell(2).getNumericCellValue()).isEqualTo(3.0);
            assertThat(units.getColumnWidth(1)).isGreaterThan(8 * 256);
            Sheet measures = wb.getSheet("按措施");
            assertThat(measures.getLastRowNum()).isEqualTo(20);
            assertThat(measures.getRow(1).getCell(1).getStringCellValue()).isEqualTo("健全科学课程体系");
        }
        var csv = get(Q + "&format=csv", liaison());
        String text = new String(csv.body(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFF").contains("# 按措施").contains("序号,措施,牵头单位");
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    }

    @Test
    @Order(4)
    void pdfCarriesTheChineseHeadings() throws Exception {
        var resp = get(Q + "&format=pdf", liaison());
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
        try (PDDocument doc = Loader.loadPDF(resp.body())) {
            String text = new PDFTextStripper().getText(doc);
            List<String> lines = text.lines().map(String::trim).toList();
            assertThat(lines).contains("关于加强新时代中小学科学教育工作的二十条措施 联合报告（2025-Q1）", "概览", "按措施", "按行动",
                    "按单位", "按目标", "逾期督办", "风险任务", "指标", "更正");
            assertThat(text).contains("健全科学课程体系").contains("市教委");
        }
        // Accept negotiation instead of ?format=
        var negotiated = get(Q, liaison(), "application/pdf");
        assertThat(negotiated.statusCode()).isEqualTo(200);
        assertThat(negotiated.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
        assertThat(new String(negotiated.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    }

    @Test
    @Order(5)
    void closingFreezesTheQuarterAndLateFactsBecomeCorrectionsOfTheNext() throws Exception {
        String before = JSON.readTree(get(Q, liaison()).body()).get("summary").toString();
        var closed = post("/api/v1/reports/periods/2025-Q1/close?policy=" + P, liaison(), "application/json", "");
        assertThat(closed.statusCode()).as(new String(closed.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        String hash = JSON.readTree(closed.body()).get("contentHash").asText();
        assertThat(hash).hasSize(64);
        String stored = jdbc.sql("select body from period_snapshot where policy_id = :p and period = '2025-Q1'")
                .param("p", P).query(String.class).single();
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(stored.getBytes(StandardCharsets.UTF_8)))).isEqualTo(hash);
        var frozen1 = get(Q, liaison());
        assertThat(frozen1.headers().firstValue("X-Content-Hash")).hasValue(hash);
        JsonNode f1 = JSON.readTree(frozen1.body());
        assertThat(f1.get("closed").asBoolean()).isTrue();
        assertThat(f1.get("summary").toString()).isEqualTo(before);
        // everything the closed quarter shows, as served right after the close
        String lineagePath = "/api/v1/reports/lineage?policy=" + P + "&period=2025-Q1&figure=";
        List<String> figures = List.of("summary", "overdue", "measure:1", "measure:1:overdue", "unit:SJW",
                "unit:SJW:overdue", "unit:SJW:reported", "unit:SKX:returned", "kpi:INTERDISCIPLINARY_HOURS_SHARE:city");
        List<byte[]> lineage1 = figures.stream().map(f -> get(lineagePath + f, liaison()).body()).toList();
        byte[] circular1 = get("/api/v1/reports/circulars/2025-Q1?policy=" + P, liaison()).body();
        var docx1 = get("/api/v1/reports/circulars/2025-Q1?policy=" + P + "&format=docx", liaison());
        assertThat(docx1.statusCode()).isEqualTo(200);
        byte[] snapshot1 = get("/api/v1/reports/periods/2025-Q1?policy=" + P, liaison()).body();
        // lineage and circular are stored with their own SHA-256
        String[] stored2 = jdbc.sql("select lineage, lineage_hash, circular, circular_hash from period_snapshot"
                + " where policy_id = :p and period = '2025-Q1'").param("p", P)
                .query((rs, i) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)})
                .single();
        assertThat(sha256(stored2[0])).isEqualTo(stored2[1]);
        assertThat(sha256(stored2[2])).isEqualTo(stored2[3]);
        assertThat(JSON.readTree(circular1).get("contentHash").asText()).isEqualTo(hash);

        // a late, correcting fact about the quarter: t2 was in fact submitted on 28 March (no longer overdue,
        // were the quarter recomputed)
        publish(TaskEvents.task("task.submitted", P, "t2", 1, "SJW", "SJW", "SUBMITTED", 5, at(3, 28, 9))
                .rating("GREEN", "DONE")
                .deadline(LocalDate.of(2025, 3, 15)).percent(100));
        // a late progress report for the closed quarter
        publish(TaskEvents.task("task.progress-reported", P, "t1", 3, "SJW", "SJW", "IN_PROGRESS", 5, at(3, 30, 9))
                .rating("GREEN", "ON_TRACK")
                .deadline(LocalDate.of(2025, 12, 31)).messageLog("ml-late")
                .progress("pr-late", "2025-Q1", "ON_TRACK", 70, "补报：一季度跨学科课时统计", null));
        await("late report applied", Duration.ofSeconds(20), () -> jdbc.sql(
                "select count(*) from progress_report where report_id = 'pr-late'").query(Integer.class).single() == 1);

        await("late submission applied", Duration.ofSeconds(20), () -> jdbc.sql(
                "select status from task_state where task_id = 't2'").query(String.class).single().equals("SUBMITTED"));

        var frozen2 = get(Q, liaison());
        assertThat(frozen2.body()).isEqualTo(frozen1.body());
        assertThat(frozen2.headers().firstValue("X-Content-Hash")).hasValue(hash);
        // byte for byte: lineage of every figure, the circular (JSON and DOCX) and the snapshot
        for (int i = 0; i < figures.size(); i++) {
            assertThat(get(lineagePath + figures.get(i), liaison()).body()).as(figures.get(i)).isEqualTo(lineage1.get(i));
        }
        assertThat(get("/api/v1/reports/circulars/2025-Q1?policy=" + P, liaison()).body()).isEqualTo(circular1);
        assertThat(get("/api/v1/reports/circulars/2025-Q1?policy=" + P + "&format=docx", liaison()).body())
                .isEqualTo(docx1.body());
        assertThat(get("/api/v1/reports/periods/2025-Q1?policy=" + P, liaison()).body()).isEqualTo(snapshot1);
        JsonNode overdueLineage = JSON.readTree(lineage1.get(figures.indexOf("unit:SJW:overdue")));
        assertThat(overdueLineage.get("value").asDouble()).isEqualTo(1.0);
        assertThat(overdueLineage.get("sources").get(0).get("taskId").asText()).isEqualTo("t2");
        // recomputed (March is not closed), the same facts no longer count t2 overdue: what the freeze protects
        JsonNode march = getJson("/api/v1/reports/joint?policy=" + P + "&period=2025-03");
        assertThat(march.get("overdue")).hasSize(1);
        assertThat(march.get("overdue").get(0).get("taskId").asText()).isEqualTo("t5");
        JsonNode snap = getJson("/api/v1/reports/periods/2025-Q1?policy=" + P);
        assertThat(snap.get("summary").get("contentHash").asText()).isEqualTo(hash);

        JsonNode q2 = getJson("/api/v1/reports/joint?policy=" + P + "&period=2025-Q2");
        assertThat(q2.get("closed").asBoolean()).isFalse();
        JsonNode corrections = q2.get("corrections");
        assertThat(corrections).isNotEmpty();
        assertThat(corrections).anySatisfy(c -> {
            assertThat(c.get("kind").asText()).isEqualTo("task.submitted");
            assertThat(c.get("taskId").asText()).isEqualTo("t2");
            assertThat(c.get("correctsPeriod").asText()).isEqualTo("2025-Q1");
        });
        boolean found = false;
        for (JsonNode c : corrections) {
            if ("pr-late".equals(c.path("reportId").asText())) {
                found = true;
                assertThat(c.get("correctsPeriod").asText()).isEqualTo("2025-Q1");
                assertThat(c.get("note").asText()).contains("更正");
            }
        }
        assertThat(found).isTrue();

        var again = post("/api/v1/reports/periods/2025-Q1/close?policy=" + P, liaison(), "application/json", "");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).get("currentState").asText()).isEqualTo("CLOSED");
        assertThatThrownBy(() -> jdbc.sql("update period_snapshot set content_hash = 'x' where policy_id = :p")
                .param("p", P).update()).hasMessageContaining("never change");
        JsonNode list = getJson("/api/v1/reports/periods?policy=" + P);
        assertThat(list).hasSize(1);
    }

    @Test
    @Order(6)
    void theCircularRanksUnitsByTheConfiguredRule() throws Exception {
        JsonNode c = getJson("/api/v1/reports/circulars/2025-Q1?policy=" + P);
        JsonNode entries = c.get("entries");
        assertThat(entries).hasSize(3);
        assertThat(entries.get(0).get("unitCode").asText()).isEqualTo("SKX");
        assertThat(entries.get(0).get("rank").asInt()).isEqualTo(1);
        assertThat(entries.get(0).get("score").asDouble()).isEqualTo(99.0);
        assertThat(entries.get(1).get("unitCode").asText()).isEqualTo("SJW");
        assertThat(entries.get(1).get("signForOnTimeRate").asDouble()).isEqualTo(66.67);
        assertThat(entries.get(1).get("score").asDouble()).isEqualTo(91.33);
        assertThat(entries.get(2).get("unitCode").asText()).isEqualTo("TSW");
        assertThat(entries.get(2).get("score").asDouble()).isEqualTo(58.0);
        assertThat(c.get("scoringRule").get("base").asDouble()).isEqualTo(60.0);

        var docx = get("/api/v1/reports/circulars/2025-Q1?policy=" + P + "&format=docx", liaison());
        assertThat(docx.statusCode()).isEqualTo(200);
        try (XWPFDocument doc = new XWPFDocument(new ByteArrayInputStream(docx.body()));
                XWPFWordExtractor x = new XWPFWordExtractor(doc)) {
            String text = x.getText();
            assertThat(text).contains("通报").contains("市科协").contains("排名");
            assertThat(doc.getTables().get(0).getRows()).hasSize(4);
        }
        var open = get("/api/v1/reports/circulars/2025-Q2?policy=" + P, liaison());
        assertThat(open.statusCode()).isEqualTo(409);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode unit(JsonNode r, String code) {
        for (JsonNode u : r.get("units")) {
            if (u.get("unitCode").asText().equals(code)) {
                return u;
            }
        }
        throw new AssertionError("no unit " + code);
    }

    private static JsonNode kpiOf(JsonNode r, String code) {
        for (JsonNode k : r.get("kpis")) {
            if (k.get("kpiCode").asText().equals(code)) {
                return k;
            }
        }
        throw new AssertionError("no KPI " + code);
    }
}
