package cn.beijing.scienceedu.reporting.projection;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Projection lag: {@code hub_reporting_projection_lag_seconds} is the time between the last applied
 * event's {@code time} (when the task-service recorded the fact) and when this service applied it;
 * {@code hub_reporting_event_apply_delay_seconds} is the same as a distribution.
 */
@Component
class ProjectionLag {

    private final AtomicReference<Double> lagSeconds = new AtomicReference<>(0.0);
    private final Timer delay;

    public ProjectionLag(MeterRegistry registry) {
        Gauge.builder("hub.reporting.projection.lag", lagSeconds, AtomicReference::get)
                .baseUnit("seconds")
                .description("Seconds between the last applied event's time and its application")
                .register(registry);
        delay = Timer.builder("hub.reporting.event.apply.delay")
                .description("Event time to applied in the read model")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    public void applied(OffsetDateTime eventTime, OffsetDateTime appliedAt) {
        if (eventTime == null) {
            return;
        }
        Duration d = Duration.between(eventTime, appliedAt);
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        lagSeconds.set(d.toNanos() / 1e9);
        delay.record(d);
    }

    public double currentLagSeconds() {
        return lagSeconds.get();
    }
}
