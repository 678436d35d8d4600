package cn.beijing.scienceedu.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/**
 * Bad tokens for the R4 run, each differing from a real bureau token of the hub's issuer in ONE way. Tokens with
 * bad claims are signed with the issuer's own key (read from the issuer's data directory of this run), so that the
 * gateway refuses them for the claim, not for the signature; {@link #reSigned} with unchanged claims is the control
 * that must be accepted.
 */
final class ForgedTokens {

    private final RSAKey issuerKey;
    private final JWTClaimsSet real;

    ForgedTokens(Path issuerDataDir, String realBureauToken) {
        try {
            Path file = issuerDataDir.resolve("signing-key.jwk.json");
            this.issuerKey = RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            this.real = SignedJWT.parse(realBureauToken).getJWTClaimsSet();
        } catch (IOException | ParseException e) {
            throw new AssertionError("cannot read the issuer's signing key or the bureau token: " + e, e);
        }
    }

    /** The issuer's claims of the real token (unit, roles, iss, aud). */
    JWTClaimsSet claims() {
        return real;
    }

    /** Same claims, new id and times, signed with the issuer's key: must be accepted (the control). */
    String reSigned() {
        return signWithIssuerKey(b -> b);
    }

    /** Every bad token by name: each must be answered 401. */
    Map<String, String> all() {
        long now = System.currentTimeMillis();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("missing", null);
        bad.put("empty bearer", "");
        bad.put("garbage", "not.a.jwt");
        bad.put("forged (unknown key, issuer's kid)", forged());
        bad.put("alg=none", new PlainJWT(fresh(b -> b).build()).serialize());
        bad.put("alg=none, issuer's signature kept", algNoneWithSignature());
        bad.put("HS256 keyed with the issuer's public key", hmacWithPublicKey());
        bad.put("expired", signWithIssuerKey(b -> b.issueTime(new Date(now - 3_600_000)).notBeforeTime(new Date(now - 3_600_000))
                .expirationTime(new Date(now - 600_000))));
        bad.put("not yet valid (nbf +10 min)", signWithIssuerKey(b -> b.notBeforeTime(new Date(now + 600_000))));
        bad.put("wrong issuer", signWithIssuerKey(b -> b.issuer("http://evil.example:9000")));
        bad.put("wrong audience", signWithIssuerKey(b -> b.audience("another-hub")));
        bad.put("no audience", signWithIssuerKey(b -> b.audience((String) null)));
        bad.put("tampered payload (unit and roles changed, signature kept)", tampered());
        return bad;
    }

    private JWTClaimsSet.Builder fresh(UnaryOperator<JWTClaimsSet.Builder> change) {
        long now = System.currentTimeMillis();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder(real).jwtID(UUID.randomUUID().toString())
                .issueTime(new Date(now - 1000)).notBeforeTime(new Date(now - 1000)).expirationTime(new Date(now + 600_000));
        return change.apply(b);
    }

    private String signWithIssuerKey(UnaryOperator<JWTClaimsSet.Builder> change) {
        return sign(fresh(change).build(), issuerKey);
    }

    private String forged() {
        try {
            RSAKey attacker = new RSAKeyGenerator(2048).keyID(issuerKey.getKeyID()).generate();
            return sign(fresh(b -> b).build(), attacker);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWTClaimsSet claims, RSAKey key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid token whose header says alg=none, the signature left in place. */
    private String algNoneWithSignature() {
        String[] parts = reSigned().split("\\.");
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + issuerKey.getKeyID() + "\"}");
        return header + "." + parts[1] + "." + parts[2];
    }

    /** The classic key-confusion attack: HMAC with the issuer's PUBLIC key bytes as the secret. */
    private String hmacWithPublicKey() {
        try {
            byte[] secret = issuerKey.toPublicJWK().toRSAPublicKey().getEncoded();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuerKey.getKeyID()).build(),
                    fresh(b -> b).build());
            jwt.sign(new MACSigner(secret.length >= 32 ? secret : java.util.Arrays.copyOf(secret, 32)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid token with its payload swapped for one that claims another unit and the ADMIN role. */
    private String tampered() {
        String[] parts = reSigned().split("\\.");
        JWTClaimsSet escalated = fresh(b -> b.claim("unit", "SJW".equals(real.getClaim("unit")) ? "SKW" : "SJW")
                .claim("roles", List.of("ADMIN", "OPERATOR", "LIAISON"))).build();
        return parts[0] + "." + b64(escalated.toString()) + "." + parts[2];
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
