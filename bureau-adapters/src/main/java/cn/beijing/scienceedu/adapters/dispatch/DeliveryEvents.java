package cn.beijing.scienceedu.adapters.dispatch;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.adapters.outbound.Delivery;
import cn.beijing.scienceedu.contracts.events.DeliveryOutcomeData;
import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.platform.events.CloudEventWriter;

/**
 * Publishes {@code delivery.succeeded|failed|parked} (CloudEvents, structured, written by platform's
 * {@link CloudEventWriter}: source {@code hub.events.source}, subject the task, sequence its version) to
 * {@code hub.delivery-events}, publisher-confirmed. The dispatcher hands over the events of a recorded batch and goes
 * on; one publisher thread sends whatever has queued up since its last send on one channel and waits for the broker's
 * confirms once for all of them (a send that is not confirmed is repeated with the same event ids, which consumers
 * deduplicate). Events keep the order they were handed over in, so per task too.
 */
@Component
public class DeliveryEvents implements DisposableBean {

    public static final String EXCHANGE = EventTypes.DELIVERY_EXCHANGE;
    private static final Logger log = LoggerFactory.getLogger(DeliveryEvents.class);
    private static final int MAX_PER_CONFIRM = 500;
    private static final long CONFIRM_TIMEOUT_MS = 10_000;
    private static final int ATTEMPTS = 3;

    /** One outcome to announce. */
    public record Outcome(Delivery delivery, DeliveryOutcomeData.Outcome outcome, int attempts, String reason,
            String lastError, String bureauReference) {
    }

    private record Event(String routingKey, Message message, String deliveryId) {
    }

    private final RabbitTemplate rabbit;
    private final CloudEventWriter events;
    private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final Thread publisher;
    /** queued or being sent */
    private final java.util.concurrent.atomic.AtomicInteger outstanding = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closing;

    public DeliveryEvents(RabbitTemplate rabbit, CloudEventWriter events) {
        this.rabbit = rabbit;
        this.events = events;
        this.publisher = new Thread(this::publishLoop, "delivery-events");
        this.publisher.setDaemon(true);
        this.publisher.start();
    }

    public void publish(Delivery d, DeliveryOutcomeData.Outcome outcome, int attempts, String reason, String lastError,
            String bureauReference) {
        publishAll(List.of(new Outcome(d, outcome, attempts, reason, lastError, bureauReference)));
    }

    /** Queues the events of a batch, in order, for the publisher thread. */
    public void publishAll(List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            if (o.delivery().sourceEventId() == null) {
                continue; // receipts to bureaus are not task deliveries
            }
            try {
                Event e = event(o);
                outstanding.incrementAndGet();
                queue.add(e);
            } catch (RuntimeException e) {
                log.error("delivery event for {} not built: {}", o.delivery().id(), e.getMessage());
            }
        }
    }

    private Event event(Outcome o) {
        Delivery d = o.delivery();
        DeliveryOutcomeData data = new DeliveryOutcomeData();
        data.setDeliveryId(d.id());
        data.setSourceEventId(d.sourceEventId());
        data.setSourceEventType(d.sourceEventType());
        data.setTaskId(d.taskId());
        data.setUnitCode(d.unitCode());
        data.setProtocol(DeliveryOutcomeData.Protocol.fromValue(d.protocol()));
        data.setMessageKind(DeliveryOutcomeData.MessageKind.fromValue(d.kind()));
        data.setOutcome(o.outcome());
        data.setAttempts(o.attempts());
        data.setReason(o.reason());
        data.setLastError(o.lastError());
        data.setBureauReference(o.bureauReference());
        data.setAt(OffsetDateTime.now(ZoneOffset.UTC));
        String key = "delivery." + o.outcome().value().toLowerCase();
        CloudEventWriter.Draft e = events.event(key).subject(d.taskId()).sequence(d.taskVersion())
                .traceparent(d.traceparent()).data(data);
        Message msg = CloudEventWriter.structuredMessage(e.id(), e.toJsonBytes(), d.traceparent());
        return new Event(key, msg, d.id());
    }

    private void publishLoop() {
        while (true) {
            List<Event> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_PER_CONFIRM - 1);
            try {
                send(batch);
            } finally {
                outstanding.addAndGet(-batch.size());
            }
        }
    }

    private void send(List<Event> batch) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                rabbit.invoke(ops -> {
                    for (Event e : batch) {
                        ops.send(EXCHANGE, e.routingKey(), e.message());
                    }
                    ops.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
                    return null;
                });
                return;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    log.error("{} delivery events not confirmed by the broker after {} attempts (deliveries {}): {}",
                            batch.size(), ATTEMPTS, batch.stream().map(Event::deliveryId).toList(), e.getMessage());
                    return;
                }
                log.warn("{} delivery events not confirmed, sending them again: {}", batch.size(), e.getMessage());
                if (!pause(500L * attempt)) {
                    return;
                }
            }
        }
    }

    private boolean pause(long millis) {
        if (closing) {
            return true; // shutting down: try again at once rather than wait
        }
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True when nothing is queued or being sent (tests, shutdown). */
    public boolean idle() {
        return outstanding.get() == 0;
    }

    /** Sends what is still queued before the broker connection goes away (up to 10 s). */
    @Override
    public void destroy() throws InterruptedException {
        closing = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!idle() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!idle()) {
            log.error("{} delivery events still queued at shutdown", queue.size());
        }
        publisher.interrupt();
    }
}
