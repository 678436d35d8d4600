package cn.beijing.scienceedu.gateway.ratelimit;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
@ConditionalOnProperty(name = "hub.gateway.rate-limit.enabled", havingValue = "true", matchIfMissing = true)
class RateLimitConfiguration {

    @Bean
    Buckets rateLimitBuckets(RateLimitProperties props) {
        return props.getStore() == RateLimitProperties.Store.REDIS
                ? new RedisBuckets(props.getRedisUrl(), props.getKeyPrefix())
                : new LocalBuckets();
    }

    @Bean
    RateLimitFilter rateLimitFilter(RateLimitProperties props, Buckets buckets) {
        return new RateLimitFilter(props, buckets);
    }
}
