package cn.beijing.scienceedu.platform.security;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Remembers tokens whose signature, issuer and audience a decoder already verified, so a caller reusing its token
 * (bureau-adapters, the gateway relaying a session's token, a liaison's dashboard — tokens live up to 30 minutes) is
 * not parsed and RSA-verified again on every request. The bench's JFR profiles showed the RS256 check at about 12 %
 * of the task-service's request threads (P3), 7 % of the gateway's and among the largest costs of a cached report.
 * <p>
 * On every hit the given validator runs again on the cached claims (the servlet services: expiry with Spring's 60 s
 * skew; the gateway: expiry, issuer and audience); an entry that fails it is dropped and the token goes through the
 * full decoder, which answers with its usual error. Only successfully decoded tokens are kept; the map is bounded
 * and simply cleared when full.
 * <p>
 * Free of web-stack types: {@link #decoder(JwtDecoder)} puts it in front of a servlet service's decoder,
 * {@link #reactiveDecoder(ReactiveJwtDecoder)} in front of the gateway's.
 */
public final class VerifiedTokenCache {

    public static final int MAX_ENTRIES = 4096;

    private final OAuth2TokenValidator<Jwt> validator;
    private final ConcurrentHashMap<String, Jwt> verified = new ConcurrentHashMap<>();

    private VerifiedTokenCache(OAuth2TokenValidator<Jwt> validator) {
        this.validator = validator;
    }

    /** A cache that checks only expiry again on a hit (60 s clock skew, Spring's default). */
    public static VerifiedTokenCache checkingExpiry() {
        return new VerifiedTokenCache(new JwtTimestampValidator(Duration.ofSeconds(60)));
    }

    /** A cache that runs {@code validator} again on every hit. */
    public static VerifiedTokenCache checking(OAuth2TokenValidator<Jwt> validator) {
        return new VerifiedTokenCache(validator);
    }

    /** The verified token, or {@code null} when it is not remembered or no longer passes the validator. */
    public Jwt lookup(String token) {
        Jwt cached = verified.get(token);
        if (cached == null) {
            return null;
        }
        if (!validator.validate(cached).hasErrors()) {
            return cached;
        }
        verified.remove(token);
        return null;
    }

    /** Remembers a token the full decoder accepted. */
    public void remember(String token, Jwt jwt) {
        if (verified.size() >= MAX_ENTRIES) {
            verified.clear();
        }
        verified.put(token, jwt);
    }

    public int size() {
        return verified.size();
    }

    /** A decoder that answers from this cache and asks {@code delegate} for every token it does not hold. */
    public JwtDecoder decoder(JwtDecoder delegate) {
        return new CachingJwtDecoder(this, delegate);
    }

    /** The same for WebFlux (needs reactor on the class path, as every reactive decoder does). */
    public ReactiveJwtDecoder reactiveDecoder(ReactiveJwtDecoder delegate) {
        return new CachingReactiveJwtDecoder(this, delegate);
    }
}
