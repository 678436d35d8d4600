package cn.beijing.scienceedu.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A liaison (联络员) logs in through the gateway in real headless Chromium: the gateway sends the browser to the
 * local issuer (tools/token-issuer, its jar run as its own process, OIDC authorization code with PKCE, form login
 * as the demo liaison), keeps a session, hands the browser the XSRF-TOKEN cookie and relays the liaison's access
 * token (TokenRelay) to the dashboard's service, here a small backend page that shows whose token it received.
 *
 * <p>With the same issuer and browser, the API documentation at {@code /docs}: Swagger UI renders every published
 * spec, and a bureau system's client authorizes there (client credentials, relayed to the issuer by the gateway)
 * and tries a call through the gateway with the token it got.
 */
class BrowserLoginTest {

    static final Path ISSUER_JAR_DIR = Path.of("..", "tools", "token-issuer", "target");
    /** Where {@link #received} keeps the path and query each request came for. */
    static final String PATH = ":path";

    static Process issuer;
    static Path issuerLog;
    static ConfigurableApplicationContext gateway;
    static HttpServer dashboard;
    static final List<Map<String, List<String>>> received = new CopyOnWriteArrayList<>();
    static ChromeDriver browser;
    static int gatewayPort;
    static int issuerPort;

    @BeforeAll
    static void start() throws Exception {
        gatewayPort = freePort();
        issuerPort = freePort();
        dashboard = identityPage();
        issuer = startIssuer();
        awaitIssuer();
        String backend = "http://127.0.0.1:" + dashboard.getAddress().getPort();
        gateway = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=" + gatewayPort,
                "--hub.identity.issuer-uri=http://localhost:" + issuerPort,
                "--hub.gateway.rate-limit.store=memory",
                // the docs page as in the local run, plus a test spec declaring the client-credentials scheme
                "--hub.gateway.docs.token-relay=true",
                "--hub.gateway.docs.client-id=sjw-system",
                "--hub.gateway.docs.specs=classpath*:openapi/*.yaml,classpath:docs-test/*.yaml",
                "--hub.gateway.services.task-service=" + backend,
                "--hub.gateway.services.bureau-adapters=" + backend,
                "--hub.gateway.services.reporting-service=" + backend);
        browser = chromium();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (issuer != null) {
            issuer.destroy();
            if (!issuer.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                issuer.destroyForcibly();
            }
        }
        if (dashboard != null) {
            dashboard.stop(0);
        }
    }

    @Test
    void theDemoLiaisonLogsInAndTheDashboardReceivesTheirTokenAndTheirCsrfCookieGuardsWrites() {
        String gatewayUrl = "http://localhost:" + gatewayPort;
        browser.get(gatewayUrl + "/dashboard/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

        // the gateway sent the browser to the issuer's login form
        wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username")));
        assertThat(browser.getCurrentUrl()).startsWith("http://localhost:" + issuerPort + "/login");
        browser.findElement(By.name("username")).sendKeys("liaison");
        browser.findElement(By.name("password")).sendKeys("liaison");
        browser.findElement(By.cssSelector("button[type=submit], input[type=submit]")).click();

        // back at the gateway, on the page it first asked for, served by the backend with the relayed identity
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("subject")));
        assertThat(browser.getCurrentUrl()).isEqualTo(gatewayUrl + "/dashboard/");
        assertThat(browser.findElement(By.id("subject")).getText()).isEqualTo("liaison");
        assertThat(browser.findElement(By.id("roles")).getText()).contains("LIAISON");
        assertThat(browser.findElement(By.id("issuer")).getText()).isEqualTo("http://localhost:" + issuerPort);
        assertThat(browser.findElement(By.id("audience")).getText()).contains("bureau-hub");
        Map<String, List<String>> page = received.get(received.size() - 1);
        assertThat(header(page, "Cookie")).as("the gateway's SESSION and XSRF-TOKEN cookies stay at the gateway")
                .doesNotContain("SESSION=").doesNotContain("XSRF-TOKEN=");

        // the session carries the person: a second page needs no new login; the browser holds the XSRF-TOKEN cookie
        browser.get(gatewayUrl + "/dashboard/tasks");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("subject")));
        assertThat(browser.findElement(By.id("subject")).getText()).isEqualTo("liaison");
        assertThat(browser.manage().getCookieNamed("XSRF-TOKEN")).isNotNull();
        assertThat(browser.manage().getCookieNamed("SESSION")).isNotNull();
        assertThat(browser.manage().getCookieNamed("SESSION").isHttpOnly()).isTrue();

        // a write from the page: refused without the CSRF header, passed with it (as the dashboard's script sends it)
        String write = "const done = arguments[arguments.length - 1];"
                + "const xsrf = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN=')).substring(11);"
                + "const headers = arguments[0] ? {'X-XSRF-TOKEN': decodeURIComponent(xsrf)} : {};"
                + "fetch('/api/v1/reports/periods/2025-Q1/close', {method: 'POST', headers: headers, credentials: 'same-origin'})"
                + ".then(r => done(r.status)).catch(e => done(String(e)));";
        int before = received.size();
        Object refused = ((JavascriptExecutor) browser).executeAsyncScript(write, false);
        assertThat(refused).isEqualTo(403L);
        assertThat(received).hasSize(before);
        Object accepted = ((JavascriptExecutor) browser).executeAsyncScript(write, true);
        assertThat(accepted).isEqualTo(200L);
        assertThat(received).hasSize(before + 1);
        assertThat(header(received.get(before), "Authorization")).startsWith("Bearer ");
    }

    @Test
    void theApiDocsRenderEverySpecAndABureauSystemAuthorizesAtTheLocalIssuerAndTriesACall() {
        String gatewayUrl = "http://localhost:" + gatewayPort;
        browser.manage().deleteAllCookies();
        JsonNode specs = Http.json(Http.get(gatewayUrl, "/docs/specs", null)).get("specs");
        browser.get(gatewayUrl + "/docs/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        assertThat(browser.getTitle()).startsWith("接口文档 · API documentation");
        assertThat(browser.getCurrentUrl()).as("no login for the docs").startsWith(gatewayUrl + "/docs/");

        // every published API is offered and renders with its title, its $refs to the shared files resolved
        List<String> apis = new ArrayList<>();
        specs.forEach(s -> {
            if (s.get("api").asBoolean()) {
                apis.add(s.get("url").asString());
            }
        });
        assertThat(apis).contains("/docs/specs/task-api.yaml", "/docs/specs/bureau-api.yaml",
                "/docs/specs/reporting-api.yaml", "/docs/specs/operations-api.yaml", "/docs/specs/client-credentials-demo.yaml");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("select")));
        assertThat(new Select(browser.findElement(By.id("select"))).getOptions()).extracting(o -> o.getAttribute("value"))
                .containsExactlyElementsOf(apis);
        for (JsonNode spec : specs) {
            if (!spec.get("api").asBoolean()) {
                continue;
            }
            wait.until(ExpectedConditions.elementToBeClickable(By.id("select")));
            new Select(browser.findElement(By.id("select"))).selectByValue(spec.get("url").asString());
            String title = spec.get("title").asString();
            wait.until(d -> d.findElements(By.cssSelector(".information-container .info .title")).stream()
                    .anyMatch(e -> e.getText().startsWith(title)));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".opblock .opblock-summary-control")));
            // open the first operation: its schemas come from common.yaml / catalogue.yaml, fetched from /docs/specs
            browser.findElement(By.cssSelector(".opblock .opblock-summary-control")).click();
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".opblock.is-open .opblock-body")));
            wait.until(d -> !d.findElements(By.cssSelector(".opblock.is-open .responses-wrapper")).isEmpty());
            String text = browser.findElement(By.id("swagger-ui")).getText();
            assertThat(text).as(title).doesNotContain("Resolver error", "Could not resolve reference", "Failed to load API definition");
            assertThat(browser.findElements(By.cssSelector(".errors-wrapper"))).as(title + ": Swagger UI's errors").isEmpty();
        }

        // Authorize: the client id is filled in, the secret typed; the token request goes to the gateway's relay
        // (the spec's token URL is the issuer's default address, where no issuer of this test runs)
        new Select(browser.findElement(By.id("select"))).selectByValue("/docs/specs/client-credentials-demo.yaml");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".auth-wrapper .btn.authorize"))).click();
        WebElement clientId = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".modal-ux input[id^=client_id_]")));
        assertThat(clientId.getAttribute("value")).isEqualTo("sjw-system");
        browser.findElement(By.cssSelector(".modal-ux input[id^=client_secret_]")).sendKeys("sjw-system-secret");
        browser.findElement(By.cssSelector(".modal-ux .auth-btn-wrapper .btn.modal-btn.auth.authorize")).click();
        wait.until(d -> d.findElements(By.xpath("//div[contains(@class,'modal-ux')]//button[normalize-space()='Logout']")).size() > 0);
        assertThat(browser.findElements(By.cssSelector(".modal-ux .errors"))).isEmpty();
        browser.findElement(By.cssSelector(".modal-ux .btn-done")).click();

        // Try it out: the call goes to the gateway with the bureau system's token from the local issuer
        int before = received.size();
        if (browser.findElements(By.cssSelector("#operations-tasks-listTasks.is-open")).isEmpty()) {
            browser.findElement(By.cssSelector("#operations-tasks-listTasks .opblock-summary-control")).click();
        }
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#operations-tasks-listTasks .try-out__btn"))).click();
        browser.findElement(By.cssSelector("#operations-tasks-listTasks input[placeholder=unitCode]")).sendKeys("SJW");
        browser.findElement(By.cssSelector("#operations-tasks-listTasks .btn.execute")).click();
        wait.until(d -> d.findElements(By.cssSelector("#operations-tasks-listTasks .live-responses-table .response-col_status"))
                .stream().anyMatch(e -> e.getText().startsWith("200")));
        assertThat(received).hasSizeGreaterThan(before);
        Map<String, List<String>> call = received.get(received.size() - 1);
        assertThat(header(call, PATH)).isEqualTo("/api/v1/tasks?unitCode=SJW");
        String authorization = header(call, "Authorization");
        assertThat(authorization).startsWith("Bearer ");
        JsonNode claims = Http.JSON.readTree(new String(Base64.getUrlDecoder().decode(authorization.substring(7).split("\\.")[1]),
                StandardCharsets.UTF_8));
        assertThat(claims.path("sub").asString()).isEqualTo("sjw-system");
        assertThat(claims.path("unit").asString()).isEqualTo("SJW");
        assertThat(claims.path("roles").toString()).contains("BUREAU");
        assertThat(claims.path("iss").asString()).isEqualTo("http://localhost:" + issuerPort);

        // the page kept to its Content-Security-Policy: nothing refused, nothing loaded from elsewhere
        List<String> refused = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).filter(m -> m.contains("Content Security Policy")).toList();
        assertThat(refused).isEmpty();
    }

    /** Stand-in for the dashboard's service: a page that shows whose token the gateway relayed. */
    static HttpServer identityPage() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new java.util.HashMap<>(exchange.getRequestHeaders());
            headers.put(PATH, List.of(exchange.getRequestURI().toString()));
            received.add(Map.copyOf(headers));
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String html;
            if (authorization == null || !authorization.startsWith("Bearer ")) {
                html = "<html><body><p id=\"anonymous\">no token relayed</p></body></html>";
            } else {
                String[] parts = authorization.substring(7).split("\\.");
                JsonNode claims = Http.JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
                html = "<html><body><h1 id=\"subject\">" + claims.path("sub").asString() + "</h1>"
                        + "<p id=\"roles\">" + claims.path("roles") + "</p>"
                        + "<p id=\"issuer\">" + claims.path("iss").asString() + "</p>"
                        + "<p id=\"audience\">" + claims.path("aud") + "</p></body></html>";
            }
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    static Process startIssuer() throws IOException {
        Path jar;
        try (Stream<Path> jars = Files.exists(ISSUER_JAR_DIR) ? Files.list(ISSUER_JAR_DIR) : Stream.empty()) {
            jar = jars.filter(p -> p.getFileName().toString().matches("token-issuer-.*\\.jar")).findFirst().orElse(null);
        }
        if (jar == null) {
            fail("the local token issuer's jar is missing in " + ISSUER_JAR_DIR.toAbsolutePath().normalize()
                    + ": build it first (./mvnw -pl tools/token-issuer -DskipTests package)");
        }
        issuerLog = Files.createTempFile("token-issuer", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(issuerLog.toFile());
        Map<String, String> env = builder.environment();
        env.put("HUB_ISSUER_PORT", String.valueOf(issuerPort));
        env.put("HUB_ISSUER_URI", "http://localhost:" + issuerPort);
        env.put("HUB_GATEWAY_URL", "http://localhost:" + gatewayPort);
        env.put("HUB_ISSUER_DATA_DIR", Files.createTempDirectory("token-issuer-data").toString());
        return builder.start();
    }

    static void awaitIssuer() throws Exception {
        long until = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        URI discovery = URI.create("http://localhost:" + issuerPort + "/.well-known/openid-configuration");
        while (System.nanoTime() < until) {
            if (!issuer.isAlive()) {
                fail("the token issuer exited with " + issuer.exitValue() + ":\n" + Files.readString(issuerLog));
            }
            try {
                HttpResponse<String> response = Http.CLIENT.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        fail("the token issuer did not answer at " + discovery + " within 3 minutes:\n" + Files.readString(issuerLog));
    }

    static ChromeDriver chromium() throws IOException {
        for (String binary : List.of("/usr/bin/chromium", "/usr/bin/chromedriver")) {
            if (!Files.isExecutable(Path.of(binary))) {
                fail(binary + " is missing: install Debian's chromium and chromium-driver");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,800",
                "--user-data-dir=" + Files.createTempDirectory("gateway-chrome").toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return driver;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                .map(e -> String.join("; ", e.getValue())).findFirst().orElse("");
    }
}
