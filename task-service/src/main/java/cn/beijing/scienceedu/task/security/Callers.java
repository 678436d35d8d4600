package cn.beijing.scienceedu.task.security;

import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.platform.security.HubClaims;
import cn.beijing.scienceedu.task.web.ApiException;

/** Resolves the {@link Caller} from the JWT, and enforces who may do what. */
@Component
public class Callers {

    /** The caller for reads: a caller whose only role is BUREAU sees only its own unit; one without a hub role, nothing. */
    public Caller reader() {
        Caller c = raw();
        boolean wide = c.has("LIAISON") || c.has("ADMIN") || c.has("OPERATOR") || c.has("SERVICE");
        if (!wide) {
            if (!c.has("BUREAU")) {
                // a valid token of the issuer without any of the hub's roles (some other client) reads nothing
                throw ApiException.forbidden("the token carries none of the hub's roles");
            }
            if (c.tokenUnit() == null) {
                throw ApiException.forbidden("a bureau token must carry a unit claim");
            }
            return c.actingFor(c.tokenUnit(), "BUREAU");
        }
        return c.actingFor(null, primaryRole(c));
    }

    /** A liaison action (LIAISON or ADMIN), else 403. */
    public Caller liaison() {
        Caller c = raw();
        if (!c.isLiaison()) {
            throw ApiException.forbidden("only a liaison (LIAISON or ADMIN) may do this");
        }
        return c.actingFor(null, c.has("LIAISON") ? "LIAISON" : "ADMIN");
    }

    /** Any of these roles, else 403. */
    public Caller anyOf(String... roles) {
        Caller c = raw();
        for (String r : roles) {
            if (c.has(r)) {
                return c.actingFor(null, primaryRole(c));
            }
        }
        throw ApiException.forbidden("requires one of the roles " + String.join(", ", roles));
    }

    /**
     * A bureau write: SERVICE (bureau-adapters) acting for the unit named in X-Hub-Acting-Unit, or a BUREAU
     * token for its own unit. The header is honoured only from SERVICE callers.
     */
    public Caller bureauWriter(String actingUnitHeader) {
        Caller c = raw();
        if (c.has("SERVICE")) {
            if (actingUnitHeader == null || actingUnitHeader.isBlank()) {
                throw ApiException.badField("X-Hub-Acting-Unit", "required for SERVICE callers");
            }
            if (!actingUnitHeader.matches("[A-Z][A-Z0-9_]{0,31}")) {
                throw ApiException.badField("X-Hub-Acting-Unit", "not a unit code");
            }
            return c.actingFor(actingUnitHeader, "SERVICE");
        }
        if (c.has("BUREAU")) {
            if (c.tokenUnit() == null) {
                throw ApiException.forbidden("a bureau token must carry a unit claim");
            }
            return c.actingFor(c.tokenUnit(), "BUREAU");
        }
        throw ApiException.forbidden("bureau writes come from the unit's system (BUREAU) or bureau-adapters (SERVICE)");
    }

    private static String primaryRole(Caller c) {
        for (String r : Caller.ROLE_ORDER) {
            if (c.has(r)) {
                return r;
            }
        }
        return "SYSTEM";
    }

    private static Caller raw() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !(auth.getPrincipal() instanceof Jwt jwt)) {
            throw ApiException.forbidden("no token");
        }
        Set<String> roles = HubClaims.roles(jwt);
        String unit = HubClaims.unit(jwt);
        return new Caller(jwt.getSubject() == null ? "unknown" : jwt.getSubject(), roles, unit, null, null);
    }
}
