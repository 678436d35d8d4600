package cn.beijing.scienceedu.gateway.resilience;

import java.time.Duration;
import java.util.function.Function;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4jBulkheadProvider;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4jBulkheadConfigurationBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One breaker per service, from {@code hub.gateway.resilience}: defaults, then per-breaker overrides. A breaker
 * counts transport failures and timeouts (a service's own 4xx/5xx answers pass through untouched).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ResilienceProperties.class)
public class ResilienceConfiguration {

    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> hubBreakers(ResilienceProperties props) {
        Function<String, Resilience4JConfigBuilder.Resilience4JCircuitBreakerConfiguration> perId = id -> {
            ResilienceProperties.Breaker d = props.getDefaults();
            ResilienceProperties.Breaker b = props.getBreakers().getOrDefault(id, new ResilienceProperties.Breaker());
            CircuitBreakerConfig breaker = CircuitBreakerConfig.custom()
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(pick(b.getSlidingWindowSize(), d.getSlidingWindowSize(), 20))
                    .minimumNumberOfCalls(pick(b.getMinimumNumberOfCalls(), d.getMinimumNumberOfCalls(), 10))
                    .failureRateThreshold(pick(b.getFailureRateThreshold(), d.getFailureRateThreshold(), 50f))
                    .waitDurationInOpenState(pick(b.getWaitDurationInOpenState(), d.getWaitDurationInOpenState(), Duration.ofSeconds(30)))
                    .permittedNumberOfCallsInHalfOpenState(pick(b.getPermittedCallsInHalfOpenState(), d.getPermittedCallsInHalfOpenState(), 3))
                    .automaticTransitionFromOpenToHalfOpenEnabled(false)
                    .build();
            TimeLimiterConfig limiter = TimeLimiterConfig.custom()
                    .timeoutDuration(pick(b.getTimeout(), d.getTimeout(), Duration.ofSeconds(15)))
                    .cancelRunningFuture(true)
                    .build();
            return new Resilience4JConfigBuilder(id).circuitBreakerConfig(breaker).timeLimiterConfig(limiter).build();
        };
        return factory -> factory.configureDefault(perId);
    }

    /** Caps the calls in flight per service, so one slow service cannot hold every connection of the gateway. */
    @Bean
    Customizer<ReactiveResilience4jBulkheadProvider> hubBulkheads(ResilienceProperties props) {
        return provider -> provider.configureDefault(id -> {
            ResilienceProperties.Breaker b = props.getBreakers().getOrDefault(id, new ResilienceProperties.Breaker());
            int max = pick(b.getMaxConcurrentCalls(), props.getDefaults().getMaxConcurrentCalls(), 256);
            return new Resilience4jBulkheadConfigurationBuilder()
                    .bulkheadConfig(BulkheadConfig.custom().maxConcurrentCalls(max).maxWaitDuration(Duration.ZERO).build())
                    .build();
        });
    }

    private static <T> T pick(T specific, T defaults, T fallback) {
        return specific != null ? specific : defaults != null ? defaults : fallback;
    }
}
