package cn.beijing.scienceedu.gateway.security;

import java.time.Duration;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The gateway's login client, discovered from {@code HUB_ISSUER_URI}'s OpenID configuration on first use (so
 * the gateway starts while the issuer is still starting, and any OIDC issuer, Spring Authorization Server or
 * Keycloak, works by configuration only). A failed discovery is retried on the next login.
 */
class IssuerClientRegistrations implements ReactiveClientRegistrationRepository {

    private final String registrationId;
    private final Mono<ClientRegistration> registration;

    IssuerClientRegistrations(IdentityProperties props) {
        IdentityProperties.Login login = props.getLogin();
        this.registrationId = login.getRegistrationId();
        this.registration = Mono.fromCallable(() -> ClientRegistrations.fromIssuerLocation(props.getIssuerUri())
                        .registrationId(login.getRegistrationId())
                        .clientId(login.getClientId())
                        .clientSecret(login.getClientSecret())
                        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                        .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                        .scope(login.getScopes())
                        .userNameAttributeName("sub")
                        .build())
                .subscribeOn(Schedulers.boundedElastic())
                .cache(ok -> Duration.ofHours(1), error -> Duration.ZERO, () -> Duration.ZERO);
    }

    @Override
    public Mono<ClientRegistration> findByRegistrationId(String id) {
        return registrationId.equals(id) ? registration : Mono.empty();
    }
}
