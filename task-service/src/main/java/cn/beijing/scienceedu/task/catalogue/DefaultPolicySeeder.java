package cn.beijing.scienceedu.task.catalogue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.beans.factory.annotation.Value;

import cn.beijing.scienceedu.contracts.catalogue.Catalogues;

/** Imports the committed notice (the twenty measures) at start when it is not held yet. */
@Component
class DefaultPolicySeeder {

    private static final Logger log = LoggerFactory.getLogger(DefaultPolicySeeder.class);

    private final PolicyCatalogue catalogue;
    private final boolean enabled;

    DefaultPolicySeeder(PolicyCatalogue catalogue, @Value("${hub.catalogue.seed-default:true}") boolean enabled) {
        this.catalogue = catalogue;
        this.enabled = enabled;
    }

    @EventListener(ApplicationReadyEvent.class)
    void seed() {
        if (!enabled || catalogue.find(Catalogues.DEFAULT_POLICY_ID).isPresent()) {
            return;
        }
        try {
            catalogue.importPolicy(Catalogues.defaultPolicy(), "catalogue");
        } catch (RuntimeException e) {
            // another replica may have imported it at the same moment
            log.info("default policy not imported: {}", e.getMessage());
        }
    }
}
