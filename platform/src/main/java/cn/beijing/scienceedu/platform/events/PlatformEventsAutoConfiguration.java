package cn.beijing.scienceedu.platform.events;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import cn.beijing.scienceedu.contracts.events.EventTypes;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link CloudEventReader} and a {@link CloudEventWriter} on the application's {@link JsonMapper} (a default one
 * where it has none), in every service that has the contracts' {@link EventTypes}. The writer's {@code source} is
 * {@code hub.events.source}, by default {@code /<spring.application.name>}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({ EventTypes.class, JsonMapper.class })
public class PlatformEventsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CloudEventReader cloudEventReader(ObjectProvider<JsonMapper> json) {
        return new CloudEventReader(json.getIfAvailable(() -> JsonMapper.builder().build()));
    }

    @Bean
    @ConditionalOnMissingBean
    CloudEventWriter cloudEventWriter(ObjectProvider<JsonMapper> json,
            @Value("${hub.events.source:/${spring.application.name:application}}") String source) {
        return new CloudEventWriter(json.getIfAvailable(() -> JsonMapper.builder().build()), source);
    }
}
