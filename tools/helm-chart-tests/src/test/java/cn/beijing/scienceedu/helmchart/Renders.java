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
                Named.of("token issuer + SFTP exchange + operator calendar", HubChart.render(
                        "services: { token-issuer: { enabled: true } }", SFTP_EXCHANGE, "calendar: { configMap: hub-calendar }")));
    }

    /** No shared directory: the file bureau SKX is reached on its SFTP server instead. */
    static final String SFTP_EXCHANGE = """
            fileExchange: { mode: sftp }
            bureaus: { units: { SKX: { protocol: SFTP, endpoint: "sftp://sftp.skx.example.gov.cn:22/hub" } } }
            networkPolicy:
              bureauEndpoints:
                - { name: SJW, cidr: 10.20.1.0/24, ports: [443] }
                - { name: SKW, cidr: 10.20.2.0/24, ports: [443] }
                - { name: SKX, cidr: 10.20.3.8/29, ports: [22] }
            """;
}
