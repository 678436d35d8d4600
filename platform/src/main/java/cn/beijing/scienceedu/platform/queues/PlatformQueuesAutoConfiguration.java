package cn.beijing.scienceedu.platform.queues;

import org.springframework.amqp.core.Queue;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import cn.beijing.scienceedu.contracts.events.EventTypes;

/**
 * {@link HubQueues} of {@code hub.queue-type} (else {@code HUB_QUEUE_TYPE}, else classic) in every service with
 * Spring AMQP; an unknown type stops the start naming the setting. The binder's side is {@link HubQueuesEnvironment}.
 */
@AutoConfiguration
@ConditionalOnClass({ Queue.class, EventTypes.class })
public class PlatformQueuesAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HubQueues hubQueues(Environment env) {
        return HubQueues.from(env);
    }
}
