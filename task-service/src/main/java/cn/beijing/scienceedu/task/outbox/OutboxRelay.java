package cn.beijing.scienceedu.task.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.beijing.scienceedu.platform.events.CloudEventWriter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Publishes the outbox to RabbitMQ, in commit order, in batches with publisher confirms.
 *
 * <p>Each pass first stamps newly committed rows with their feed position ({@link #stampFeedPositions()}, own short
 * transaction, own advisory lock), so the replay feed and the publish order are commit order, even when the broker
 * is down. Then, in a transaction that holds a PostgreSQL advisory lock (so one replica relays at a time
 * and order is kept), read up to {@code batch-size} unpublished rows, send them all on one channel, wait
 * for every confirm, then mark them published and commit. If the broker is down or does not confirm, the
 * transaction rolls back and the rows stay pending: a broker outage delays events, never loses them.
 * Delivery is at least once (a crash between confirm and commit resends); consumers deduplicate on the
 * event id.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final long LOCK_KEY = 0x7461736b6f757478L; // "taskoutx"
    private static final long FEED_LOCK_KEY = 0x7461736b66656564L; // "taskfeed"

    /**
     * Stamps every committed, unstamped row with the next feed positions, in seq order. Runs under the feed lock in
     * its own statement after the lock is taken, so (READ COMMITTED) it sees the previous holder's committed
     * positions: positions are gap-free and never appear below one a reader has already seen.
     */
    private static final String STAMP = """
            update outbox o set feed_position = b.top + s.rn
            from (select seq, row_number() over (order by seq) as rn from outbox where feed_position is null) s,
                 (select coalesce(max(feed_position), 0) as top from outbox) b
            where o.seq = s.seq""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final RabbitTemplate rabbit;
    private final OutboxProperties props;
    private final Timer publishLag;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestPendingMillis = new AtomicLong();
    private volatile boolean brokerUp = true;
    private volatile Instant lastFailure = Instant.EPOCH;
    private volatile ScheduledExecutorService executor;

    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, RabbitTemplate rabbit, OutboxProperties props,
            MeterRegistry registry) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.rabbit = rabbit;
        this.props = props;
        this.publishLag = Timer.builder("hub.outbox.publish.lag")
                .description("time from commit (outbox insert) to broker confirm")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        Gauge.builder("hub.outbox.lag", this, r -> r.lagSeconds()).baseUnit("seconds")
                .description("age of the oldest unpublished outbox event (0 when none)").register(registry);
        Gauge.builder("hub.outbox.pending", pending, AtomicLong::get)
                .description("outbox events not yet confirmed by the broker").register(registry);
        Gauge.builder("hub.broker.up", this, r -> r.brokerUp ? 1 : 0)
                .description("1 when the last outbox publish reached the broker").register(registry);
    }

    /** Ask for a pass soon (called after a commit that wrote events). */
    public void wakeUp() {
        ScheduledExecutorService ex = executor;
        if (ex != null && wakePending.compareAndSet(false, true)) {
            // commits arriving during the delay ride on this one wake-up (wakePending stays set until it runs)
            ex.schedule(() -> {
                wakePending.set(false);
                drain();
            }, props.getWakeDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public boolean brokerUp() {
        return brokerUp;
    }

    public long pendingCount() {
        return pending.get();
    }

    double lagSeconds() {
        long oldest = oldestPendingMillis.get();
        return oldest == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000.0);
    }

    /** Puts newly committed events into the replay feed, then publishes until nothing is pending or a batch fails. */
    public synchronized void drain() {
        // the feed must not wait for the broker: stamp on every pass, whatever the broker's state
        stampFeedPositions();
        if (!brokerUp && Duration.between(lastFailure, Instant.now()).compareTo(props.getRetryBackoff()) < 0) {
            return;
        }
        try {
            int n;
            do {
                n = relayBatch();
            } while (n >= props.getBatchSize());
            if (!brokerUp) {
                log.info("outbox relay: broker reachable again");
            }
            brokerUp = true;
        } catch (RuntimeException e) {
            if (brokerUp) {
                log.warn("outbox relay: publish failed, events stay in the outbox: {}", e.getMessage());
            }
            brokerUp = false;
            lastFailure = Instant.now();
        } finally {
            refreshPending();
        }
    }

    /**
     * Gives committed outbox rows their feed position (the replay feed's cursor), in the order this single
     * sequencer sees them committed. A seq is taken at insert but a row becomes visible at commit, so paging by
     * seq could hand a reader a cursor past a row still being committed; paging by a position stamped after
     * commit cannot.
     */
    public int stampFeedPositions() {
        try {
            Integer stamped = tx.execute(status -> {
                // blocking: a concurrent stamper finishes in milliseconds, and the max() below must see its commit
                jdbc.queryForObject("select pg_advisory_xact_lock(?)::text", String.class, FEED_LOCK_KEY);
                return jdbc.update(STAMP);
            });
            return stamped == null ? 0 : stamped;
        } catch (RuntimeException e) {
            log.warn("outbox relay: stamping feed positions failed, will retry next pass: {}", e.getMessage());
            return 0;
        }
    }

    private record Row(long seq, String eventId, String routingKey, String payload, String traceparent,
            Timestamp createdAt) {
    }

    private int relayBatch() {
        Integer sent = tx.execute(status -> {
            Boolean locked = jdbc.queryForObject("select pg_try_advisory_xact_lock(?)", Boolean.class, LOCK_KEY);
            if (!Boolean.TRUE.equals(locked)) {
                return 0;
            }
            List<Row> rows = jdbc.query("select seq, event_id, routing_key, payload, traceparent, created_at from outbox "
                    + "where published_at is null and feed_position is not null order by feed_position limit ?",
                    (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6)),
                    props.getBatchSize());
            if (rows.isEmpty()) {
                return 0;
            }
            rabbit.invoke(ops -> {
                for (Row r : rows) {
                    ops.send(props.getExchange(), r.routingKey(), message(r));
                }
                ops.waitForConfirmsOrDie(props.getConfirmTimeout().toMillis());
                return null;
            });
            Long[] seqs = rows.stream().map(Row::seq).toArray(Long[]::new);
            jdbc.update(con -> {
                var ps = con.prepareStatement("update outbox set published_at = now() where seq = any(?)");
                ps.setArray(1, con.createArrayOf("bigint", seqs));
                return ps;
            });
            long now = System.currentTimeMillis();
            rows.forEach(r -> publishLag.record(Duration.ofMillis(Math.max(0, now - r.createdAt().getTime()))));
            return rows.size();
        });
        return sent == null ? 0 : sent;
    }

    private static Message message(Row r) {
        return CloudEventWriter.structuredMessage(r.eventId(), r.payload().getBytes(StandardCharsets.UTF_8),
                r.traceparent());
    }

    private void refreshPending() {
        try {
            jdbc.query("select count(*), min(created_at) from outbox where published_at is null", rs -> {
                pending.set(rs.getLong(1));
                Timestamp oldest = rs.getTimestamp(2);
                oldestPendingMillis.set(oldest == null ? 0 : oldest.getTime());
            });
        } catch (RuntimeException e) {
            log.debug("outbox gauge refresh failed: {}", e.getMessage());
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outbox-relay");
            t.setDaemon(true);
            return t;
        });
        long ms = props.getPollInterval().toMillis();
        ex.scheduleWithFixedDelay(this::drain, ms, ms, TimeUnit.MILLISECONDS);
        executor = ex;
    }

    @Override
    public void stop() {
        ScheduledExecutorService ex = executor;
        executor = null;
        if (ex != null) {
            ex.shutdown();
            try {
                ex.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
