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

    public CircuitBreaker of(Bureau b) {
        return breakers.computeIfAbsent(b.code(), code -> registry.circuitBreaker("bureau-" + code,
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(4)
                        .minimumNumberOfCalls(2)
                        .failureRateThreshold(50)
                        .waitDurationInOpenState(b.retry().breakerOpenFor())
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .automaticTransitionFromOpenToHalfOpenEnabled(true)
                        .build()));
    }

    public String state(Bureau b) {
        return of(b).getState().name();
    }

    public CircuitBreakerRegistry registry() {
        return registry;
    }

}
