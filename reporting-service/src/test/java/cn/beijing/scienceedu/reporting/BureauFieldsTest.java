package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.extractor.XWPFWordExtractor;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * Everything the task events now say (issue 15) reaches the joint report JSON, the task view, the XLSX and CSV
 * exports and the circular: the task-service's rating and its reason, the bureau's own status, 存在问题, 下一步计划,
 * 填报人 and its own times, evidence (name, size, SHA-256), school-level KPIs, the calendar flag; and a
 * {@code task.rating-changed} alone — no other event — changes the report.
 */
class BureauFieldsTest extends ReportingTestBase {

    private static final String SHA = "9b74c9897bac770ffc029102a200c5de2a7e8d3f6a1b2c4d5e6f708192a3b4c5";
    private static final Pattern RAW_CODE = Pattern.compile(
            "\\b(DISPATCHED|SIGNED_FOR|IN_PROGRESS|SUBMITTED|ACCEPTED|GREEN|AMBER|RED|GREY|ON_TRACK|AT_RISK|BLOCKED"
                    + "|BUREAU_[A-Z_]+|OVERDUE|LEAD|COOPERATING|SCHOOL|DISTRICT|CITY)\\b");

    private static OffsetDateTime at(int month, int day, int hour) {
        return OffsetDateTime.of(2025, month, day, hour, 0, 0, 0, ZoneOffset.ofHours(8));
    }

    /** Task and report ids are the policy's own: every test's facts stay apart. */
    private void blockedAndAtRiskTasks(String p) {
        policyCopy(p);
        LocalDate yearEnd = LocalDate.of(2025, 12, 31);
        publish(TaskEvents.task("task.progress-reported", p, p + "-m5-TSW", 5, "TSW", "SJW", "IN_PROGRESS", 4, at(2, 10, 9))
                .deadline(yearEnd).rating("AMBER", "BUREAU_AT_RISK").bureauStatus("AT_RISK").calendarKnown(true)
                .signed("李明", at(1, 7, 9)).lastReport("2025-Q1", at(2, 10, 8)).messageLog("ml-bf-1")
                .progress(p + "-pr-1", "2025-Q1", "AT_RISK", 40, "已完成资源调研",
                        List.of(TaskEvents.kpi("INTERDISCIPLINARY_HOURS_SHARE", 11.5, "SCHOOL", "110108", "S110108001")))
                .said("两区尚未提供场馆名单", "3月底前召开推进会", "王芳", at(2, 10, 8))
                .evidence("调研台账.pdf", "application/pdf", 24576, SHA, "att-bf-1")
                .evidence("现场照片.jpg", "image/jpeg", 1024, SHA.replace('9', '8'), null));
        publish(TaskEvents.task("task.progress-reported", p, p + "-m3-SJW", 3, "SJW", "SJW", "IN_PROGRESS", 4, at(3, 3, 9))
                .deadline(LocalDate.of(2027, 6, 30)).rating("RED", "BUREAU_BLOCKED").bureauStatus("BLOCKED")
                .calendarKnown(false).messageLog("ml-bf-2")
                .progress(p + "-pr-2", "2025-Q1", "BLOCKED", 10, "选址未定", null)
                .said("实验室选址需市规划部门批复，工作受阻", "提请市领导协调", "赵强", at(3, 3, 8)));
        publish(TaskEvents.task("task.signed-for", p, p + "-m1-SJW", 1, "SJW", "SJW", "SIGNED_FOR", 3, at(1, 5, 9))
                .deadline(yearEnd).rating("GREEN", "ON_TRACK"));
        await("bureau fields applied", Duration.ofSeconds(20), () -> eventsApplied(p) == 3);
    }

