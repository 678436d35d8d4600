package cn.beijing.scienceedu.simulator;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class SimConfig {

    /** Tokens from {@code sim.tokens.<UNIT>} unless a bean of its own is registered. */
    @Bean
    @ConditionalOnMissingBean
    BureauTokens bureauTokens(SimSettings settings) {
        return unit -> settings.getTokens().getOrDefault(unit, "");
    }
}
