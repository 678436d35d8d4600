package cn.beijing.scienceedu.reporting.projection;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * A counter of the read models' committed changes in this process: bumped after every commit that applied an
 * event, rebuilt the projections or imported schools. Cached reports are keyed by it, so a reader that reads
 * the counter before loading the data never keeps a report older than what was committed before it.
 */
@Component
public class ProjectionVersion {

    private final AtomicLong version = new AtomicLong();

    public long current() {
        return version.get();
    }

    /** After the commit (or at once, outside a transaction): a reader that starts now sees the change. */
    @TransactionalEventListener(fallbackExecution = true)
    void changed(ProjectionChanged event) {
        version.incrementAndGet();
    }
}
