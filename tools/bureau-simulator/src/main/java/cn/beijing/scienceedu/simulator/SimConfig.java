package cn.beijing.scienceedu.simulator;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class SimConfig {

    /**
     * A unit's fixed token from {@code sim.tokens.<UNIT>} (tests mint them with TestTokens); otherwise, when
     * {@code sim.oauth2.token-uri} is set, the unit's own token from the issuer by client credentials; otherwise
     * none. A bean of the test's own replaces all of this.
     */
    @Bean
    @ConditionalOnMissingBean
    BureauTokens bureauTokens(SimSettings settings, SimBureaus bureaus) {
        String tokenUri = settings.getOauth2().getTokenUri();
        BureauTokens issued = tokenUri == null || tokenUri.isBlank() ? unit -> ""
                : new ClientCredentialsBureauTokens(settings.getOauth2(), List.copyOf(bureaus.getBureaus().keySet()));
        return unit -> {
            String fixed = settings.getTokens().get(unit);
            return fixed != null ? fixed : issued.tokenFor(unit);
        };
    }
}
