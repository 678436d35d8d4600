package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.xwpf.extractor.XWPFWordExtractor;
import org.apache.poi.xwpf.model.XWPFHeaderFooterPolicy;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFHeader;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import cn.beijing.scienceedu.contracts.catalogue.Catalogues;
import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;

/**
 * The circular (情况通报) as a liaison works with it, in real headless Chromium (the token injected as the gateway
 * would, {@code Network.setExtraHTTPHeaders}; downloads into a directory of the test through CDP): the draft of an
 * open period, the frozen circular after the close, no dashboard link that ends in a problem document, and errors a
 * browser reaches as pages in the dashboard's language while API clients get problem details.
 */
class CircularDraftBrowserTest extends ReportingTestBase {

    /** What Chromium sends when it follows a link (its navigation {@code Accept}). */
    private static final String NAV_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
            + "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7";
    private static final OffsetDateTime T0 = OffsetDateTime.of(2025, 1, 6, 9, 0, 0, 0, ZoneOffset.ofHours(8));
    private static final LocalDate YEAR_END = LocalDate.of(2025, 12, 31);
    private static final String PROBLEMS = "两区场馆资源名单尚未报送，课程对接滞后";
    private static final String NEXT_STEPS = "3月底前召开推进会并完成剩余区的资源清单";

    private ChromeDriver driver;
    private Path downloads;
    private final String token = TestTokens.liaison("liaison-zhou");

