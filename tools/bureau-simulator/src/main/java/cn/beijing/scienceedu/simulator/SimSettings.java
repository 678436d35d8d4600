package cn.beijing.scienceedu.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code sim.*}: where the hub is, the SFTP server, automatic answers, bureau tokens. */
@ConfigurationProperties(prefix = "sim")
public class SimSettings {

    /** Base URL of the hub's inbound endpoints (gateway or bureau-adapters). */
    private String hubUrl = "http://localhost:8082";
    private int sftpPort = 2222;
    private Path sftpRoot = Path.of(System.getProperty("java.io.tmpdir"), "hub-sftp");
    private String sftpPassword = "sim-secret";
    /** Sign for each assignment, then report progress and submit, on this schedule. */
    private boolean autoReply = false;
    private Duration autoReplyDelay = Duration.ofSeconds(5);
    private Duration filePollInterval = Duration.ofMillis(300);
    /** Bureau tokens per unit, for calling the hub (local runs: from the token issuer). */
    private Map<String, String> tokens = new LinkedHashMap<>();

    public String getHubUrl() { return hubUrl; }
    public void setHubUrl(String hubUrl) { this.hubUrl = hubUrl; }
    public int getSftpPort() { return sftpPort; }
    public void setSftpPort(int sftpPort) { this.sftpPort = sftpPort; }
    public Path getSftpRoot() { return sftpRoot; }
    public void setSftpRoot(Path sftpRoot) { this.sftpRoot = sftpRoot; }
    public String getSftpPassword() { return sftpPassword; }
    public void setSftpPassword(String sftpPassword) { this.sftpPassword = sftpPassword; }
    public boolean isAutoReply() { return autoReply; }
    public void setAutoReply(boolean autoReply) { this.autoReply = autoReply; }
    public Duration getAutoReplyDelay() { return autoReplyDelay; }
    public void setAutoReplyDelay(Duration autoReplyDelay) { this.autoReplyDelay = autoReplyDelay; }
    public Duration getFilePollInterval() { return filePollInterval; }
    public void setFilePollInterval(Duration filePollInterval) { this.filePollInterval = filePollInterval; }
    public Map<String, String> getTokens() { return tokens; }
    public void setTokens(Map<String, String> tokens) { this.tokens = tokens; }
}
