package cn.beijing.scienceedu.gateway.security;

import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.core.publisher.Mono;

/**
 * Remembers tokens whose signature was already verified, so a bureau system that reuses its token for its
 * 30 minutes is not parsed, RSA-verified and converted again on every request (the bench's JFR profile of the
 * gateway showed {@code DefaultJWTProcessor.process} — parse, JWK to RSA key conversion, signature check — at
 * about 7 % of the request threads' samples). On every hit the validators (expiry, issuer, audience) run again on
 * the cached claims; an entry that fails them is dropped and the token goes through the full decoder, which
 * answers with its usual error. Only successfully decoded tokens are kept; the map is bounded and simply
 * cleared when full.
 */
final class VerifiedTokenCache implements ReactiveJwtDecoder {

    static final int MAX_ENTRIES = 4096;

    private final ReactiveJwtDecoder delegate;
    private final OAuth2TokenValidator<Jwt> validator;
    private final ConcurrentHashMap<String, Jwt> verified = new ConcurrentHashMap<>();

    VerifiedTokenCache(ReactiveJwtDecoder delegate, OAuth2TokenValidator<Jwt> validator) {
        this.delegate = delegate;
        this.validator = validator;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt cached = verified.get(token);
        if (cached != null) {
            if (!validator.validate(cached).hasErrors()) {
                return Mono.just(cached);
            }
            verified.remove(token);
        }
        return delegate.decode(token).doOnNext(jwt -> {
            if (verified.size() >= MAX_ENTRIES) {
                verified.clear();
            }
            verified.put(token, jwt);
        });
    }
}
