package cn.beijing.scienceedu.adapters.inbound;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;

import cn.beijing.scienceedu.adapters.mapping.InboundReport;
import cn.beijing.scienceedu.contracts.task.client.ApiClient;
import cn.beijing.scienceedu.contracts.task.client.api.BureauApi;
import cn.beijing.scienceedu.contracts.task.client.model.ExtensionRequestCreate;
import cn.beijing.scienceedu.contracts.task.client.model.KpiLevel;
import cn.beijing.scienceedu.contracts.task.client.model.KpiValue;
import cn.beijing.scienceedu.contracts.task.client.model.ProgressReportRequest;
import cn.beijing.scienceedu.contracts.task.client.model.ReportStatus;
import cn.beijing.scienceedu.contracts.task.client.model.SignForRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hands a bureau write to the task-service through the generated client ({@code contracts}
 * task-api.yaml, tag {@code bureau}): {@code POST /api/v1/tasks/{taskId}/sign-for | progress-reports |
 * submission | extension-requests} as SERVICE, naming the unit in {@code X-Hub-Acting-Unit} and the
 * bureau's message id as {@code Idempotency-Key}; the incoming {@code traceparent} goes along.
 */
@Component
public class TaskServiceClient {

    /** The task-service's answer. {@code status} 0 means it could not be reached. */
    public record Answer(int status, String taskStatus, String detail) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public boolean transientFailure() {
            return status == 0 || status == 429 || status >= 500;
        }
    }

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private final ThreadLocal<String> traceparent = new ThreadLocal<>();
    private final BureauApi api;
    private final JsonMapper json;

    public TaskServiceClient(@Value("${hub.adapters.task-service.url:${HUB_TASK_SERVICE_URL:http://localhost:8081}}") String baseUrl,
            @Value("${hub.adapters.task-service.timeout:PT10S}") Duration timeout, ServiceToken token, JsonMapper json) {
        JdkClientHttpRequestFactory rf = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build());
        rf.setReadTimeout(timeout);
        Supplier<String> bearer = token;
        var rest = ApiClient.buildRestClientBuilder().requestFactory(rf).requestInterceptor((req, body, exec) -> {
            req.getHeaders().setBearerAuth(bearer.get());
            String tp = traceparent.get();
            if (tp != null) {
                req.getHeaders().set("traceparent", tp);
            }
            return exec.execute(req, body);
        }).build();
        ApiClient client = new ApiClient(rest);
        client.setBasePath(baseUrl);
        this.api = new BureauApi(client);
        this.json = json;
    }

    private static final java.util.regex.Pattern HEADER_SAFE = java.util.regex.Pattern.compile("[\\x21-\\x7E]{1,128}");

    /**
     * The {@code Idempotency-Key} sent to the task-service for a bureau's message: its own id where that is a plain
     * header token (visible ASCII), else a name-based UUID of it — a bureau may number its messages in Chinese or with
     * spaces, which an HTTP header cannot carry. Deterministic, so a resent message has the same key (one effect).
     */
    static String idempotencyKey(String unit, String messageId) {
        if (HEADER_SAFE.matcher(messageId).matches()) {
            return messageId;
        }
        return "mid-" + UUID.nameUUIDFromBytes((unit + "|" + messageId).getBytes(StandardCharsets.UTF_8));
    }

    public Answer forward(String unit, InboundReport r, String messageLogId, String traceparentHeader) {
        traceparent.set(traceparentHeader);
        try {
            String key = idempotencyKey(unit, r.messageId());
            ResponseEntity<String> res = (switch (r.kind()) {
                case SIGN_FOR -> api.signForTaskWithResponseSpec(r.taskId(), new SignForRequest().messageId(r.messageId())
                        .signedAt(OffsetDateTime.now(ZONE)).signedBy(r.signedBy()).note(r.narrative())
                        .messageLogId(messageLogId), key, unit);
                case PROGRESS -> api.reportProgressWithResponseSpec(r.taskId(), new ProgressReportRequest().messageId(r.messageId())
                        .period(r.period()).percentComplete(r.percentComplete()).status(ReportStatus.ON_TRACK)
                        .narrative(r.narrative()).kpiValues(kpis(r)).messageLogId(messageLogId), key, unit);
                case SUBMISSION -> api.submitTaskWithResponseSpec(r.taskId(), new ProgressReportRequest().messageId(r.messageId())
                        .period(r.period() != null ? r.period() : currentQuarter()).percentComplete(100)
                        .status(ReportStatus.COMPLETED).narrative(r.summary()).messageLogId(messageLogId), key, unit);
                case EXTENSION_REQUEST -> api.requestExtensionWithResponseSpec(r.taskId(), new ExtensionRequestCreate()
                        .messageId(r.messageId()).requestedDeadline(LocalDate.parse(r.requestedDeadline())).reason(r.reason())
                        .messageLogId(messageLogId), key, unit);
            }).toEntity(String.class);
            String status = null;
            if (r.kind() == InboundReport.Kind.SIGN_FOR && res.getBody() != null) {
                try {
                    JsonNode task = json.readTree(res.getBody());
                    status = task != null && task.hasNonNull("status") ? task.get("status").asString() : null;
                } catch (RuntimeException ignored) {
                    // accepted; the body is only informative
                }
            }
            return new Answer(res.getStatusCode().value(), status, null);
        } catch (RestClientResponseException e) {
            String detail = null;
            String currentState = null;
            try {
                JsonNode node = json.readTree(e.getResponseBodyAsString());
                if (node != null && node.isObject()) {
                    detail = node.hasNonNull("detail") ? node.get("detail").asString()
                            : node.hasNonNull("title") ? node.get("title").asString() : null;
                    // a lifecycle conflict names the task's state: carried to the bureau's receipt / problem
                    currentState = node.hasNonNull("currentState") ? node.get("currentState").asString() : null;
                }
            } catch (RuntimeException ignored) {
                // not a problem document
            }
            return new Answer(e.getStatusCode().value(), currentState,
                    detail != null ? detail : "task-service answered " + e.getStatusCode().value());
        } catch (ResourceAccessException e) {
            return new Answer(0, null, "task-service unreachable: " + e.getMessage());
        } catch (IllegalStateException | org.springframework.security.oauth2.core.OAuth2AuthorizationException e) {
            // no SERVICE token (issuer away or refusing): as transient as the task-service being away
            return new Answer(0, null, "no SERVICE token from the issuer: " + e.getMessage());
        } finally {
            traceparent.remove();
        }
    }

    private static List<KpiValue> kpis(InboundReport r) {
        if (r.kpiValues() == null || r.kpiValues().isEmpty()) {
            return null;
        }
        return r.kpiValues().stream().map(k -> new KpiValue().kpiCode(String.valueOf(k.get("code")))
                .value(new java.math.BigDecimal(String.valueOf(k.get("value"))))
                .level(KpiLevel.fromValue(String.valueOf(k.getOrDefault("level", "CITY"))))
                .districtCode(text(k.get("districtCode"))).schoolCode(text(k.get("schoolCode")))).toList();
    }

    private static String text(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    static String currentQuarter() {
        LocalDate d = LocalDate.now(ZONE);
        return d.getYear() + "-Q" + ((d.getMonthValue() - 1) / 3 + 1);
    }
}
