package cn.beijing.scienceedu.platform.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.core.io.Resource;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

/**
 * The one way a servlet service builds its JWT decoder: RS256 signatures by the issuer's key — a fixed public key
 * (tests: {@code public-key-location}) or the issuer's JWKS found through {@code issuer-uri}, resolved on first use
 * so a service starts (and works on) while the issuer is still starting — then expiry (60 s skew), issuer and
 * audience; a verified token is remembered until it expires ({@link VerifiedTokenCache}).
 *
 * <pre>{@code
 * JwtDecoder decoder = HubJwtDecoders.builder()
 *         .publicKeyLocation(props.getPublicKeyLocation()).issuerUri(props.getIssuerUri())
 *         .expectedIssuer(tokenIssuer).audiences(props.getAudiences()).build();
 * }</pre>
 */
public final class HubJwtDecoders {

    private HubJwtDecoders() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {

        private Resource publicKeyLocation;
        private String issuerUri;
        private String expectedIssuer;
        private List<String> audiences = List.of();
        private boolean verifiedTokenCache = true;

        private Builder() {
        }

        /** The issuer's public key (PEM); when set, it wins over {@link #issuerUri(String)} for the keys. */
        public Builder publicKeyLocation(Resource location) {
            this.publicKeyLocation = location;
            return this;
        }

        /** Where the issuer's discovery document and JWKS are found; also the expected issuer unless one is set. */
        public Builder issuerUri(String issuerUri) {
            this.issuerUri = blankToNull(issuerUri);
            return this;
        }

        /** The {@code iss} every token must carry (default: {@link #issuerUri(String)}). */
        public Builder expectedIssuer(String issuer) {
            this.expectedIssuer = blankToNull(issuer);
            return this;
        }

        /** Accepted audiences; none configured means {@code bureau-hub}. */
        public Builder audiences(List<String> audiences) {
            this.audiences = audiences == null ? List.of() : List.copyOf(audiences);
            return this;
        }

        /** Whether verified tokens are remembered (default: yes). */
        public Builder verifiedTokenCache(boolean on) {
            this.verifiedTokenCache = on;
            return this;
        }

        /** Expiry, issuer (when one is known) and audience. */
        public OAuth2TokenValidator<Jwt> validator() {
            String issuer = expectedIssuer != null ? expectedIssuer : issuerUri;
            List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
            validators.add(issuer != null ? JwtValidators.createDefaultWithIssuer(issuer) : JwtValidators.createDefault());
            validators.add(HubClaims.audience(audiences));
            return new DelegatingOAuth2TokenValidator<>(validators);
        }

        public JwtDecoder build() {
            OAuth2TokenValidator<Jwt> validator = validator();
            JwtDecoder decoder;
            if (publicKeyLocation != null) {
                NimbusJwtDecoder nimbus = NimbusJwtDecoder.withPublicKey(RsaPublicKeys.read(publicKeyLocation))
                        .signatureAlgorithm(SignatureAlgorithm.RS256).build();
                nimbus.setJwtValidator(validator);
                decoder = nimbus;
            } else if (issuerUri != null) {
                String location = issuerUri;
                decoder = new SupplierJwtDecoder(() -> {
                    NimbusJwtDecoder nimbus = NimbusJwtDecoder.withIssuerLocation(location).build();
                    nimbus.setJwtValidator(validator);
                    return nimbus;
                });
            } else {
                throw new IllegalStateException("no keys for the JWT decoder: set "
                        + "spring.security.oauth2.resourceserver.jwt.issuer-uri (or public-key-location in tests)");
            }
            return verifiedTokenCache ? VerifiedTokenCache.checkingExpiry().decoder(decoder) : decoder;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }
}
