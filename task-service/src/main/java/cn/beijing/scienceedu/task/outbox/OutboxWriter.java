package cn.beijing.scienceedu.task.outbox;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import cn.beijing.scienceedu.platform.events.CloudEventWriter;

/**
 * Writes an event into the outbox table in the caller's transaction: the event exists exactly when the
 * change it reports was committed. {@link OutboxRelay} publishes it after the commit. The envelope (type, data schema,
 * source {@code hub.events.source}) is platform's {@link CloudEventWriter}'s, from the routing key.
 */
@Component
public class OutboxWriter {

    private static final String WAKE_KEY = OutboxWriter.class.getName() + ".wake";

    private final JdbcTemplate jdbc;
    private final CloudEventWriter events;
    private final OutboxRelay relay;

    public OutboxWriter(JdbcTemplate jdbc, CloudEventWriter events, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.events = events;
        this.relay = relay;
    }

    /**
     * Appends one CloudEvent. {@code kind} is the routing key (e.g. {@code task.signed-for}, one of
     * {@code EventTypes.ALL}); the type is {@code cn.beijing.scienceedu.hub.<kind>.v1}.
     */
    public String append(String kind, String subject, Long sequence, Object data, String messageLogId) {
        CloudEventWriter.Draft e = events.event(kind).subject(subject).sequence(sequence)
                .traceparent(currentHeader("traceparent")).correlationId(currentHeader("X-Correlation-Id"))
                .messageLogId(messageLogId).data(data);
        // the writer keeps a W3C traceparent only; the relay copies it into the AMQP header
        String payload = e.toJson();
        jdbc.update("insert into outbox (event_id, routing_key, subject, payload, traceparent) values (?,?,?,?,?)", e.id(),
                kind, subject, payload, e.traceparent());
        wakeRelayAfterCommit();
        return e.id();
    }

    private void wakeRelayAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            relay.wakeUp();
            return;
        }
        if (TransactionSynchronizationManager.hasResource(WAKE_KEY)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(WAKE_KEY, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(WAKE_KEY);
                if (status == STATUS_COMMITTED) {
                    relay.wakeUp();
                }
            }
        });
    }

    /**
     * A trace header of the current request for the event, or null: one longer than 128 characters or with a byte
     * outside printable ASCII (read under the security firewall, which would refuse a control character mid-write) is
     * not carried, rather than refusing the write or putting mojibake in the event.
     */
    private static String currentHeader(String name) {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs) {
            HttpServletRequest req = attrs.getRequest();
            String v = cn.beijing.scienceedu.platform.problem.RequestHeaderBytes.raw(req, name);
            return v == null || v.length() > 128 || cn.beijing.scienceedu.platform.problem.RequestHeaderBytes.badOctet(v) != null ? null : v;
        }
        return null;
    }
}
