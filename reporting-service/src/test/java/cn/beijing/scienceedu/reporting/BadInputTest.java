package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;

/**
 * Every reporting endpoint, called by an allowed role with bad parameters (unknown period formats, unknown
 * policies, bad formats, huge values, injection strings), answers a 4xx RFC 9457 problem detail: never a 5xx,
 * never a stack trace.
 */
class BadInputTest extends ReportingTestBase {

    private static final String HUGE = "9".repeat(3000);
    private static final String INJECTION = "x' or '1'='1'; drop table task_state; --";
    private static final String SCRIPT = "<script>alert(1)</script>";

    static Stream<Arguments> badRequests() {
        List<Arguments> a = new ArrayList<>();
        List<String> badPeriods = List.of("2025-13", "2025-Q5", "25", "2025-00", "2025/03", "Q1-2025", HUGE, INJECTION,
                SCRIPT, "", "２０２５");
        List<String> badPolicies = List.of("no-such-policy", "NO_SUCH", INJECTION, SCRIPT, "a".repeat(3000), "");
        List<String> views = List.of("joint", "measures", "actions", "units", "goals", "overdue", "kpis");
        for (String v : views) {
            for (String p : badPeriods) {
                a.add(get("/api/v1/reports/" + v + "?policy=authz-test&period=" + enc(p)));
            }
            for (String p : badPolicies) {
                a.add(get("/api/v1/reports/" + v + "?policy=" + enc(p) + "&period=2025"));
            }
            a.add(get("/api/v1/reports/" + v));
            a.add(get("/api/v1/reports/" + v + "?policy=bj-sciedu-20-2024&period=2025&period=2024"));
        }
        for (String f : List.of("docx", "exe", "JSON", HUGE, INJECTION)) {
            a.add(get("/api/v1/reports/joint?policy=bj-sciedu-20-2024&period=2025&format=" + enc(f)));
        }
        for (String l : List.of("fr", "zh-CN", INJECTION)) {
            a.add(get("/api/v1/reports/joint?policy=bj-sciedu-20-2024&period=2025&lang=" + enc(l)));
        }
        for (String n : List.of("0", "21", "-1", "abc", "99999999999999999999", HUGE, enc(INJECTION))) {
            a.add(get("/api/v1/reports/measures/" + n + "?policy=bj-sciedu-20-2024&period=2025"));
        }
        a.add(get("/api/v1/reports/measures/3?policy=bj-sciedu-20-2024&period=2025-13"));
        for (String t : List.of("no-such-task", enc(INJECTION), HUGE, enc(SCRIPT))) {
            a.add(get("/api/v1/reports/tasks/" + t));
        }
        for (String f : List.of("nothing", enc(INJECTION), HUGE, "", "measure:999", "unit:XXX:overdue")) {
            a.add(get("/api/v1/reports/lineage?policy=bj-sciedu-20-2024&period=2025&figure=" + f));
        }
        a.add(get("/api/v1/reports/lineage?policy=bj-sciedu-20-2024&period=2025"));
        a.add(get("/api/v1/reports/lineage?policy=bj-sciedu-20-2024&period=" + enc(INJECTION) + "&figure=summary"));
        for (String p : badPeriods) {
            if (!p.isEmpty()) {
                a.add(get("/api/v1/reports/periods/" + enc(p) + "?policy=bj-sciedu-20-2024"));
                a.add(get("/api/v1/reports/circulars/" + enc(p) + "?policy=bj-sciedu-20-2024"));
                a.add(get("/api/v1/reports/circulars/" + enc(p) + "/draft?policy=bj-sciedu-20-2024&format=docx"));
                a.add(post("/api/v1/reports/periods/" + enc(p) + "/close?policy=bj-sciedu-20-2024", "application/json", ""));
            }
        }
        for (String p : badPolicies) {
            a.add(get("/api/v1/reports/periods?policy=" + enc(p)));
            a.add(get("/api/v1/reports/periods/2025?policy=" + enc(p)));
            a.add(get("/api/v1/reports/circulars/2025?policy=" + enc(p)));
            a.add(get("/api/v1/reports/circulars/2025/draft?policy=" + enc(p) + "&format=pdf"));
            a.add(post("/api/v1/reports/periods/2031/close?policy=" + enc(p), "application/json", ""));
        }
        a.add(get("/api/v1/reports/periods/2025?policy=bj-sciedu-20-2024"));
        a.add(get("/api/v1/reports/joint?policy=bj-sciedu%0020-2024&period=2025"));
        a.add(get("/api/v1/reports/circulars/2025?policy=bj-sciedu-20-2024&format=odt"));
        a.add(get("/api/v1/reports/circulars/2025?policy=bj-sciedu-20-2024&format=" + HUGE));
        for (String f : List.of("odt", "PDF", HUGE, INJECTION)) {
            a.add(get("/api/v1/reports/circulars/2025/draft?policy=bj-sciedu-20-2024&format=" + enc(f)));
        }
        a.add(get("/api/v1/reports/circulars/2025/draft"));
        // a NUL byte PostgreSQL cannot take in a text value (found by the hostile-caller suite: it was a 500)
        for (String d : List.of(HUGE, enc(INJECTION), "%00nul")) {
            a.add(get("/api/v1/schools?district=" + d));
        }
        a.add(post("/api/v1/schools", "text/csv", ""));
        a.add(post("/api/v1/schools", "text/csv", "code,name\n1,2\n"));
        a.add(post("/api/v1/schools", "text/csv", "code,name,districtCode,stage,synthetic\n" + INJECTION + ",x,999999,KINDERGARTEN,maybe\n"));
        a.add(post("/api/v1/schools", "text/csv", "code,name,districtCode,stage,synthetic\n\"unterminated,x,110101,PRIMARY,true\n"));
        a.add(post("/api/v1/schools", "application/json", "{\"code\":\"x\"}"));
        a.add(post("/api/v1/schools", "text/csv", "code,name,districtCode,stage,synthetic\n" + HUGE + ",x,110101,PRIMARY,true\n"));
        for (String s : List.of("bogus", HUGE, enc(INJECTION))) {
            a.add(post("/api/v1/reports/rebuild?source=" + s, null, ""));
        }
        for (String p : List.of("no-such-policy", enc(INJECTION))) {
            a.add(get("/dashboard?policy=" + p + "&period=2025"));
            a.add(get("/dashboard/measures/3?policy=" + p + "&period=2025"));
        }
        a.add(get("/dashboard/measures/abc?policy=bj-sciedu-20-2024"));
        a.add(get("/dashboard/measures/999?policy=bj-sciedu-20-2024"));
        a.add(get("/dashboard/tasks/no-such-task"));
        return a.stream();
    }

