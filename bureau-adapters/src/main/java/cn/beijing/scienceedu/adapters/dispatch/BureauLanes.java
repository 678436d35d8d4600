package cn.beijing.scienceedu.adapters.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cn.beijing.scienceedu.adapters.registry.Protocol;

/**
 * The {@link Dispatcher}'s lanes, without database, broker or Camel: which bureau is drained on which worker, and how
 * one round of a bureau's heads goes out. Each bureau is drained by one worker at a time, beside the others (a
 * bureau that is slow or down holds its own worker, not another bureau's; only with more such bureaus than workers do
 * the others wait for a free one); the lane threads are shared but sized {@code workers × parallel-per-bureau}, so the
 * rounds of all workers together never wait for a lane. Within a round the heads (distinct tasks) start in their
 * order with up to {@code lanes} calls in flight; as calls finish the worker records them in batches while the lanes
 * go on with the next heads (one lane: call, record, next call); a call that halts (transient failure) or a head the
 * bureau may not be called for (breaker open) stops the round from starting more; a failed recording too, and it is
 * thrown once the calls in flight are back. Every call started is waited for before the round returns, so the next
 * round (which may hold the same tasks' next messages) starts after.
 */
final class BureauLanes {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    /** What one round does with its heads ({@code H}) and finished calls ({@code S}). */
    interface Calls<H, S> {

        /** Whether the bureau may be called for this head now (its circuit breaker). */
        boolean admit(H head);

        /** A head that was not admitted: put off (the round stops starting calls). */
        void putOff(H head);

        /** One call to the bureau; never throws, so every call is accounted for. */
        S call(H head);

        /** Whether this finished call stops the round from starting more (a transient failure). */
        boolean halts(S finished);

        /** Records a batch of finished calls. */
        void record(List<S> finished);
    }

    private final ExecutorService workers;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final int parallelPerBureau;
    private final ExecutorService lanePool;

    BureauLanes(int workers, int parallelPerBureau) {
        this.parallelPerBureau = Math.max(1, parallelPerBureau);
        this.lanePool = Executors.newFixedThreadPool(Math.max(1, workers * this.parallelPerBureau), r -> {
            Thread t = new Thread(r, "bureau-delivery");
            t.setDaemon(true);
            return t;
        });
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "bureau-dispatch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts draining {@code unit} on a worker, unless a worker is draining it already.
     *
     * @return whether a drain was started
     */
    boolean drainSoon(String unit, Runnable drain) {
        if (!running.add(unit)) {
            return false;
        }
        workers.submit(() -> {
            try {
                drain.run();
            } catch (RuntimeException e) {
                log.error("dispatch round for {} failed: {}", unit, e.toString());
            } finally {
                running.remove(unit);
            }
        });
        return true;
    }

    /**
     * Calls in flight per round: REST, SOAP and AMQP in parallel; FILE and SFTP one by one (one directory writer, one
     * SFTP session).
     */
    int lanesFor(Protocol protocol) {
        return switch (protocol) {
            case REST, SOAP, AMQP -> parallelPerBureau;
            default -> 1;
        };
    }

    /**
     * Sends one round's heads with up to {@code lanes} calls in flight and records them as they finish. Every call
     * started is waited for before this returns.
     *
     * @return false when the bureau should not be called again this round (a call halted, a head was not admitted)
     */
    <H, S> boolean round(String unit, List<H> heads, int lanes, Calls<H, S> calls) {
        return new Round<>(unit, heads, lanes, calls).run();
    }

    /** Stops taking work: what is queued is dropped, what runs is interrupted. */
    void shutdownNow() {
        workers.shutdownNow();
        lanePool.shutdownNow();
    }

    /** One round of one bureau: the heads, the calls in flight, the finished calls not yet recorded. */
    private final class Round<H, S> {

        private final String unit;
        private final List<H> heads;
        private final int lanes;
        private final Calls<H, S> calls;
        private final BlockingQueue<S> finished = new LinkedBlockingQueue<>();
        private final AtomicBoolean halt = new AtomicBoolean();
        private int next;
        private int inFlight;
        private RuntimeException failure;

        Round(String unit, List<H> heads, int lanes, Calls<H, S> calls) {
            this.unit = unit;
            this.heads = heads;
            this.lanes = lanes;
            this.calls = calls;
        }

        boolean run() {
            fill();
            while (inFlight > 0) {
                List<S> done = new ArrayList<>(lanes);
                try {
                    done.add(finished.take());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("dispatch of " + unit + " interrupted", e);
                }
                finished.drainTo(done);
                inFlight -= done.size();
                if (lanes > 1) {
                    fill(); // the lanes go on with the next heads while this thread records
                }
                if (failure == null) {
                    try {
                        calls.record(done);
                    } catch (RuntimeException e) {
                        failure = e; // no more calls; wait for those in flight (left PENDING), then give up the round
                    }
                }
                if (lanes == 1) {
                    fill();
                }
            }
            if (failure != null) {
                throw failure;
            }
            return !halt.get();
        }

        /** Starts calls until {@code lanes} are in flight, the heads run out, or the bureau must not be called. */
        private void fill() {
            try {
                while (failure == null && !halt.get() && inFlight < lanes && next < heads.size()) {
                    H d = heads.get(next++);
                    if (!calls.admit(d)) {
                        halt.set(true);
                        calls.putOff(d);
                        return;
                    }
                    if (lanes == 1) {
                        finished.add(call(d));
                    } else {
                        lanePool.execute(() -> finished.add(call(d)));
                    }
                    inFlight++;
                }
            } catch (RuntimeException e) {
                failure = e; // e.g. the pool is shutting down: what is in flight is still waited for
            }
        }

        private S call(H d) {
            S s = calls.call(d);
            if (calls.halts(s)) {
                halt.set(true);
            }
            return s;
        }
    }
}
