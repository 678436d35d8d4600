package cn.beijing.scienceedu.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code sim.*}: where the hub is, the SFTP server, automatic answers, bureau tokens. */
@ConfigurationProperties(prefix = "sim")
public class SimSettings {

    /** Base URL of the hub's inbound endpoints: the gateway, as for a real bureau (tests may name bureau-adapters). */
    private String hubUrl = "http://localhost:8080";
    private int sftpPort = 2222;
    private Path sftpRoot = Path.of(System.getProperty("java.io.tmpdir"), "hub-sftp");
    private String sftpPassword = "sim-secret";
    /** Sign for each assignment, then report progress and submit, on this schedule. */
    private boolean autoReply = false;
    private Duration autoReplyDelay = Duration.ofSeconds(5);
    /** Submit only every n-th task (chosen by task id); 1 = every task. */
    private int autoReplySubmitEvery = 1;
    private Duration filePollInterval = Duration.ofMillis(300);
    /** How many received messages {@code GET /sim/received} and sent answers {@code GET /sim/sent} keep (oldest dropped first). */
    private int recorderCapacity = 50_000;
    /** Fixed bureau tokens per unit, for calling the hub (tests); a unit listed here never asks the issuer. */
    private Map<String, String> tokens = new LinkedHashMap<>();
    /** Where the other units get their tokens: OAuth2 client credentials at the issuer. */
    private Oauth2 oauth2 = new Oauth2();

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
    public int getAutoReplySubmitEvery() { return autoReplySubmitEvery; }
    public void setAutoReplySubmitEvery(int autoReplySubmitEvery) { this.autoReplySubmitEvery = autoReplySubmitEvery; }
    public Duration getFilePollInterval() { return filePollInterval; }
    public void setFilePollInterval(Duration filePollInterval) { this.filePollInterval = filePollInterval; }
    public int getRecorderCapacity() { return recorderCapacity; }
    public void setRecorderCapacity(int recorderCapacity) { this.recorderCapacity = recorderCapacity; }
    public Map<String, String> getTokens() { return tokens; }
    public void setTokens(Map<String, String> tokens) { this.tokens = tokens; }
    public Oauth2 getOauth2() { return oauth2; }
    public void setOauth2(Oauth2 oauth2) { this.oauth2 = oauth2; }

    /** {@code sim.oauth2.*}: each unit is client {@code <unit lower>-system} at this token endpoint. */
    public static class Oauth2 {
        /** The issuer's token endpoint; empty: no tokens from the issuer. */
        private String tokenUri = "";
        /** Secrets by client id; a client not listed uses the issuer's demo secret {@code <clientId>-secret}. */
        private Map<String, String> clientSecrets = new LinkedHashMap<>();
        /** Fetch a new token this long before the current one expires. */
        private Duration refreshBefore = Duration.ofSeconds(60);

        public String getTokenUri() { return tokenUri; }
        public void setTokenUri(String tokenUri) { this.tokenUri = tokenUri; }
        public Map<String, String> getClientSecrets() { return clientSecrets; }
        public void setClientSecrets(Map<String, String> clientSecrets) { this.clientSecrets = clientSecrets; }
        public Duration getRefreshBefore() { return refreshBefore; }
        public void setRefreshBefore(Duration refreshBefore) { this.refreshBefore = refreshBefore; }
    }
}
