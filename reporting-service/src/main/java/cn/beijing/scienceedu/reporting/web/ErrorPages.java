package cn.beijing.scienceedu.reporting.web;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.beijing.scienceedu.platform.problem.JsonProblemAnswers;
import cn.beijing.scienceedu.platform.problem.ProblemAnswers;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.LocaleResolver;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

import cn.beijing.scienceedu.reporting.shared.Period;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Errors a browser reaches are a page in the dashboard's language; everyone else gets the RFC 9457 problem
 * detail. Negotiated on {@code Accept}: a request that names {@code text/html} (or XHTML) above every JSON type — a
 * browser following a link or opening a page — gets the page; no {@code Accept}, {@code *}{@code /*},
 * {@code application/json} or {@code application/problem+json} get the problem. The page is in the language of the
 * request's {@code lang} parameter (zh|en), else the dashboard's ({@code hub-lang} cookie, zh-CN by default); it
 * says what went wrong in that language, never echoes the raw server message in the Chinese page, and links back to
 * the dashboard (and, for the circular of an open period, to its draft). This is the service's
 * {@link ProblemAnswers}: platform's handler base, error controller and security handlers answer through it.
 */
@Component
class ErrorPages implements ProblemAnswers {

    private static final JsonProblemAnswers JSON = new JsonProblemAnswers();

    private static final List<MediaType> HTML = List.of(MediaType.TEXT_HTML, MediaType.APPLICATION_XHTML_XML);
    private static final Pattern POLICY = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");
    private static final Pattern CIRCULAR = Pattern.compile("/api/v1/reports/circulars/([^/]+)");

    private final ITemplateEngine templates;
    private final MessageSource messages;
    private final LocaleResolver locales;

    public ErrorPages(ITemplateEngine templates, MessageSource messages, LocaleResolver locales) {
        this.templates = templates;
        this.messages = messages;
        this.locales = locales;
    }

    /** Whether the caller wants an HTML page rather than a problem document (see the class comment). */
    public static boolean prefersHtml(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> types;
        try {
            types = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        double html = 0;
        double json = 0;
        int htmlAt = Integer.MAX_VALUE;
        int jsonAt = Integer.MAX_VALUE;
        for (int i = 0; i < types.size(); i++) {
            MediaType t = types.get(i);
            if (t.isWildcardType() || t.isWildcardSubtype()) {
                continue;
            }
            double q = t.getQualityValue();
            if (HTML.stream().anyMatch(h -> h.equalsTypeAndSubtype(t))) {
                if (q > html) {
                    html = q;
                    htmlAt = i;
                }
            } else if (MediaType.APPLICATION_JSON.equalsTypeAndSubtype(t)
                    || MediaType.APPLICATION_PROBLEM_JSON.equalsTypeAndSubtype(t)
                    || (t.getSubtype() != null && t.getSubtype().endsWith("+json"))) {
                if (q > json) {
                    json = q;
                    jsonAt = i;
                }
            }
        }
        return html > 0 && (html > json || (html == json && htmlAt < jsonAt));
    }

    public boolean prefersHtml(HttpServletRequest request) {
        return prefersHtml(request.getHeader(HttpHeaders.ACCEPT));
    }

    /** The problem as it is, or as a page when the caller is a browser. */
    @Override
    public ResponseEntity<Object> respond(HttpServletRequest request, HttpStatusCode status, ProblemDetail problem,
            HttpHeaders headers) {
        HttpHeaders h = new HttpHeaders();
        if (headers != null) {
            h.putAll(headers);
        }
        h.add(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        if (request != null && prefersHtml(request)) {
            String state = problem.getProperties() == null ? null
                    : (String) problem.getProperties().get("currentState");
            h.setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
            return ResponseEntity.status(status).headers(h).body(page(request, status.value(), problem.getDetail(), state));
        }
        return JSON.respond(request, status, problem, h);
    }

    /**
     * Writes the error straight to the response (filters and Spring Security's handlers, before any controller):
     * the page for a browser, else the problem detail.
     */
    @Override
    public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        response.addHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        if (prefersHtml(request)) {
            response.setStatus(problem.getStatus());
            response.setCharacterEncoding("UTF-8");
            response.setContentType("text/html;charset=UTF-8");
            response.getWriter().write(page(request, problem.getStatus(), problem.getDetail(), null));
        } else {
            JSON.write(request, response, problem);
        }
    }

    /** The error page: status, what it means and what to do in the page's language, links back. */
    public String page(HttpServletRequest request, int status, String detail, String currentState) {
        Locale locale = locale(request);
        boolean en = "en".equals(locale.getLanguage());
        String group = status >= 500 ? "5xx" : String.valueOf(status);
        String title = text("error.title." + group, "error.title." + (status >= 500 ? "5xx" : "4xx"), locale);
        String what = text("error.text." + group + (currentState == null ? "" : "." + currentState),
                "error.text." + group, locale);
        if (what == null) {
            what = text("error.text." + (status >= 500 ? "5xx" : "4xx"), null, locale);
        }
        String context = request.getContextPath() == null ? "" : request.getContextPath();
        String path = path(request);
        String policy = request.getParameter("policy");
        if (policy != null && !POLICY.matcher(policy).matches()) {
            policy = null;
        }
        String period = request.getParameter("period");
        Matcher circular = CIRCULAR.matcher(path);
        if (circular.matches()) {
            period = circular.group(1);
        }
        if (period != null && !Period.isValid(period)) {
            period = null;
        }
        StringBuilder back = new StringBuilder(context).append("/dashboard");
        String sep = "?";
        if (policy != null) {
            back.append(sep).append("policy=").append(enc(policy));
            sep = "&";
        }
        if (period != null) {
            back.append(sep).append("period=").append(enc(period));
        }
        String draft = null;
        if (status == 409 && "OPEN".equals(currentState) && circular.matches() && period != null && policy != null) {
            draft = context + "/api/v1/reports/circulars/" + enc(period) + "/draft?policy=" + enc(policy) + "&format=docx";
        }
        Context ctx = new Context(locale);
        ctx.setVariable("lang", en ? "en" : "zh-CN");
        ctx.setVariable("status", status);
        ctx.setVariable("title", title);
        ctx.setVariable("text", what);
        // the server's own message is English: shown on the English page only
        ctx.setVariable("detail", en ? detail : null);
        ctx.setVariable("request", request.getMethod() + " " + path);
        ctx.setVariable("backUrl", back.toString());
        ctx.setVariable("draftUrl", draft);
        ctx.setVariable("css", context + "/dashboard/assets/dashboard.css");
        ctx.setVariable("appTitle", text("app.title", null, locale));
        ctx.setVariable("backText", text("error.back", null, locale));
        ctx.setVariable("draftText", text("error.draft", null, locale));
        ctx.setVariable("codeText", text("error.code", null, locale));
        return templates.process("error-page", ctx);
    }

    /** {@code lang=zh|en} of the request, else the dashboard's language (cookie {@code hub-lang}, zh-CN). */
    public Locale locale(HttpServletRequest request) {
        String lang = request.getParameter("lang");
        if ("en".equals(lang)) {
            return Locale.ENGLISH;
        }
        if ("zh".equals(lang)) {
            return Locale.SIMPLIFIED_CHINESE;
        }
        try {
            return locales.resolveLocale(request);
        } catch (RuntimeException e) {
            return Locale.SIMPLIFIED_CHINESE;
        }
    }

    private static String path(HttpServletRequest request) {
        Object original = request.getAttribute(jakarta.servlet.RequestDispatcher.ERROR_REQUEST_URI);
        String uri = original instanceof String s ? s : request.getRequestURI();
        String context = request.getContextPath();
        if (context != null && !context.isEmpty() && uri.startsWith(context)) {
            uri = uri.substring(context.length());
        }
        return uri.length() > 200 ? uri.substring(0, 200) + "…" : uri;
    }

    private String text(String key, String fallbackKey, Locale locale) {
        String v = messages.getMessage(key, null, null, locale);
        if (v == null && fallbackKey != null) {
            v = messages.getMessage(fallbackKey, null, null, locale);
        }
        return v;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
