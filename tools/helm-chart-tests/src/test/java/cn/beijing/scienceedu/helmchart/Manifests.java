package cn.beijing.scienceedu.helmchart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The objects one `helm template` produced. */
record Manifests(List<HasMetadata> objects) {

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    List<HasMetadata> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
    }

    /** Deployments keyed by their app.kubernetes.io/component label. */
    Map<String, Deployment> deploymentsByComponent() {
        return all(Deployment.class).stream().collect(Collectors.toMap(Manifests::component, d -> d));
    }

    static String component(HasMetadata object) {
        return object.getMetadata().getLabels().get("app.kubernetes.io/component");
    }

    static PodTemplateSpec pod(Deployment deployment) {
        return deployment.getSpec().getTemplate();
    }
}
