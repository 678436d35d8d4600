package cn.beijing.scienceedu.reporting;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** 联合报告服务: joint reports, KPI roll-ups, circulars, exports and the liaisons' dashboard. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ReportingServiceApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ReportingServiceApplication.class);
        app.setDefaultProperties(defaults(System.getenv("HUB_QUEUE_TYPE")));
        app.run(args);
    }

    /** HUB_QUEUE_TYPE=quorum makes this service's queues quorum queues. */
    static Map<String, Object> defaults(String queueType) {
        return Map.of("hub.reporting.quorum-queues", "quorum".equalsIgnoreCase(queueType));
    }
}
