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
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The callers of the bad-input and access-control runs, each paced below its rate limit at the gateway: bureau
 * systems and services with their issuer tokens (bearer), people (liaison, operator, admin) with a browser login
 * through the gateway (session cookie + the CSRF header on writes). The login mirrors {@link HubHttp}'s, which does
 * not expose its browser client for arbitrary requests.
 */
final class HubCallers {

    private HubCallers() {
    }

    /** Someone who calls the hub: adds their credentials to a request and keeps below their share of the limit. */
    abstract static class Caller {
        final String name;
        final String role;
        private final long intervalNanos;
        private long nextSlot;

        /** {@code perSecond}: this caller's pace (below the gateway's limit for its role). */
        Caller(String name, String role, double perSecond) {
            this.name = name;
            this.role = role;
            this.intervalNanos = (long) (1_000_000_000L / perSecond);
        }

        /** Waits for this caller's next slot: requests of one caller never exceed its pace, whatever the threads do. */
        void pace() {
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                nextSlot = Math.max(nextSlot + intervalNanos, now);
                wait = nextSlot - now;
            }
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }

        abstract HttpClient client();

        abstract void authorize(HttpRequest.Builder request, boolean write);

        HubHttp.Answer send(HttpRequest.Builder request, boolean write) {
            pace();
            authorize(request, write);
            return HubHttp.send(request, client());
        }

        @Override
        public String toString() {
            return name + " (" + role + ")";
        }
    }

    private static final HttpClient PLAIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** A bureau system or a service with its client-credentials token (or any token under test). */
    static final class Bearer extends Caller {
        final String token;
        final String unit;

        Bearer(String name, String role, String unit, String token, double perSecond) {
            super(name, role, perSecond);
            this.token = token;
            this.unit = unit;
        }

        @Override
        HttpClient client() {
            return PLAIN;
        }

        @Override
        void authorize(HttpRequest.Builder request, boolean write) {
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
        }
    }

    /** A person logged in through the gateway: the session cookie rides every request, writes add the CSRF header. */
    static final class Session extends Caller {
        private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        private final HttpClient browser = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
        private final String xsrf;

        Session(String user, String password, String role, double perSecond) {
            super(user, role, perSecond);
            HttpClient following = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .cookieHandler(cookies).followRedirects(HttpClient.Redirect.ALWAYS).build();
            HubHttp.Answer form = HubHttp.send(HttpRequest.newBuilder(URI.create(HubHttp.GATEWAY + "/dashboard"))
                    .header("Accept", "text/html").GET(), following);
            Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"").matcher(form.body());
            if (form.status() != 200 || !csrf.find()) {
                throw new AssertionError("GET /dashboard through the gateway did not lead to the issuer's login form: " + form);
            }
            String body = "username=" + enc(user) + "&password=" + enc(password) + "&_csrf=" + enc(csrf.group(1));
            HubHttp.Answer after = HubHttp.send(HttpRequest.newBuilder(URI.create(HubHttp.ISSUER + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                    .POST(HttpRequest.BodyPublishers.ofString(body)), following);
            if (after.status() != 200 || !after.response().uri().toString().startsWith(HubHttp.GATEWAY)) {
                throw new AssertionError("login as " + user + " did not end at the gateway: " + after.response().uri() + " " + after);
            }
            String token = cookie("XSRF-TOKEN");
            if (token == null) {
                HubHttp.send(HttpRequest.newBuilder(URI.create(HubHttp.GATEWAY + "/api/v1/policies"))
                        .header("Accept", "application/json").GET(), browser);
                token = cookie("XSRF-TOKEN");
            }
            if (token == null) {
                throw new AssertionError("the gateway set no XSRF-TOKEN cookie for " + user + "'s session");
            }
            this.xsrf = token;
        }

        @Override
        HttpClient client() {
            return browser;
        }

        @Override
        void authorize(HttpRequest.Builder request, boolean write) {
            if (write) {
                request.header("X-XSRF-TOKEN", xsrf);
            }
        }

        String cookie(String name) {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                    .map(HttpCookie::getValue).findFirst().orElse(null);
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    /** A bureau system's own token from the issuer. */
    static Bearer bureau(HubHttp http, String unit, double perSecond) {
        return new Bearer(unit.toLowerCase(Locale.ROOT) + "-system", "BUREAU", unit, http.bureauToken(unit), perSecond);
    }
}
