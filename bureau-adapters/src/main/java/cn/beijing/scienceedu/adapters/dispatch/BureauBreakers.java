package cn.beijing.scienceedu.adapters.dispatch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.adapters.registry.Bureau;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

/**
 * One Resilience4j circuit breaker per bureau ({@code bureau-<unit>}). Only transient failures count;
 * while it is open the bureau's backlog waits, untouched.
 */
@Component
public class BureauBreakers {

    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final boolean enabled;

    /**
     * @param enabled {@code hub.adapters.resilience.enabled}: false puts every breaker in Resilience4j's
     *        DISABLED state (always permits, records nothing) — for measurements (bench P5) only
     * @param meters the breakers are also exported as {@code resilience4j_circuitbreaker_*}
     */
    public BureauBreakers(@org.springframework.beans.factory.annotation.Value("${hub.adapters.resilience.enabled:true}")
            boolean enabled, io.micrometer.core.instrument.MeterRegistry meters) {
        this.enabled = enabled;
        io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    }

    public CircuitBreaker of(Bureau b) {
        return breakers.computeIfAbsent(b.code(), code -> create(b));
    }

    private CircuitBreaker create(Bureau b) {
        CircuitBreaker cb = registry.circuitBreaker("bureau-" + b.code(),
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(4)
                        .minimumNumberOfCalls(2)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(b.retry().breakerOpenFor())
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .automaticTransitionFromOpenToHalfOpenEnabled(true)
                        .build());
        if (!enabled) {
            cb.transitionToDisabledState();
        }
        return cb;
    }

    public String state(Bureau b) {
        return of(b).getState().name();
    }

    public CircuitBreakerRegistry registry() {
        return registry;
    }

}
