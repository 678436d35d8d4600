package cn.beijing.scienceedu.tokenissuer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * Spring Authorization Server set up for the hub: one client-credentials client per unit (claim
 * {@code unit}, roles [BUREAU]), one per service (roles [SERVICE]), the gateway as an OIDC login client
 * (authorization code + PKCE), demo users with form login; audience {@code bureau-hub} on every access token.
 */
@Configuration(proxyBeanMethods = false)
class IssuerConfiguration {

    static final String UNIT_SETTING = "hub.unit";
    static final String ROLES_SETTING = "hub.roles";

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(as -> {
            http.securityMatcher(as.getEndpointsMatcher());
            as.oidc(Customizer.withDefaults());
        });
        http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain loginChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health/**", "/actuator/info", "/error").permitAll()
                        .anyRequest().authenticated())
                .formLogin(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService users(IssuerProperties props) {
        InMemoryUserDetailsManager manager = new InMemoryUserDetailsManager();
        props.getUsers().forEach((name, user) -> manager.createUser(User.withUsername(name)
                .password(user.getPassword().startsWith("{") ? user.getPassword() : "{noop}" + user.getPassword())
                .roles(user.getRoles().toArray(String[]::new))
                .build()));
        return manager;
    }

    @Bean
    RegisteredClientRepository registeredClients(IssuerProperties props) {
        TokenSettings machineTokens = TokenSettings.builder()
                .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                .accessTokenTimeToLive(props.getAccessTokenTtl())
                .build();
        List<RegisteredClient> clients = new ArrayList<>();
        for (String unit : props.getUnits()) {
            String clientId = unit.toLowerCase(Locale.ROOT) + "-system";
            clients.add(machineClient(clientId, props, machineTokens,
                    ClientSettings.builder().setting(UNIT_SETTING, unit).setting(ROLES_SETTING, List.of("BUREAU")).build()));
        }
        for (String service : props.getServices()) {
            clients.add(machineClient(service, props, machineTokens,
                    ClientSettings.builder().setting(ROLES_SETTING, List.of("SERVICE")).build()));
        }
        IssuerProperties.Gateway gw = props.getGateway();
        clients.add(RegisteredClient.withId(gw.getClientId())
                .clientId(gw.getClientId())
                .clientSecret(props.encodedSecret(gw.getClientId()))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUris(uris -> uris.addAll(gw.getRedirectUris()))
                .postLogoutRedirectUris(uris -> uris.addAll(gw.getPostLogoutRedirectUris()))
                .scope(OidcScopes.OPENID)
                .scope(OidcScopes.PROFILE)
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(props.getAccessTokenTtl())
                        .refreshTokenTimeToLive(Duration.ofHours(8))
                        .reuseRefreshTokens(false)
                        .build())
                .build());
        return new InMemoryRegisteredClientRepository(clients);
    }

    private static RegisteredClient machineClient(String clientId, IssuerProperties props, TokenSettings tokens,
            ClientSettings settings) {
        return RegisteredClient.withId(clientId)
                .clientId(clientId)
                .clientSecret(props.encodedSecret(clientId))
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("hub")
                .clientSettings(settings)
                .tokenSettings(tokens)
                .build();
    }

    /** Audience, {@code unit} and {@code roles} claims. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> hubClaims(IssuerProperties props) {
        return context -> {
            List<String> roles = rolesOf(context);
            if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                context.getClaims().audience(List.of(props.getAudience()));
                String unit = context.getRegisteredClient().getClientSettings().getSetting(UNIT_SETTING);
                if (unit != null && AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
                    context.getClaims().claim("unit", unit);
                }
                context.getClaims().claim("roles", roles);
            } else if ("id_token".equals(context.getTokenType().getValue())) {
                context.getClaims().claim("roles", roles);
            }
        };
    }

    private static List<String> rolesOf(JwtEncodingContext context) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            List<String> roles = context.getRegisteredClient().getClientSettings().getSetting(ROLES_SETTING);
            return roles == null ? List.of() : roles;
        }
        return context.getPrincipal().getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(a -> a != null && a.startsWith("ROLE_"))
                .map(a -> a.substring("ROLE_".length()))
                .toList();
    }

    @Bean
    JWKSource<SecurityContext> jwkSource(IssuerProperties props) {
        RSAKey key = SigningKeys.loadOrCreate(props.getDataDir());
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(jwkSource);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(IssuerProperties props) {
        return AuthorizationServerSettings.builder().issuer(props.getUri()).build();
    }

}
