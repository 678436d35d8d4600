package cn.beijing.scienceedu.adapters.inbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import cn.beijing.scienceedu.adapters.dispatch.DeliveryStore;
import cn.beijing.scienceedu.adapters.mapping.BureauWrite;
import cn.beijing.scienceedu.contracts.bureau.model.SignFor;
import cn.beijing.scienceedu.adapters.outbound.OutboundAddressGuard;
import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Polls the status API of REST bureaus that have one ({@code status-endpoint}), for tasks delivered to
 * them that they have not signed for: a bureau that shows the task signed for (or further) but never
 * called back gets its sign-for taken through the {@link InboundPipeline} (message id
 * {@code status:<taskId>:SIGN_FOR}, so once). One replica polls each bureau at a time. Its HTTP client
 * resolves the bureau's host through the SSRF guard, so it connects only to an address the guard checked.
 */
@Component
public class StatusPoller {

    private static final Logger log = LoggerFactory.getLogger(StatusPoller.class);
    private static final Set<String> SIGNED = Set.of("SIGNED_FOR", "IN_PROGRESS", "SUBMITTED");

    private final BureauRegistry registry;
    private final DeliveryStore store;
    private final JdbcTemplate jdbc;
    private final InboundPipeline pipeline;
    private final MessageLog messageLog;
    private final JsonMapper json;
    private final Duration minAge;
    private final boolean enabled;
    private final OutboundAddressGuard guard;

    public StatusPoller(BureauRegistry registry, DeliveryStore store, JdbcTemplate jdbc, InboundPipeline pipeline,
            MessageLog messageLog, JsonMapper json,
            @Value("${hub.adapters.status-poll.min-age:PT10M}") Duration minAge,
            @Value("${hub.adapters.dispatch.enabled:true}") boolean enabled, OutboundAddressGuard guard) {
        this.guard = guard;
        this.registry = registry;
        this.store = store;
        this.jdbc = jdbc;
        this.pipeline = pipeline;
        this.messageLog = messageLog;
        this.json = json;
        this.minAge = minAge;
        this.enabled = enabled;
    }

    @Scheduled(fixedDelayString = "${hub.adapters.status-poll.interval:PT5M}", initialDelayString = "PT5S")
    public void poll() {
        if (!enabled) {
            return;
        }
        for (Bureau b : registry.byProtocol(Protocol.REST)) {
            if (b.statusEndpoint() == null || b.statusEndpoint().isBlank()) {
                continue;
            }
            try {
                store.withLock("hub-adapters-status:" + b.code(), () -> pollBureau(b));
            } catch (RuntimeException e) {
                log.warn("status poll of {} failed: {}", b.code(), e.getMessage());
            }
        }
    }

    void pollBureau(Bureau b) {
        List<String> tasks = jdbc.queryForList("""
                select d.task_id from delivery d
                where d.unit_code = ? and d.kind = 'ASSIGNMENT' and d.status = 'DELIVERED'
                  and d.delivered_at < now() - (? * interval '1 millisecond')
                  and not exists (select 1 from inbound_message i where i.unit_code = d.unit_code
                                  and i.task_id = d.task_id and i.kind = 'SIGN_FOR')
                order by d.delivered_at limit 50""", String.class, b.code(), minAge.toMillis());
        if (tasks.isEmpty()) {
            return;
        }
        try {
            guard.checkBeforeSend(b.code(), b.statusEndpoint());
        } catch (OutboundAddressGuard.ForbiddenAddressException e) {
            log.warn("status poll refused: {}", e.getMessage());
            return;
        }
        try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(guard.dnsResolver())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(b.timeouts().connect()))
                                .setSocketTimeout(Timeout.of(b.timeouts().read())).build())
                        .build()).build()) {
            RestClient http = RestClient.builder().baseUrl(b.statusEndpoint())
                    .requestFactory(new HttpComponentsClientHttpRequestFactory(client)).build();
            pollTasks(b, http, tasks);
        } catch (IOException e) {
            log.debug("{} status client not closed cleanly: {}", b.code(), e.getMessage());
        }
    }

    private void pollTasks(Bureau b, RestClient http, List<String> tasks) {
        for (String taskId : tasks) {
            String body;
            try {
                body = http.get().uri("/tasks/{taskId}/status", taskId).retrieve().body(String.class);
            } catch (OutboundAddressGuard.ForbiddenAddressException e) {
                log.warn("status poll refused: {}: {}", b.code(), e.getMessage());
                return;
            } catch (RuntimeException e) {
                log.debug("{} status of {}: {}", b.code(), taskId, e.getMessage());
                return; // the bureau is not answering: try next round
            }
            String status;
            try {
                JsonNode n = json.readTree(body == null ? "" : body);
                status = n != null && n.hasNonNull("status") ? n.get("status").asString() : null;
            } catch (RuntimeException e) {
                continue;
            }
            if (status != null && SIGNED.contains(status)) {
                messageLog.append(new MessageLog.Entry(b.code(), MessageLog.Direction.IN, "REST", "status:" + taskId,
                        "STATUS", taskId, body.getBytes(StandardCharsets.UTF_8), status));
                try {
                    // the status API tells no time of signing: the hub's time of seeing it is kept
                    SignFor signFor = new SignFor("status:" + taskId + ":SIGN_FOR").signedBy(b.code() + " (status API)")
                            .note("signed for as shown by the bureau's status API");
                    pipeline.handle(b.code(), Protocol.REST, BureauWrite.of(BureauWrite.Kind.SIGN_FOR, taskId, b.code(),
                            signFor, java.time.OffsetDateTime.now(java.time.ZoneId.of("Asia/Shanghai"))),
                            body.getBytes(StandardCharsets.UTF_8), null);
                } catch (InboundTransientException e) {
                    return;
                }
            }
        }
    }
}
