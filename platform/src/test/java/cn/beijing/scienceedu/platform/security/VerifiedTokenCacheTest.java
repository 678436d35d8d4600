package cn.beijing.scienceedu.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import reactor.core.publisher.Mono;

/**
 * The token cache in front of the RS256 decoder: a verified token is decoded once while it is valid; an entry that
 * has expired since (beyond the 60 s skew) or fails the given validator goes back through the full decoder; a refused
 * token is never remembered; the map stays bounded. Servlet and reactive decoders behave alike.
 */
class VerifiedTokenCacheTest {

    private final AtomicInteger decoded = new AtomicInteger();

    private Jwt jwt(String token, Instant expiresAt) {
        return Jwt.withTokenValue(token).header("alg", "RS256").subject("liaison-wang")
                .issuedAt(expiresAt.minusSeconds(3600)).expiresAt(expiresAt).build();
    }

    private JwtDecoder decoderAnswering(Instant expiresAt) {
        return token -> {
            decoded.incrementAndGet();
            if (token.startsWith("bad")) {
                throw new BadJwtException("signature does not verify");
            }
            return jwt(token, expiresAt);
        };
    }

    private ReactiveJwtDecoder reactiveDecoderAnswering(Instant expiresAt) {
        return token -> Mono.defer(() -> {
            decoded.incrementAndGet();
            return token.startsWith("bad") ? Mono.error(new BadJwtException("signature does not verify"))
                    : Mono.just(jwt(token, expiresAt));
        });
    }

    @Test
    void aValidTokenIsVerifiedOnceAndServedFromTheCacheAfterwards() {
        JwtDecoder cache = VerifiedTokenCache.checkingExpiry().decoder(decoderAnswering(Instant.now().plusSeconds(1800)));
        for (int i = 0; i < 5; i++) {
            assertThat(cache.decode("good-token").getSubject()).isEqualTo("liaison-wang");
        }
        assertThat(decoded).hasValue(1);
    }

    @Test
    void anEntryThatHasExpiredIsCheckedByTheFullDecoderAgain() {
        // the delegate accepted it once; two minutes past its expiry (beyond the 60 s skew) the cache must not answer
        JwtDecoder cache = VerifiedTokenCache.checkingExpiry().decoder(decoderAnswering(Instant.now().minusSeconds(120)));
        cache.decode("stale-token");
        cache.decode("stale-token");
        assertThat(decoded).hasValue(2);
    }

    @Test
    void aRefusedTokenIsNeverRemembered() {
        VerifiedTokenCache tokens = VerifiedTokenCache.checkingExpiry();
        JwtDecoder cache = tokens.decoder(decoderAnswering(Instant.now().plusSeconds(1800)));
        assertThatThrownBy(() -> cache.decode("bad-token")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode("bad-token")).isInstanceOf(BadJwtException.class);
        assertThat(decoded).hasValue(2);
        assertThat(tokens.size()).isZero();
    }

    @Test
    void anEntryThatFailsTheGivenValidatorIsDroppedOnItsNextUse() {
        AtomicInteger checks = new AtomicInteger();
        VerifiedTokenCache tokens = VerifiedTokenCache.checking(jwt -> checks.incrementAndGet() == 1
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token")));
        JwtDecoder cache = tokens.decoder(decoderAnswering(Instant.now().plusSeconds(1800)));
        cache.decode("good-token");
        cache.decode("good-token"); // first check passes: served from the cache
        cache.decode("good-token"); // second check fails: decoded again
        assertThat(decoded).hasValue(2);
    }

    @Test
    void theMapIsClearedWhenFull() {
        VerifiedTokenCache tokens = VerifiedTokenCache.checkingExpiry();
        JwtDecoder cache = tokens.decoder(decoderAnswering(Instant.now().plusSeconds(1800)));
        for (int i = 0; i < VerifiedTokenCache.MAX_ENTRIES; i++) {
            cache.decode("token-" + i);
        }
        assertThat(tokens.size()).isEqualTo(VerifiedTokenCache.MAX_ENTRIES);
        cache.decode("one-more");
        assertThat(tokens.size()).isEqualTo(1);
    }

    @Test
    void theReactiveDecoderIsCachedAlike() {
        ReactiveJwtDecoder cache = VerifiedTokenCache.checkingExpiry()
                .reactiveDecoder(reactiveDecoderAnswering(Instant.now().plusSeconds(1800)));
        for (int i = 0; i < 3; i++) {
            assertThat(cache.decode("good-token").block().getSubject()).isEqualTo("liaison-wang");
        }
        assertThatThrownBy(() -> cache.decode("bad-token").block()).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode("bad-token").block()).isInstanceOf(BadJwtException.class);
        assertThat(decoded).hasValue(3);
    }
}
