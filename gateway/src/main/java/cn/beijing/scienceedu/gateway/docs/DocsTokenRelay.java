package cn.beijing.scienceedu.gateway.docs;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code POST /docs/oauth2/token}: the docs page's "Authorize" (OAuth2 client credentials) taken to the hub's issuer.
 * The page is on the gateway's origin and an issuer need not answer cross-origin requests (the local one does not), so
 * the page sends its token request here and this relays it to the token endpoint of {@code hub.identity.issuer-uri}
 * (from the issuer's discovery, as the login does), answering with the issuer's own status and body.
 *
 * <p>Only a client-credentials grant, as a small form, with the client's own credentials (HTTP Basic or the form's
 * {@code client_id} / {@code client_secret}); no cookie or other header goes on; nothing is kept. It gives nobody more
 * than the issuer's token endpoint already does. Off unless {@code hub.gateway.docs.token-relay} (on in profile local).
 */
final class DocsTokenRelay {

    private static final Logger log = LoggerFactory.getLogger(DocsTokenRelay.class);

    static final String PATH = "/docs/oauth2/token";
    /** A client-credentials form is a few hundred bytes. */
    static final int MAX_FORM_BYTES = 4 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ReactiveClientRegistrationRepository registrations;
    private final String registrationId;
    private final WebClient http = WebClient.builder().build();

    DocsTokenRelay(ReactiveClientRegistrationRepository registrations, String registrationId) {
        this.registrations = registrations;
        this.registrationId = registrationId;
    }

    Mono<ServerResponse> relay(ServerRequest request) {
        MediaType type = request.headers().contentType().orElse(null);
        if (type == null || !MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(type)) {
            return problem(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "A token request is a form: Content-Type application/x-www-form-urlencoded.");
        }
        String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return problem(request, HttpStatus.BAD_REQUEST, "bad-request",
                    "A token request names its client with HTTP Basic or in the form, nothing else.");
        }
        return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), MAX_FORM_BYTES)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(form -> {
                    if (!clientCredentials(new String(form, StandardCharsets.UTF_8))) {
                        return problem(request, HttpStatus.BAD_REQUEST, "bad-request",
                                "Only the client-credentials grant is relayed here: grant_type=client_credentials, once.");
                    }
                    return forward(request, form, authorization);
                })
                .onErrorResume(DataBufferLimitException.class, e -> problem(request, HttpStatus.CONTENT_TOO_LARGE,
                        "payload-too-large", "A token request is at most " + MAX_FORM_BYTES + " bytes."));
    }

    private Mono<ServerResponse> forward(ServerRequest request, byte[] form, String authorization) {
        return registrations.findByRegistrationId(registrationId)
                .map(registration -> registration.getProviderDetails().getTokenUri())
                .flatMap(tokenUri -> http.post().uri(tokenUri)
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                        .accept(MediaType.APPLICATION_JSON)
                        .headers(h -> {
                            if (authorization != null) {
                                h.set(HttpHeaders.AUTHORIZATION, authorization);
                            }
                        })
                        .bodyValue(form)
                        .exchangeToMono(answer -> answer.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
                                .flatMap(body -> {
                                    ServerResponse.BodyBuilder out = ServerResponse.status(answer.statusCode())
                                            .header(HttpHeaders.CACHE_CONTROL, "no-store")
                                            .header("Pragma", "no-cache");
                                    answer.headers().contentType().ifPresent(out::contentType);
                                    String challenge = answer.headers().asHttpHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE);
                                    if (challenge != null) {
                                        out.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
                                    }
                                    return out.bodyValue(body);
                                }))
                        .timeout(TIMEOUT))
                .switchIfEmpty(Mono.defer(() -> ApiDocs.problem(request, HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable",
                        "The issuer's token endpoint is not known. Retry later.", HttpHeaders.RETRY_AFTER, "10")))
                .onErrorResume(e -> {
                    log.warn("docs token relay: the issuer's token endpoint did not answer: {}", e.toString());
                    return ApiDocs.problem(request, HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable",
                            "The hub's issuer cannot be reached for a token. Retry later.", HttpHeaders.RETRY_AFTER, "10");
                });
    }

    /** {@code grant_type=client_credentials}, exactly once, in a well-formed form. */
    static boolean clientCredentials(String form) {
        List<String> grants = new ArrayList<>();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                return false;
            }
            if (name.equals("grant_type")) {
                grants.add(value);
            }
        }
        return grants.equals(List.of("client_credentials"));
    }

    private static Mono<ServerResponse> problem(ServerRequest request, HttpStatus status, String slug, String detail) {
        return ApiDocs.problem(request, status, slug, detail);
    }
}
