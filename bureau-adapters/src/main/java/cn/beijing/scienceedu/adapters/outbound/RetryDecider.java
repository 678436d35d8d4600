package cn.beijing.scienceedu.adapters.outbound;

import java.util.concurrent.ThreadLocalRandom;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.adapters.registry.Bureau;

/**
 * Per-bureau redelivery for the route configuration's {@code retryWhile}: allows the bureau's
 * {@code maxRedeliveries}, and sets the next delay (exponential backoff with jitter, capped) in
 * {@link Exchange#REDELIVERY_DELAY}, which Camel's redelivery error handler honours.
 */
@Component("retryDecider")
public class RetryDecider {

    private final boolean resilience;

    public RetryDecider(@org.springframework.beans.factory.annotation.Value("${hub.adapters.resilience.enabled:true}")
            boolean resilience) {
        this.resilience = resilience;
    }

    public boolean shouldRetry(Exchange exchange) {
        Bureau b = exchange.getProperty(OutboundGateway.BUREAU, Bureau.class);
        int done = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        if (!resilience || b == null || done >= b.retry().maxRedeliveries()) {
            return false;
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delayMillis(b.retry(), done));
        return true;
    }

    /** {@code min(maxDelay, initial * multiplier^n)} spread by ±jitter. */
    public static long delayMillis(Bureau.Retry r, int n) {
        double base = r.initialDelay().toMillis() * Math.pow(r.multiplier(), n);
        base = Math.min(base, r.maxDelay().toMillis());
        double spread = r.jitter() <= 0 ? 0 : ThreadLocalRandom.current().nextDouble(-r.jitter(), r.jitter());
        return Math.max(1, Math.round(base * (1 + spread)));
    }
}
