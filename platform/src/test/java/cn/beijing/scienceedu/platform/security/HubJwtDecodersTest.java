package cn.beijing.scienceedu.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/** The servlet services' decoder: signature by the configured key, expiry, issuer and audience, roles and unit. */
class HubJwtDecodersTest {

    static final String ISSUER = "http://issuer.test";
    static final KeyPair KEYS = keyPair();
    static final KeyPair OTHER_KEYS = keyPair();

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ByteArrayResource pem(KeyPair keys) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPublic().getEncoded());
        return new ByteArrayResource(("-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    static String token(KeyPair keys, String issuer, List<String> audience, Instant expiresAt) {
        NimbusJwtEncoder encoder = NimbusJwtEncoder
                .withKeyPair((RSAPublicKey) keys.getPublic(), (RSAPrivateKey) keys.getPrivate()).build();
        JwtClaimsSet claims = JwtClaimsSet.builder().issuer(issuer).audience(audience).subject("csv-czj")
                .issuedAt(expiresAt.minusSeconds(1800)).expiresAt(expiresAt)
                .claim("roles", List.of("BUREAU")).claim("unit", "CZJ").build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims))
                .getTokenValue();
    }

    private final JwtDecoder decoder = HubJwtDecoders.builder().publicKeyLocation(pem(KEYS))
            .issuerUri("http://localhost:9000").expectedIssuer(ISSUER).build();

    @Test
    void aTokenOfTheIssuerForTheHubIsAcceptedWithItsRolesAndUnit() {
        Jwt jwt = decoder.decode(token(KEYS, ISSUER, List.of("bureau-hub"), Instant.now().plusSeconds(1800)));
        assertThat(HubClaims.roles(jwt)).containsExactly("BUREAU");
        assertThat(HubClaims.unit(jwt)).isEqualTo("CZJ");
        assertThat(HubAuthentication.jwtConverter().convert(jwt).getAuthorities())
                .extracting(a -> a.getAuthority()).filteredOn(a -> a.startsWith("ROLE_")).containsExactly("ROLE_BUREAU");
    }

    @Test
    void anotherAudienceAnotherIssuerAnExpiredTokenOrAnotherKeyAreRefused() {
        Instant later = Instant.now().plusSeconds(1800);
        assertThatThrownBy(() -> decoder.decode(token(KEYS, ISSUER, List.of("elsewhere"), later)))
                .isInstanceOf(JwtValidationException.class).hasMessageContaining("audience [bureau-hub] required");
        assertThatThrownBy(() -> decoder.decode(token(KEYS, "http://other.test", List.of("bureau-hub"), later)))
                .isInstanceOf(JwtValidationException.class);
        assertThatThrownBy(() -> decoder.decode(token(KEYS, ISSUER, List.of("bureau-hub"), Instant.now().minusSeconds(120))))
                .isInstanceOf(JwtValidationException.class);
        assertThatThrownBy(() -> decoder.decode(token(OTHER_KEYS, ISSUER, List.of("bureau-hub"), later)))
                .isInstanceOf(org.springframework.security.oauth2.jwt.BadJwtException.class);
    }

    @Test
    void theIssuerUriIsTheExpectedIssuerUnlessOneIsSet() {
        JwtDecoder byUri = HubJwtDecoders.builder().publicKeyLocation(pem(KEYS)).issuerUri(ISSUER).build();
        assertThat(byUri.decode(token(KEYS, ISSUER, List.of("bureau-hub"), Instant.now().plusSeconds(600))).getSubject())
                .isEqualTo("csv-czj");
        assertThatThrownBy(() -> byUri.decode(token(KEYS, "http://other.test", List.of("bureau-hub"),
                Instant.now().plusSeconds(600)))).isInstanceOf(JwtValidationException.class);
    }

    @Test
    void configuredAudiencesReplaceTheDefault() {
        JwtDecoder other = HubJwtDecoders.builder().publicKeyLocation(pem(KEYS)).expectedIssuer(ISSUER)
                .audiences(List.of("reports")).verifiedTokenCache(false).build();
        assertThat(other.decode(token(KEYS, ISSUER, List.of("reports"), Instant.now().plusSeconds(600)))).isNotNull();
        assertThatThrownBy(() -> other.decode(token(KEYS, ISSUER, List.of("bureau-hub"), Instant.now().plusSeconds(600))))
                .isInstanceOf(JwtValidationException.class);
    }

    @Test
    void withoutKeysOrIssuerThereIsNoDecoder() {
        assertThatThrownBy(() -> HubJwtDecoders.builder().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anIssuerUriAloneIsResolvedOnFirstUseNotAtStartUp() {
        // nothing listens there: building must not fail, decoding does
        JwtDecoder lazy = HubJwtDecoders.builder().issuerUri("http://127.0.0.1:9/nowhere").build();
        assertThatThrownBy(() -> lazy.decode(token(KEYS, ISSUER, List.of("bureau-hub"), Instant.now().plusSeconds(600))))
                .isInstanceOf(RuntimeException.class);
    }
}
