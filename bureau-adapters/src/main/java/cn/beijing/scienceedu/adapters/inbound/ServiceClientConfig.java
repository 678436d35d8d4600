package cn.beijing.scienceedu.adapters.inbound;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * Client-credentials tokens for {@link ServiceToken}, outside any web request (Camel routes, pollers):
 * the service-based manager keeps the token until it is about to expire, then fetches a new one.
 */
@Configuration(proxyBeanMethods = false)
class ServiceClientConfig {

    @Bean
    OAuth2AuthorizedClientManager serviceClientManager(ClientRegistrationRepository registrations,
            ObjectProvider<OAuth2AuthorizedClientService> authorizedClients) {
        OAuth2AuthorizedClientService store = authorizedClients
                .getIfAvailable(() -> new InMemoryOAuth2AuthorizedClientService(registrations));
        AuthorizedClientServiceOAuth2AuthorizedClientManager manager =
                new AuthorizedClientServiceOAuth2AuthorizedClientManager(registrations, store);
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder().clientCredentials().build());
        return manager;
    }
}
