package cn.beijing.scienceedu.helmchart;

import org.junit.jupiter.api.Named;

import java.util.stream.Stream;

/** The value sets every structural check runs against. */
final class Renders {

    private Renders() {
    }

    static Stream<Named<Manifests>> defaultAndProd() {
        return Stream.of(
                Named.of("default values", HubChart.render()),
                Named.of("values-prod.yaml", HubChart.renderProd()),
                Named.of("token issuer + SFTP exchange", HubChart.render("""
                        services: { token-issuer: { enabled: true } }
                        fileExchange: { mode: sftp, sftp: { existingSecret: hub-sftp } }
                        """)));
    }
}
