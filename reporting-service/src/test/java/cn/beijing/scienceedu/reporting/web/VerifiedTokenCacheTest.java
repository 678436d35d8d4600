package cn.beijing.scienceedu.reporting.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * The token cache in front of the RS256 decoder: a verified token is decoded once while it is valid; an entry that
 * has expired since (beyond the 60 s skew) goes back through the full decoder; a refused token is never remembered.
 */
class VerifiedTokenCacheTest {

    private final AtomicInteger decoded = new AtomicInteger();

    private JwtDecoder decoderAnswering(Instant expiresAt) {
        return token -> {
            decoded.incrementAndGet();
            if (token.startsWith("bad")) {
                throw new BadJwtException("signature does not verify");
            }
            return Jwt.withTokenValue(token).header("alg", "RS256").subject("liaison-wang")
                    .issuedAt(expiresAt.minusSeconds(3600)).expiresAt(expiresAt).build();
        };
    }

    @Test
    void aValidTokenIsVerifiedOnceAndServedFromTheCacheAfterwards() {
        VerifiedTokenCache cache = new VerifiedTokenCache(decoderAnswering(Instant.now().plusSeconds(1800)));
        for (int i = 0; i < 5; i++) {
            assertThat(cache.decode("good-token").getSubject()).isEqualTo("liaison-wang");
        }
        assertThat(decoded).hasValue(1);
    }

    @Test
    void anEntryThatHasExpiredIsCheckedByTheFullDecoderAgain() {
        // the delegate accepted it once; two minutes past its expiry (beyond the 60 s skew) the cache must not answer
        VerifiedTokenCache cache = new VerifiedTokenCache(decoderAnswering(Instant.now().minusSeconds(120)));
        cache.decode("stale-token");
        cache.decode("stale-token");
        assertThat(decoded).hasValue(2);
    }

    @Test
    void aRefusedTokenIsNeverRemembered() {
        VerifiedTokenCache cache = new VerifiedTokenCache(decoderAnswering(Instant.now().plusSeconds(1800)));
        assertThatThrownBy(() -> cache.decode("bad-token")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode("bad-token")).isInstanceOf(BadJwtException.class);
        assertThat(decoded).hasValue(2);
    }
}
