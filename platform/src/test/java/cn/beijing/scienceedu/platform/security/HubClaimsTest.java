package cn.beijing.scienceedu.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class HubClaimsTest {

    private static Jwt.Builder token() {
        return Jwt.withTokenValue("t").header("alg", "RS256").subject("s").issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(60));
    }

    @Test
    void rolesComeFromAnArrayOrASeparatedString() {
        assertThat(HubClaims.roles(token().claim("roles", List.of("LIAISON", "ADMIN")).build()))
                .containsExactly("LIAISON", "ADMIN");
        assertThat(HubClaims.roles(token().claim("roles", "OPERATOR, ADMIN").build())).containsExactly("OPERATOR", "ADMIN");
        assertThat(HubClaims.roles(token().build())).isEmpty();
    }

    @Test
    void theUnitIsOptional() {
        assertThat(HubClaims.unit(token().claim("unit", "SKW").build())).isEqualTo("SKW");
        assertThat(HubClaims.unit(token().build())).isNull();
    }

    @Test
    void theAudienceDefaultsToTheHub() {
        assertThat(HubClaims.audience(null).validate(token().audience(List.of("bureau-hub")).build()).hasErrors()).isFalse();
        assertThat(HubClaims.audience(List.of()).validate(token().audience(List.of("x")).build()).hasErrors()).isTrue();
        assertThat(HubClaims.audience(List.of()).validate(token().build()).hasErrors()).isTrue();
    }
}
