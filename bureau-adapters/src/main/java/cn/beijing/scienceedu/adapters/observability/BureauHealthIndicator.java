package cn.beijing.scienceedu.adapters.observability;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.adapters.dispatch.BureauBreakers;
import cn.beijing.scienceedu.adapters.dispatch.DeliveryStore;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;

/**
 * {@code /actuator/health/bureaus}: per bureau its circuit state, backlog, parked count and last success.
 * Always UP as a whole (a bureau being down is not this service being down; it is not in readiness),
 * with the details telling which bureau is in trouble.
 */
@Component("bureaus")
public class BureauHealthIndicator implements HealthIndicator {

    private final BureauRegistry registry;
    private final BureauBreakers breakers;
    private final DeliveryStore store;
    private final JdbcTemplate jdbc;

    public BureauHealthIndicator(BureauRegistry registry, BureauBreakers breakers, DeliveryStore store, JdbcTemplate jdbc) {
        this.registry = registry;
        this.breakers = breakers;
        this.store = store;
        this.jdbc = jdbc;
    }

    @Override
    public Health health() {
        Map<String, Long> backlog = store.countByUnit("PENDING");
        Map<String, Long> parked = store.countByUnit("PARKED");
        Map<String, Object> lastSuccess = new LinkedHashMap<>();
        jdbc.query("select unit_code, last_success_at from bureau_state", rs -> {
            lastSuccess.put(rs.getString(1), rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant().toString());
        });
        Health.Builder h = Health.up();
        for (Bureau b : registry.all()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("protocol", b.protocol().name());
            d.put("circuit", breakers.state(b));
            d.put("backlog", backlog.getOrDefault(b.code(), 0L));
            d.put("parked", parked.getOrDefault(b.code(), 0L));
            d.put("lastSuccess", lastSuccess.get(b.code()));
            h.withDetail(b.code(), d);
        }
        return h.build();
    }
}
