package cn.beijing.scienceedu.adapters.dispatch;

import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.transaction.support.TransactionTemplate;

import cn.beijing.scienceedu.platform.events.CloudEventReader;
import cn.beijing.scienceedu.platform.events.HubEvent;

/**
 * Spring Cloud Stream consumer of {@code hub.task-events.adapters} (binding {@code taskEvents-in-0}),
 * handing each event, read once by platform's {@link CloudEventReader}, to Camel. Queue type and dead letters (binder
 * republish to {@code hub.dlx}) are platform's too: {@code hub.queue-bindings} in application.yml.
 */
@Configuration(proxyBeanMethods = false)
public class TaskEventConsumer {

    /**
     * One event, one transaction: the idempotent consumer's row ({@code JdbcMessageIdRepository} joins it), the
     * task's known state and the outbox row commit together — or, on a failure, not at all, so a retried or
     * replayed event is never taken for a duplicate of one that left no delivery behind.
     */
    @Bean
    public Consumer<Message<byte[]>> taskEvents(CloudEventReader events, ProducerTemplate camel, TransactionTemplate tx) {
        // read once by platform's reader from the message as it came off the queue (structured, or binary with
        // ce- headers); one that is no hub CloudEvent is a MalformedEventException: retried, then a dead letter
        return message -> {
            HubEvent e = events.read(message);
            awaitCamel(camel.getCamelContext());
            tx.executeWithoutResult(status -> camel.sendBody("direct:task-event", e));
        };
    }

    /**
     * The binding starts consuming before the Camel context has started (Spring starts lifecycle beans, then Camel on
     * the refresh event): after a restart with a queue full of events, the first ones failed with "CamelContext is
     * stopped" and ended as dead letters after their retries. Wait for Camel while it is still starting, at most two
     * minutes; the event stays unacknowledged meanwhile.
     */
    static void awaitCamel(CamelContext context) {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < until) {
            ServiceStatus s = context.getStatus();
            if (!(s.isInitializing() || s.isInitialized() || s.isStarting())) {
                return; // started, or stopping: the send answers for itself
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
