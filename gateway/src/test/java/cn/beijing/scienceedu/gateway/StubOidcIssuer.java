package cn.beijing.scienceedu.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import cn.beijing.scienceedu.testsupport.TestTokens;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small OIDC provider standing in for the hub's issuer in gateway tests: discovery, JWKS (the test-support key),
 * an authorization endpoint that logs the browser in at once as the person it names in {@code X-Login} (no form, so
 * hundreds of logins stay cheap), and a token endpoint that checks the client, the redirect URI and PKCE (S256) and
 * answers with an ID token and an access token signed by {@link TestTokens}' key.
 */
final class StubOidcIssuer implements AutoCloseable {

    static final String LOGIN_HEADER = "X-Login";
    static final String CLIENT_ID = "hub-gateway";
    static final String CLIENT_SECRET = "hub-gateway-secret";

    private record Grant(String user, String redirectUri, String challenge, String nonce) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final String jwks;
    private final String issuer;

    StubOidcIssuer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the stub issuer", e);
        }
        issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        jwks = new JWKSet(new RSAKey.Builder(publicKey()).keyID("hub-test").build()).toString();
        server.setExecutor(executor);
        server.createContext("/.well-known/openid-configuration", ex -> answer(ex, 200, "application/json", discovery()));
        server.createContext("/jwks", ex -> answer(ex, 200, "application/json", jwks));
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    String issuer() {
        return issuer;
    }

    /** A bearer token this issuer would hand out (its {@code iss}, the hub's audience). */
    String token(String subject, List<String> roles, String unit) {
        return TestTokens.mint(subject, b -> {
            b.issuer(issuer).claim("roles", roles);
            if (unit != null) {
                b.claim("unit", unit);
            }
        });
    }

    private String discovery() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("authorization_endpoint", issuer + "/authorize");
        doc.put("token_endpoint", issuer + "/token");
        doc.put("jwks_uri", issuer + "/jwks");
        doc.put("response_types_supported", List.of("code"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
        doc.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("scopes_supported", List.of("openid", "profile"));
        return Http.JSON.writeValueAsString(doc);
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = form(ex.getRequestURI().getRawQuery());
        String user = ex.getRequestHeaders().getFirst(LOGIN_HEADER);
        if (!CLIENT_ID.equals(q.get("client_id")) || !"code".equals(q.get("response_type"))
                || !"S256".equals(q.get("code_challenge_method")) || q.get("redirect_uri") == null || user == null) {
            answer(ex, 400, "text/plain", "bad authorization request " + q);
            return;
        }
        String code = UUID.randomUUID().toString();
        grants.put(code, new Grant(user, q.get("redirect_uri"), q.get("code_challenge"), q.get("nonce")));
        String location = q.get("redirect_uri") + "?code=" + code + "&state=" + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Location", location);
        answer(ex, 302, "text/plain", "");
    }

    private void token(HttpExchange ex) throws IOException {
        Map<String, String> f;
        try (InputStream in = ex.getRequestBody()) {
            f = form(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            answer(ex, 401, "application/json", "{\"error\":\"invalid_client\"}");
            return;
        }
        Grant grant = f.get("code") == null ? null : grants.remove(f.get("code"));
        if (grant == null || !"authorization_code".equals(f.get("grant_type")) || !grant.redirectUri().equals(f.get("redirect_uri"))
                || f.get("code_verifier") == null || !grant.challenge().equals(s256(f.get("code_verifier")))) {
            answer(ex, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        List<String> roles = List.of("LIAISON");
        String idToken = TestTokens.mint(grant.user(), b -> {
            b.issuer(issuer).audience(CLIENT_ID).claim("roles", roles);
            if (grant.nonce() != null) {
                b.claim("nonce", grant.nonce());
            }
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token(grant.user(), roles, null));
        body.put("token_type", "Bearer");
        body.put("expires_in", 300);
        body.put("scope", "openid profile");
        body.put("id_token", idToken);
        answer(ex, 200, "application/json", Http.JSON.writeValueAsString(body));
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    private static void answer(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static RSAPublicKey publicKey() {
        try (InputStream in = StubOidcIssuer.class.getResourceAsStream(TestTokens.PUBLIC_KEY_LOCATION.replace("classpath:", "/"))) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("test issuer public key missing", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
