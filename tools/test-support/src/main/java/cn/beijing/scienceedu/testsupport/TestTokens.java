package cn.beijing.scienceedu.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints JWTs the way the hub's issuer does, signed with the test key pair in this module's resources.
 * Services under test read the public half with
 * {@code spring.security.oauth2.resourceserver.jwt.public-key-location: classpath:hub-test-issuer.pub}.
 */
public final class TestTokens {

    /** Issuer every token carries unless a test changes it. */
    public static final String ISSUER = "http://localhost:9000";
    /** Audience the hub's services require. */
    public static final String AUDIENCE = "bureau-hub";
    /** Classpath location of the public key, for {@code public-key-location}. */
    public static final String PUBLIC_KEY_LOCATION = "classpath:hub-test-issuer.pub";

    private static final RSAPrivateKey KEY = loadKey();

    private TestTokens() {
    }

    /** A bureau system's client-credentials token for unit {@code unitCode}. */
    public static String bureau(String unitCode) {
        return mint("bureau-" + unitCode.toLowerCase(), b -> b.claim("unit", unitCode).claim("roles", List.of("BUREAU")));
    }

    public static String liaison(String user) {
        return mint(user, b -> b.claim("roles", List.of("LIAISON")));
    }

    public static String operator(String user) {
        return mint(user, b -> b.claim("roles", List.of("OPERATOR")));
    }

    public static String admin(String user) {
        return mint(user, b -> b.claim("roles", List.of("ADMIN")));
    }

    /** A service's own client-credentials token (role SERVICE). */
    public static String service(String clientId) {
        return mint(clientId, b -> b.claim("roles", List.of("SERVICE")));
    }

    /**
     * A token with the standard claims (issuer, audience, 5 minutes of validity) that {@code claims}
     * may override: tests use it for expired, wrong-audience or wrong-issuer tokens.
     */
    public static String mint(String subject, Consumer<JWTClaimsSet.Builder> claims) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subject)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString());
        claims.accept(builder);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("hub-test").build(),
                builder.build());
        try {
            jwt.sign(new RSASSASigner(KEY));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign test token", e);
        }
        return jwt.serialize();
    }

    /** {@code Authorization} header value for a token. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    private static RSAPrivateKey loadKey() {
        try (InputStream in = TestTokens.class.getResourceAsStream("/hub-test-issuer.key")) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return (RSAPrivateKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | java.security.GeneralSecurityException | NullPointerException e) {
            throw new IllegalStateException("test issuer key missing from tools/test-support resources", e);
        }
    }
}
