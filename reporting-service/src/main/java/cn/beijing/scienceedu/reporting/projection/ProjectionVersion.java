package cn.beijing.scienceedu.reporting.projection;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Versions of the read models' changes in this process, per policy: bumped when a transaction that applied an
 * event of the policy ends, and for every policy after a rebuild or a school import. Per policy, so that one
 * policy's events do not throw away the other policies' kept reports.
 *
 * <p>A change counts as <em>pending</em> from the moment it is made until its transaction has ended and the
 * version is bumped. A reader takes a {@link Stamp} (pending first, then the version) before loading anything:
 * when nothing is pending, every change committed before it is in the version, so a report built at that version
 * or later is not stale for it; while something is pending (committed or not, the reader cannot tell), it must
 * read the data itself.
 */
@Component
public class ProjectionVersion {

    /** What a reader may rely on: the version, and whether no change of the policy was between write and bump. */
    public record Stamp(long version, boolean quiet) {
    }

    private final AtomicLong sequence = new AtomicLong();
    /** The sequence number of the last change that concerned every policy. */
    private final AtomicLong everything = new AtomicLong();
    private final Map<String, AtomicLong> byPolicy = new ConcurrentHashMap<>();
    private final AtomicInteger pendingEverything = new AtomicInteger();
    private final Map<String, AtomicInteger> pending = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** The version of {@code policyId}'s read models: grows with every change made to them. */
    public long current(String policyId) {
        AtomicLong own = byPolicy.get(policyId);
        long all = everything.get();
        return own == null ? all : Math.max(own.get(), all);
    }

    public Stamp stamp(String policyId) {
        AtomicInteger own = pending.get(policyId);
        boolean quiet = pendingEverything.get() == 0 && (own == null || own.get() == 0);
        return new Stamp(current(policyId), quiet);
    }

    /**
     * Called after each change (its transaction ended, the version bumped) with its policy id, or null when every
     * policy changed.
     */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** When the change is made: pending until its transaction ends (at once outside a transaction). */
    @EventListener
    void changed(ProjectionChanged event) {
        String policyId = event.policyId();
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            bump(policyId);
            return;
        }
        AtomicInteger p = policyId == null ? pendingEverything : pending.computeIfAbsent(policyId, k -> new AtomicInteger());
        p.incrementAndGet();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                // bump first: a reader that sees nothing pending must see the new version
                long v = sequence.incrementAndGet();
                (policyId == null ? everything : byPolicy.computeIfAbsent(policyId, k -> new AtomicLong()))
                        .accumulateAndGet(v, Math::max);
                p.decrementAndGet();
                notifyListeners(policyId);
            }
        });
    }

    private void bump(String policyId) {
        long v = sequence.incrementAndGet();
        (policyId == null ? everything : byPolicy.computeIfAbsent(policyId, k -> new AtomicLong()))
                .accumulateAndGet(v, Math::max);
        notifyListeners(policyId);
    }

    private void notifyListeners(String policyId) {
        for (Consumer<String> l : listeners) {
            l.accept(policyId);
        }
    }
}
