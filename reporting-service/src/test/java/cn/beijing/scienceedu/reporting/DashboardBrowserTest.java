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
        publish(TaskEvents.task("task.dispatched", P, "dash-m3-SJW", 3, "SJW", "SJW", "DISPATCHED", 2, T0).deadline(yearEnd));
        publish(TaskEvents.task("task.signed-for", P, "dash-m1-SJW", 1, "SJW", "SJW", "SIGNED_FOR", 3, T0).deadline(yearEnd)
                .percent(20));
        publish(TaskEvents.task("task.submitted", P, "dash-m1-SKX", 1, "SKX", "SJW", "SUBMITTED", 6, T0.plusDays(20))
                .deadline(yearEnd).percent(100));
        publish(TaskEvents.task("task.signed-for", P, "dash-m2-SJW", 2, "SJW", "SJW", "SIGNED_FOR", 3, T0)
                .deadline(LocalDate.of(2025, 1, 31)));
        publish(TaskEvents.task("task.progress-reported", P, "dash-m5-TSW", 5, "TSW", "SJW", "IN_PROGRESS", 4, T0)
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
        assertThat(cell.getAttribute("class")).contains("GREY");
        assertThat(driver.findElement(By.id("cell-5-TSW")).getAttribute("class")).contains("AMBER");
        wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return !!window.echarts && document.querySelectorAll('#kpi-charts canvas').length >= 7"));

        // a progress report published while the page is open changes its cell
        long start = System.nanoTime();
        publish(TaskEvents.task("task.progress-reported", P, "dash-m3-SJW", 3, "SJW", "SJW", "IN_PROGRESS", 3,
                T0.plusDays(30)).deadline(yearEnd).messageLog("ml-dash-1")
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
        assertThat(driver.findElement(By.id("task-status")).getText()).isEqualTo("SUBMITTED");
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
        assertThat(driver.findElement(By.xpath("//table[@id='heatmap']/thead//th[text()='SJW']")).getAttribute("title"))
                .isEqualTo("Beijing Municipal Education Commission");
        shot("dashboard-en.png");
        driver.get(url("/dashboard/measures/1?policy=" + P + "&period=2025"));
        wait.until(d -> d.findElements(By.cssSelector("table.list tbody tr")).size() == 2);
        assertThat(driver.findElement(By.cssSelector("table.list tbody")).getText())
                .contains("Beijing Municipal Education Commission").doesNotContain("市教委");
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
