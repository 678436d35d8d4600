package cn.beijing.scienceedu.adapters.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.Protocol;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The per-bureau breakers: exported under the standard resilience4j names, and switchable off for measurements. */
class BureauBreakersTest {

    static final Bureau SJW = new Bureau("SJW", "SJW", null, Protocol.REST, "https://sjw.example.gov.cn", null,
            new Bureau.Mapping("hub-json", null), StandardCharsets.UTF_8, null, new Bureau.Schedule(Duration.ofSeconds(5)),
            new Bureau.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)),
            new Bureau.Retry(3, Duration.ofMillis(10), 2.0, Duration.ofSeconds(1), 0, Duration.ofSeconds(30)));

    @Test
    void breakersAreExportedAsResilience4jMetrics() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        BureauBreakers breakers = new BureauBreakers(true, meters);
        CircuitBreaker cb = breakers.of(SJW);
        cb.onError(1, TimeUnit.MILLISECONDS, new RuntimeException("down"));
        cb.onError(1, TimeUnit.MILLISECONDS, new RuntimeException("down"));
        assertThat(breakers.state(SJW)).isEqualTo("OPEN");
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "bureau-SJW").tag("state", "open").gauge())
                .isNotNull().satisfies(g -> assertThat(g.value()).isEqualTo(1.0));
    }

    @Test
    void resilienceOffMeansNoBreakerAndNoRedelivery() {
        BureauBreakers breakers = new BureauBreakers(false, new SimpleMeterRegistry());
        CircuitBreaker cb = breakers.of(SJW);
        for (int i = 0; i < 10; i++) {
            assertThat(cb.tryAcquirePermission()).isTrue();
            cb.onError(1, TimeUnit.MILLISECONDS, new RuntimeException("down"));
        }
        assertThat(breakers.state(SJW)).isEqualTo("DISABLED");
        var exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        exchange.setProperty(cn.beijing.scienceedu.adapters.outbound.OutboundGateway.BUREAU, SJW);
        assertThat(new cn.beijing.scienceedu.adapters.outbound.RetryDecider(false).shouldRetry(exchange)).isFalse();
        assertThat(new cn.beijing.scienceedu.adapters.outbound.RetryDecider(true).shouldRetry(exchange)).isTrue();
    }
}
