package cn.beijing.scienceedu.platform.security;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/** {@link VerifiedTokenCache} in front of a (servlet) {@link JwtDecoder}. */
final class CachingJwtDecoder implements JwtDecoder {

    private final VerifiedTokenCache cache;
    private final JwtDecoder delegate;

    CachingJwtDecoder(VerifiedTokenCache cache, JwtDecoder delegate) {
        this.cache = cache;
        this.delegate = delegate;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt cached = cache.lookup(token);
        if (cached != null) {
            return cached;
        }
        Jwt jwt = delegate.decode(token);
        cache.remember(token, jwt);
        return jwt;
    }
}
