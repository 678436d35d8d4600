package cn.beijing.scienceedu.reporting.web;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;

/**
 * Remembers tokens whose signature, issuer and audience the configured decoder already verified, so a caller reusing
 * its token (a liaison's dashboard, the gateway relaying a session's token, bureau-adapters) is not parsed and
 * RSA-verified again on every request — with the joint report served from the cache, the bench's JFR profile of a
 * report request showed the RS256 check among its largest costs (as the task-service's did before it got the same
 * cache). Expiry is checked again on every hit (60 s clock skew, Spring's default); an expired entry is dropped and
 * the token goes through the full decoder, which answers with its usual error. Only successfully decoded tokens are
 * kept; the map is bounded and cleared when full.
 */
final class VerifiedTokenCache implements JwtDecoder {

    static final int MAX_ENTRIES = 4096;

    private final JwtDecoder delegate;
    private final OAuth2TokenValidator<Jwt> expiry = new JwtTimestampValidator(Duration.ofSeconds(60));
    private final ConcurrentHashMap<String, Jwt> verified = new ConcurrentHashMap<>();

    VerifiedTokenCache(JwtDecoder delegate) {
        this.delegate = delegate;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt cached = verified.get(token);
        if (cached != null) {
            if (!expiry.validate(cached).hasErrors()) {
                return cached;
            }
            verified.remove(token);
        }
        Jwt jwt = delegate.decode(token);
        if (verified.size() >= MAX_ENTRIES) {
            verified.clear();
        }
        verified.put(token, jwt);
        return jwt;
    }
}
