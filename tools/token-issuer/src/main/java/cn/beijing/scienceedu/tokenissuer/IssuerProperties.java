package cn.beijing.scienceedu.tokenissuer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the local issuer knows: its URL, where it keeps its signing key, the clients (one per unit,
 * one per service, the gateway's login client) and the demo users.
 */
@ConfigurationProperties("hub.issuer")
public class IssuerProperties {

    /** The issuer URL written into every token ({@code iss}); services accept this as HUB_ISSUER_URI. */
    private String uri = "http://localhost:9000";
    /** Audience of every access token. */
    private String audience = "bureau-hub";
    /** Folder that holds the RSA signing key (kept across restarts so issued tokens stay valid). */
    private Path dataDir = Path.of(".hub-data", "token-issuer");
    /** Lifetime of access tokens. */
    private Duration accessTokenTtl = Duration.ofMinutes(30);
    /** Unit codes of the 17 responsible units; each gets client {@code <code lower>-system}. */
    private List<String> units = new ArrayList<>();
    /** Service clients (role SERVICE). */
    private List<String> services = new ArrayList<>();
    /**
     * Client secrets by client id. A value starting with "{" is already encoded ({bcrypt}…);
     * otherwise it is plain. A client without an entry gets the demo default {@code <clientId>-secret}.
     */
    private Map<String, String> secrets = new LinkedHashMap<>();
    /** When false (prod), a client without a configured secret is an error instead of a demo default. */
    private boolean demoSecrets = true;
    private Gateway gateway = new Gateway();
    /** Demo users (form login): name → password and roles. */
    private Map<String, User> users = new LinkedHashMap<>();

    public static class Gateway {
        private String clientId = "hub-gateway";
        private List<String> redirectUris = new ArrayList<>(List.of("http://localhost:8080/login/oauth2/code/hub"));
        private List<String> postLogoutRedirectUris = new ArrayList<>(List.of("http://localhost:8080/"));

        public String getClientId() { return clientId; }
        public void setClientId(String clientId) { this.clientId = clientId; }
        public List<String> getRedirectUris() { return redirectUris; }
        public void setRedirectUris(List<String> redirectUris) { this.redirectUris = redirectUris; }
        public List<String> getPostLogoutRedirectUris() { return postLogoutRedirectUris; }
        public void setPostLogoutRedirectUris(List<String> uris) { this.postLogoutRedirectUris = uris; }
    }

    public static class User {
        private String password;
        private List<String> roles = new ArrayList<>();

        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public List<String> getRoles() { return roles; }
        public void setRoles(List<String> roles) { this.roles = roles; }
    }

    /** The secret for a client, encoded for a DelegatingPasswordEncoder. */
    public String encodedSecret(String clientId) {
        String secret = secrets.get(clientId);
        if (secret == null || secret.isBlank()) {
            if (!demoSecrets) {
                throw new IllegalStateException("no secret configured for client " + clientId
                        + " (hub.issuer.secrets." + clientId + ") and demo secrets are off");
            }
            secret = clientId + "-secret";
        }
        return secret.startsWith("{") ? secret : "{noop}" + secret;
    }

    public String getUri() { return uri; }
    public void setUri(String uri) { this.uri = uri; }
    public String getAudience() { return audience; }
    public void setAudience(String audience) { this.audience = audience; }
    public Path getDataDir() { return dataDir; }
    public void setDataDir(Path dataDir) { this.dataDir = dataDir; }
    public Duration getAccessTokenTtl() { return accessTokenTtl; }
    public void setAccessTokenTtl(Duration accessTokenTtl) { this.accessTokenTtl = accessTokenTtl; }
    public List<String> getUnits() { return units; }
    public void setUnits(List<String> units) { this.units = units; }
    public List<String> getServices() { return services; }
    public void setServices(List<String> services) { this.services = services; }
    public Map<String, String> getSecrets() { return secrets; }
    public void setSecrets(Map<String, String> secrets) { this.secrets = secrets; }
    public boolean isDemoSecrets() { return demoSecrets; }
    public void setDemoSecrets(boolean demoSecrets) { this.demoSecrets = demoSecrets; }
    public Gateway getGateway() { return gateway; }
    public void setGateway(Gateway gateway) { this.gateway = gateway; }
    public Map<String, User> getUsers() { return users; }
    public void setUsers(Map<String, User> users) { this.users = users; }
}
