package cn.beijing.scienceedu.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

/**
 * Each simulated bureau's own token from the issuer, by OAuth2 client credentials — the way a real bureau system
 * gets one: client {@code <unit lower>-system}, secret {@code <clientId>-secret} unless configured. Spring
 * Security's authorized-client manager keeps one token per unit and fetches a new one {@code refresh-before}
 * ahead of its expiry.
 */
public final class ClientCredentialsBureauTokens implements BureauTokens {

    private static final String PRINCIPAL = "bureau-simulator";

    private final AuthorizedClientServiceOAuth2AuthorizedClientManager manager;

    public ClientCredentialsBureauTokens(SimSettings.Oauth2 settings, List<String> units) {
        List<ClientRegistration> registrations = new ArrayList<>();
        for (String unit : units) {
            String clientId = unit.toLowerCase(Locale.ROOT) + "-system";
            registrations.add(ClientRegistration.withRegistrationId(unit)
                    .clientId(clientId)
                    .clientSecret(settings.getClientSecrets().getOrDefault(clientId, clientId + "-secret"))
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                    .tokenUri(settings.getTokenUri())
                    .build());
        }
        InMemoryClientRegistrationRepository clients = new InMemoryClientRegistrationRepository(registrations);
        manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(clients,
                new InMemoryOAuth2AuthorizedClientService(clients));
        Duration refreshBefore = settings.getRefreshBefore();
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
                .clientCredentials(c -> c.clockSkew(refreshBefore))
                .build());
    }

    /** The unit's current token; a new one when there is none yet or it expires within {@code refresh-before}. */
    @Override
    public String tokenFor(String unit) {
        OAuth2AuthorizedClient client = manager.authorize(
                OAuth2AuthorizeRequest.withClientRegistrationId(unit).principal(PRINCIPAL).build());
        if (client == null) {
            throw new IllegalStateException("the issuer gave " + unit + " no token");
        }
        return client.getAccessToken().getTokenValue();
    }
}
