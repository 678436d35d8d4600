package cn.beijing.scienceedu.task.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The outbox relay's settings. */
@ConfigurationProperties("hub.outbox")
public class OutboxProperties {

    /** Topic exchange the task events go to. */
    private String exchange = "hub.task-events";
    /** Events published per batch (one confirm wait per batch). */
    private int batchSize = 500;
    /** How often the relay looks for unpublished events even without a commit signal. */
    private Duration pollInterval = Duration.ofMillis(500);
    /** How long to wait for the broker's confirms of one batch. */
    private Duration confirmTimeout = Duration.ofSeconds(10);
    /** Wait after a failed batch (broker down) before the next try. */
    private Duration retryBackoff = Duration.ofSeconds(2);
    /**
     * After a commit wakes the relay, how long it waits before its pass, so that the commits of a busy moment leave
     * in one batch rather than one pass (and five statements) each.
     */
    private Duration wakeDelay = Duration.ofMillis(20);

    public String getExchange() {
        return exchange;
    }

    public void setExchange(String exchange) {
        this.exchange = exchange;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public Duration getConfirmTimeout() {
        return confirmTimeout;
    }

    public void setConfirmTimeout(Duration confirmTimeout) {
        this.confirmTimeout = confirmTimeout;
    }

    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    public Duration getWakeDelay() {
        return wakeDelay;
    }

    public void setWakeDelay(Duration wakeDelay) {
        this.wakeDelay = wakeDelay;
    }
}