    @Test
    void theJointReportAndTheTaskViewCarryWhatTheBureauSaid() {
        String p = "bureau-fields-json";
        blockedAndAtRiskTasks(p);
        JsonNode r = getJson("/api/v1/reports/joint?policy=" + p + "&period=2025-Q1");
        JsonNode atRisk = r.get("atRisk");
        assertThat(atRisk).hasSize(2);
        // worst first: the blocked task, then the one at risk
        JsonNode blocked = atRisk.get(0);
        assertThat(blocked.get("taskId").asText()).isEqualTo(p + "-m3-SJW");
        assertThat(blocked.get("rating").asText()).isEqualTo("RED");
        assertThat(blocked.get("ratingReason").asText()).isEqualTo("BUREAU_BLOCKED");
        assertThat(blocked.get("bureauStatus").asText()).isEqualTo("BLOCKED");
        assertThat(blocked.get("calendarKnown").asBoolean()).isFalse();
        assertThat(blocked.get("problems").asText()).isEqualTo("实验室选址需市规划部门批复，工作受阻");
        assertThat(blocked.get("nextSteps").asText()).isEqualTo("提请市领导协调");
        JsonNode risk = atRisk.get(1);
        assertThat(risk.get("taskId").asText()).isEqualTo(p + "-m5-TSW");
        assertThat(risk.get("rating").asText()).isEqualTo("AMBER");
        assertThat(risk.get("ratingReason").asText()).isEqualTo("BUREAU_AT_RISK");
        assertThat(risk.get("problems").asText()).isEqualTo("两区尚未提供场馆名单");
        assertThat(risk.get("nextSteps").asText()).isEqualTo("3月底前召开推进会");
        assertThat(risk.get("reporter").asText()).isEqualTo("王芳");
        assertThat(OffsetDateTime.parse(risk.get("reportedAt").asText()).toInstant()).isEqualTo(at(2, 10, 8).toInstant());
        assertThat(risk.get("evidence")).hasSize(2);
        assertThat(risk.get("evidence").get(0).get("name").asText()).isEqualTo("调研台账.pdf");
        assertThat(risk.get("evidence").get(0).get("size").asLong()).isEqualTo(24576);
        assertThat(risk.get("evidence").get(0).get("sha256").asText()).isEqualTo(SHA);
        assertThat(risk.get("evidence").get(0).get("attachmentId").asText()).isEqualTo("att-bf-1");
        assertThat(risk.get("evidence").get(1).get("attachmentId").isNull()).isTrue();

        JsonNode m5 = r.get("measures").get(4);
        assertThat(m5.get("rating").asText()).isEqualTo("AMBER");
        JsonNode cell = m5.get("cells").get(0);
        assertThat(cell.get("ratingReason").asText()).isEqualTo("BUREAU_AT_RISK");
        assertThat(cell.get("bureauStatus").asText()).isEqualTo("AT_RISK");
        assertThat(cell.get("calendarKnown").asBoolean()).isTrue();
        assertThat(r.get("measures").get(2).get("cells").get(0).get("calendarKnown").asBoolean()).isFalse();
        assertThat(r.get("summary").get("ratingCounts").get("RED").asInt()).isEqualTo(1);
        assertThat(r.get("summary").get("ratingCounts").get("AMBER").asInt()).isEqualTo(1);
        assertThat(r.get("summary").get("ratingCounts").get("GREEN").asInt()).isEqualTo(1);
        // school-level KPI values roll up; district names in both languages
        JsonNode hours = null;
        for (JsonNode k : r.get("kpis")) {
            if (k.get("kpiCode").asText().equals("INTERDISCIPLINARY_HOURS_SHARE")) {
                hours = k;
            }
        }
        assertThat(hours.get("schoolCount").asInt()).isEqualTo(1);
        assertThat(hours.get("districts").get(0).get("districtName").asText()).isEqualTo("海淀区");
        assertThat(hours.get("districts").get(0).get("districtNameEn").asText()).isEqualTo("Haidian");

        JsonNode t = getJson("/api/v1/reports/tasks/" + p + "-m5-TSW");
        assertThat(t.get("rating").asText()).isEqualTo("AMBER");
        assertThat(t.get("ratingReason").asText()).isEqualTo("BUREAU_AT_RISK");
        assertThat(t.get("bureauStatus").asText()).isEqualTo("AT_RISK");
        assertThat(t.get("signedBy").asText()).isEqualTo("李明");
        assertThat(OffsetDateTime.parse(t.get("signedAt").asText()).toInstant()).isEqualTo(at(1, 7, 9).toInstant());
        assertThat(t.get("lastReportPeriod").asText()).isEqualTo("2025-Q1");
        assertThat(OffsetDateTime.parse(t.get("lastReportAt").asText()).toInstant()).isEqualTo(at(2, 10, 8).toInstant());
        assertThat(t.get("calendarKnown").asBoolean()).isTrue();
        // the history names the bureau's own person and time of its report, beside the hub's time
        JsonNode reported = t.get("history").get(0);
        assertThat(reported.get("type").asText()).isEqualTo("task.progress-reported");
        assertThat(reported.get("bureauActor").asText()).isEqualTo("王芳");
        assertThat(OffsetDateTime.parse(reported.get("bureauTime").asText()).toInstant())
                .isEqualTo(at(2, 10, 8).toInstant());
        assertThat(reported.get("rating").asText()).isEqualTo("AMBER");
        JsonNode pr = t.get("progress").get(0);
        assertThat(pr.get("status").asText()).isEqualTo("AT_RISK");
        assertThat(pr.get("narrative").asText()).isEqualTo("已完成资源调研");
        assertThat(pr.get("problems").asText()).isEqualTo("两区尚未提供场馆名单");
        assertThat(pr.get("nextSteps").asText()).isEqualTo("3月底前召开推进会");
        assertThat(pr.get("reporter").asText()).isEqualTo("王芳");
        assertThat(pr.get("evidence")).hasSize(2);
        assertThat(pr.get("evidence").get(0).get("sha256").asText()).isEqualTo(SHA);
        assertThat(pr.get("kpiValues")).hasSize(1);
        JsonNode kv = pr.get("kpiValues").get(0);
        assertThat(kv.get("kpiCode").asText()).isEqualTo("INTERDISCIPLINARY_HOURS_SHARE");
        assertThat(kv.get("level").asText()).isEqualTo("SCHOOL");
        assertThat(kv.get("schoolCode").asText()).isEqualTo("S110108001");
        assertThat(kv.get("districtNameEn").asText()).isEqualTo("Haidian");
        assertThat(kv.get("value").asDouble()).isEqualTo(11.5);
    }

