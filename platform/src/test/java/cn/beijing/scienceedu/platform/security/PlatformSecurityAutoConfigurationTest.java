package cn.beijing.scienceedu.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** A servlet service gets the hub's decoder from the standard properties; its own decoder wins; WebFlux gets none. */
class PlatformSecurityAutoConfigurationTest {

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PlatformSecurityAutoConfiguration.class));

    @Test
    void aServletServiceGetsTheHubDecoder(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("issuer.pub");
        Files.write(key, HubJwtDecodersTest.pem(HubJwtDecodersTest.KEYS).getByteArray());
        servlet.withPropertyValues("spring.security.oauth2.resourceserver.jwt.issuer-uri=http://localhost:9000",
                        "spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + key,
                        "hub.security.token-issuer=" + HubJwtDecodersTest.ISSUER)
                .run(context -> {
                    JwtDecoder decoder = context.getBean(JwtDecoder.class);
                    assertThat(decoder.decode(HubJwtDecodersTest.token(HubJwtDecodersTest.KEYS, HubJwtDecodersTest.ISSUER,
                            List.of("bureau-hub"), Instant.now().plusSeconds(600))).getSubject()).isEqualTo("csv-czj");
                });
    }

    @Test
    void aServiceThatDeclaresItsOwnDecoderKeepsIt() {
        JwtDecoder own = token -> {
            throw new UnsupportedOperationException();
        };
        servlet.withBean(JwtDecoder.class, () -> own)
                .withPropertyValues("spring.security.oauth2.resourceserver.jwt.issuer-uri=http://localhost:9000")
                .run(context -> assertThat(context.getBean(JwtDecoder.class)).isSameAs(own));
    }

    @Test
    void nothingWhereNoKeysAreConfigured() {
        servlet.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(JwtDecoder.class));
    }

    @Test
    void nothingOutsideAServletApplication() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PlatformSecurityAutoConfiguration.class))
                .withPropertyValues("spring.security.oauth2.resourceserver.jwt.issuer-uri=http://localhost:9000")
                .run(context -> assertThat(context).doesNotHaveBean(JwtDecoder.class));
    }
}
