package cn.beijing.scienceedu.adapters.dispatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.adapters.outbound.Delivery;
import cn.beijing.scienceedu.adapters.outbound.OutboundGateway;
import cn.beijing.scienceedu.adapters.outbound.RetryDecider;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.contracts.events.DeliveryOutcomeData;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Drains each bureau's backlog from the outbox. Per bureau one replica at a time (PostgreSQL advisory
 * lock), one worker at a time here, heads of each task's queue only (order per task). Within a round the
 * heads (distinct tasks) go out with up to {@code parallel-per-bureau} calls in flight (REST, SOAP, AMQP; FILE
 * and SFTP one by one); as calls finish, the worker records them in batches — per batch one transaction with
 * the message-log records (one lock of the unit's chain head), the delivery updates and the bureau's state —
 * while the lanes go on with the next heads, then hands the batch's {@code delivery.*} events to the
 * publisher (confirmed). A transient failure after the in-route redeliveries leaves the delivery PENDING with
 * its next attempt pushed out (exponential backoff, jitter, capped) and stops the bureau's round; the circuit
 * breaker keeps calls off a bureau that keeps failing. A permanent failure parks the delivery and publishes
 * {@code delivery.parked}. Which bureau runs on which worker and how a round's calls go out is {@link BureauLanes}.
 */
@Component
public class Dispatcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final DeliveryStore store;
    private final BureauRegistry registry;
    private final OutboundGateway gateway;
    private final BureauBreakers breakers;
    private final DeliveryEvents events;
    private final MessageLog messageLog;
    private final TransactionTemplate tx;
    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final int batch;
    private volatile boolean enabled;
    private final BureauLanes bureauLanes;

    public Dispatcher(DeliveryStore store, BureauRegistry registry, OutboundGateway gateway, BureauBreakers breakers,
            DeliveryEvents events, MessageLog messageLog, TransactionTemplate tx, JdbcTemplate jdbc, MeterRegistry meters,
            @Value("${hub.adapters.dispatch.batch:200}") int batch,
            @Value("${hub.adapters.dispatch.workers:4}") int workers,
            @Value("${hub.adapters.dispatch.enabled:true}") boolean enabled,
            @Value("${hub.adapters.dispatch.parallel-per-bureau:4}") int parallelPerBureau) {
        this.enabled = enabled;
        this.bureauLanes = new BureauLanes(workers, parallelPerBureau);
        this.store = store;
        this.registry = registry;
        this.gateway = gateway;
        this.breakers = breakers;
        this.events = events;
        this.messageLog = messageLog;
        this.tx = tx;
        this.jdbc = jdbc;
        this.meters = meters;
        this.batch = batch;
    }

    @Scheduled(fixedDelayString = "${hub.adapters.dispatch.interval:PT0.2S}")
    public void tick() {
        if (!enabled || !gateway.ready()) {
            return; // off, or Camel not started yet (after a restart) / stopping: nothing is taken, nothing parked
        }
        List<String> units;
        try {
            units = store.unitsWithDueWork();
        } catch (RuntimeException e) {
            log.warn("dispatcher cannot read the outbox: {}", e.getMessage());
            return;
        }
        for (String unit : units) {
            bureauLanes.drainSoon(unit, () -> drain(unit));
        }
    }

    void drain(String unit) {
        store.withUnitLock(unit, () -> { // false: another replica drains this bureau
            Bureau bureau = registry.find(unit).orElse(null);
            for (int round = 0; round < 20; round++) {
                List<Delivery> heads = store.dueHeads(unit, batch);
                if (heads.isEmpty()) {
                    return;
                }
                if (bureau == null) {
                    heads.forEach(d -> park(d, d.attempts(), "no bureau configured for unit " + unit,
                            "mapping error: unknown unit"));
                    continue;
                }
                // heads are of distinct tasks, so they may go in parallel without breaking order per task;
                // file and SFTP bureaus get theirs one by one (one directory writer, one SFTP session)
                if (!sendAll(bureau, heads, bureauLanes.lanesFor(bureau.protocol()))) {
                    return;
                }
            }
        });
    }

    /** A finished call: the delivery, how it went, its attempts so far. */
    private record Sent(Delivery delivery, OutboundGateway.Result result, int attempts) {
    }

    /**
     * Sends one round's heads with up to {@code lanes} calls in flight and records them as they finish. Every
     * call started is waited for before this returns (the next round may hold the same tasks' next messages).
     *
     * @return false when the bureau should not be called again this round (transient failure, breaker open)
     */
    private boolean sendAll(Bureau bureau, List<Delivery> heads, int lanes) {
        CircuitBreaker breaker = breakers.of(bureau);
        return bureauLanes.round(bureau.code(), heads, lanes, new BureauLanes.Calls<Delivery, Sent>() {
            @Override
            public boolean admit(Delivery d) {
                return breaker.tryAcquirePermission();
            }

            @Override
            public void putOff(Delivery d) {
                store.retryLater(d.id(), d.attempts(),
                        Instant.now().plus(bureau.retry().breakerOpenFor()).plusMillis(10), "circuit breaker open");
            }

            @Override
            public Sent call(Delivery d) {
                return Dispatcher.this.call(bureau, breaker, d);
            }

            @Override
            public boolean halts(Sent s) {
                return s.result().outcome() == OutboundGateway.Outcome.TRANSIENT;
            }

            @Override
            public void record(List<Sent> done) {
                Dispatcher.this.record(bureau, done);
            }
        });
    }

    /**
     * One call to the bureau (its in-route redeliveries included); never throws, so every call is accounted for. A
     * TRANSIENT result halts the round ({@link BureauLanes}).
     */
    private Sent call(Bureau bureau, CircuitBreaker breaker, Delivery d) {
        long start = System.nanoTime();
        OutboundGateway.Result r;
        try {
            r = gateway.deliver(bureau, d);
        } catch (RuntimeException e) {
            r = new OutboundGateway.Result(OutboundGateway.Outcome.TRANSIENT, null, e.toString(), 0,
                    new MessageLog.Entry(bureau.code(), MessageLog.Direction.OUT, bureau.protocol().name(), d.id(), d.kind(),
                            d.taskId(), d.payload().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            OutboundGateway.Outcome.TRANSIENT.name()));
        }
        long took = System.nanoTime() - start;
        Timer.builder("hub.adapters.delivery").tag("unit", bureau.code()).tag("protocol", bureau.protocol().name())
                .tag("outcome", r.outcome().name()).register(meters).record(took, TimeUnit.NANOSECONDS);
        switch (r.outcome()) {
            case TRANSIENT -> breaker.onError(took, TimeUnit.NANOSECONDS, new RuntimeException(r.error()));
            // PERMANENT too: the bureau answered; the content is at fault
            default -> breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        }
        return new Sent(d, r, d.attempts() + 1 + r.redeliveries());
    }

    /**
     * Records a batch of finished calls in one transaction: their message-log records (appended to the unit's
     * chain under one lock of its head), the delivery updates, the bureau's last success/failure. Then, once
     * committed, hands their events to the publisher.
     */
    private void record(Bureau bureau, List<Sent> done) {
        List<DeliveryEvents.Outcome> outcomes = new ArrayList<>(done.size());
        tx.executeWithoutResult(status -> {
            messageLog.appendAll(bureau.code(), done.stream().map(s -> s.result().logEntry()).toList());
            List<DeliveryStore.Done> delivered = new ArrayList<>();
            String lastError = null;
            for (Sent s : done) {
                Delivery d = s.delivery();
                OutboundGateway.Result r = s.result();
                switch (r.outcome()) {
                    case DELIVERED -> {
                        delivered.add(new DeliveryStore.Done(d.id(), s.attempts(), r.bureauReference()));
                        outcomes.add(new DeliveryEvents.Outcome(d, DeliveryOutcomeData.Outcome.SUCCEEDED, s.attempts(), null,
                                null, r.bureauReference()));
                    }
                    case TRANSIENT -> {
                        Instant next = Instant.now().plusMillis(
                                RetryDecider.delayMillis(bureau.retry(), Math.min(d.attempts(), 30)));
                        store.retryLater(d.id(), s.attempts(), next, r.error());
                        lastError = r.error();
                        if (d.attempts() == 0) {
                            outcomes.add(new DeliveryEvents.Outcome(d, DeliveryOutcomeData.Outcome.FAILED, s.attempts(),
                                    "bureau unreachable, will retry", r.error(), null));
                        }
                    }
                    default -> {
                        store.park(d.id(), s.attempts(), r.error(), r.error());
                        outcomes.add(new DeliveryEvents.Outcome(d, DeliveryOutcomeData.Outcome.PARKED, s.attempts(),
                                r.error(), r.error(), null));
                    }
                }
            }
            store.deliveredAll(delivered);
            if (!delivered.isEmpty()) {
                jdbc.update("""
                        insert into bureau_state(unit_code, last_success_at) values (?, now())
                        on conflict (unit_code) do update set last_success_at = now()""", bureau.code());
            }
            if (lastError != null) {
                jdbc.update("""
                        insert into bureau_state(unit_code, last_failure_at, last_error) values (?, now(), ?)
                        on conflict (unit_code) do update set last_failure_at = now(), last_error = excluded.last_error""",
                        bureau.code(), lastError);
            }
        });
        for (Sent s : done) {
            switch (s.result().outcome()) {
                case DELIVERED -> { }
                case TRANSIENT -> log.info("delivery {} to {} waits: {}", s.delivery().id(), bureau.code(), s.result().error());
                default -> {
                    meters.counter("hub.adapters.parked", "unit", bureau.code()).increment();
                    log.warn("delivery {} to {} parked: {}", s.delivery().id(), bureau.code(), s.result().error());
                }
            }
        }
        events.publishAll(outcomes);
    }

    private void park(Delivery d, int attempts, String reason, String error) {
        store.park(d.id(), attempts, reason, error);
        meters.counter("hub.adapters.parked", "unit", d.unitCode()).increment();
        events.publish(d, DeliveryOutcomeData.Outcome.PARKED, attempts, reason, error, null);
        log.warn("delivery {} to {} parked: {}", d.id(), d.unitCode(), reason);
    }

    /** Tests and operations: stop or resume taking work (in-flight rounds finish). */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public void destroy() {
        enabled = false;
        bureauLanes.shutdownNow();
    }
}