    @BeforeEach
    void browser() throws Exception {
        downloads = Files.createTempDirectory("reporting-downloads");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=zh-CN",
                "--user-data-dir=" + Files.createTempDirectory("reporting-chrome").toAbsolutePath());
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false, "safebrowsing.enabled", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1366, 768));
        driver.executeCdpCommand("Network.enable", Map.of());
        withToken(token);
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void theDraftLinkOfAnOpenPeriodDownloadsAMarkedDraftOfItsFiguresAndAfterTheCloseTheFrozenCircular() throws Exception {
        String p = "circular-draft";
        policyCopy(p);
        scenario(p);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));

        // English first: the header names the draft in English
        driver.get(url("/dashboard?policy=" + p + "&period=2025-Q1&lang=en"));
        wait.until(d -> d.findElements(By.id("heatmap")).size() == 1);
        assertThat(driver.findElement(By.id("export-circular-draft-docx")).getText()).isEqualTo("Circular, draft (DOCX)");
        assertThat(driver.findElement(By.id("export-circular-draft-pdf")).getText()).isEqualTo("Circular, draft (PDF)");
        assertThat(driver.findElements(By.id("export-circular-docx"))).isEmpty();

        // the open quarter in Chinese: the draft is offered (草稿), the final circular is not
        driver.get(url("/dashboard?policy=" + p + "&period=2025-Q1&lang=zh"));
        wait.until(d -> d.findElements(By.id("heatmap")).size() == 1);
        WebElement draftLink = driver.findElement(By.id("export-circular-draft-docx"));
        assertThat(draftLink.getText()).isEqualTo("情况通报草稿（DOCX）");
        assertThat(draftLink.getAttribute("title")).contains("尚未关账").contains("草稿");
        assertThat(driver.findElement(By.id("export-circular-draft-pdf")).getText()).isEqualTo("情况通报草稿（PDF）");
        assertThat(driver.findElements(By.id("export-circular-docx"))).isEmpty();
        assertThat(driver.findElements(By.id("export-circular-pdf"))).isEmpty();

        byte[] draftDocx = download(By.id("export-circular-draft-docx"), ".docx");
        JsonNode draftJson = getJson("/api/v1/reports/circulars/2025-Q1/draft?policy=" + p);
        JsonNode report = getJson("/api/v1/reports/joint?policy=" + p + "&period=2025-Q1");
        assertThat(draftJson.get("draft").asBoolean()).isTrue();
        assertThat(draftJson.get("asOf").isNull()).isFalse();
        assertThat(draftJson.get("closedAt").isNull()).isTrue();
        assertThat(draftJson.get("entries")).hasSize(3);
        List<List<String>> draftRows;
        try (XWPFDocument doc = new XWPFDocument(new ByteArrayInputStream(draftDocx));
                XWPFWordExtractor x = new XWPFWordExtractor(doc)) {
            String text = x.getText();
            assertThat(text).contains("草稿 / DRAFT").contains("（草稿）").contains("非正式通报").doesNotContain("关于关于")
                    .contains(PROBLEMS).contains(NEXT_STEPS).contains("风险任务");
            assertEveryPageMarked(doc);
            draftRows = rows(doc);
        }
        // the period's figures: the draft's rows are its JSON's entries, each unit's counts the report's
        assertThat(draftRows).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode e = draftJson.get("entries").get(i);
            List<String> row = draftRows.get(i);
            assertThat(row.get(0)).isEqualTo(e.get("rank").asText());
            assertThat(row.get(1)).isEqualTo(e.get("shortName").asText());
            JsonNode unit = unit(report, e.get("unitCode").asText());
            assertThat(row.get(2)).isEqualTo(unit.get("taskCount").asText());
            assertThat(row.get(5)).isEqualTo(unit.get("overdueCount").asText());
            assertThat(Double.parseDouble(row.get(7))).isEqualTo(e.get("score").asDouble());
        }
        // the overdue SKX task costs its unit 2 points: 60 + 20 × 0 (not signed for) + 20 × 0 − 2 = 58
        assertThat(draftRows).anySatisfy(r -> assertThat(r.subList(1, 8)).containsExactly(
                shortName("SKX"), "1", "0", "0", "1", "0", "58"));
        // never stored as the period's circular
        assertThat(closedRows(p, "2025-Q1")).isZero();

        // the close; the page opened before it still has the draft link: it now gives the frozen circular
        assertThat(post("/api/v1/reports/periods/2025-Q1/close?policy=" + p, liaison(), "application/json", "")
                .statusCode()).isEqualTo(201);
        byte[] stored = jdbc.sql("select circular_docx from period_snapshot where policy_id = :p and period = '2025-Q1'")
                .param("p", p).query(byte[].class).single();
        byte[] viaOldLink = download(By.id("export-circular-draft-docx"), ".docx");
        assertThat(viaOldLink).isEqualTo(stored);
        try (XWPFDocument doc = new XWPFDocument(new ByteArrayInputStream(stored));
                XWPFWordExtractor x = new XWPFWordExtractor(doc)) {
            assertThat(x.getText()).doesNotContain("草稿").doesNotContain("DRAFT").contains("关账时间").contains(PROBLEMS);
            // same template and scoring: the final ranks the units exactly as the draft did
            assertThat(rows(doc)).isEqualTo(draftRows);
        }

        // the page reloaded: 正式, the draft no longer offered; its link gives the stored circular byte for byte
        driver.get(url("/dashboard?policy=" + p + "&period=2025-Q1"));
        wait.until(d -> d.findElements(By.id("heatmap")).size() == 1);
        assertThat(driver.findElements(By.id("export-circular-draft-docx"))).isEmpty();
        assertThat(driver.findElements(By.id("export-circular-draft-pdf"))).isEmpty();
        assertThat(driver.findElement(By.id("export-circular-docx")).getText()).isEqualTo("情况通报正式稿（DOCX）");
        assertThat(driver.findElement(By.id("export-circular-pdf")).getText()).isEqualTo("情况通报正式稿（PDF）");
        assertThat(download(By.id("export-circular-docx"), ".docx")).isEqualTo(stored);
        byte[] finalPdf = download(By.id("export-circular-pdf"), ".pdf");
        try (PDDocument pdf = Loader.loadPDF(finalPdf)) {
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text).contains("正式通报").contains(PROBLEMS).doesNotContain("草稿").doesNotContain("DRAFT");
        }
        // the draft API of a closed period points at the frozen circular
        HttpResponse<byte[]> gone = get("/api/v1/reports/circulars/2025-Q1/draft?policy=" + p + "&format=docx", liaison());
        assertThat(gone.statusCode()).isEqualTo(303);
        assertThat(gone.headers().firstValue("Location").orElse(""))
                .isEqualTo("/api/v1/reports/circulars/2025-Q1?policy=" + p + "&format=docx");
        driver.get(url("/dashboard?policy=" + p + "&period=2025-Q1&lang=en"));
        wait.until(d -> d.findElements(By.id("heatmap")).size() == 1);
        assertThat(driver.findElement(By.id("export-circular-docx")).getText()).isEqualTo("Circular, final (DOCX)");
    }

    @Test
    void theDraftPdfCarriesTheDraftMarkOnEveryPage() throws Exception {
        String p = "circular-draft-pdf";
        policyCopy(p);
        // enough tasks at risk, each with its problems and next steps, for several pages
        Policy policy = Catalogues.defaultPolicy();
        int n = 0;
        for (Measure m : policy.getMeasures()) {
            for (String unit : m.getUnitCodes()) {
                if (n == 30) {
                    break;
                }
                n++;
                OffsetDateTime at = T0.plusDays(20 + n % 10);
                publish(TaskEvents.task("task.progress-reported", p, p + "-" + m.getNo() + "-" + unit, m.getNo(), unit,
                        m.getLeadUnitCode(), "IN_PROGRESS", 4, at).deadline(YEAR_END)
                        .rating(n % 3 == 0 ? "RED" : "AMBER", "BUREAU_AT_RISK").bureauStatus("AT_RISK")
                        .progress("pr-" + p + "-" + n, "2025-Q1", "AT_RISK", 20 + n, "第" + n + "项：已开展调研与试点", null)
                        .said(PROBLEMS + "（第" + n + "项）：经费拨付和场地协调需要进一步推进，部分学校师资不足。",
                                NEXT_STEPS + "（第" + n + "项），并于下月报送进展。", "联络员" + n, at));
            }
        }
        int tasks = n;
        await("30 tasks at risk", Duration.ofSeconds(30), () -> eventsApplied(p) == tasks);

        driver.get(url("/dashboard?policy=" + p + "&period=2025-Q1"));
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.findElements(By.id("heatmap")).size() == 1);
        byte[] pdf = download(By.id("export-circular-draft-pdf"), ".pdf");
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertThat(doc.getNumberOfPages()).as("pages of the draft").isGreaterThanOrEqualTo(3);
            for (int page = 1; page <= doc.getNumberOfPages(); page++) {
                PDFTextStripper s = new PDFTextStripper();
                s.setStartPage(page);
                s.setEndPage(page);
                String text = s.getText(doc);
                assertThat(text).as("page " + page + " of " + doc.getNumberOfPages()).contains("草稿 / DRAFT")
                        .contains("非正式通报").contains("第 " + page + " 页");
            }
            String all = new PDFTextStripper().getText(doc);
            assertThat(all).contains("（草稿）").contains("（第30项）").contains("排名");
        }
        // the DOCX of the same draft: the mark in every header its one section has
        byte[] docx = download(By.id("export-circular-draft-docx"), ".docx");
        try (XWPFDocument doc = new XWPFDocument(new ByteArrayInputStream(docx))) {
            assertEveryPageMarked(doc);
        }
        assertThat(closedRows(p, "2025-Q1")).isZero();
    }

    @Test
    void noDashboardLinkAnswersWithAProblemDocumentInEitherLanguage() throws Exception {
        String p = "circular-crawl";
        policyCopy(p);
        scenario(p);
        assertThat(post("/api/v1/reports/periods/2025-Q1/close?policy=" + p, liaison(), "application/json", "")
                .statusCode()).isEqualTo(201);
        driver.get(url("/dashboard?policy=" + p + "&period=2025"));
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.findElements(By.id("heatmap")).size() == 1);

        List<Map<String, Object>> all = new ArrayList<>();
        Map<String, Integer> perStart = new HashMap<>();
        for (String lang : List.of("zh", "en")) {
            for (String period : List.of("2025", "2025-Q1")) {
                String start = url("/dashboard?policy=" + p + "&period=" + period + "&lang=" + lang);
                List<Map<String, Object>> got = crawl(start);
                perStart.put(lang + " " + period, got.size());
                all.addAll(got);
                List<String> bad = got.stream()
                        .filter(r -> ((Number) r.get("status")).intValue() >= 400
                                || String.valueOf(r.get("type")).contains("problem+json"))
                        .map(r -> r.get("status") + " " + r.get("type") + " " + r.get("url")).toList();
                assertThat(bad).as("links of " + start + " answering an error or a problem document").isEmpty();
                List<String> urls = got.stream().map(r -> (String) r.get("url")).toList();
                if ("2025".equals(period)) {
                    // the open year offers the draft, never the final circular
                    assertThat(urls).anyMatch(u -> u.contains("/circulars/2025/draft?") && u.contains("format=docx"))
                            .anyMatch(u -> u.contains("/circulars/2025/draft?") && u.contains("format=pdf"))
                            .noneMatch(u -> u.contains("/circulars/2025?"));
                } else {
                    assertThat(urls).anyMatch(u -> u.contains("/circulars/2025-Q1?") && u.contains("format=docx"))
                            .anyMatch(u -> u.contains("/circulars/2025-Q1?") && u.contains("format=pdf"))
                            .noneMatch(u -> u.contains("/circulars/2025-Q1/draft"));
                }
                assertThat(urls).anyMatch(u -> u.contains("/dashboard/measures/"))
                        .anyMatch(u -> u.contains("/dashboard/tasks/"))
                        .anyMatch(u -> u.contains("/api/v1/reports/joint?") && u.contains("format=xlsx"));
            }
        }
        System.out.println("dashboard links crawled (per start page): " + perStart + ", " + all.size() + " in all");
        assertThat(all.size()).isGreaterThan(100);
        assertThat(all).allSatisfy(r -> assertThat(((Number) r.get("status")).intValue()).isBetween(200, 299));
    }

    @Test
    void errorsABrowserReachesArePagesInTheDashboardsLanguageWhileApiClientsGetProblemDetails() throws Exception {
        String p = "circular-errors";
        policyCopy(p);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        String finalOfOpen = "/api/v1/reports/circulars/2025?policy=" + p + "&format=docx";

        // the final circular of an open period (an old bookmark): a page saying so, with the draft one click away
        driver.get(url("/dashboard?policy=" + p + "&period=2025&lang=zh"));
        wait.until(d -> d.findElements(By.id("heatmap")).size() == 1);
        driver.get(url(finalOfOpen));
        wait.until(d -> d.findElements(By.id("error-title")).size() == 1);
        assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("zh-CN");
        assertThat(driver.findElement(By.id("error-title")).getText()).isEqualTo("当前状态不允许此操作");
        assertThat(driver.findElement(By.id("error-text")).getText()).contains("尚未关账").contains("草稿");
        assertThat(driver.findElements(By.id("error-detail"))).isEmpty();
        assertThat(driver.findElement(By.tagName("body")).getText()).doesNotContain("{\"").doesNotContain("is not closed");
        assertThat(driver.findElement(By.id("error-back")).getAttribute("href"))
                .endsWith("/dashboard?policy=" + p + "&period=2025");
        assertThat(navigate(finalOfOpen)).containsEntry("status", 409L);
        byte[] draft = download(By.id("error-draft"), ".docx");
        try (XWPFDocument doc = new XWPFDocument(new ByteArrayInputStream(draft));
                XWPFWordExtractor x = new XWPFWordExtractor(doc)) {
            assertThat(x.getText()).contains("草稿 / DRAFT");
        }

        // a task, a measure and a policy that are not there; a bad period; a NUL byte: pages, in Chinese
        Map<String, String> zh = new java.util.LinkedHashMap<>();
        zh.put("/dashboard/tasks/no-such-task?policy=" + p + "&period=2025", "未找到");
        zh.put("/dashboard/measures/99?policy=" + p + "&period=2025", "未找到");
        zh.put("/dashboard?policy=no-such-policy&period=2025", "未找到");
        zh.put("/api/v1/reports/joint?policy=" + p + "&period=2025-13&format=xlsx", "请求有误");
        zh.put("/api/v1/reports/circulars/2025/draft?policy=" + p + "&format=odt", "请求有误");
        zh.put("/dashboard?policy=" + p + "&period=2025&x=%00", "请求有误");
        for (Map.Entry<String, String> e : zh.entrySet()) {
            driver.get(url(e.getKey()));
            wait.until(d -> d.findElements(By.id("error-title")).size() == 1);
            assertThat(driver.findElement(By.id("error-title")).getText()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(driver.findElement(By.tagName("main")).getText()).as(e.getKey()).doesNotContain("{\"");
            Map<String, Object> nav = navigate(e.getKey());
            assertThat(((Number) nav.get("status")).intValue()).as(e.getKey()).isBetween(400, 499);
            assertThat((String) nav.get("type")).as(e.getKey()).startsWith("text/html");
        }

        // the dashboard in English: its errors in English
        driver.get(url("/dashboard?policy=" + p + "&period=2025&lang=en"));
        wait.until(d -> d.findElements(By.id("heatmap")).size() == 1);
        driver.get(url("/dashboard/tasks/no-such-task?policy=" + p + "&period=2025"));
        wait.until(d -> d.findElements(By.id("error-title")).size() == 1);
        assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(driver.findElement(By.id("error-title")).getText()).isEqualTo("Not found");
        assertThat(driver.findElement(By.id("error-back")).getText()).isEqualTo("Back to the dashboard");
        assertThat(driver.findElement(By.tagName("main")).getText()).doesNotContainPattern("\\p{IsHan}");
        driver.get(url(finalOfOpen));
        wait.until(d -> d.findElements(By.id("error-title")).size() == 1);
        assertThat(driver.findElement(By.id("error-text")).getText()).contains("not closed yet").contains("draft");
        assertThat(driver.findElement(By.id("error-draft")).getText()).isEqualTo("Download the draft circular (DOCX)");

        // signed out (no token relayed): a page too, with the bearer challenge
        withToken(null);
        driver.get(url("/dashboard?policy=" + p + "&period=2025"));
        wait.until(d -> d.findElements(By.id("error-title")).size() == 1);
        assertThat(driver.findElement(By.id("error-title")).getText()).isEqualTo("Sign-in required");
        assertThat(navigate("/dashboard?policy=" + p + "&period=2025&lang=zh")).containsEntry("status", 401L);
        driver.get(url("/dashboard?policy=" + p + "&period=2025&lang=zh"));
        wait.until(d -> d.findElements(By.id("error-title")).size() == 1);
        assertThat(driver.findElement(By.id("error-title")).getText()).isEqualTo("需要登录");
        withToken(TestTokens.bureau("SJW"));
        driver.get(url("/dashboard?policy=" + p + "&period=2025&lang=zh"));
        wait.until(d -> d.findElements(By.id("error-title")).size() == 1);
        assertThat(driver.findElement(By.id("error-title")).getText()).isEqualTo("无权访问");
        withToken(token);

        // API clients asking for JSON (or saying nothing) get RFC 9457 problem details for the same URLs
        for (String accept : new String[] {"application/json", "application/problem+json", "*/*", null}) {
            HttpResponse<byte[]> r = accept == null ? get(finalOfOpen, liaison()) : get(finalOfOpen, liaison(), accept);
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            JsonNode problem = JSON.readTree(r.body());
            assertThat(problem.get("currentState").asText()).isEqualTo("OPEN");
            assertThat(problem.get("detail").asText()).contains("/api/v1/reports/circulars/2025/draft?policy=" + p);
        }
        for (String path : Stream.concat(zh.keySet().stream(), Stream.of("/dashboard")).toList()) {
            HttpResponse<byte[]> r = "/dashboard".equals(path) ? get(path, null, "application/json")
                    : get(path, liaison(), "application/json");
            assertThat(r.statusCode()).as(path).isBetween(400, 499);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("application/problem+json");
            assertThat(JSON.readTree(r.body()).get("status").asInt()).isEqualTo(r.statusCode());
        }
    }

    /** Three tasks of the first quarter of 2025: on track, at risk (with problems and next steps), overdue. */
    private void scenario(String p) {
        publish(TaskEvents.task("task.dispatched", p, p + "-m3-SJW", 3, "SJW", "SJW", "DISPATCHED", 2, T0)
                .deadline(YEAR_END).rating("GREEN", "ON_TRACK"));
        publish(TaskEvents.task("task.signed-for", p, p + "-m3-SJW", 3, "SJW", "SJW", "SIGNED_FOR", 3, T0.plusDays(1))
                .deadline(YEAR_END).rating("GREEN", "ON_TRACK").signed("张伟", T0.plusDays(1)));
        OffsetDateTime reported = OffsetDateTime.of(2025, 2, 10, 16, 30, 0, 0, ZoneOffset.ofHours(8));
        publish(TaskEvents.task("task.progress-reported", p, p + "-m5-TSW", 5, "TSW", "SJW", "IN_PROGRESS", 4, reported)
                .deadline(YEAR_END).rating("AMBER", "BUREAU_AT_RISK").bureauStatus("AT_RISK")
                .progress(p + "-pr-1", "2025-Q1", "AT_RISK", 40, "已完成12所学校科学教育资源调研", null)
                .said(PROBLEMS, NEXT_STEPS, "王芳", reported));
        publish(TaskEvents.task("task.dispatched", p, p + "-m1-SKX", 1, "SKX", "SJW", "DISPATCHED", 2, T0)
                .deadline(LocalDate.of(2025, 1, 31)).rating("RED", "OVERDUE"));
        await("circular scenario", Duration.ofSeconds(20), () -> eventsApplied(p) == 4);
    }

    private int closedRows(String p, String period) {
        return jdbc.sql("select count(*) from period_snapshot where policy_id = :p and period = :period")
                .param("p", p).param("period", period).query(Integer.class).single();
    }

    /** The mark in every header the document's one section has: default, first-page and even-page. */
    private static void assertEveryPageMarked(XWPFDocument doc) {
        XWPFHeaderFooterPolicy policy = new XWPFHeaderFooterPolicy(doc);
        List<XWPFHeader> headers = Stream.of(policy.getDefaultHeader(), policy.getFirstPageHeader(),
                policy.getEvenPageHeader()).toList();
        assertThat(headers).doesNotContainNull();
        for (XWPFHeader h : headers) {
            assertThat(h.getText()).contains("草稿 / DRAFT");
            assertThat(h._getHdrFtr().xmlText()).contains("PowerPlusWaterMarkObject").contains("草稿 DRAFT");
        }
        // one section: no paragraph starts another with headers of its own
        assertThat(doc.getParagraphs()).allSatisfy(par -> assertThat(
                par.getCTP().getPPr() == null || par.getCTP().getPPr().getSectPr() == null).isTrue());
    }

    /** The ranking table's rows (without its header). */
    private static List<List<String>> rows(XWPFDocument doc) {
        List<List<String>> out = new ArrayList<>();
        List<XWPFTableRow> rows = doc.getTables().get(0).getRows();
        for (XWPFTableRow r : rows.subList(1, rows.size())) {
            out.add(r.getTableCells().stream().map(c -> c.getText()).toList());
        }
        return out;
    }

    private static String shortName(String unit) {
        return Catalogues.defaultPolicy().getUnits().stream().filter(u -> u.getCode().equals(unit)).findFirst()
                .orElseThrow().getShortName();
    }

    private static JsonNode unit(JsonNode report, String code) {
        for (JsonNode u : report.get("units")) {
            if (u.get("unitCode").asText().equals(code)) {
                return u;
            }
        }
        throw new AssertionError("no unit " + code);
    }

    private void withToken(String bearer) {
        driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers",
                bearer == null ? Map.of() : Map.of("Authorization", TestTokens.bearer(bearer))));
    }

    /** Clicks the link and waits for the browser's download to finish (a fresh directory for each). */
    private byte[] download(By link, String suffix) throws Exception {
        Path dir = Files.createTempDirectory(downloads, "d");
        Map<String, Object> behaviour = Map.of("behavior", "allow", "downloadPath", dir.toAbsolutePath().toString());
        try {
            driver.executeCdpCommand("Browser.setDownloadBehavior", behaviour);
        } catch (RuntimeException e) {
            driver.executeCdpCommand("Page.setDownloadBehavior", behaviour);
        }
        driver.findElement(link).click();
        Path[] file = new Path[1];
        await("download of " + link, Duration.ofSeconds(30), () -> {
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> done = files.filter(f -> f.toString().endsWith(suffix)).toList();
                if (done.size() == 1 && Files.size(done.get(0)) > 0) {
                    file[0] = done.get(0);
                    return true;
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        return Files.readAllBytes(file[0]);
    }

    /** Status and content type of {@code path} fetched from the page as the browser navigates (its Accept). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> navigate(String path) {
        return (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0], {headers: {Accept: arguments[1]}, credentials: 'same-origin'})
                  .then(r => done({status: r.status, type: r.headers.get('content-type') || ''}))
                  .catch(e => done({status: -1, type: String(e)}));
                """, url(path), NAV_ACCEPT);
    }

    /**
     * Follows, from {@code start}, every link of the dashboard's pages of the start's period (header, heat map, lists,
     * measure and task pages, the period selector's choices) as the browser would — its navigation Accept, its cookies
     * (the language), redirects followed — and answers each URL's status and content type. Pages of other periods are
     * checked but not followed further; after a language switch the start's language is restored.
     */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> crawl(String start) {
        driver.manage().timeouts().scriptTimeout(Duration.ofMinutes(4));
        return (List<Map<String, Object>>) ((JavascriptExecutor) driver).executeAsyncScript("""
                const [start, accept] = [arguments[0], arguments[1]];
                const done = arguments[arguments.length - 1];
                const origin = location.origin;
                const startUrl = new URL(start);
                const period = startUrl.searchParams.get('period');
                const seen = new Set();
                const results = [];
                const queue = [start];
                async function fetchAs(u) {
                  const r = await fetch(u, {headers: {Accept: accept}, credentials: 'same-origin', redirect: 'follow'});
                  const type = r.headers.get('content-type') || '';
                  const body = type.startsWith('text/html') ? await r.text() : (await r.arrayBuffer(), '');
                  return {status: r.status, type, body, finalUrl: r.url};
                }
                (async () => {
                  while (queue.length) {
                    const u = queue.shift();
                    if (seen.has(u)) continue;
                    seen.add(u);
                    const r = await fetchAs(u);
                    results.push({url: u, status: r.status, type: r.type, finalUrl: r.finalUrl});
                    const url = new URL(u);
                    const switched = url.searchParams.has('lang') && u !== start;
                    if (switched && url.pathname.startsWith('/dashboard')) {
                      await fetchAs(start);   // the language of this crawl again
                    }
                    if (!r.type.startsWith('text/html') || !url.pathname.startsWith('/dashboard') || switched
                        || url.searchParams.get('period') !== period) {
                      continue;
                    }
                    const doc = new DOMParser().parseFromString(r.body, 'text/html');
                    for (const a of doc.querySelectorAll('a[href]')) {
                      const h = new URL(a.getAttribute('href'), u);
                      // /docs/ is the gateway's page (its ApiDocsTest), not this service's
                      if (h.origin === origin && !h.pathname.startsWith('/docs/')) queue.push(h.href);
                    }
                    for (const f of doc.querySelectorAll('form')) {
                      if ((f.getAttribute('method') || 'get').toLowerCase() !== 'get') continue;
                      const action = new URL(f.getAttribute('action') || u, u);
                      for (const sel of f.querySelectorAll('select[name]')) {
                        for (const o of sel.querySelectorAll('option')) {
                          const t = new URL(action.href);
                          for (const i of f.querySelectorAll('input[type=hidden][name]')) t.searchParams.set(i.name, i.value);
                          t.searchParams.set(sel.getAttribute('name'), o.getAttribute('value'));
                          queue.push(t.href);
                        }
                      }
                    }
                  }
                  done(results);
                })().catch(e => done([{url: 'crawl failed: ' + e, status: -1, type: ''}]));
                """, start, NAV_ACCEPT);
    }
}
