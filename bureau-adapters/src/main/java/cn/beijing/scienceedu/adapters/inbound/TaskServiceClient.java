package cn.beijing.scienceedu.adapters.inbound;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;

import cn.beijing.scienceedu.adapters.mapping.BureauWrite;
import cn.beijing.scienceedu.contracts.bureau.model.ExtensionRequest;
import cn.beijing.scienceedu.contracts.bureau.model.ProgressReport;
import cn.beijing.scienceedu.contracts.bureau.model.SignFor;
import cn.beijing.scienceedu.contracts.bureau.model.Submission;
import cn.beijing.scienceedu.contracts.task.client.model.Attachment;
import cn.beijing.scienceedu.contracts.task.client.model.EvidenceRef;
import cn.beijing.scienceedu.contracts.task.client.ApiClient;
import cn.beijing.scienceedu.contracts.task.client.api.BureauApi;
import cn.beijing.scienceedu.contracts.task.client.api.TasksApi;
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
    public record Answer(int status, String taskStatus, String detail, List<String> reasons) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public boolean transientFailure() {
            return status == 0 || status == 429 || status >= 500;
        }
    }

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private final ThreadLocal<String> traceparent = new ThreadLocal<>();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TaskServiceClient.class);
    private final BureauApi api;
    private final TasksApi tasks;
    private final JsonMapper json;

    public TaskServiceClient(@Value("${hub.adapters.task-service.url:${HUB_TASK_SERVICE_URL:http://localhost:8081}}") String baseUrl,
            @Value("${hub.adapters.task-service.timeout:PT10S}") Duration timeout, ServiceToken token, JsonMapper json) {
        JdkClientHttpRequestFactory rf = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build());
        rf.setReadTimeout(timeout);
        Supplier<String> bearer = token;
        // the generated client's converters, multipart file names in UTF-8 (RFC 6266 filename*, as Tomcat reads it): evidence is named in Chinese
        var rest = org.springframework.web.client.RestClient.builder().configureMessageConverters(b -> b.registerDefaults()
                .withJsonConverter(new org.springframework.http.converter.json.JacksonJsonHttpMessageConverter(
                        ApiClient.createDefaultMapper(null)))
                .configureMessageConverters(c -> {
                    if (c instanceof org.springframework.http.converter.FormHttpMessageConverter form) {
                        form.setMultipartCharset(StandardCharsets.UTF_8);
                    }
                })).requestFactory(rf).requestInterceptor((req, body, exec) -> {
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
        this.tasks = new TasksApi(client);
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

    /**
     * Every field the bureau sent, into the task-service's request: its own status (absent → ON_TRACK), 工作进展,
     * 存在问题, 下一步计划, 填报人, KPI values, evidence references (with the attachment ids of the stored bytes) and
     * its own time (absent → the hub's receipt time).
     */
    public Answer forward(String unit, BureauWrite w, List<EvidenceRef> evidence, String messageLogId,
            String traceparentHeader) {
        traceparent.set(traceparentHeader);
        try {
            String key = idempotencyKey(unit, w.messageId());
            ResponseEntity<String> res = (switch (w.kind()) {
                case SIGN_FOR -> {
                    SignFor s = (SignFor) w.body();
                    yield api.signForTaskWithResponseSpec(w.taskId(), new SignForRequest().messageId(s.getMessageId())
                            .signedAt(w.keptTime()).signedBy(s.getSignedBy()).note(s.getNote())
                            .messageLogId(messageLogId), key, unit);
                }
                case PROGRESS -> {
                    ProgressReport p = (ProgressReport) w.body();
                    yield api.reportProgressWithResponseSpec(w.taskId(), new ProgressReportRequest()
                            .messageId(p.getMessageId()).period(p.getPeriod()).percentComplete(p.getPercentComplete())
                            .status(p.getStatus() == null ? ReportStatus.ON_TRACK : ReportStatus.fromValue(p.getStatus().getValue()))
                            .narrative(p.getNarrative()).problems(p.getProblems()).nextSteps(p.getNextSteps())
                            .reporter(p.getReporter()).reportedAt(w.keptTime()).kpiValues(kpis(w.kpiValues()))
                            .evidence(evidence.isEmpty() ? null : evidence).messageLogId(messageLogId), key, unit);
                }
                case SUBMISSION -> {
                    Submission s = (Submission) w.body();
                    yield api.submitTaskWithResponseSpec(w.taskId(), new ProgressReportRequest().messageId(s.getMessageId())
                            .period(s.getPeriod() != null ? s.getPeriod() : currentQuarter()).percentComplete(100)
                            .status(ReportStatus.COMPLETED).narrative(s.getSummary()).reporter(s.getReporter())
                            .reportedAt(w.keptTime()).kpiValues(kpis(w.kpiValues()))
                            .evidence(evidence.isEmpty() ? null : evidence).messageLogId(messageLogId), key, unit);
                }
                case EXTENSION_REQUEST -> {
                    ExtensionRequest e = (ExtensionRequest) w.body();
                    yield api.requestExtensionWithResponseSpec(w.taskId(), new ExtensionRequestCreate()
                            .messageId(e.getMessageId()).requestedDeadline(e.getRequestedDeadline()).reason(e.getReason())
                            .reporter(e.getReporter()).requestedAt(w.keptTime()).messageLogId(messageLogId), key, unit);
                }
            }).toEntity(String.class);
            String status = null;
            if (w.kind() == BureauWrite.Kind.SIGN_FOR && res.getBody() != null) {
                status = statusOf(res.getBody());
            }
            if (status == null) {
                // a report, submission or extension request answers with what was recorded, not the task: the task's
                // status after it is read back, for the receipt (informative: the write is accepted either way)
                status = currentStatus(w.taskId());
            }
            return new Answer(res.getStatusCode().value(), status, null, List.of());
        } catch (RestClientResponseException e) {
            return refused(e);
        } catch (ResourceAccessException e) {
            return new Answer(0, null, "task-service unreachable: " + e.getMessage(), List.of());
        } catch (IllegalStateException | org.springframework.security.oauth2.core.OAuth2AuthorizationException e) {
            // no SERVICE token (issuer away or refusing): as transient as the task-service being away
            return new Answer(0, null, "no SERVICE token from the issuer: " + e.getMessage(), List.of());
        } finally {
            traceparent.remove();
        }
    }

    private String statusOf(String body) {
        try {
            JsonNode task = json.readTree(body);
            return task != null && task.hasNonNull("status") ? task.get("status").asString() : null;
        } catch (RuntimeException ignored) {
            return null; // accepted; the body is only informative
        }
    }

    /** The task's status now ({@code GET /api/v1/tasks/{id}} as SERVICE), or null when it cannot be read. */
    private String currentStatus(String taskId) {
        try {
            ResponseEntity<String> res = tasks.getTaskWithResponseSpec(taskId).toEntity(String.class);
            return res.getBody() == null ? null : statusOf(res.getBody());
        } catch (RuntimeException e) {
            log.debug("status of task {} not read for its receipt: {}", taskId, e.toString());
            return null;
        }
    }

    /** The task-service's answer to an evidence upload, and what it stored. */
    public record Stored(Answer answer, Attachment attachment) {
    }

    /**
     * Stores evidence bytes with the task-service ({@code POST /api/v1/tasks/{taskId}/attachments}, acting for the
     * unit): the generated client takes a file, so the bytes go through a temporary file named as the bureau named
     * them (its extension gives the part's content type), deleted right after.
     */
    public Stored upload(String unit, String taskId, String name, byte[] bytes, String traceparentHeader) {
        traceparent.set(traceparentHeader);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("hub-evidence-");
            Path file = dir.resolve(safeFileName(name));
            Files.write(file, bytes);
            ResponseEntity<Attachment> res = api.uploadAttachmentWithHttpInfo(taskId, file.toFile(), unit);
            return new Stored(new Answer(res.getStatusCode().value(), null, null, List.of()), res.getBody());
        } catch (RestClientResponseException e) {
            return new Stored(refused(e), null);
        } catch (ResourceAccessException e) {
            return new Stored(new Answer(0, null, "task-service unreachable: " + e.getMessage(), List.of()), null);
        } catch (IllegalStateException | org.springframework.security.oauth2.core.OAuth2AuthorizationException e) {
            return new Stored(new Answer(0, null, "no SERVICE token from the issuer: " + e.getMessage(), List.of()), null);
        } catch (IOException e) {
            return new Stored(new Answer(0, null, "evidence not staged for upload: " + e.getMessage(), List.of()), null);
        } finally {
            traceparent.remove();
            deleteQuietly(dir);
        }
    }

    /** The bureau's file name as a plain name of this file system (no directories, no control characters). */
    static String safeFileName(String name) {
        String n = name == null ? "" : name.replaceAll("[\\/\\\\:*?\"<>|\\p{Cc}]", "_").trim();
        if (n.isEmpty() || n.equals(".") || n.equals("..")) {
            n = "evidence";
        }
        return n.length() > 200 ? n.substring(n.length() - 200) : n;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory; the OS cleans up what is left
        }
    }

    /** A refusal (problem document): its detail, a conflict's current state, and one reason per bad field. */
    private Answer refused(RestClientResponseException e) {
        String detail = null;
        String currentState = null;
        List<String> reasons = new ArrayList<>();
        try {
            JsonNode node = json.readTree(e.getResponseBodyAsString());
            if (node != null && node.isObject()) {
                detail = node.hasNonNull("detail") ? node.get("detail").asString()
                        : node.hasNonNull("title") ? node.get("title").asString() : null;
                // a lifecycle conflict names the task's state: carried to the bureau's receipt / problem
                currentState = node.hasNonNull("currentState") ? node.get("currentState").asString() : null;
                if (node.get("errors") != null && node.get("errors").isArray()) {
                    for (JsonNode err : node.get("errors")) {
                        String field = err.hasNonNull("field") ? err.get("field").asString() : null;
                        String message = err.hasNonNull("message") ? err.get("message").asString() : err.toString();
                        reasons.add(field == null ? message : field + ": " + message);
                    }
                }
            }
        } catch (RuntimeException ignored) {
            // not a problem document
        }
        String d = detail != null ? detail : "task-service answered " + e.getStatusCode().value();
        if (reasons.isEmpty()) {
            reasons.add(d);
        }
        return new Answer(e.getStatusCode().value(), currentState, d, reasons);
    }

    private static List<KpiValue> kpis(List<cn.beijing.scienceedu.contracts.bureau.model.KpiValue> values) {
        if (values.isEmpty()) {
            return null;
        }
        return values.stream().map(k -> new KpiValue().kpiCode(k.getCode()).value(k.getValue())
                .level(KpiLevel.fromValue(k.getLevel().getValue()))
                .districtCode(k.getDistrictCode()).schoolCode(k.getSchoolCode())).toList();
    }

    static String currentQuarter() {
        LocalDate d = LocalDate.now(ZONE);
        return d.getYear() + "-Q" + ((d.getMonthValue() - 1) / 3 + 1);
    }
}
