package cn.beijing.scienceedu.gateway;

import org.springframework.test.context.DynamicPropertyRegistry;

/** The three services the gateway fronts, as recording backends. */
final class Backends {

    final RecordingBackend task = new RecordingBackend("task-service");
    final RecordingBackend adapters = new RecordingBackend("bureau-adapters");
    final RecordingBackend reporting = new RecordingBackend("reporting-service");

    void register(DynamicPropertyRegistry registry) {
        registry.add("hub.gateway.services.task-service", task::url);
        registry.add("hub.gateway.services.bureau-adapters", adapters::url);
        registry.add("hub.gateway.services.reporting-service", reporting::url);
    }

    String[] args() {
        return new String[] {"--hub.gateway.services.task-service=" + task.url(),
                "--hub.gateway.services.bureau-adapters=" + adapters.url(),
                "--hub.gateway.services.reporting-service=" + reporting.url()};
    }

    RecordingBackend byName(String service) {
        return switch (service) {
            case "task-service" -> task;
            case "bureau-adapters" -> adapters;
            case "reporting-service" -> reporting;
            default -> throw new IllegalArgumentException(service);
        };
    }

    void reset() {
        task.reset();
        adapters.reset();
        reporting.reset();
    }
}
