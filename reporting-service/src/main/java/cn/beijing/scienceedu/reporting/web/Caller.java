package cn.beijing.scienceedu.reporting.web;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** The caller of the current request: its name and its bearer token (relayed to the task-service). */
public final class Caller {

    private Caller() {
    }

    public static String token() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        return a instanceof JwtAuthenticationToken jwt ? jwt.getToken().getTokenValue() : null;
    }

    public static String name() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        return a == null ? "unknown" : a.getName();
    }
}
