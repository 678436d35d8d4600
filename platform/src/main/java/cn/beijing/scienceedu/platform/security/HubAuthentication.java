package cn.beijing.scienceedu.platform.security;

import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/** A token's {@code roles} claim becomes the authorities {@code ROLE_<role>}; the principal's name is {@code sub}. */
public final class HubAuthentication {

    private HubAuthentication() {
    }

    public static JwtAuthenticationConverter jwtConverter() {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName(HubClaims.ROLES);
        roles.setAuthorityPrefix(HubClaims.ROLE_PREFIX);
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles);
        return converter;
    }
}