    private static Arguments get(String path) {
        return Arguments.of("GET", path, null, null);
    }

    private static Arguments post(String path, String type, String body) {
        return Arguments.of("POST", path, type, body);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badRequests")
    void badParametersAreAProblemDetailNeverA5xx(String method, String path, String type, String body) {
        String token = path.contains("/rebuild") ? TestTokens.admin("admin-zhao") : liaison();
        HttpResponse<byte[]> r = "GET".equals(method) ? get(path, token)
                : post(path, token, type == null ? "application/json" : type, body);
        String text = new String(r.body(), StandardCharsets.UTF_8);
        String shortPath = path.length() > 160 ? path.substring(0, 160) + "…" : path;
        assertThat(r.statusCode()).as(method + " " + shortPath + " → " + abbreviate(text)).isBetween(400, 499);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).as(shortPath)
                .startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(text);
        assertThat(problem.get("status").asInt()).isEqualTo(r.statusCode());
        assertThat(text).doesNotContain("Exception", "\tat ", "org.springframework", "java.lang", "<script>");
        // nothing of the injection reached the database
        assertThat(jdbc.sql("select count(*) from information_schema.tables where table_name = 'task_state'")
                .query(Integer.class).single()).isEqualTo(1);
    }

    private static String abbreviate(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }
}
