package cn.beijing.scienceedu.simulator;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The bureaus of the registry YAML ({@code hub.bureaus}), as far as the simulator needs them. */
@ConfigurationProperties(prefix = "hub")
public class SimBureaus {

    private Map<String, Bureau> bureaus = new LinkedHashMap<>();
    private Bureau bureauDefaults = new Bureau();

    public Map<String, Bureau> getBureaus() {
        return bureaus;
    }

    public void setBureaus(Map<String, Bureau> bureaus) {
        this.bureaus = bureaus;
    }

    public Bureau getBureauDefaults() {
        return bureauDefaults;
    }

    public void setBureauDefaults(Bureau bureauDefaults) {
        this.bureauDefaults = bureauDefaults;
    }

    public Bureau get(String code) {
        Bureau b = bureaus.get(code);
        if (b == null) {
            throw new IllegalArgumentException("no bureau " + code);
        }
        b.code = code;
        return b;
    }

    public List<Bureau> byProtocol(String protocol) {
        return bureaus.keySet().stream().map(this::get).filter(b -> protocol.equals(b.getProtocol())).toList();
    }

    public String format(Bureau b) {
        return b.getMappingFormat() != null ? b.getMappingFormat()
                : bureauDefaults.getMappingFormat() != null ? bureauDefaults.getMappingFormat() : "hub-json";
    }

    public Charset charset(Bureau b) {
        String cs = b.getCharset() != null ? b.getCharset() : bureauDefaults.getCharset();
        return Charset.forName(cs == null ? "UTF-8" : cs);
    }

    public static class Bureau {
        String code;
        private String name;
        private String protocol;
        private String endpoint;
        private String mappingFormat;
        private String mappingFile;
        private String charset;
        private String credentialsRef;

        public String code() { return code; }
        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getProtocol() { return protocol; }
        public void setProtocol(String protocol) { this.protocol = protocol; }
        public String getEndpoint() { return endpoint; }
        public void setEndpoint(String endpoint) { this.endpoint = endpoint; }
        public String getMappingFormat() { return mappingFormat; }
        public void setMappingFormat(String mappingFormat) { this.mappingFormat = mappingFormat; }
        public String getMappingFile() { return mappingFile; }
        public void setMappingFile(String mappingFile) { this.mappingFile = mappingFile; }
        public String getCharset() { return charset; }
        public void setCharset(String charset) { this.charset = charset; }
        public String getCredentialsRef() { return credentialsRef; }
        public void setCredentialsRef(String credentialsRef) { this.credentialsRef = credentialsRef; }

        /** FILE: the exchange directory; SFTP: the unit's directory under the SFTP root. */
        public Path directory(Path sftpRoot) {
            if ("SFTP".equals(protocol)) {
                String path = URI.create(endpoint).getPath().replaceAll("^/+", "");
                return sftpRoot.resolve(path);
            }
            return Path.of(endpoint);
        }

        public String inboxQueue() {
            return "hub.bureau." + code + ".inbox";
        }

        public String replyQueue() {
            return "hub.bureau." + code + ".replies";
        }
    }
}
