package cn.beijing.scienceedu.adapters.inbound;

import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.stereotype.Component;

/**
 * This service's own token (role SERVICE): client credentials from the hub's issuer (registration
 * {@code hub-service}), or a fixed token from {@code hub.adapters.task-service.token} where one is set
 * (tests, local runs).
 */
@Component
public class ServiceToken implements Supplier<String> {

    private final String fixed;
    private final ObjectProvider<OAuth2AuthorizedClientManager> clients;

    public ServiceToken(@Value("${hub.adapters.task-service.token:}") String fixed,
            ObjectProvider<OAuth2AuthorizedClientManager> clients) {
        this.fixed = fixed;
        this.clients = clients;
    }

    @Override
    public String get() {
        if (fixed != null && !fixed.isBlank()) {
            return fixed;
        }
        OAuth2AuthorizedClientManager manager = clients.getIfAvailable();
        if (manager == null) {
            throw new IllegalStateException("no service credentials: set hub.adapters.task-service.token or the "
                    + "hub-service client registration");
        }
        OAuth2AuthorizedClient client = manager.authorize(
                OAuth2AuthorizeRequest.withClientRegistrationId("hub-service").principal("bureau-adapters").build());
        if (client == null) {
            throw new IllegalStateException("issuer refused the bureau-adapters client credentials");
        }
        return client.getAccessToken().getTokenValue();
    }
}
