package cn.beijing.scienceedu.platform.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The hub's token claims (docs/conventions.md, "Identity"): {@code roles} (array of role names, authority
 * {@code ROLE_<role>}), {@code unit} (the unit code of a bureau system), audience {@code bureau-hub}. What a role or a
 * unit may do is each service's own rule, not this class's.
 */
public final class HubClaims {

    public static final String ROLES = "roles";
    public static final String UNIT = "unit";
    public static final String AUDIENCE = "bureau-hub";
    public static final String ROLE_PREFIX = "ROLE_";

    private HubClaims() {
    }

    /** The role names of {@code roles}, in the token's order; a space- or comma-separated string is split. */
    public static Set<String> roles(Jwt jwt) {
        Set<String> roles = new LinkedHashSet<>();
        Object claim = jwt.getClaims().get(ROLES);
        if (claim instanceof Collection<?> col) {
            col.forEach(r -> roles.add(String.valueOf(r)));
        } else if (claim instanceof String s && !s.isBlank()) {
            roles.addAll(List.of(s.trim().split("[ ,]+")));
        }
        return roles;
    }

    /** The unit code of {@code unit}, or {@code null} (people and services carry none). */
    public static String unit(Jwt jwt) {
        return jwt.getClaimAsString(UNIT);
    }

    /**
     * Accepts a token whose {@code aud} names one of {@code audiences} ({@code bureau-hub} when none is configured);
     * the error does not echo what the token carried.
     */
    public static OAuth2TokenValidator<Jwt> audience(List<String> audiences) {
        List<String> accepted = audiences == null || audiences.isEmpty() ? List.of(AUDIENCE) : new ArrayList<>(audiences);
        OAuth2Error error = new OAuth2Error("invalid_token", "audience " + accepted + " required", null);
        return jwt -> jwt.getAudience() != null && jwt.getAudience().stream().anyMatch(accepted::contains)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(error);
    }
}
