package cn.beijing.scienceedu.gateway.security;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * Who the gateway trusts. Production sets only {@code HUB_ISSUER_URI} (e.g. a Keycloak realm); the gateway
 * discovers the issuer's keys and login endpoints lazily, so it starts even while the issuer is still down.
 */
@ConfigurationProperties("hub.identity")
public class IdentityProperties {

    /** Issuer every accepted token must name ({@code iss}). */
    private String issuerUri = "http://localhost:9000";
    /** Audience every accepted token must carry. */
    private String audience = "bureau-hub";
    /** Optional JWKS URL when the gateway reaches the issuer by another address than {@code iss}. */
    private String jwkSetUri;
    /** Optional fixed public key (tests: the key of tools/test-support); replaces JWKS discovery. */
    private Resource publicKeyLocation;
    private Login login = new Login();
    /** Origins allowed to call the hub from a browser (CORS). */
    private List<String> corsAllowedOrigins = new ArrayList<>(List.of("http://localhost:8080"));

    /** The gateway's own OIDC login client (authorization code + PKCE), for people using the dashboard. */
    public static class Login {
        private String registrationId = "hub";
        private String clientId = "hub-gateway";
        private String clientSecret = "hub-gateway-secret";
        private List<String> scopes = new ArrayList<>(List.of("openid", "profile"));

        public String getRegistrationId() { return registrationId; }
        public void setRegistrationId(String registrationId) { this.registrationId = registrationId; }
        public String getClientId() { return clientId; }
        public void setClientId(String clientId) { this.clientId = clientId; }
        public String getClientSecret() { return clientSecret; }
        public void setClientSecret(String clientSecret) { this.clientSecret = clientSecret; }
        public List<String> getScopes() { return scopes; }
        public void setScopes(List<String> scopes) { this.scopes = scopes; }
    }

    public String getIssuerUri() { return issuerUri; }
    public void setIssuerUri(String issuerUri) { this.issuerUri = issuerUri; }
    public String getAudience() { return audience; }
    public void setAudience(String audience) { this.audience = audience; }
    public String getJwkSetUri() { return jwkSetUri; }
    public void setJwkSetUri(String jwkSetUri) { this.jwkSetUri = jwkSetUri; }
    public Resource getPublicKeyLocation() { return publicKeyLocation; }
    public void setPublicKeyLocation(Resource publicKeyLocation) { this.publicKeyLocation = publicKeyLocation; }
    public Login getLogin() { return login; }
    public void setLogin(Login login) { this.login = login; }
    public List<String> getCorsAllowedOrigins() { return corsAllowedOrigins; }
    public void setCorsAllowedOrigins(List<String> corsAllowedOrigins) { this.corsAllowedOrigins = corsAllowedOrigins; }
}
