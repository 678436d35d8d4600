package cn.beijing.scienceedu.helmchart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OptionalPartsTest {

    @Test
    void tokenIssuerIsAbsentByDefaultAndInProduction() {
        assertThat(HubChart.render().deploymentsByComponent()).doesNotContainKey("token-issuer");
        assertThat(HubChart.renderProd().deploymentsByComponent()).doesNotContainKey("token-issuer");
    }

    @Test
    void anEnabledTokenIssuerBecomesTheIssuerTheServicesTrust() {
        Manifests manifests = HubChart.render("services: { token-issuer: { enabled: true } }");

        assertThat(manifests.deploymentsByComponent()).containsKey("token-issuer");
        assertThat(settings(manifests).getData())
                .containsEntry("HUB_ISSUER_URI", "http://hub-bureau-hub-token-issuer:9000");
    }

    @Test
    void alertRulesAndScrapingAreRenderedOnlyWhenAskedFor() {
        assertThat(HubChart.render().ofKind("PrometheusRule")).isEmpty();
        assertThat(HubChart.render().ofKind("ServiceMonitor")).isEmpty();

        Manifests prod = HubChart.renderProd();
        assertThat(prod.ofKind("ServiceMonitor")).hasSize(1);
        GenericKubernetesResource rule = (GenericKubernetesResource) prod.ofKind("PrometheusRule").get(0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rules = (List<Map<String, Object>>)
                ((List<Map<String, Object>>) ((Map<String, Object>) rule.getAdditionalProperties().get("spec"))
                        .get("groups")).get(0).get("rules");
        assertThat(rules).extracting(r -> r.get("alert")).containsExactly("BureauHubParkedMessagesGrowing",
                "BureauHubCircuitBreakerOpen", "BureauHubOutboxLag", "BureauHubReportLag");
        assertThat(rules).extracting(r -> (String) r.get("expr")).anySatisfy(e -> assertThat(e).contains("hub_adapters_parked_messages"))
                .anySatisfy(e -> assertThat(e).contains("resilience4j_circuitbreaker_state").contains("state=\"open\""))
                .anySatisfy(e -> assertThat(e).contains("hub_outbox_lag_seconds"))
                .anySatisfy(e -> assertThat(e).contains("hub_reporting_projection_lag_seconds"));
    }

    @Test
    void productionCredentialsComeOnlyFromExistingSecrets() {
        Manifests prod = HubChart.renderProd();

        assertThat(prod.all(Secret.class)).isEmpty();
        Deployment task = prod.deploymentsByComponent().get("task-service");
        assertThat(Manifests.pod(task).getSpec().getContainers().get(0).getEnv())
                .filteredOn(env -> env.getName().equals("HUB_DATABASE_PASSWORD")).singleElement()
                .satisfies(env -> assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hub-db-app"));
        assertThat(settings(prod).getData()).containsEntry("HUB_RABBITMQ_QUEUE_TYPE", "quorum");
    }

    @Test
    void eachServiceGetsOnlyTheCredentialsItNeeds() {
        Map<String, Deployment> deployments = HubChart.render().deploymentsByComponent();

        assertThat(envNames(deployments.get("gateway"))).contains("HUB_REDIS_URL").doesNotContain("HUB_DATABASE_PASSWORD");
        assertThat(envNames(deployments.get("task-service"))).contains("HUB_DATABASE_PASSWORD").doesNotContain("HUB_REDIS_URL");
    }

    @Test
    void theBureauRegistryIsMountedIntoTheAdaptersOnly() {
        Manifests manifests = HubChart.render();

        ConfigMap registry = manifests.named(ConfigMap.class, "hub-bureau-hub-bureaus").orElseThrow();
        assertThat(registry.getData().get("bureaus.yaml")).contains("protocol: SOAP", "charset: GB18030")
                .doesNotContain("egress", "cidr");
        assertThat(settings(manifests).getData()).containsEntry("HUB_BUREAUS_CONFIG", "/config/bureaus.yaml");
        manifests.deploymentsByComponent().forEach((component, deployment) ->
                assertThat(Manifests.pod(deployment).getSpec().getVolumes()).as(component)
                        .filteredOn(v -> v.getConfigMap() != null).hasSize(component.equals("bureau-adapters") ? 1 : 0));
    }

    @Test
    void severalAdaptersShareAReadWriteManyExchangeVolumeUnlessSftpIsUsed() {
        assertThat(HubChart.render().all(PersistentVolumeClaim.class)).singleElement()
                .satisfies(pvc -> assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteMany"));

        Manifests sftp = HubChart.render("fileExchange: { mode: sftp }");
        assertThat(sftp.all(PersistentVolumeClaim.class)).isEmpty();
        assertThat(settings(sftp).getData()).containsEntry("HUB_FILE_EXCHANGE_MODE", "sftp");
    }

    private static ConfigMap settings(Manifests manifests) {
        return manifests.named(ConfigMap.class, "hub-bureau-hub-settings").orElseThrow();
    }

    private static List<String> envNames(Deployment deployment) {
        return Manifests.pod(deployment).getSpec().getContainers().get(0).getEnv().stream()
                .map(env -> env.getName()).toList();
    }
}
