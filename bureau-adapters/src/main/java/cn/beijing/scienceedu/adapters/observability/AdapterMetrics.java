package cn.beijing.scienceedu.adapters.observability;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.adapters.dispatch.BureauBreakers;
import cn.beijing.scienceedu.adapters.dispatch.DeliveryStore;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Gauges per bureau: {@code hub_adapters_parked_messages}, {@code hub_adapters_backlog_messages},
 * {@code hub_adapters_circuit_open} (1 open, 0.5 half-open, 0 closed). Route timings come from
 * {@code hub_adapters_delivery_seconds} (dispatcher) and {@code hub_adapters_inbound_total} (pipeline).
 */
@Component
public class AdapterMetrics {

    private final Map<String, Double> parked = new ConcurrentHashMap<>();
    private final Map<String, Double> backlog = new ConcurrentHashMap<>();
    private final DeliveryStore store;
    private final BureauRegistry registry;

    public AdapterMetrics(MeterRegistry meters, DeliveryStore store, BureauRegistry registry, BureauBreakers breakers) {
        this.store = store;
        this.registry = registry;
        for (Bureau b : registry.all()) {
            parked.put(b.code(), 0.0);
            backlog.put(b.code(), 0.0);
            Gauge.builder("hub.adapters.parked.messages", parked, m -> m.getOrDefault(b.code(), 0.0))
                    .tag("unit", b.code()).tag("protocol", b.protocol().name()).register(meters);
            Gauge.builder("hub.adapters.backlog.messages", backlog, m -> m.getOrDefault(b.code(), 0.0))
                    .tag("unit", b.code()).tag("protocol", b.protocol().name()).register(meters);
            Gauge.builder("hub.adapters.circuit.open", breakers, br -> switch (br.state(b)) {
                case "OPEN", "FORCED_OPEN" -> 1.0;
                case "HALF_OPEN" -> 0.5;
                default -> 0.0;
            }).tag("unit", b.code()).register(meters);
        }
    }

    @Scheduled(fixedDelayString = "${hub.adapters.metrics.refresh:PT5S}")
    public void refresh() {
        Map<String, Long> p = store.countByUnit("PARKED");
        Map<String, Long> q = store.countByUnit("PENDING");
        for (Bureau b : registry.all()) {
            parked.put(b.code(), p.getOrDefault(b.code(), 0L).doubleValue());
            backlog.put(b.code(), q.getOrDefault(b.code(), 0L).doubleValue());
        }
    }
}
