package cn.beijing.scienceedu.adapters.registry;

import java.nio.charset.Charset;
import java.time.Duration;

/**
 * One bureau system (委办局业务系统) as configured in {@code bureaus.yaml}, with the defaults filled in.
 *
 * @param code           unit code from the catalogue overlay (e.g. {@code SJW})
 * @param name           short Chinese name (市教委)
 * @param fullName       official name
 * @param protocol       how it is reached
 * @param endpoint       URL (REST/SOAP), directory (FILE), {@code sftp://host:port/dir} (SFTP) or queue prefix (AMQP)
 * @param statusEndpoint REST only: base URL of its status API the hub may poll (may be null)
 * @param mapping        payload shape
 * @param charset        character set of what it reads and writes
 * @param credentialsRef name of the credentials entry ({@code hub.credentials.<ref>}); never the secret itself
 * @param schedule       when answers are picked up
 * @param timeouts       connect/read timeouts
 * @param retry          redelivery policy
 */
public record Bureau(String code, String name, String fullName, Protocol protocol, String endpoint,
        String statusEndpoint, Mapping mapping, Charset charset, String credentialsRef, Schedule schedule,
        Timeouts timeouts, Retry retry) {

    /** Payload shape: {@code hub-json}, {@code json-map} (mapping file), {@code xslt} (stylesheet), {@code csv} (column file). */
    public record Mapping(String format, String file) {
    }

    public record Schedule(Duration pollInterval) {
    }

    public record Timeouts(Duration connect, Duration read) {
    }

    /**
     * @param maxRedeliveries in-process redeliveries of one attempt (exponential backoff with jitter)
     * @param initialDelay    first redelivery delay
     * @param multiplier      backoff multiplier
     * @param maxDelay        cap of any delay
     * @param jitter          0..1 random spread applied to each delay
     * @param breakerOpenFor  how long the circuit stays open before a trial call
     */
    public record Retry(int maxRedeliveries, Duration initialDelay, double multiplier, Duration maxDelay,
            double jitter, Duration breakerOpenFor) {
    }

    /** AMQP: the queue the bureau reads. */
    public String inboxQueue() {
        return "hub.bureau." + code + ".inbox";
    }

    /** AMQP: the queue the bureau answers on. */
    public String replyQueue() {
        return "hub.bureau." + code + ".replies";
    }
}
