package cn.beijing.scienceedu.platform.security;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.core.publisher.Mono;

/** {@link VerifiedTokenCache} in front of a {@link ReactiveJwtDecoder} (the gateway). */
final class CachingReactiveJwtDecoder implements ReactiveJwtDecoder {

    private final VerifiedTokenCache cache;
    private final ReactiveJwtDecoder delegate;

    CachingReactiveJwtDecoder(VerifiedTokenCache cache, ReactiveJwtDecoder delegate) {
        this.cache = cache;
        this.delegate = delegate;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt cached = cache.lookup(token);
        if (cached != null) {
            return Mono.just(cached);
        }
        return delegate.decode(token).doOnNext(jwt -> cache.remember(token, jwt));
    }
}
