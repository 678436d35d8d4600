package cn.beijing.scienceedu.gateway.docs;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code hub.gateway.docs}: the API documentation at {@code /docs} ({@link ApiDocs}). */
@ConfigurationProperties("hub.gateway.docs")
public class DocsProperties {

    /**
     * Where the published specs are (Spring resource patterns, {@code *.yaml}). The build puts every
     * {@code contracts/src/main/openapi/*.yaml} on the classpath as {@code openapi/<name>.yaml} (gateway/pom.xml).
     */
    private List<String> specs = new ArrayList<>(List.of("classpath*:openapi/*.yaml"));

    /** Client id filled into the page's Authorize dialog (client credentials); empty = none. Never a secret. */
    private String clientId = "";

    /**
     * Whether {@code POST /docs/oauth2/token} relays the page's client-credentials token request to the issuer's token
     * endpoint (discovered from {@code hub.identity.issuer-uri}). The page lives on the gateway's origin and the local
     * issuer answers no cross-origin (CORS) request, so without the relay the browser cannot take a token there.
     * On in the local run (profile {@code local}); an issuer that allows the gateway's origin needs no relay.
     */
    private boolean tokenRelay = false;

    public List<String> getSpecs() { return specs; }
    public void setSpecs(List<String> specs) { this.specs = specs; }
    public String getClientId() { return clientId; }
    public void setClientId(String clientId) { this.clientId = clientId; }
    public boolean isTokenRelay() { return tokenRelay; }
    public void setTokenRelay(boolean tokenRelay) { this.tokenRelay = tokenRelay; }
}
