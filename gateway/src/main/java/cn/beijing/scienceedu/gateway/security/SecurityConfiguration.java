package cn.beijing.scienceedu.gateway.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import cn.beijing.scienceedu.gateway.problem.Problems;
import cn.beijing.scienceedu.platform.security.HubAuthentication;
import cn.beijing.scienceedu.platform.security.RsaPublicKeys;
import cn.beijing.scienceedu.platform.security.VerifiedTokenCache;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.server.AuthenticatedPrincipalServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoders;
import org.springframework.security.oauth2.jwt.SupplierReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.DelegatingServerAuthenticationEntryPoint;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import reactor.core.publisher.Mono;
import org.springframework.web.server.WebFilter;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter;
import org.springframework.security.web.server.util.matcher.MediaTypeServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher.MatchResult;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * Identity at the front door. Bearer tokens (bureau systems, services, scripts) are validated here, and again by
 * every service; people log in with OIDC authorization code + PKCE and the gateway relays their access token
 * (TokenRelay). Roles come from the {@code roles} claim. Anonymous callers reach only health, login and the API
 * documentation ({@code /docs}, the published contracts).
 *
 * <p>The route-level rules below are coarse (which role may reach which API at all); the services apply the
 * object-level rules themselves (a bureau sees only its own unit's tasks, another unit's task is 404).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
@EnableConfigurationProperties(IdentityProperties.class)
public class SecurityConfiguration {

    static final String[] TASK_API = {"/api/v1/policies/**", "/api/v1/units/**", "/api/v1/tasks/**"};
    static final String[] REPORTING_API = {"/api/v1/reports/**", "/api/v1/districts/**", "/api/v1/schools/**"};
    /** The API documentation (docs.ApiDocs): the page, the spec list, the specs, Swagger UI's files. */
    static final String[] DOCS = {"/docs", "/docs/**"};

    @Bean
    SecurityWebFilterChain hubSecurity(ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder,
            ReactiveClientRegistrationRepository registrations, IdentityProperties props, ManagementPort managementPort) {
        ServerAuthenticationEntryPoint problem401 = (exchange, ex) -> {
            boolean hadToken = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
            exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, hadToken
                    ? "Bearer realm=\"bureau-hub\", error=\"invalid_token\""
                    : "Bearer realm=\"bureau-hub\"");
            return Problems.write(exchange, HttpStatus.UNAUTHORIZED, "unauthorized", hadToken
                    ? "The bearer token is not valid here (expired, not signed by the hub's issuer, or for another audience)."
                    : "Authentication required: send a bearer token from the hub's issuer, or log in.");
        };
        ServerAccessDeniedHandler problem403 = (exchange, ex) -> ReactiveSecurityContextHolder.getContext()
                .doOnNext(context -> exchange.getAttributes().put(Caller.ATTRIBUTE, Caller.from(context.getAuthentication())))
                .then(Problems.write(exchange, HttpStatus.FORBIDDEN, "forbidden", "Your roles do not allow this API."));

        DelegatingServerAuthenticationEntryPoint entryPoint = new DelegatingServerAuthenticationEntryPoint(
                new DelegatingServerAuthenticationEntryPoint.DelegateEntry(browserWithoutToken(),
                        new RedirectServerAuthenticationEntryPoint("/oauth2/authorization/" + props.getLogin().getRegistrationId())));
        entryPoint.setDefaultEntryPoint(problem401);