    @Test
    void xlsxCsvAndTheCircularListTheTasksAtRiskWithLabelsNotCodes() throws Exception {
        String p = "bureau-fields-exports";
        blockedAndAtRiskTasks(p);
        String q = "/api/v1/reports/joint?policy=" + p + "&period=2025-Q1";
        var xlsx = get(q + "&format=xlsx", liaison());
        assertThat(xlsx.statusCode()).isEqualTo(200);
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            Sheet risk = wb.getSheet("风险任务");
            assertThat(risk).isNotNull();
            List<String> headers = cells(risk.getRow(0));
            assertThat(headers).containsSubsequence("评级", "评级依据", "自评状态", "存在问题", "下一步计划", "填报人", "报送时间",
                    "佐证材料");
            List<String> blocked = cells(risk.getRow(1));
            assertThat(blocked.get(0)).isEqualTo(p + "-m3-SJW");
            assertThat(blocked).contains("滞后", "单位报告工作受阻", "工作受阻", "推进中", "实验室选址需市规划部门批复，工作受阻",
                    "提请市领导协调", "赵强");
            assertThat(blocked.get(headers.indexOf("截止日期"))).isEqualTo("2027-06-30 ⚠ 日历未知");
            List<String> atRisk = cells(risk.getRow(2));
            assertThat(atRisk).contains(p + "-m5-TSW", "预警", "单位报告存在风险", "存在风险", "两区尚未提供场馆名单", "3月底前召开推进会",
                    "王芳");
            assertThat(atRisk.get(headers.indexOf("佐证材料"))).contains("调研台账.pdf (24576 B, sha256 " + SHA + ")")
                    .contains("现场照片.jpg");
            // every status, role, rating and reason is a label, never its code
            for (String name : List.of("按措施", "逾期督办", "风险任务", "指标")) {
                Sheet sh = wb.getSheet(name);
                for (Row row : sh) {
                    for (String c : cells(row)) {
                        assertThat(c).as(name + " " + row.getRowNum()).doesNotContainPattern(RAW_CODE);
                    }
                }
            }
            List<String> m5 = cells(wb.getSheet("按措施").getRow(5));
            assertThat(m5.get(3)).contains("推进中").contains("预警").contains("单位报告存在风险");
        }
        var en = get(q + "&format=xlsx&lang=en", liaison());
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(en.body()))) {
            List<String> row = cells(wb.getSheet("At risk").getRow(2));
            assertThat(row).contains("At risk", "Bureau reports a risk", "In progress");
            assertThat(cells(wb.getSheet("At risk").getRow(0))).contains("Problems", "Next steps", "Evidence");
        }
        String csv = new String(get(q + "&format=csv", liaison()).body(), StandardCharsets.UTF_8);
        assertThat(csv).contains("# 风险任务").contains("两区尚未提供场馆名单").contains("单位报告工作受阻");

        // the circular of the closed quarter lists them with their problems and next steps
        assertThat(post("/api/v1/reports/periods/2025-Q1/close?policy=" + p, liaison(), "application/json", "")
                .statusCode()).isEqualTo(201);
        JsonNode circular = getJson("/api/v1/reports/circulars/2025-Q1?policy=" + p);
        assertThat(circular.get("atRisk")).hasSize(2);
        var docx = get("/api/v1/reports/circulars/2025-Q1?policy=" + p + "&format=docx", liaison());
        try (XWPFDocument doc = new XWPFDocument(new ByteArrayInputStream(docx.body()));
                XWPFWordExtractor x = new XWPFWordExtractor(doc)) {
            String text = x.getText();
            assertThat(text).contains("风险任务").contains("滞后，单位报告工作受阻").contains("自评 工作受阻")
                    .contains("存在问题：实验室选址需市规划部门批复，工作受阻").contains("下一步计划：提请市领导协调")
                    .contains("存在问题：两区尚未提供场馆名单").contains("佐证材料：调研台账.pdf").contains("日历未知");
            assertThat(text).doesNotContainPattern(RAW_CODE);
        }
    }

    @Test
    void aRatingChangedEventAloneChangesTheReport() {
        String p = "rating-changed";
        policyCopy(p);
        int year = LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).getYear();
        String period = String.valueOf(year);
        OffsetDateTime t0 = OffsetDateTime.of(year, 1, 5, 9, 0, 0, 0, ZoneOffset.ofHours(8));
        LocalDate deadline = LocalDate.of(year, 12, 31);
        publish(TaskEvents.task("task.signed-for", p, "rc-m2-SJW", 2, "SJW", "SJW", "SIGNED_FOR", 3, t0)
                .deadline(deadline).rating("GREEN", "ON_TRACK"));
        await("signed for", Duration.ofSeconds(20), () -> eventsApplied(p) == 1);
        String q = "/api/v1/reports/joint?policy=" + p + "&period=" + period;
        assertThat(getJson(q).get("measures").get(1).get("rating").asText()).isEqualTo("GREEN");

        // the deadline scan: the deadline is near, nothing else happened to the task
        publish(TaskEvents.task("task.rating-changed", p, "rc-m2-SJW", 2, "SJW", "SJW", "SIGNED_FOR", 4,
                OffsetDateTime.now(ZoneOffset.UTC)).deadline(deadline).rating("AMBER", "DUE_SOON")
                .reason("GREEN → AMBER (DUE_SOON)"));
        await("rating changed", Duration.ofSeconds(20), () -> "AMBER".equals(
                getJson(q).get("measures").get(1).get("rating").asText()));
        JsonNode r = getJson(q);
        JsonNode cell = r.get("measures").get(1).get("cells").get(0);
        assertThat(cell.get("rating").asText()).isEqualTo("AMBER");
        assertThat(cell.get("ratingReason").asText()).isEqualTo("DUE_SOON");
        assertThat(cell.get("status").asText()).isEqualTo("SIGNED_FOR");
        assertThat(r.get("atRisk")).hasSize(1);
        assertThat(r.get("actions").get(0).get("rating").asText()).isEqualTo("AMBER");
        JsonNode t = getJson("/api/v1/reports/tasks/rc-m2-SJW");
        assertThat(t.get("rating").asText()).isEqualTo("AMBER");
        List<String> types = new ArrayList<>();
        t.get("history").forEach(h -> types.add(h.get("type").asText()));
        assertThat(types).containsExactly("task.signed-for", "task.rating-changed");
    }

    private static List<String> cells(Row row) {
        List<String> out = new ArrayList<>();
        row.forEach(c -> out.add(c.getCellType() == org.apache.poi.ss.usermodel.CellType.NUMERIC
                ? String.valueOf(c.getNumericCellValue()) : c.getStringCellValue()));
        return out;
    }
}
