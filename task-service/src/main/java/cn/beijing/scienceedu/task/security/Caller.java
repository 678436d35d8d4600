package cn.beijing.scienceedu.task.security;

import java.util.List;
import java.util.Set;

/**
 * Who is calling: the token's subject, roles and unit, and — for bureau writes — the unit the call acts
 * for. {@code unitScope} non-null means the caller sees only that unit's tasks (others are 404).
 */
public record Caller(String subject, Set<String> roles, String tokenUnit, String unitScope, String actingRole) {

    public static final List<String> ROLE_ORDER = List.of("ADMIN", "LIAISON", "SERVICE", "OPERATOR", "BUREAU");

    public static Caller system() {
        return new Caller("task-service", Set.of("SYSTEM"), null, null, "SYSTEM");
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    public boolean isLiaison() {
        return has("LIAISON") || has("ADMIN");
    }

    /** The same caller, acting for a unit (bureau writes). */
    public Caller actingFor(String unit, String role) {
        return new Caller(subject, roles, tokenUnit, unit, role);
    }
}
