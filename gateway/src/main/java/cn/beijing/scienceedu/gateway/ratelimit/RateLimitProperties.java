package cn.beijing.scienceedu.gateway.ratelimit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Per-client request limits. A caller's limit is looked up by unit code (bureau systems) or client id / user
 * name in {@code clients}, then by first role in {@code roles}, then {@code default-limit}.
 */
@ConfigurationProperties("hub.gateway.rate-limit")
public class RateLimitProperties {

    public enum Store { REDIS, MEMORY }

    private boolean enabled = true;
    /** REDIS shares the limits across gateway replicas; MEMORY is for a single local gateway. */
    private Store store = Store.REDIS;
    private String redisUrl = "redis://localhost:6379";
    private String keyPrefix = "hub:gateway:rate:";
    private Limit defaultLimit = new Limit(100, Duration.ofSeconds(1));
    private Map<String, Limit> roles = new LinkedHashMap<>();
    private Map<String, Limit> clients = new LinkedHashMap<>();

    /** {@code capacity} requests per {@code period}, refilled gradually; bursts up to capacity. */
    public static class Limit {
        private long capacity;
        private Duration period = Duration.ofSeconds(1);

        public Limit() {
        }

        public Limit(long capacity, Duration period) {
            this.capacity = capacity;
            this.period = period;
        }

        public long getCapacity() { return capacity; }
        public void setCapacity(long capacity) { this.capacity = capacity; }
        public Duration getPeriod() { return period; }
        public void setPeriod(Duration period) { this.period = period; }

        String signature() {
            return capacity + "per" + period.toMillis() + "ms";
        }
    }

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public Store getStore() { return store; }
    public void setStore(Store store) { this.store = store; }
    public String getRedisUrl() { return redisUrl; }
    public void setRedisUrl(String redisUrl) { this.redisUrl = redisUrl; }
    public String getKeyPrefix() { return keyPrefix; }
    public void setKeyPrefix(String keyPrefix) { this.keyPrefix = keyPrefix; }
    public Limit getDefaultLimit() { return defaultLimit; }
    public void setDefaultLimit(Limit defaultLimit) { this.defaultLimit = defaultLimit; }
    public Map<String, Limit> getRoles() { return roles; }
    public void setRoles(Map<String, Limit> roles) { this.roles = roles; }
    public Map<String, Limit> getClients() { return clients; }
    public void setClients(Map<String, Limit> clients) { this.clients = clients; }
}
