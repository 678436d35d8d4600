package cn.beijing.scienceedu.simulator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The bureau simulator: stands up every bureau system of the registry ({@code HUB_BUREAU_REGISTRY}, the
 * same YAML bureau-adapters reads) — REST and SOAP endpoints on port 8090, exchange directories, an SFTP
 * server (Apache SSHD, port 2222), AMQP queues — validates and records everything it receives (never
 * deduplicating), answers on a schedule and misbehaves on demand.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties({SimBureaus.class, SimSettings.class})
public class BureauSimulatorApplication {

    public static void main(String[] args) {
        String stale = System.getenv("HUB_BUREAUS_CONFIG");
        if (stale != null) {
            // read as a bureau named "config" by relaxed binding, it would stop the start with a converter error
            System.err.println("HUB_BUREAUS_CONFIG is now HUB_BUREAU_REGISTRY: set HUB_BUREAU_REGISTRY=" + stale
                    + " and unset HUB_BUREAUS_CONFIG");
            System.exit(2);
        }
        SpringApplication app = new SpringApplication(BureauSimulatorApplication.class);
        // its own config name, so that it never reads a service's application.yml on a shared classpath
        app.setDefaultProperties(java.util.Map.of("spring.config.name", "bureau-simulator"));
        app.run(args);
    }
}
