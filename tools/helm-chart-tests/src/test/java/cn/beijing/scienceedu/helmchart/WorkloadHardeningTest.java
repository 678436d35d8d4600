package cn.beijing.scienceedu.helmchart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadHardeningTest {

    @ForEachValueSet
    void everyContainerHasStartupLivenessAndReadinessProbesOnActuatorHealthGroups(Manifests manifests) {
        forEachContainer(manifests, (deployment, container) -> {
            assertThat(probePath(container.getStartupProbe())).as(container.getName()).isEqualTo("/actuator/health/liveness");
            assertThat(probePath(container.getLivenessProbe())).as(container.getName()).isEqualTo("/actuator/health/liveness");
            assertThat(probePath(container.getReadinessProbe())).as(container.getName()).isEqualTo("/actuator/health/readiness");
        });
    }

    @ForEachValueSet
    void everyContainerDeclaresResourceRequestsAndLimits(Manifests manifests) {
        forEachContainer(manifests, (deployment, container) -> {
            assertThat(container.getResources().getRequests()).as(container.getName()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).as(container.getName()).containsKeys("cpu", "memory");
        });
    }

    @ForEachValueSet
    void everyContainerRunsAsNonRootWithReadOnlyRoot(Manifests manifests) {
        forEachContainer(manifests, (deployment, container) -> {
            PodSpec pod = Manifests.pod(deployment).getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            SecurityContext security = container.getSecurityContext();
            assertThat(security.getRunAsNonRoot()).as(container.getName()).isTrue();
            assertThat(security.getRunAsUser()).isEqualTo(10001L);
            assertThat(security.getReadOnlyRootFilesystem()).as(container.getName()).isTrue();
            assertThat(security.getAllowPrivilegeEscalation()).as(container.getName()).isFalse();
            assertThat(security.getCapabilities().getDrop()).as(container.getName()).containsExactly("ALL");
            assertThat(security.getCapabilities().getAdd()).as(container.getName()).isNullOrEmpty();
            assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        });
    }

    @ForEachValueSet
    void everyContainerWritesTmpToAnEmptyDirBecauseItsRootIsReadOnly(Manifests manifests) {
        forEachContainer(manifests, (deployment, container) -> {
            String volume = container.getVolumeMounts().stream()
                    .filter(mount -> mount.getMountPath().equals("/tmp")).findFirst().orElseThrow().getName();
            List<Volume> volumes = Manifests.pod(deployment).getSpec().getVolumes();
            assertThat(volumes).filteredOn(v -> v.getName().equals(volume)).singleElement()
                    .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
        });
    }

    @ForEachValueSet
    void terminationGraceCoversThePreStopPauseAndSpringsGracefulShutdown(Manifests manifests) {
        forEachContainer(manifests, (deployment, container) -> {
            long grace = Manifests.pod(deployment).getSpec().getTerminationGracePeriodSeconds();
            String sleep = String.join(" ", container.getLifecycle().getPreStop().getExec().getCommand());
            long preStop = Long.parseLong(sleep.replaceAll(".*sleep (\\d+).*", "$1"));
            long shutdown = Long.parseLong(env(container, "SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE").replace("s", ""));
            assertThat(grace).as(container.getName()).isGreaterThan(preStop + shutdown);
        });
        assertThat(manifests.ofKind("ConfigMap")).anySatisfy(configMap ->
                assertThat(((io.fabric8.kubernetes.api.model.ConfigMap) configMap).getData())
                        .containsEntry("SERVER_SHUTDOWN", "graceful"));
    }

    @ForEachValueSet
    void noPodMountsAServiceAccountToken(Manifests manifests) {
        for (Deployment deployment : manifests.all(Deployment.class)) {
            PodSpec pod = Manifests.pod(deployment).getSpec();
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            assertThat(manifests.named(ServiceAccount.class, pod.getServiceAccountName()))
                    .as("own ServiceAccount of %s", deployment.getMetadata().getName())
                    .hasValueSatisfying(account -> assertThat(account.getAutomountServiceAccountToken()).isFalse());
        }
    }

    @ForEachValueSet
    void everyServiceHasAnAutoscalerOrFixedReplicasAndADisruptionBudget(Manifests manifests) {
        for (Deployment deployment : manifests.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            boolean scaled = manifests.all(HorizontalPodAutoscaler.class).stream()
                    .anyMatch(hpa -> hpa.getSpec().getScaleTargetRef().getName().equals(name));
            assertThat(scaled || deployment.getSpec().getReplicas() != null).as(name).isTrue();
            assertThat(manifests.all(PodDisruptionBudget.class))
                    .anySatisfy(pdb -> assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                            .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels()));
        }
        assertThat(manifests.all(HorizontalPodAutoscaler.class)).isNotEmpty();
    }

    private static String probePath(Probe probe) {
        assertThat(probe).isNotNull();
        return probe.getHttpGet().getPath();
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
                .findFirst().orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    private static void forEachContainer(Manifests manifests, ContainerCheck check) {
        List<Deployment> deployments = manifests.all(Deployment.class);
        assertThat(deployments).isNotEmpty();
        for (Deployment deployment : deployments) {
            PodSpec pod = Manifests.pod(deployment).getSpec();
            assertThat(pod.getInitContainers()).isNullOrEmpty();
            pod.getContainers().forEach(container -> check.accept(deployment, container));
        }
    }

    @FunctionalInterface
    private interface ContainerCheck {
        void accept(Deployment deployment, Container container);
    }
}
