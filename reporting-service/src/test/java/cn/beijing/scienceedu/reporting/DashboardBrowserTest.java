package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import cn.beijing.scienceedu.testsupport.TestTokens;

/**
 * The dashboard in real headless Chromium (Debian's chromium and chromium-driver). The browser reaches
 * the service the way it would through the gateway: every request carries the liaison's bearer token,
 * injected by Chrome DevTools {@code Network.setExtraHTTPHeaders} (no test-only code path in the
 * service). Liaison actions go to the task API base, here a recording HTTP endpoint standing in for
 * gateway + task-service.
 */
class DashboardBrowserTest extends ReportingTestBase {

    private static final String P = "dashboard";
    private static final OffsetDateTime T0 = OffsetDateTime.of(2025, 1, 6, 9, 0, 0, 0, ZoneOffset.ofHours(8));
    private static final Path SHOTS = Path.of("target", "screenshots");

    private ChromeDriver driver;
    private final String token = TestTokens.liaison("liaison-zhang");

    @BeforeEach
    void browser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=zh-CN",
                "--user-data-dir=" + Files.createTempDirectory("reporting-chrome").toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1366, 768));
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setExtraHTTPHeaders",
                Map.of("headers", Map.of("Authorization", TestTokens.bearer(token))));
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void heatMapShowsTwentyMeasuresAndAProgressReportChangesItsCell() throws Exception {
        policyCopy(P);
        LocalDate yearEnd = LocalDate.of(2025, 12, 31);
        // every event carries the task-service's rating (the one rule); the dashboard shows it, never its own
        publish(TaskEvents.task("task.dispatched", P, "dash-m3-SJW", 3, "SJW", "SJW", "DISPATCHED", 2, T0).deadline(yearEnd)
                .rating("GREEN", "ON_TRACK"));
        publish(TaskEvents.task("task.signed-for", P, "dash-m1-SJW", 1, "SJW", "SJW", "SIGNED_FOR", 3, T0).deadline(yearEnd)
                .percent(20).rating("GREEN", "ON_TRACK"));
        publish(TaskEvents.task("task.submitted", P, "dash-m1-SKX", 1, "SKX", "SJW", "SUBMITTED", 6, T0.plusDays(20))
                .deadline(yearEnd).percent(100).rating("GREEN", "DONE"));
        publish(TaskEvents.task("task.signed-for", P, "dash-m2-SJW", 2, "SJW", "SJW", "SIGNED_FOR", 3, T0)
                .deadline(LocalDate.of(2025, 1, 31)).rating("GREEN", "ON_TRACK"));
        publish(TaskEvents.task("task.progress-reported", P, "dash-m5-TSW", 5, "TSW", "SJW", "IN_PROGRESS", 4, T0)
                .rating("AMBER", "BUREAU_AT_RISK").bureauStatus("AT_RISK")
                .deadline(yearEnd).progress("dash-pr-0", "2025-01", "AT_RISK", 35, "进度偏慢", List.of(
                        TaskEvents.kpi("INTERDISCIPLINARY_HOURS_SHARE", 12, "SCHOOL", "110101", "S110101001"),
                        TaskEvents.kpi("INTERDISCIPLINARY_HOURS_SHARE", 9, "SCHOOL", "110101", "S110101002"),
                        TaskEvents.kpi("INTERDISCIPLINARY_HOURS_SHARE", 11, "SCHOOL", "110108", "S110108001"),
                        TaskEvents.kpi("PRIMARY_STEM_MASTER_TEACHERS", 1, "SCHOOL", "110108", "S110108001"),
                        TaskEvents.kpi("PRIMARY_STEM_MASTER_TEACHERS", 0, "SCHOOL", "110105", "S110105001"),
                        TaskEvents.kpi("LAB_EQUIPMENT_COMPLIANCE_RATE", 92, "DISTRICT", "110105", null),
                        TaskEvents.kpi("LAB_EQUIPMENT_COMPLIANCE_RATE", 97, "DISTRICT", "110108", null),
                        TaskEvents.kpi("SCIENCE_EDUCATION_BRANDS", 36, "CITY", null, null))));
        publish("hub.delivery-events", "delivery.parked", parked("dash-m1-SKX"));
        await("dashboard scenario", Duration.ofSeconds(20), () -> eventsApplied(P) == 5 && jdbc.sql(
                "select count(*) from delivery_parked where task_id = 'dash-m1-SKX'").query(Integer.class).single() == 1);

        driver.get(url("/dashboard?policy=" + P + "&period=2025"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.until(d -> d.findElements(By.id("heatmap")).size() == 1);
        List<WebElement> rows = driver.findElements(By.cssSelector("#heatmap tbody tr.heat-row"));
        assertThat(rows).hasSize(20);
        assertThat(driver.findElements(By.cssSelector("#heatmap thead th.ucol"))).hasSize(17);
        assertThat(driver.findElement(By.tagName("h2")).getText()).isEqualTo("措施 × 责任单位 状态热力图");
        WebElement cell = driver.findElement(By.id("cell-3-SJW"));
        assertThat(cell.getText()).isEqualTo("0%");
        // the task-service rates a dispatched task in time GREEN (reporting used to show its own GREY here)
        assertThat(cell.getAttribute("class")).contains("GREEN");
        assertThat(cell.getAttribute("title")).contains("已下发").doesNotContain("DISPATCHED");
        assertThat(driver.findElement(By.id("cell-5-TSW")).getAttribute("class")).contains("AMBER");
        wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return !!window.echarts && document.querySelectorAll('#kpi-charts canvas').length >= 7"));

        // a progress report published while the page is open changes its cell
        long start = System.nanoTime();
        publish(TaskEvents.task("task.progress-reported", P, "dash-m3-SJW", 3, "SJW", "SJW", "IN_PROGRESS", 3,
                T0.plusDays(30)).deadline(yearEnd).messageLog("ml-dash-1").rating("GREEN", "ON_TRACK")
                .progress("dash-pr-1", "2025-02", "ON_TRACK", 65, "跨学科主题学习已在12所学校试点", null));
        new WebDriverWait(driver, Duration.ofSeconds(15)).pollingEvery(Duration.ofMillis(100))
                .until(d -> "65%".equals(d.findElement(By.id("cell-3-SJW")).getText()));
        long visibleMs = (System.nanoTime() - start) / 1_000_000;
        System.out.println("freshness publish→visible on the dashboard: " + visibleMs + " ms (page polls every 1 s)");
        assertThat(driver.findElement(By.id("cell-3-SJW")).getAttribute("class")).contains("GREEN");
        shot("dashboard.png");
        assertThat(driver.findElement(By.id("cell-4-SJW")).getAttribute("class")).contains("pending");
        ((JavascriptExecutor) driver).executeScript("document.getElementById('kpi-charts').scrollIntoView()");
        shot("dashboard-kpis.png");

        // the urging button in the overdue list calls the task API with the liaison's token
        int before = RECORDER.requests().size();
        driver.findElement(By.cssSelector("#overdue button.urge[data-task-id='dash-m2-SJW']")).click();
        await("urge recorded", Duration.ofSeconds(10), () -> RECORDER.requests().size() > before);
        ActionRecorder.Recorded urge = RECORDER.requests().get(RECORDER.requests().size() - 1);
        assertThat(urge.method()).isEqualTo("POST");
        assertThat(urge.path()).isEqualTo("/api/v1/tasks/dash-m2-SJW/urge");
        assertThat(urge.authorization()).isEqualTo(TestTokens.bearer(token));
        assertThat(urge.idempotencyKey()).isNotBlank();

        // drill down to the measure: the lead unit first, then its cooperating units
        driver.findElement(By.cssSelector("#heatmap tr[data-measure='1'] th a")).click();
        wait.until(d -> d.findElement(By.tagName("h1")).getText().contains("健全科学课程体系"));
        List<WebElement> taskRows = driver.findElements(By.cssSelector("table.list tbody tr"));
        assertThat(taskRows).hasSize(2);
        assertThat(taskRows.get(0).getText()).contains("市教委").contains("牵头");
        assertThat(taskRows.get(1).getText()).contains("市科协").contains("配合");

        // drill down to the task: history, progress, and the liaison's actions
        driver.get(url("/dashboard/tasks/dash-m1-SKX?policy=" + P + "&period=2025"));
        wait.until(d -> d.findElements(By.id("liaison-actions")).size() == 1);
        assertThat(driver.findElement(By.id("task-status")).getText()).isEqualTo("已报送成果");
        assertThat(driver.findElement(By.id("parked")).getText()).contains("dlv-1").contains("SFTP 目录不可写");
        int before2 = RECORDER.requests().size();
        driver.findElement(By.id("return-reason")).sendKeys("佐证材料不全，请补充");
        driver.findElement(By.id("act-return")).click();
        await("return recorded", Duration.ofSeconds(10), () -> RECORDER.requests().size() > before2);
        ActionRecorder.Recorded ret = RECORDER.requests().get(RECORDER.requests().size() - 1);
        assertThat(ret.path()).isEqualTo("/api/v1/tasks/dash-m1-SKX/return");
        assertThat(JSON.readTree(ret.body()).get("reason").asText()).isEqualTo("佐证材料不全，请补充");
        int before3 = RECORDER.requests().size();
        driver.findElement(By.id("act-accept")).click();
        await("accept recorded", Duration.ofSeconds(10), () -> RECORDER.requests().size() > before3);
        assertThat(RECORDER.requests().get(RECORDER.requests().size() - 1).path())
                .isEqualTo("/api/v1/tasks/dash-m1-SKX/accept");
        wait.until(d -> d.findElement(By.id("action-result")).getText().contains("200"));
        shot("task.png");

        // English on request
        driver.get(url("/dashboard?policy=" + P + "&period=2025&lang=en"));
        wait.until(d -> d.findElements(By.id("heatmap")).size() == 1);
        assertThat(driver.findElement(By.tagName("h2")).getText()).isEqualTo("Measures × responsible units: status heat map");
        // unit names in English everywhere, the overdue and urging list included
        WebElement overdueRow = driver.findElement(By.cssSelector("#overdue tbody tr[data-task-id='dash-m2-SJW']"));
        assertThat(overdueRow.findElement(By.cssSelector("td.unit")).getText())
                .isEqualTo("Beijing Municipal Education Commission");
        assertThat(driver.findElement(By.id("overdue")).getText()).doesNotContainPattern("\\p{IsHan}");
        // the heat map's columns name the units in English (short), the full name as the tooltip
        WebElement sjwColumn = driver.findElement(By.cssSelector("#heatmap thead th[data-unit='SJW']"));
        assertThat(sjwColumn.getText()).isEqualTo("Education Commission");
        assertThat(sjwColumn.getAttribute("title")).isEqualTo("Beijing Municipal Education Commission");
        assertThat(driver.findElement(By.cssSelector("#heatmap thead")).getText()).doesNotContainPattern("\\p{IsHan}");
        shot("dashboard-en.png");
        driver.get(url("/dashboard/measures/1?policy=" + P + "&period=2025"));
        wait.until(d -> d.findElements(By.cssSelector("table.list tbody tr")).size() == 2);
        assertThat(driver.findElement(By.cssSelector("table.list tbody")).getText())
                .contains("Beijing Municipal Education Commission").doesNotContain("市教委");
    }

    /** Codes the Chinese pages must never show as they are (statuses, ratings, reasons, roles, kinds). */
    private static final java.util.regex.Pattern RAW_CODE = java.util.regex.Pattern.compile(
            "\\b(PLANNED|DISPATCHED|DELIVERED|SIGNED_FOR|IN_PROGRESS|SUBMITTED|ACCEPTED|RETURNED|CANCELLED|GREEN|AMBER"
                    + "|RED|GREY|ON_TRACK|AT_RISK|DELAYED|BLOCKED|COMPLETED|BUREAU_[A-Z_]+|DUE_SOON|BEHIND|OVERDUE|LEAD"
                    + "|COOPERATING|SCHOOL|DISTRICT|CITY|PENDING|APPROVED|REJECTED|task\\.[a-z-]+)\\b");

    private static final String SHA = "3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea";

    @Test
    void aTaskAtRiskShowsWhatItsBureauSaidInChineseAndEnglishAndAClosedQuarterStaysFrozen() throws Exception {
        String p2 = "dashboard-risk";
        policyCopy(p2);
        OffsetDateTime signedAt = OffsetDateTime.of(2025, 1, 7, 9, 0, 0, 0, ZoneOffset.ofHours(8));
        OffsetDateTime reportedAt = OffsetDateTime.of(2025, 2, 10, 16, 30, 0, 0, ZoneOffset.ofHours(8));
        LocalDate yearEnd = LocalDate.of(2025, 12, 31);
        publish(TaskEvents.task("task.signed-for", p2, "risk-m5-TSW", 5, "TSW", "SJW", "SIGNED_FOR", 3, signedAt)
                .deadline(yearEnd).rating("GREEN", "ON_TRACK").signed("李明", signedAt));
        publish(TaskEvents.task("task.progress-reported", p2, "risk-m5-TSW", 5, "TSW", "SJW", "IN_PROGRESS", 4,
                reportedAt).deadline(yearEnd).rating("AMBER", "BUREAU_AT_RISK").bureauStatus("AT_RISK")
                .signed("李明", signedAt).lastReport("2025-Q1", reportedAt).messageLog("ml-risk-1")
                .progress("risk-pr-1", "2025-Q1", "AT_RISK", 40, "已完成12所学校科学教育资源调研",
                        List.of(TaskEvents.kpi("INTERDISCIPLINARY_HOURS_SHARE", 11.5, "SCHOOL", "110108", "S110108001"),
                                TaskEvents.kpi("INTERDISCIPLINARY_HOURS_SHARE", 8, "SCHOOL", "110105", "S110105001")))
                .said("场馆资源对接进度慢，两区尚未提供名单", "3月底前完成剩余区的资源清单并召开推进会", "王芳", reportedAt)
                .evidence("资源调研台账.pdf", "application/pdf", 24576, SHA, "att-risk-1"));
        // a deadline in 2027, a year the calendar does not know yet
        publish(TaskEvents.task("task.dispatched", p2, "risk-m3-SJW", 3, "SJW", "SJW", "DISPATCHED", 2, T0)
                .deadline(LocalDate.of(2027, 3, 31)).rating("GREEN", "ON_TRACK").calendarKnown(false));
        // the task-service's deadline scan: behind the time elapsed, nothing else happened to the task
        publish(TaskEvents.task("task.rating-changed", p2, "risk-m3-SJW", 3, "SJW", "SJW", "DISPATCHED", 3,
                T0.plusMonths(5)).deadline(LocalDate.of(2027, 3, 31)).rating("AMBER", "BEHIND").calendarKnown(false)
                .reason("GREEN → AMBER (BEHIND)"));
        await("risk scenario", Duration.ofSeconds(20), () -> eventsApplied(p2) == 4);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));

        // the dashboard: an AMBER cell, the task among those at risk with its problems, the calendar flag
        driver.get(url("/dashboard?policy=" + p2 + "&period=2025&lang=zh"));
        wait.until(d -> d.findElements(By.id("heatmap")).size() == 1);
        assertThat(driver.findElement(By.id("cell-5-TSW")).getAttribute("class")).contains("AMBER");
        assertThat(driver.findElement(By.id("cell-5-TSW")).getAttribute("title")).contains("推进中").contains("预警")
                .contains("单位报告存在风险");
        assertThat(driver.findElements(By.cssSelector("#cell-3-SJW span.cal"))).hasSize(1);
        assertThat(driver.findElement(By.id("cell-3-SJW")).getAttribute("class")).contains("AMBER");
        WebElement risk = driver.findElement(By.cssSelector("#at-risk tbody tr[data-task-id='risk-m5-TSW']"));
        assertThat(risk.getText()).contains("预警").contains("单位报告存在风险").contains("存在风险")
                .contains("场馆资源对接进度慢").contains("3月底前完成剩余区的资源清单");
        for (WebElement table : driver.findElements(By.cssSelector("main table.list"))) {
            assertThat(table.getText()).doesNotContainPattern(RAW_CODE);
        }
        shot("dashboard-at-risk.png");

        // the task page: the last report whole, the bureau's own times, the evidence and the school-level KPIs
        driver.get(url("/dashboard/tasks/risk-m5-TSW?policy=" + p2 + "&period=2025&lang=zh"));
        wait.until(d -> d.findElements(By.id("last-report")).size() == 1);
        assertThat(driver.findElement(By.id("task-status")).getText()).isEqualTo("推进中");
        assertThat(driver.findElement(By.id("task-rating")).getText()).contains("预警").contains("单位报告存在风险");
        assertThat(driver.findElement(By.id("task-bureau-status")).getText()).isEqualTo("存在风险");
        assertThat(driver.findElement(By.id("task-signed-by")).getText()).isEqualTo("李明");
        assertThat(driver.findElement(By.id("task-signed-at")).getText()).isEqualTo("2025-01-07 09:00:00");
        assertThat(driver.findElement(By.id("last-narrative")).getText()).isEqualTo("已完成12所学校科学教育资源调研");
        assertThat(driver.findElement(By.id("last-problems")).getText()).isEqualTo("场馆资源对接进度慢，两区尚未提供名单");
        assertThat(driver.findElement(By.id("last-next-steps")).getText()).isEqualTo("3月底前完成剩余区的资源清单并召开推进会");
        assertThat(driver.findElement(By.id("last-status")).getText()).isEqualTo("存在风险");
        assertThat(driver.findElement(By.id("last-reporter")).getText()).isEqualTo("王芳");
        assertThat(driver.findElement(By.id("last-reported-at")).getText()).isEqualTo("2025-02-10 16:30:00");
        WebElement signedRow = driver.findElements(By.cssSelector("#history tbody tr")).get(0);
        assertThat(signedRow.getText()).contains("签收").contains("李明").contains("2025-01-07 09:00:00");
        WebElement evidence = driver.findElement(By.cssSelector("#evidence tbody tr"));
        assertThat(evidence.getText()).contains("资源调研台账.pdf").contains("24576").contains(SHA);
        List<WebElement> kpis = driver.findElements(By.cssSelector("#last-kpis tbody tr"));
        assertThat(kpis).hasSize(2);
        assertThat(kpis.get(0).getText()).contains("各门课程用于跨学科主题学习的课时占比").contains("学校").contains("海淀区")
                .contains("11.5");
        for (WebElement table : driver.findElements(By.cssSelector("main table"))) {
            assertThat(table.getText()).as("a table of the Chinese task page").doesNotContainPattern(RAW_CODE);
        }
        shot("task-at-risk.png");

        // the deadline the calendar does not know is flagged on its task page
        driver.get(url("/dashboard/tasks/risk-m3-SJW?policy=" + p2 + "&period=2025"));
        wait.until(d -> d.findElements(By.id("task-deadline")).size() == 1);
        assertThat(driver.findElement(By.id("calendar-unknown")).getText()).isEqualTo("⚠ 日历未知");
        WebElement ratingChange = driver.findElements(By.cssSelector("#history tbody tr")).get(1);
        assertThat(ratingChange.getText()).contains("评级变化（随时间）").contains("预警 · 进度落后于时间");
        for (WebElement table : driver.findElements(By.cssSelector("main table"))) {
            assertThat(table.getText()).doesNotContainPattern(RAW_CODE);
        }

        // English: the same, in English labels, district names included
        driver.get(url("/dashboard/tasks/risk-m5-TSW?policy=" + p2 + "&period=2025&lang=en"));
        wait.until(d -> d.findElements(By.id("last-report")).size() == 1);
        assertThat(driver.findElement(By.id("task-status")).getText()).isEqualTo("In progress");
        assertThat(driver.findElement(By.id("task-rating")).getText()).contains("At risk").contains("Bureau reports a risk");
        assertThat(driver.findElement(By.id("last-status")).getText()).isEqualTo("At risk");
        assertThat(driver.findElement(By.id("last-problems")).getText()).isEqualTo("场馆资源对接进度慢，两区尚未提供名单");
        assertThat(driver.findElement(By.cssSelector("#evidence tbody tr")).getText()).contains(SHA);
        assertThat(driver.findElement(By.cssSelector("#last-kpis tbody tr")).getText()).contains("Haidian")
                .contains("School").contains("interdisciplinary").doesNotContain("海淀");
        driver.get(url("/dashboard/tasks/risk-m3-SJW?policy=" + p2 + "&period=2025&lang=en"));
        wait.until(d -> d.findElements(By.id("task-deadline")).size() == 1);
        assertThat(driver.findElement(By.id("calendar-unknown")).getText()).isEqualTo("⚠ calendar not loaded");
        // the KPI charts' axes name the districts in English
        driver.get(url("/dashboard?policy=" + p2 + "&period=2025&lang=en"));
        wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return !!window.echarts && document.querySelectorAll('#kpi-charts canvas').length >= 7"));
        Object axis = ((JavascriptExecutor) driver).executeScript(
                "return echarts.getInstanceByDom(document.getElementById('kpi-INTERDISCIPLINARY_HOURS_SHARE'))"
                        + ".getOption().xAxis[0].data.join('|')");
        assertThat(String.valueOf(axis)).contains("Chaoyang").contains("Haidian").doesNotContainPattern("\\p{IsHan}");
        shot("task-at-risk-en.png");

        // close the first quarter, then a report of the second: the closed quarter's measure page stays as frozen
        var closed = post("/api/v1/reports/periods/2025-Q1/close?policy=" + p2, liaison(), "application/json", "");
        assertThat(closed.statusCode()).isEqualTo(201);
        OffsetDateTime may = OffsetDateTime.of(2025, 5, 6, 10, 0, 0, 0, ZoneOffset.ofHours(8));
        publish(TaskEvents.task("task.progress-reported", p2, "risk-m5-TSW", 5, "TSW", "SJW", "IN_PROGRESS", 5, may)
                .deadline(yearEnd).rating("GREEN", "ON_TRACK").bureauStatus("ON_TRACK")
                .progress("risk-pr-2", "2025-Q2", "ON_TRACK", 80, "资源清单已完成", null)
                .said("无", "推进场馆课程开发", "王芳", may));
        await("second report", Duration.ofSeconds(20), () -> eventsApplied(p2) == 5);
        driver.get(url("/dashboard/measures/5?policy=" + p2 + "&period=2025-Q1&lang=zh"));
        wait.until(d -> d.findElements(By.id("frozen")).size() == 1);
        WebElement frozenRow = driver.findElement(By.cssSelector("table.list tbody tr[data-task-id='risk-m5-TSW']"));
        assertThat(frozenRow.getText()).contains("推进中").contains("预警").contains("40%").contains("场馆资源对接进度慢")
                .doesNotContain("80%");
        assertThat(driver.findElement(By.cssSelector("table.list")).getText()).doesNotContainPattern(RAW_CODE);
        shot("measure-frozen.png");
        // the open year shows the task as it is now
        driver.get(url("/dashboard/measures/5?policy=" + p2 + "&period=2025&lang=zh"));
        wait.until(d -> d.findElements(By.cssSelector("table.list tbody tr[data-task-id='risk-m5-TSW']")).size() == 1);
        assertThat(driver.findElements(By.id("frozen"))).isEmpty();
        assertThat(driver.findElement(By.cssSelector("table.list tbody tr[data-task-id='risk-m5-TSW']")).getText())
                .contains("80%").contains("正常");
    }

    private static String parked(String taskId) {
        return "{\"specversion\":\"1.0\",\"id\":\"parked-" + taskId + "\",\"source\":\"/bureau-adapters\","
                + "\"type\":\"cn.beijing.scienceedu.hub.delivery.parked.v1\",\"time\":\"2025-01-27T01:00:00Z\","
                + "\"subject\":\"" + taskId + "\",\"datacontenttype\":\"application/json\",\"messagelogid\":\"ml-dlv-1\","
                + "\"data\":{\"deliveryId\":\"dlv-1\",\"sourceEventId\":\"e-1\",\"taskId\":\"" + taskId + "\","
                + "\"unitCode\":\"SKX\",\"protocol\":\"SFTP\",\"messageKind\":\"RETURN\",\"outcome\":\"PARKED\","
                + "\"attempts\":8,\"reason\":\"SFTP 目录不可写\",\"messageLogId\":\"ml-dlv-1\",\"at\":\"2025-01-27T01:00:00Z\"}}";
    }

    private void shot(String name) throws Exception {
        File f = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
