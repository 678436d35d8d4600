package cn.beijing.scienceedu.gateway.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;

/**
 * The files of the {@code org.webjars:swagger-ui} webjar the page needs, read once from the classpath and served
 * under {@code /docs/ui/<version>/}. Only these: not the webjar's own {@code index.html} and
 * {@code swagger-initializer.js} (they open the Petstore), nor its other bundles.
 */
final class SwaggerUiWebjar {

    static final String REDIRECT_PAGE = "oauth2-redirect.html";

    private static final Map<String, MediaType> FILES = Map.of(
            "swagger-ui.css", MediaType.parseMediaType("text/css;charset=UTF-8"),
            "swagger-ui-bundle.js", MediaType.parseMediaType("text/javascript;charset=UTF-8"),
            "swagger-ui-standalone-preset.js", MediaType.parseMediaType("text/javascript;charset=UTF-8"),
            REDIRECT_PAGE, MediaType.parseMediaType("text/html;charset=UTF-8"),
            "favicon-32x32.png", MediaType.IMAGE_PNG,
            "favicon-16x16.png", MediaType.IMAGE_PNG);

    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

    record File(String name, byte[] bytes, MediaType type) {
    }

    private final String version;
    private final Map<String, File> files = new LinkedHashMap<>();
    private final String redirectScriptHash;

    SwaggerUiWebjar() {
        this.version = webjarVersion();
        String base = "META-INF/resources/webjars/swagger-ui/" + version + "/";
        FILES.forEach((name, type) -> files.put(name, new File(name, read(base + name), type)));
        this.redirectScriptHash = inlineScriptHash(new String(files.get(REDIRECT_PAGE).bytes(), StandardCharsets.UTF_8));
    }

    String version() {
        return version;
    }

    /** The path the page loads the webjar's files from, ending in {@code /}. */
    String base() {
        return "/docs/ui/" + version + "/";
    }

    Collection<File> files() {
        return files.values();
    }

    /**
     * {@code 'sha256-…'} of the redirect page's one inline script, so that page runs under a CSP that allows no other
     * script (it is the webjar's, unchanged, and only used by authorization-code flows in a popup).
     */
    String redirectScriptHash() {
        return redirectScriptHash;
    }

    private static String webjarVersion() {
        Properties pom = new Properties();
        try (InputStream in = new ClassPathResource("META-INF/maven/org.webjars/swagger-ui/pom.properties").getInputStream()) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the swagger-ui webjar is not on the classpath (org.webjars:swagger-ui)", e);
        }
        return pom.getProperty("version");
    }

    private static byte[] read(String path) {
        try {
            return new ClassPathResource(path).getContentAsByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("the swagger-ui webjar has no " + path, e);
        }
    }

    static String inlineScriptHash(String html) {
        Matcher m = INLINE_SCRIPT.matcher(html);
        if (!m.find()) {
            return "";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
