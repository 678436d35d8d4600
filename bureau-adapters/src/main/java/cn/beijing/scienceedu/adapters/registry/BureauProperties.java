package cn.beijing.scienceedu.adapters.registry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Binds {@code hub.bureaus.*} and {@code hub.bureau-defaults.*} from the bureau registry YAML
 * ({@code HUB_BUREAU_REGISTRY}, imported with {@code spring.config.import}; several files may be listed
 * and their bureaus are merged, so an 18th bureau can be a file of its own).
 */
@ConfigurationProperties(prefix = "hub")
public class BureauProperties {

    private Map<String, Entry> bureaus = new LinkedHashMap<>();
    private Entry bureauDefaults = new Entry();
    private Map<String, Credentials> credentials = new LinkedHashMap<>();

    public Map<String, Entry> getBureaus() {
        return bureaus;
    }

    public void setBureaus(Map<String, Entry> bureaus) {
        this.bureaus = bureaus;
    }

    public Entry getBureauDefaults() {
        return bureauDefaults;
    }

    public void setBureauDefaults(Entry bureauDefaults) {
        this.bureauDefaults = bureauDefaults;
    }

    public Map<String, Credentials> getCredentials() {
        return credentials;
    }

    public void setCredentials(Map<String, Credentials> credentials) {
        this.credentials = credentials;
    }

    public static class Credentials {
        private String username;
        private String password;
        private String token;

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }
    }

    /** One entry as written; unset fields fall back to {@code hub.bureau-defaults}. */
    public static class Entry {
        private String name;
        private String fullName;
        private Protocol protocol;
        private String endpoint;
        private String statusEndpoint;
        private String mappingFormat;
        private String mappingFile;
        private String charset;
        private String credentialsRef;
        private Duration pollInterval;
        private Duration connectTimeout;
        private Duration readTimeout;
        private Integer maxRedeliveries;
        private Duration initialDelay;
        private Double multiplier;
        private Duration maxDelay;
        private Double jitter;
        private Duration breakerOpenFor;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getFullName() { return fullName; }
        public void setFullName(String fullName) { this.fullName = fullName; }
        public Protocol getProtocol() { return protocol; }
        public void setProtocol(Protocol protocol) { this.protocol = protocol; }
        public String getEndpoint() { return endpoint; }
        public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
        public String getStatusEndpoint() { return statusEndpoint; }
        public void setStatusEndpoint(String statusEndpoint) { this.statusEndpoint = statusEndpoint; }
        public String getMappingFormat() { return mappingFormat; }
        public void setMappingFormat(String mappingFormat) { this.mappingFormat = mappingFormat; }
        public String getMappingFile() { return mappingFile; }
        public void setMappingFile(String mappingFile) { this.mappingFile = mappingFile; }
        public String getCharset() { return charset; }
        public void setCharset(String charset) { this.charset = charset; }
        public String getCredentialsRef() { return credentialsRef; }
        public void setCredentialsRef(String credentialsRef) { this.credentialsRef = credentialsRef; }
        public Duration getPollInterval() { return pollInterval; }
        public void setPollInterval(Duration pollInterval) { this.pollInterval = pollInterval; }
        public Duration getConnectTimeout() { return connectTimeout; }
        public void setConnectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; }
        public Duration getReadTimeout() { return readTimeout; }
        public void setReadTimeout(Duration readTimeout) { this.readTimeout = readTimeout; }
        public Integer getMaxRedeliveries() { return maxRedeliveries; }
        public void setMaxRedeliveries(Integer maxRedeliveries) { this.maxRedeliveries = maxRedeliveries; }
        public Duration getInitialDelay() { return initialDelay; }
        public void setInitialDelay(Duration initialDelay) { this.initialDelay = initialDelay; }
        public Double getMultiplier() { return multiplier; }
        public void setMultiplier(Double multiplier) { this.multiplier = multiplier; }
        public Duration getMaxDelay() { return maxDelay; }
        public void setMaxDelay(Duration maxDelay) { this.maxDelay = maxDelay; }
        public Double getJitter() { return jitter; }
        public void setJitter(Double jitter) { this.jitter = jitter; }
        public Duration getBreakerOpenFor() { return breakerOpenFor; }
        public void setBreakerOpenFor(Duration breakerOpenFor) { this.breakerOpenFor = breakerOpenFor; }
    }
}
