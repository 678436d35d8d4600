package cn.beijing.scienceedu.systemtests;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A person's browser session through the gateway that posts a CSV file — the school register import
 * ({@code POST /api/v1/schools}, {@code text/csv}) — which {@link HubHttp.LiaisonSession} (JSON writes only) cannot.
 * Same login as a browser: the gateway sends it to the issuer's form, which sends it back to the dashboard.
 */
final class RegisterUpload {

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient browser = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .cookieHandler(cookies).followRedirects(HttpClient.Redirect.ALWAYS).build();

    RegisterUpload(String user, String password) {
        HubHttp.Answer form = HubHttp.send(HttpRequest.newBuilder(URI.create(HubHttp.GATEWAY + "/dashboard"))
                .header("Accept", "text/html").GET(), browser);
        Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(form.body());
        if (form.status() != 200 || !csrf.find()) {
            throw new AssertionError("GET /dashboard through the gateway did not lead to the issuer's login form: " + form);
        }
        String body = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf.group(1));
        HubHttp.Answer after = HubHttp.send(HttpRequest.newBuilder(URI.create(HubHttp.ISSUER + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body)), browser);
        if (after.status() != 200) {
            throw new AssertionError("login as " + user + " failed: " + after);
        }
    }

    /** Posts the register CSV with the session's double-submit CSRF token. */
    HubHttp.Answer importSchools(String csv) {
        HubHttp.send(HttpRequest.newBuilder(URI.create(HubHttp.GATEWAY + "/api/v1/schools")).header("Accept", "application/json")
                .GET(), browser); // lets the gateway set its XSRF-TOKEN cookie
        String xsrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue).findFirst().orElse(null);
        if (xsrf == null) { // as HubHttp does when the gateway sets none (reported there)
            HttpCookie own = new HttpCookie("XSRF-TOKEN", UUID.randomUUID().toString());
            own.setPath("/");
            own.setVersion(0);
            cookies.getCookieStore().add(URI.create(HubHttp.GATEWAY), own);
            xsrf = own.getValue();
        }
        return HubHttp.send(HttpRequest.newBuilder(URI.create(HubHttp.GATEWAY + "/api/v1/schools"))
                .header("Content-Type", "text/csv; charset=UTF-8").header("Accept", "application/json")
                .header("X-XSRF-TOKEN", xsrf).header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(csv, StandardCharsets.UTF_8)), browser);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
