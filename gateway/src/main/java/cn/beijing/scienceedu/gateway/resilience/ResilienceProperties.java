package cn.beijing.scienceedu.gateway.resilience;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Circuit breaker and time limiter per service (breaker name = the route's {@code CircuitBreaker} name). */
@ConfigurationProperties("hub.gateway.resilience")
public class ResilienceProperties {

    private Breaker defaults = new Breaker();
    private Map<String, Breaker> breakers = new LinkedHashMap<>();
    /** Retry-After sent with a 503 when a service is down. */
    private Duration retryAfterWhenDown = Duration.ofSeconds(10);

    public static class Breaker {
        private Integer slidingWindowSize;
        private Integer minimumNumberOfCalls;
        private Float failureRateThreshold;
        private Duration waitDurationInOpenState;
        private Integer permittedCallsInHalfOpenState;
        /** Time limiter: the longest the gateway waits for the service, retries included. */
        private Duration timeout;
        /** Bulkhead: calls to the service in flight at once through one gateway; more get a 503 at once. */
        private Integer maxConcurrentCalls;

        public Integer getSlidingWindowSize() { return slidingWindowSize; }
        public void setSlidingWindowSize(Integer v) { this.slidingWindowSize = v; }
        public Integer getMinimumNumberOfCalls() { return minimumNumberOfCalls; }
        public void setMinimumNumberOfCalls(Integer v) { this.minimumNumberOfCalls = v; }
        public Float getFailureRateThreshold() { return failureRateThreshold; }
        public void setFailureRateThreshold(Float v) { this.failureRateThreshold = v; }
        public Duration getWaitDurationInOpenState() { return waitDurationInOpenState; }
        public void setWaitDurationInOpenState(Duration v) { this.waitDurationInOpenState = v; }
        public Integer getPermittedCallsInHalfOpenState() { return permittedCallsInHalfOpenState; }
        public void setPermittedCallsInHalfOpenState(Integer v) { this.permittedCallsInHalfOpenState = v; }
        public Integer getMaxConcurrentCalls() { return maxConcurrentCalls; }
        public void setMaxConcurrentCalls(Integer v) { this.maxConcurrentCalls = v; }
        public Duration getTimeout() { return timeout; }
        public void setTimeout(Duration v) { this.timeout = v; }
    }

    public Breaker getDefaults() { return defaults; }
    public void setDefaults(Breaker defaults) { this.defaults = defaults; }
    public Map<String, Breaker> getBreakers() { return breakers; }
    public void setBreakers(Map<String, Breaker> breakers) { this.breakers = breakers; }
    public Duration getRetryAfterWhenDown() { return retryAfterWhenDown; }
    public void setRetryAfterWhenDown(Duration retryAfterWhenDown) { this.retryAfterWhenDown = retryAfterWhenDown; }
}
