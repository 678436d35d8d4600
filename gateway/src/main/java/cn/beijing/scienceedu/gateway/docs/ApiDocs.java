package cn.beijing.scienceedu.gateway.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cn.beijing.scienceedu.gateway.problem.Problems;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * API documentation at the front door, public (the specs are published contracts): everything under {@code /docs} is
 * answered here and nowhere else — this router runs before the gateway's routes, so no service is reachable under it.
 *
 * <ul>
 *   <li>{@code /docs}, {@code /docs/}: the page (接口文档 · API documentation), Swagger UI listing every spec;</li>
 *   <li>{@code /docs/specs}: the list the page uses (JSON);</li>
 *   <li>{@code /docs/specs/<name>.yaml}: a published spec, byte for byte as committed ({@link PublishedSpecs});</li>
 *   <li>{@code /docs/ui/<version>/<file>}: Swagger UI's files from the webjar ({@link SwaggerUiWebjar}), no CDN;</li>
 *   <li>{@code /docs/assets/docs.js}, {@code docs.css}: the page's own script and style;</li>
 *   <li>{@code POST /docs/oauth2/token}: the page's client-credentials token request, when relayed ({@link DocsTokenRelay}).</li>
 * </ul>
 * Any other path under {@code /docs} is a 404 problem; another method on a served path a 405 problem.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DocsProperties.class)
public class ApiDocs {

    static final String PAGE_TITLE = "接口文档 · API documentation";
    static final String SPECS_PATH = "/docs/specs";
    static final String ASSETS_PATH = "/docs/assets/";
    static final MediaType YAML_UTF8 = MediaType.parseMediaType("application/yaml;charset=UTF-8");
    static final MediaType HTML_UTF8 = MediaType.parseMediaType("text/html;charset=UTF-8");
    static final MediaType JSON_UTF8 = MediaType.parseMediaType("application/json;charset=UTF-8");
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";

    /** One thing served under /docs: its bytes and the headers that go with them. */
    record Doc(byte[] bytes, MediaType type, String cacheControl, String csp, String etag, String disposition) {
    }

    @Bean
    RouterFunction<ServerResponse> apiDocsRoutes(DocsProperties props, ReactiveClientRegistrationRepository registrations,
            @Value("${hub.identity.issuer-uri:http://localhost:9000}") String issuerUri,
            @Value("${hub.identity.login.registration-id:hub}") String registrationId) {
        Handler handler = new Handler(props, PublishedSpecs.load(props.getSpecs()), new SwaggerUiWebjar(), issuerUri,
                props.isTokenRelay() ? new DocsTokenRelay(registrations, registrationId) : null);
        return RouterFunctions.route(RequestPredicates.path("/docs").or(RequestPredicates.path("/docs/**")), handler::handle);
    }

    static final class Handler {

        private final Map<String, Doc> docs = new LinkedHashMap<>();
        private final DocsTokenRelay relay;

        Handler(DocsProperties props, PublishedSpecs specs, SwaggerUiWebjar ui, String issuerUri, DocsTokenRelay relay) {
            this.relay = relay;
            String csp = pageCsp(issuerUri);
            for (PublishedSpecs.Spec spec : specs.all()) {
                docs.put(SPECS_PATH + "/" + spec.file(), new Doc(spec.bytes(), YAML_UTF8, REVALIDATE, csp, etag(spec.bytes()),
                        "inline; filename=\"" + spec.file() + "\""));
            }
            byte[] list = specList(specs).getBytes(StandardCharsets.UTF_8);
            docs.put(SPECS_PATH, new Doc(list, JSON_UTF8, REVALIDATE, csp, etag(list), null));
            for (SwaggerUiWebjar.File file : ui.files()) {
                String fileCsp = file.name().equals(SwaggerUiWebjar.REDIRECT_PAGE) ? redirectCsp(ui.redirectScriptHash()) : csp;
                docs.put(ui.base() + file.name(), new Doc(file.bytes(), file.type(), IMMUTABLE, fileCsp, etag(file.bytes()), null));
            }
            docs.put(ASSETS_PATH + "docs.js", own("docs.js", MediaType.parseMediaType("text/javascript;charset=UTF-8"), csp));
            docs.put(ASSETS_PATH + "docs.css", own("docs.css", MediaType.parseMediaType("text/css;charset=UTF-8"), csp));
            byte[] page = page(props, specs, ui, relay != null).getBytes(StandardCharsets.UTF_8);
            Doc pageDoc = new Doc(page, HTML_UTF8, REVALIDATE, csp, etag(page), null);
            docs.put("/docs", pageDoc);
            docs.put("/docs/", pageDoc);
        }

