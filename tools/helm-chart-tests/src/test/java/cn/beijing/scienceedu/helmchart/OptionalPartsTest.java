package cn.beijing.scienceedu.helmchart;

import io.fabric8.kubernetes.api.model.ConfigMap;
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
        for (String component : List.of("gateway", "task-service", "bureau-adapters", "reporting-service")) {
            assertThat(settings(manifests, component).getData()).as(component)
                    .containsEntry("HUB_ISSUER_URI", "http://hub-bureau-hub-token-issuer:9000");
        }
    }

    @Test
    void alertRulesAndScrapingAreRenderedOnlyWhenAskedFor() {
        assertThat(HubChart.render().ofKind("PrometheusRule")).isEmpty();
        assertThat(HubChart.render().ofKind("ServiceMonitor")).isEmpty();

        Manifests prod = HubChart.renderProd();
        assertThat(prod.ofKind("ServiceMonitor")).hasSize(1);
        assertThat(prod.ofKind("PrometheusRule")).hasSize(1);
    }

    @Test
    void productionCredentialsComeOnlyFromExistingSecrets() {
        Manifests prod = HubChart.renderProd();

        assertThat(prod.all(Secret.class)).isEmpty();
        Deployment task = prod.deploymentsByComponent().get("task-service");
        assertThat(Manifests.pod(task).getSpec().getContainers().get(0).getEnv())
                .filteredOn(env -> env.getName().equals("HUB_DATABASE_PASSWORD")).singleElement()
                .satisfies(env -> assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hub-db-app"));
        for (String component : List.of("task-service", "bureau-adapters", "reporting-service")) {
            assertThat(settings(prod, component).getData()).as(component).containsEntry("HUB_QUEUE_TYPE", "quorum")
                    .containsEntry("SPRING_RABBITMQ_SSL_ENABLED", "true");
        }
        assertThat(envNames(prod.deploymentsByComponent().get("bureau-adapters"))).contains("HUB_SERVICE_CLIENT_SECRET");
    }

    @Test
    void eachServiceGetsOnlyTheCredentialsItNeeds() {
        Map<String, Deployment> deployments = HubChart.render().deploymentsByComponent();

        assertThat(envNames(deployments.get("gateway"))).contains("HUB_REDIS_URL").doesNotContain("HUB_DATABASE_PASSWORD");
        assertThat(envNames(deployments.get("task-service"))).contains("HUB_DATABASE_PASSWORD").doesNotContain("HUB_REDIS_URL",
                "HUB_OAUTH2_CLIENT_SECRET", "HUB_SERVICE_CLIENT_SECRET");
        assertThat(envNames(deployments.get("bureau-adapters"))).contains("HUB_SERVICE_CLIENT_ID", "HUB_SERVICE_CLIENT_SECRET")
                .doesNotContain("HUB_OAUTH2_CLIENT_SECRET");
    }

    @Test
    void anOperatorsCalendarReachesTheServicesThatCountWorkingDays() {
        assertThat(settings(HubChart.render(), "task-service").getData()).doesNotContainKey("HUB_CALENDAR_FILE");

        Manifests manifests = HubChart.render("calendar: { configMap: hub-calendar-2027 }");
        for (String component : List.of("task-service", "reporting-service")) {
            assertThat(settings(manifests, component).getData()).as(component)
                    .containsEntry("HUB_CALENDAR_FILE", "/etc/hub/calendar/working-days.yaml");
            var pod = Manifests.pod(manifests.deploymentsByComponent().get(component)).getSpec();
            assertThat(pod.getVolumes()).as(component).filteredOn(v -> v.getConfigMap() != null)
                    .extracting(v -> v.getConfigMap().getName()).containsExactly("hub-calendar-2027");
            // a directory mount (no subPath), so a changed ConfigMap reaches the running pod
            assertThat(pod.getContainers().get(0).getVolumeMounts()).filteredOn(m -> m.getName().equals("calendar"))
                    .singleElement().satisfies(m -> {
                        assertThat(m.getMountPath()).isEqualTo("/etc/hub/calendar");
                        assertThat(m.getSubPath()).isNull();
                    });
        }
        for (String component : List.of("gateway", "bureau-adapters")) {
            assertThat(settings(manifests, component).getData()).as(component).doesNotContainKey("HUB_CALENDAR_FILE");
        }
    }

    @Test
    void theBureauRegistryIsMountedIntoTheAdaptersOnly() {
        Manifests manifests = HubChart.render();

        ConfigMap registry = manifests.named(ConfigMap.class, "hub-bureau-hub-bureaus").orElseThrow();
        assertThat(registry.getData().get("bureaus.yaml")).contains("protocol: SOAP", "charset: GB18030")
                .doesNotContain("egress", "cidr");
        assertThat(settings(manifests, "bureau-adapters").getData()).containsEntry("HUB_BUREAU_REGISTRY", "/config/bureaus.yaml");
        manifests.deploymentsByComponent().forEach((component, deployment) ->
                assertThat(Manifests.pod(deployment).getSpec().getVolumes()).as(component)
                        .filteredOn(v -> v.getConfigMap() != null).hasSize(component.equals("bureau-adapters") ? 1 : 0));
    }

    @Test
    void severalAdaptersShareAReadWriteManyExchangeVolumeUnlessSftpIsUsed() {
        assertThat(HubChart.render().all(PersistentVolumeClaim.class)).extracting(pvc -> pvc.getMetadata().getName())
                .containsExactlyInAnyOrder("hub-bureau-hub-file-exchange", "hub-bureau-hub-message-log");
        assertThat(HubChart.render().all(PersistentVolumeClaim.class))
                .allSatisfy(pvc -> assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteMany"));

        Manifests sftp = HubChart.render(Renders.SFTP_EXCHANGE);
        assertThat(sftp.all(PersistentVolumeClaim.class)).extracting(pvc -> pvc.getMetadata().getName())
                .containsExactly("hub-bureau-hub-message-log");
    }

    @Test
    void theAdaptersMayCallExactlyTheBureauRangesTheNetworkPolicyOpens() {
        assertThat(settings(HubChart.render(), "bureau-adapters").getData())
                .containsEntry("HUB_OUTBOUND_ALLOWED_NETWORKS", "10.20.1.0/24,10.20.2.0/24");
    }

    @Test
    void theMessageLogCheckpointsAndArchiveLiveOnTheAdaptersVolume() {
        Manifests manifests = HubChart.render();
        Deployment adapters = manifests.deploymentsByComponent().get("bureau-adapters");

        assertThat(settings(manifests, "bureau-adapters").getData())
                .containsEntry("HUB_MESSAGELOG_CHECKPOINT_FILE", "/data/message-log/checkpoints.log")
                .containsEntry("HUB_MESSAGELOG_ARCHIVE_DIR", "/data/message-log/archive")
                .containsEntry("HUB_INBOUND_PARKED_DIR", "/data/message-log/parked-answers");
        assertThat(Manifests.pod(adapters).getSpec().getContainers().get(0).getVolumeMounts())
                .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/data/message-log"));
    }

    private static ConfigMap settings(Manifests manifests, String component) {
        return manifests.named(ConfigMap.class, "hub-bureau-hub-" + component + "-settings").orElseThrow();
    }

    private static List<String> envNames(Deployment deployment) {
        return Manifests.pod(deployment).getSpec().getContainers().get(0).getEnv().stream()
                .map(env -> env.getName()).toList();
    }
}