        DefaultServerOAuth2AuthorizationRequestResolver pkce = new DefaultServerOAuth2AuthorizationRequestResolver(registrations);
        pkce.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());

        CookieServerCsrfTokenRepository csrfTokens = CookieServerCsrfTokenRepository.withHttpOnlyFalse();
        http
                .securityContextRepository(new LoginSessionContextRepository())
                .csrf(csrf -> csrf
                        // bearer-token calls carry no ambient credentials; only writes riding a login session need CSRF
                        .requireCsrfProtectionMatcher(exchange -> {
                            HttpMethod m = exchange.getRequest().getMethod();
                            boolean safe = m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS || m == HttpMethod.TRACE;
                            boolean bearer = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
                            boolean session = exchange.getRequest().getCookies().containsKey("SESSION");
                            return (safe || bearer || !session) ? MatchResult.notMatch() : MatchResult.match();
                        })
                        .accessDeniedHandler((exchange, ex) -> Problems.write(exchange, HttpStatus.FORBIDDEN, "csrf",
                                "A write from a login session needs the X-XSRF-TOKEN header (cookie XSRF-TOKEN)."))
                        .csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new HeaderCsrfTokenRequestHandler()))
                .cors(cors -> cors.configurationSource(cors(props)))
                .headers(h -> h
                        .contentSecurityPolicy(csp -> csp.policyDirectives("frame-ancestors 'none'; object-src 'none'; base-uri 'self'"))
                        .referrerPolicy(r -> r.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                        .frameOptions(f -> f.mode(XFrameOptionsServerHttpHeadersWriter.Mode.DENY)))
                .authorizeExchange(a -> a
                        .pathMatchers(HttpMethod.OPTIONS).permitAll()
                        .pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .matchers(exchange -> managementPort.served(exchange)
                                && "/actuator/prometheus".equals(exchange.getRequest().getPath().pathWithinApplication().value())
                                ? MatchResult.match() : MatchResult.notMatch()).permitAll()
                        .pathMatchers("/login/**", "/oauth2/**", "/logout").permitAll()
                        .pathMatchers("/actuator/**").hasAnyRole("OPERATOR", "ADMIN")
                        .pathMatchers("/api/v1/operations/**").hasAnyRole("OPERATOR", "ADMIN")
                        .pathMatchers("/api/v1/bureau/**", "/soap/bureau").hasAnyRole("BUREAU", "SERVICE")
                        .pathMatchers(REPORTING_API).hasAnyRole("LIAISON", "OPERATOR", "ADMIN", "SERVICE")
                        .pathMatchers("/api/v1/events/**").hasAnyRole("LIAISON", "OPERATOR", "ADMIN", "SERVICE")
                        // bureau systems read their tasks through the task API and write through /api/v1/bureau/**
                        // (bureau-adapters logs and deduplicates every bureau message); attachments are the exception
                        .pathMatchers(HttpMethod.POST, "/api/v1/tasks/*/attachments").hasAnyRole("BUREAU", "LIAISON", "ADMIN", "SERVICE")
                        .pathMatchers(HttpMethod.GET, TASK_API).hasAnyRole("BUREAU", "LIAISON", "OPERATOR", "ADMIN", "SERVICE")
                        .pathMatchers(HttpMethod.HEAD, TASK_API).hasAnyRole("BUREAU", "LIAISON", "OPERATOR", "ADMIN", "SERVICE")
                        .pathMatchers(TASK_API).hasAnyRole("LIAISON", "ADMIN", "SERVICE")
                        .pathMatchers("/dashboard/**", "/webjars/**").hasAnyRole("LIAISON", "OPERATOR", "ADMIN")
                        // the published API contracts and their page are public; only docs.ApiDocs answers under /docs
                        // (before any route: no service is reachable there), anything it does not publish is a 404
                        .pathMatchers(HttpMethod.GET, DOCS).permitAll()
                        .pathMatchers(HttpMethod.HEAD, DOCS).permitAll()
                        // the page's client-credentials token request, relayed to the issuer (hub.gateway.docs.token-relay)
                        .pathMatchers(HttpMethod.POST, "/docs/oauth2/token").permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(rs -> rs
                        .jwt(jwt -> jwt.jwtDecoder(jwtDecoder).jwtAuthenticationConverter(jwtAuthentication()))
                        .authenticationEntryPoint(problem401)
                        .accessDeniedHandler(problem403))
                .oauth2Login(login -> login.authorizationRequestResolver(pkce))
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(problem403));
        return http.build();
    }

    /**
     * The cookie repository writes {@code XSRF-TOKEN} only when something subscribes to the deferred
     * token; without this a login session never receives the cookie and every write from the dashboard
     * is refused. Bearer-token callers need no CSRF token, so they are left alone.
     */
    @Bean
    WebFilter csrfCookieForLoginSessions() {
        return (exchange, chain) -> {
            Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
            boolean bearer = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
            return (token == null || bearer ? Mono.<Void>empty() : token.then()).then(chain.filter(exchange));
        };
    }

    /**
     * Requests Spring Security's firewall refuses (an empty path segment {@code //}, encoded slashes, non-printable
     * header values …) are answered as a 400 problem detail like every other error, not a bare 400.
     */
    @Bean
    ServerExchangeRejectedHandler firewallRejections() {
        return (exchange, rejected) -> Problems.write(exchange, HttpStatus.BAD_REQUEST, "request-rejected",
                "The request was refused before routing: its path or headers are not in a form the hub accepts"
                        + " (for example an empty path segment \"//\").");
    }

    /** A person's browser: an HTML page request without a bearer token goes to the login. */
    private static ServerWebExchangeMatcher browserWithoutToken() {
        MediaTypeServerWebExchangeMatcher html = new MediaTypeServerWebExchangeMatcher(MediaType.TEXT_HTML);
        html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return exchange -> exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)
                ? MatchResult.notMatch()
                : html.matches(exchange);
    }

    private static CorsConfigurationSource cors(IdentityProperties props) {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(props.getCorsAllowedOrigins());
        cors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
        cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept", "Accept-Language", "Idempotency-Key",
                "If-Match", "If-None-Match", "traceparent", "tracestate", "X-XSRF-TOKEN"));
        cors.setExposedHeaders(List.of("ETag", "Location", "Retry-After", "traceparent", "X-RateLimit-Remaining"));
        cors.setAllowCredentials(true);
        cors.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }

    /**
     * No observation (span + timer) per security filter: the request's own server span and the access log cover
     * it, and per-filter observations cost more CPU than the proxying itself.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /** Roles from the {@code roles} claim become {@code ROLE_<role>}. */
    static ReactiveJwtAuthenticationConverterAdapter jwtAuthentication() {
        return new ReactiveJwtAuthenticationConverterAdapter(HubAuthentication.jwtConverter());
    }

    /** People logging in: roles from the ID token's {@code roles} claim. */
    @Bean
    GrantedAuthoritiesMapper rolesFromIdToken() {
        return authorities -> {
            Set<GrantedAuthority> mapped = new HashSet<>(authorities);
            for (GrantedAuthority authority : authorities) {
                if (authority instanceof OidcUserAuthority oidc) {
                    Object roles = oidc.getIdToken().getClaims().get("roles");
                    if (roles instanceof Collection<?> list) {
                        list.forEach(r -> mapped.add(new SimpleGrantedAuthority("ROLE_" + r)));
                    }
                }
            }
            return mapped;
        };
    }

    /**
     * Accepts RS256 tokens of the configured issuer for audience {@code bureau-hub}. Keys come from a fixed public
     * key (tests), a configured JWKS URL, or the issuer's discovery document, fetched on first use. Verified tokens
     * are remembered ({@link VerifiedTokenCache}; {@code hub.identity.verified-token-cache=false} turns it off); their
     * expiry, issuer and audience are checked on every request.
     */
    @Bean
    ReactiveJwtDecoder jwtDecoder(IdentityProperties props,
            @org.springframework.beans.factory.annotation.Value("${hub.identity.verified-token-cache:true}") boolean cache) {
        ReactiveJwtDecoder decoder = uncachedJwtDecoder(props);
        return cache ? VerifiedTokenCache.checking(validator(props)).reactiveDecoder(decoder) : decoder;
    }

    private static OAuth2TokenValidator<Jwt> validator(IdentityProperties props) {
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator(Duration.ofSeconds(30)));
        validators.add(new JwtIssuerValidator(props.getIssuerUri()));
        validators.add(new JwtAudienceValidator(props.getAudience()));
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    private static ReactiveJwtDecoder uncachedJwtDecoder(IdentityProperties props) {
        OAuth2TokenValidator<Jwt> validator = validator(props);
        if (props.getPublicKeyLocation() != null) {
            NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withPublicKey(RsaPublicKeys.read(props.getPublicKeyLocation()))
                    .signatureAlgorithm(SignatureAlgorithm.RS256).build();
            decoder.setJwtValidator(validator);
            return decoder;
        }
        if (props.getJwkSetUri() != null && !props.getJwkSetUri().isBlank()) {
            NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(props.getJwkSetUri())
                    .jwsAlgorithm(SignatureAlgorithm.RS256).build();
            decoder.setJwtValidator(validator);
            return decoder;
        }
        return new SupplierReactiveJwtDecoder(() -> {
            NimbusReactiveJwtDecoder decoder = (NimbusReactiveJwtDecoder) ReactiveJwtDecoders.fromIssuerLocation(props.getIssuerUri());
            decoder.setJwtValidator(validator);
            return decoder;
        });
    }

    @Bean
    ReactiveClientRegistrationRepository clientRegistrations(IdentityProperties props) {
        return new IssuerClientRegistrations(props);
    }

    @Bean
    ReactiveOAuth2AuthorizedClientService authorizedClientService(ReactiveClientRegistrationRepository registrations) {
        return new InMemoryReactiveOAuth2AuthorizedClientService(registrations);
    }

    @Bean
    ServerOAuth2AuthorizedClientRepository authorizedClientRepository(ReactiveOAuth2AuthorizedClientService service) {
        return new AuthenticatedPrincipalServerOAuth2AuthorizedClientRepository(service);
    }

    /** Used by TokenRelay: hands out (and refreshes) the logged-in person's access token. */
    @Bean
    ReactiveOAuth2AuthorizedClientManager authorizedClientManager(ReactiveClientRegistrationRepository registrations,
            ServerOAuth2AuthorizedClientRepository authorizedClients) {
        DefaultReactiveOAuth2AuthorizedClientManager manager = new DefaultReactiveOAuth2AuthorizedClientManager(
                registrations, authorizedClients);
        manager.setAuthorizedClientProvider(ReactiveOAuth2AuthorizedClientProviderBuilder.builder()
                .authorizationCode().refreshToken().build());
        return manager;
    }
}