        Mono<ServerResponse> handle(ServerRequest request) {
            String path = request.requestPath().pathWithinApplication().value();
            HttpMethod method = request.method();
            if (path.equals(DocsTokenRelay.PATH) && relay != null) {
                if (method == HttpMethod.POST) {
                    return relay.relay(request);
                }
                return notAllowed(request, method, "POST, OPTIONS");
            }
            Doc doc = docs.get(path);
            if (doc == null) {
                return problem(request, HttpStatus.NOT_FOUND, "not-found", "Nothing is published at " + path
                        + ": the API documentation is /docs/, the published specs are listed at " + SPECS_PATH + ".");
            }
            if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
                return serve(request, doc);
            }
            return notAllowed(request, method, "GET, HEAD, OPTIONS");
        }

        private static Mono<ServerResponse> notAllowed(ServerRequest request, HttpMethod method, String allow) {
            if (method == HttpMethod.OPTIONS) {
                return ServerResponse.noContent().header(HttpHeaders.ALLOW, allow).build();
            }
            return problem(request, HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                    method + " is not answered at " + request.path() + "; it answers " + allow + ".",
                    HttpHeaders.ALLOW, allow);
        }

        private static Mono<ServerResponse> serve(ServerRequest request, Doc doc) {
            List<String> ifNoneMatch = request.headers().header(HttpHeaders.IF_NONE_MATCH);
            boolean notModified = ifNoneMatch.stream().flatMap(v -> Arrays.stream(v.split(",")))
                    .map(String::trim).anyMatch(tag -> tag.equals(doc.etag()) || tag.equals("W/" + doc.etag()) || tag.equals("*"));
            ServerResponse.BodyBuilder response = ServerResponse.status(notModified ? HttpStatus.NOT_MODIFIED : HttpStatus.OK)
                    .header(HttpHeaders.CACHE_CONTROL, doc.cacheControl())
                    .header("Content-Security-Policy", doc.csp())
                    .eTag(doc.etag());
            if (notModified) {
                return response.build();
            }
            if (doc.disposition() != null) {
                response.header(HttpHeaders.CONTENT_DISPOSITION, doc.disposition());
            }
            return response.contentType(doc.type()).contentLength(doc.bytes().length).bodyValue(doc.bytes());
        }

