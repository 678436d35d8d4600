package cn.beijing.scienceedu.helmchart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart's environment and the services' configuration name the same variables (checked against their sources). */
class ServiceEnvironmentTest {

    @ForEachValueSet
    void everyHubVariableTheChartSetsIsOneTheServiceReads(Manifests manifests) {
        manifests.deploymentsByComponent().forEach((component, deployment) -> {
            Set<String> set = hubVariables(manifests, deployment);
            assertThat(set).as("%s sets HUB_* variables", component).isNotEmpty();
            assertThat(ServiceSources.hubVariablesRead(component))
                    .as("HUB_* variables read by %s's application*.yml and code", component)
                    .containsAll(set);
        });
    }

    @ForEachValueSet
    void everyHubVariableAServiceNeedsInProductionIsSet(Manifests manifests) {
        manifests.deploymentsByComponent().forEach((component, deployment) -> {
            if (component.equals("token-issuer")) {
                return; // never run with the prod profile
            }
            assertThat(env(manifests, deployment)).as("%s: env must carry SPRING_PROFILES_ACTIVE=prod", component)
                    .contains("SPRING_PROFILES_ACTIVE=prod");
            Set<String> set = hubVariables(manifests, deployment);
            assertThat(set).as("%s sets every HUB_* its prod profile requires", component)
                    .containsAll(ServiceSources.hubVariablesRequiredInProd(component));
        });
    }

    @ForEachValueSet
    void theServicesThatUseTheBrokerGetTheQueueTypeAndTheirOwnDatabase(Manifests manifests) {
        for (String component : new String[] {"task-service", "bureau-adapters", "reporting-service"}) {
            Set<String> env = env(manifests, manifests.deploymentsByComponent().get(component));
            assertThat(env).as(component).anySatisfy(e -> assertThat(e).matches("HUB_QUEUE_TYPE=(classic|quorum)"));
            String database = switch (component) {
                case "task-service" -> "hub_task";
                case "bureau-adapters" -> "hub_adapters";
                default -> "hub_reporting";
            };
            assertThat(env).as(component).anySatisfy(e -> assertThat(e).startsWith("HUB_DATABASE_URL=jdbc:postgresql://")
                    .contains("/" + database + "?sslmode="));
        }
    }

    /** Names of HUB_* variables from env and from the ConfigMaps in envFrom. */
    private static Set<String> hubVariables(Manifests manifests, Deployment deployment) {
        Set<String> names = new TreeSet<>();
        for (String e : env(manifests, deployment)) {
            String name = e.contains("=") ? e.substring(0, e.indexOf('=')) : e;
            if (name.startsWith("HUB_")) {
                names.add(name);
            }
        }
        return names;
    }

    /** "NAME=value" (or "NAME" for a value from a Secret) for every variable the container gets. */
    private static Set<String> env(Manifests manifests, Deployment deployment) {
        Container container = Manifests.pod(deployment).getSpec().getContainers().get(0);
        Set<String> out = new TreeSet<>();
        for (EnvVar e : container.getEnv()) {
            out.add(e.getValue() != null ? e.getName() + "=" + e.getValue() : e.getName());
        }
        if (container.getEnvFrom() != null) {
            for (EnvFromSource from : container.getEnvFrom()) {
                assertThat(from.getConfigMapRef()).as("envFrom of %s", container.getName()).isNotNull();
                ConfigMap map = manifests.named(ConfigMap.class, from.getConfigMapRef().getName())
                        .orElseThrow(() -> new AssertionError("ConfigMap " + from.getConfigMapRef().getName() + " is not rendered"));
                map.getData().forEach((k, v) -> out.add(k + "=" + v));
            }
        }
        return out;
    }
}
