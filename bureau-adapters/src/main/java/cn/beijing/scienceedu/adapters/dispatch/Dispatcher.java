package cn.beijing.scienceedu.adapters.dispatch;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

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
 * lock), one worker at a time here, heads of each task's queue only (order per task). A transient
 * failure after the in-route redeliveries leaves the delivery PENDING with its next attempt pushed out
 * (exponential backoff, jitter, capped) and stops the bureau's round; the circuit breaker keeps calls
 * off a bureau that keeps failing. A permanent failure parks the delivery and publishes
 * {@code delivery.parked}.
 */
@Component
public class Dispatcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final DeliveryStore store;
    private final BureauRegistry registry;
    private final OutboundGateway gateway;
    private final BureauBreakers breakers;
    private final DeliveryEvents events;
    private final TransactionTemplate tx;
    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final int batch;
    private final ExecutorService workers;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile boolean enabled;
    private final int parallelPerBureau;
    private final ExecutorService lanePool;

    public Dispatcher(DeliveryStore store, BureauRegistry registry, OutboundGateway gateway, BureauBreakers breakers,
            DeliveryEvents events, TransactionTemplate tx, JdbcTemplate jdbc, MeterRegistry meters,
            @Value("${hub.adapters.dispatch.batch:200}") int batch,
            @Value("${hub.adapters.dispatch.workers:4}") int workers,
            @Value("${hub.adapters.dispatch.enabled:true}") boolean enabled,
            @Value("${hub.adapters.dispatch.parallel-per-bureau:4}") int parallelPerBureau) {
        this.enabled = enabled;
        this.parallelPerBureau = Math.max(1, parallelPerBureau);
        this.lanePool = Executors.newFixedThreadPool(Math.max(1, workers * this.parallelPerBureau), r -> {
            Thread t = new Thread(r, "bureau-delivery");
            t.setDaemon(true);
            return t;
        });
        this.store = store;
        this.registry = registry;
        this.gateway = gateway;
        this.breakers = breakers;
        this.events = events;
        this.tx = tx;
        this.jdbc = jdbc;
        this.meters = meters;
        this.batch = batch;
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "bureau-dispatch");
            t.setDaemon(true);
            return t;
        });
    }

    @Scheduled(fixedDelayString = "${hub.adapters.dispatch.interval:PT0.2S}")
    public void tick() {
        if (!enabled) {
            return;
        }
        List<String> units;
        try {
            units = store.unitsWithDueWork();
        } catch (RuntimeException e) {
            log.warn("dispatcher cannot read the outbox: {}", e.getMessage());
            return;
        }
        for (String unit : units) {
            if (running.add(unit)) {
                workers.submit(() -> {
                    try {
                        drain(unit);
                    } catch (RuntimeException e) {
                        log.error("dispatch round for {} failed: {}", unit, e.toString());
                    } finally {
                        running.remove(unit);
                    }
                });
            }
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
                int lanes = switch (bureau.protocol()) {
                    case REST, SOAP, AMQP -> parallelPerBureau;
                    default -> 1;
                };
                for (int i = 0; i < heads.size(); i += lanes) {
                    List<Delivery> group = heads.subList(i, Math.min(heads.size(), i + lanes));
                    boolean goOn;
                    if (group.size() == 1) {
                        goOn = send(bureau, group.get(0));
                    } else {
                        List<java.util.concurrent.CompletableFuture<Boolean>> calls = group.stream()
                                .map(d -> java.util.concurrent.CompletableFuture.supplyAsync(() -> send(bureau, d), lanePool))
                                .toList();
                        goOn = calls.stream().allMatch(java.util.concurrent.CompletableFuture::join);
                    }
                    if (!goOn) {
                        return;
                    }
                }
            }
        });
    }

    /** @return false when the bureau should not be called again this round */
    private boolean send(Bureau bureau, Delivery d) {
        CircuitBreaker breaker = breakers.of(bureau);
        if (!breaker.tryAcquirePermission()) {
            store.retryLater(d.id(), d.attempts(), Instant.now().plus(bureau.retry().breakerOpenFor()).plusMillis(10),
                    "circuit breaker open");
            return false;
        }
        long start = System.nanoTime();
        OutboundGateway.Result r = gateway.deliver(bureau, d);
        long took = System.nanoTime() - start;
        int attempts = d.attempts() + 1 + r.redeliveries();
        Timer.builder("hub.adapters.delivery").tag("unit", bureau.code()).tag("protocol", bureau.protocol().name())
                .tag("outcome", r.outcome().name()).register(meters).record(took, TimeUnit.NANOSECONDS);
        switch (r.outcome()) {
            case DELIVERED -> {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                store.delivered(d.id(), attempts, r.bureauReference());
                jdbc.update("""
                        insert into bureau_state(unit_code, last_success_at) values (?, now())
                        on conflict (unit_code) do update set last_success_at = now()""", bureau.code());
                events.publish(d, DeliveryOutcomeData.Outcome.SUCCEEDED, attempts, null, null, r.bureauReference());
                return true;
            }
            case TRANSIENT -> {
                breaker.onError(took, TimeUnit.NANOSECONDS, new RuntimeException(r.error()));
                Instant next = Instant.now().plusMillis(RetryDecider.delayMillis(bureau.retry(), Math.min(d.attempts(), 30)));
                store.retryLater(d.id(), attempts, next, r.error());
                jdbc.update("""
                        insert into bureau_state(unit_code, last_failure_at, last_error) values (?, now(), ?)
                        on conflict (unit_code) do update set last_failure_at = now(), last_error = excluded.last_error""",
                        bureau.code(), r.error());
                if (d.attempts() == 0) {
                    events.publish(d, DeliveryOutcomeData.Outcome.FAILED, attempts, "bureau unreachable, will retry",
                            r.error(), null);
                }
                log.info("delivery {} to {} waits: {}", d.id(), bureau.code(), r.error());
                return false;
            }
            default -> {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS); // the bureau answered; the content is at fault
                park(d, attempts, r.error(), r.error());
                return true;
            }
        }
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
        workers.shutdownNow();
        lanePool.shutdownNow();
    }
}