        private static Doc own(String name, MediaType type, String csp) {
            try {
                byte[] bytes = new ClassPathResource("docs/" + name).getContentAsByteArray();
                return new Doc(bytes, type, REVALIDATE, csp, etag(bytes), null);
            } catch (IOException e) {
                throw new UncheckedIOException("the docs page's " + name + " is missing from the gateway's classpath", e);
            }
        }
    }

    /**
     * The gateway's own policy ({@code frame-ancestors 'none'; object-src 'none'; base-uri 'self'}) narrowed for the
     * page: its scripts, styles and images only from the gateway (the webjar's files, no CDN, no inline script), and it
     * talks only to the gateway (specs, "Try it out", the token relay) and to the issuer (a token request the spec
     * sends there directly, where the issuer allows it). Inline style only: Swagger UI renders the specs' Markdown
     * (e.g. a table's column alignment) as {@code style} attributes.
     */
    static String pageCsp(String issuerUri) {
        String connect = "'self'";
        try {
            URI issuer = URI.create(issuerUri);
            if (issuer.getScheme() != null && issuer.getHost() != null) {
                connect += " " + issuer.getScheme() + "://" + issuer.getHost() + (issuer.getPort() >= 0 ? ":" + issuer.getPort() : "");
            }
        } catch (IllegalArgumentException notAUri) {
            // only the gateway, then
        }
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src "
                + connect + "; form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'";
    }

    /** Swagger UI's OAuth2 redirect page runs its one inline script (by hash) and nothing else. */
    static String redirectCsp(String scriptHash) {
        return "default-src 'none'; script-src " + (scriptHash.isEmpty() ? "'none'" : scriptHash)
                + "; frame-ancestors 'none'; object-src 'none'; base-uri 'self'";
    }

    static String specList(PublishedSpecs specs) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (PublishedSpecs.Spec s : specs.all()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", s.name());
            entry.put("file", s.file());
            entry.put("url", SPECS_PATH + "/" + s.file());
            entry.put("title", s.title());
            entry.put("version", s.version());
            entry.put("openapi", s.openapi());
            entry.put("paths", s.paths());
            // false: a file of shared components the APIs $ref (served, not listed on the page)
            entry.put("api", s.api());
            list.add(entry);
        }
        return JsonMapper.builder().build().writeValueAsString(Map.of("specs", list));
    }

    static String page(DocsProperties props, PublishedSpecs specs, SwaggerUiWebjar ui, boolean relay) {
        StringBuilder links = new StringBuilder();
        List<String> shared = new ArrayList<>();
        for (PublishedSpecs.Spec s : specs.all()) {
            String link = "<a href=\"" + SPECS_PATH + "/" + html(s.file()) + "\" title=\"" + html(s.title())
                    + (s.version().isEmpty() ? "" : " " + html(s.version())) + "\">" + html(s.file()) + "</a>";
            if (s.api()) {
                links.append("\n      <li>").append(link).append(" — ").append(html(s.title())).append("</li>");
            } else {
                shared.add(link);
            }
        }
        String base = ui.base();
        return """
                <!DOCTYPE html>
                <html lang="zh-CN">
                <head>
                  <meta charset="UTF-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>%1$s — 科学教育二十条 协同平台</title>
                  <link rel="stylesheet" href="%2$sswagger-ui.css">
                  <link rel="stylesheet" href="%3$sdocs.css">
                  <link rel="icon" type="image/png" href="%2$sfavicon-32x32.png" sizes="32x32">
                  <link rel="icon" type="image/png" href="%2$sfavicon-16x16.png" sizes="16x16">
                </head>
                <body>
                <header class="hub-docs">
                  <h1 id="docs-title">接口文档 <span lang="en">· API documentation</span></h1>
                  <p>科学教育二十条 协同平台已发布的接口契约（OpenAPI），与仓库中提交的文件逐字节一致。在下方选择接口；
                    “Authorize” 用系统客户端的凭据（client credentials）向本平台的认证服务取得令牌；“Try it out” 的请求经本网关发出。</p>
                  <p lang="en">The hub's published API contracts (OpenAPI), byte for byte as committed. Pick an API below;
                    “Authorize” takes a token from the hub's issuer with a system client's credentials (client credentials);
                    “Try it out” calls go through this gateway.</p>
                  <nav aria-label="规范文件 · spec files">
                    <ul class="hub-docs-specs">%4$s
                    </ul>
                    <p class="hub-docs-shared">共享组件 · shared components: <span>%5$s</span>
                      · 列表 · list: <a href="%6$s">%6$s</a></p>
                  </nav>
                </header>
                <div id="swagger-ui" data-specs="%6$s" data-oauth2-redirect="%2$s%7$s" data-client-id="%8$s" data-token-relay="%9$s"></div>
                <noscript><p class="hub-docs">此页需要 JavaScript；规范文件见上方链接。 This page needs JavaScript; the spec files are linked above.</p></noscript>
                <script src="%2$sswagger-ui-bundle.js"></script>
                <script src="%2$sswagger-ui-standalone-preset.js"></script>
                <script src="%3$sdocs.js"></script>
                </body>
                </html>
                """.formatted(PAGE_TITLE, base, ASSETS_PATH, links, String.join(", ", shared), SPECS_PATH,
                SwaggerUiWebjar.REDIRECT_PAGE, html(props.getClientId()), relay ? DocsTokenRelay.PATH : "");
    }

    static Mono<ServerResponse> problem(ServerRequest request, HttpStatus status, String slug, String detail, String... headers) {
        String json = cn.beijing.scienceedu.platform.problem.Problems.json(Problems.body(request.exchange(), status, slug, detail));
        ServerResponse.BodyBuilder response = ServerResponse.status(status)
                .contentType(cn.beijing.scienceedu.platform.problem.Problems.PROBLEM_JSON_UTF8);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            response.header(headers[i], headers[i + 1]);
        }
        return response.bodyValue(json.getBytes(StandardCharsets.UTF_8));
    }

    static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 18)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
