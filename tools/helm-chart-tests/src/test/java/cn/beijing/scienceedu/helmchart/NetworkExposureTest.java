package cn.beijing.scienceedu.helmchart;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkExposureTest {

    /** The one namespace from outside the release allowed in besides the ingress controller: Prometheus. */
    private static final Map<String, String> METRICS_SCRAPER = Map.of("kubernetes.io/metadata.name", "monitoring");

    @ForEachValueSet
    void everyContainerPortIsExposedByAServiceSelectingThePod(Manifests manifests) {
        for (Deployment deployment : manifests.all(Deployment.class)) {
            Map<String, String> podLabels = Manifests.pod(deployment).getMetadata().getLabels();
            List<Service> services = manifests.all(Service.class).stream()
                    .filter(service -> podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()))
                    .toList();
            for (ContainerPort port : Manifests.pod(deployment).getSpec().getContainers().get(0).getPorts()) {
                assertThat(services).as("Service for %s port %s", deployment.getMetadata().getName(), port.getName())
                        .anySatisfy(service -> assertThat(service.getSpec().getPorts()).anySatisfy(servicePort -> {
                            assertThat(servicePort.getTargetPort().getStrVal()).isEqualTo(port.getName());
                            assertThat(servicePort.getPort()).isEqualTo(port.getContainerPort());
                        }));
            }
        }
    }

    @ForEachValueSet
    void everyPodIsCoveredByANetworkPolicyInBothDirections(Manifests manifests) {
        for (Deployment deployment : manifests.all(Deployment.class)) {
            Map<String, String> podLabels = Manifests.pod(deployment).getMetadata().getLabels();
            assertThat(manifests.all(NetworkPolicy.class)).as(deployment.getMetadata().getName())
                    .anySatisfy(policy -> {
                        assertThat(policy.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
                        assertThat(podLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
                        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
                    });
        }
    }

    @ForEachValueSet
    void onlyTheGatewayAcceptsTrafficFromOutsideTheRelease(Manifests manifests) {
        for (NetworkPolicy policy : manifests.all(NetworkPolicy.class)) {
            String component = Manifests.component(policy);
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                assertThat(rule.getFrom()).as("%s: an ingress rule without 'from' admits everyone", component).isNotEmpty();
                assertThat(rule.getPorts()).as("%s: an ingress rule without ports", component).isNotEmpty();
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    if (!fromThisRelease(peer) && !isMetricsScraper(peer)) {
                        assertThat(component).as("admits %s", peer).isEqualTo("gateway");
                    }
                }
            }
        }
        NetworkPolicy gateway = manifests.all(NetworkPolicy.class).stream()
                .filter(policy -> "gateway".equals(Manifests.component(policy))).findFirst().orElseThrow();
        assertThat(gateway.getSpec().getIngress()).flatExtracting(NetworkPolicyIngressRule::getFrom)
                .as("the ingress controller reaches the gateway")
                .anySatisfy(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .containsEntry("kubernetes.io/metadata.name", "ingress-nginx"));
    }

    @ForEachValueSet
    void egressGoesOnlyToNamedDestinationsAndPorts(Manifests manifests) {
        for (NetworkPolicy policy : manifests.all(NetworkPolicy.class)) {
            List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
            assertThat(egress).as("DNS").anySatisfy(rule ->
                    assertThat(rule.getPorts()).anySatisfy(port -> assertThat(port.getPort().getIntVal()).isEqualTo(53)));
            for (NetworkPolicyEgressRule rule : egress) {
                assertThat(rule.getTo()).as("%s: egress without 'to' reaches anywhere", policy.getMetadata().getName()).isNotEmpty();
                assertThat(rule.getPorts()).as("%s: egress to any port", policy.getMetadata().getName()).isNotEmpty();
                rule.getTo().stream().filter(peer -> peer.getIpBlock() != null)
                        .forEach(peer -> assertThat(peer.getIpBlock().getCidr()).isNotIn("0.0.0.0/0", "::/0"));
            }
        }
    }

    @Test
    void bureauAdaptersMayReachEachConfiguredBureauEndpoint() {
        NetworkPolicy adapters = HubChart.render().all(NetworkPolicy.class).stream()
                .filter(policy -> "bureau-adapters".equals(Manifests.component(policy))).findFirst().orElseThrow();

        assertThat(adapters.getSpec().getEgress()).anySatisfy(rule -> {
            assertThat(rule.getTo()).extracting(peer -> peer.getIpBlock() == null ? null : peer.getIpBlock().getCidr())
                    .containsExactly("10.20.1.0/24");
            assertThat(rule.getPorts()).extracting(port -> port.getPort().getIntVal()).containsExactly(443);
        });
    }

    @Test
    void theGatewayIsPublishedOverTls() {
        Ingress ingress = HubChart.render().all(Ingress.class).stream().findFirst().orElseThrow();

        assertThat(ingress.getSpec().getTls()).singleElement()
                .satisfies(tls -> assertThat(tls.getHosts()).containsExactly("hub.example.gov.cn"));
        assertThat(ingress.getSpec().getRules()).singleElement().satisfies(rule -> assertThat(
                rule.getHttp().getPaths().get(0).getBackend().getService().getName()).endsWith("-gateway"));
    }

    @Test
    void bureausOnMutualTlsReachTheGatewayThroughAPassthroughHost() {
        Manifests prod = HubChart.renderProd();

        Ingress passthrough = prod.all(Ingress.class).stream()
                .filter(i -> "true".equals(i.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/ssl-passthrough")))
                .findFirst().orElseThrow();
        assertThat(passthrough.getSpec().getTls()).as("TLS is not terminated by nginx").isNullOrEmpty();
        assertThat(passthrough.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getPort().getName())
                .isEqualTo("mtls");
        assertThat(prod.all(Service.class)).filteredOn(s -> "gateway".equals(Manifests.component(s))).singleElement()
                .satisfies(s -> assertThat(s.getSpec().getPorts()).extracting("name").contains("mtls"));
    }

    private static boolean fromThisRelease(NetworkPolicyPeer peer) {
        return peer.getIpBlock() == null && peer.getNamespaceSelector() == null && peer.getPodSelector() != null
                && peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/instance").equals(HubChart.RELEASE);
    }

    private static boolean isMetricsScraper(NetworkPolicyPeer peer) {
        return peer.getIpBlock() == null && peer.getPodSelector() == null && peer.getNamespaceSelector() != null
                && METRICS_SCRAPER.equals(peer.getNamespaceSelector().getMatchLabels());
    }
}
