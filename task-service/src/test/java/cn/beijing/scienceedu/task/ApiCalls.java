package cn.beijing.scienceedu.task;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import cn.beijing.scienceedu.contracts.catalogue.Catalogues;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real HTTP calls to the running task-service (no gateway in front), and a valid request for every operation of the
 * task API: the tests drive these from the spec ({@link TaskApiSpec}) and then vary the caller or the input.
 */
final class ApiCalls {

    /** What came back. */
    record Answer(int status, String contentType, String body) {
        boolean isProblem() {
            return contentType != null && contentType.startsWith("application/problem+json");
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    /** A request as sent: method, path (already encoded), headers, body bytes. */
    record Call(String method, String path, Map<String, String> headers, byte[] body) {
        Call with(String header, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            if (value == null) {
                h.remove(header);
            } else {
                h.put(header, value);
            }
            return new Call(method, path, h, body);
        }

        Call withBody(String contentType, byte[] bytes) {
            return new Call(method, path, headers, bytes).with("Content-Type", contentType);
        }

        @Override
        public String toString() {
            String b = body == null ? "" : new String(body, StandardCharsets.UTF_8);
            return method + " " + path + " " + headers.keySet() + " " + (b.length() > 200 ? b.substring(0, 200) + "…" : b);
        }
    }

    /** The objects the path parameters name. */
    record Objects(String policyId, String taskId, int measureNo, String extensionRequestId) {
    }

    private static final AtomicLong SEQ = new AtomicLong();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final JsonMapper json;

    ApiCalls(int port, JsonMapper json) {
        this.base = "http://127.0.0.1:" + port;
        this.json = json;
    }

    Answer send(Call c) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + c.path())).timeout(Duration.ofSeconds(60));
        c.headers().forEach(b::header);
        b.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("task-service under test did not answer " + c + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode tree(Answer a) {
        return json.readTree(a.body());
    }

    /** The path with its parameters filled from {@code objects}. */
    static String path(TaskApiSpec.Operation op, Objects o) {
        return op.path().replace("{policyId}", o.policyId()).replace("{taskId}", o.taskId())
                .replace("{measureNo}", Integer.toString(o.measureNo()))
                .replace("{requestId}", o.extensionRequestId() == null ? "none" : o.extensionRequestId());
    }

    /** A valid request of {@code op} on {@code objects}, with every optional field set; no caller yet. */
    Call valid(TaskApiSpec.Operation op, Objects o) {
        Map<String, String> headers = new LinkedHashMap<>();
        String path = path(op, o);
        byte[] body = null;
        if (op.params("header").stream().anyMatch(p -> p.name().equals("Idempotency-Key"))) {
            headers.put("Idempotency-Key", "acl-" + UUID.randomUUID());
        }
        if (op.id().equals("uploadAttachment")) {
            String boundary = "----hub" + SEQ.incrementAndGet();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"进展.pdf\"\r\n"
                    + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes("%PDF-1.7 access test".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            headers.put("Content-Type", "multipart/form-data; boundary=" + boundary);
            return new Call(op.method(), path, headers, out.toByteArray());
        }
        Object sample = sampleBody(op);
        if (sample != null) {
            headers.put("Content-Type", "application/json");
            body = json.writeValueAsBytes(sample);
        } else if (op.bodyRequired()) {
            throw new IllegalStateException("no sample body for " + op + ": add one to ApiCalls.sampleBody");
        }
        if (op.id().equals("setTaskDeadline")) {
            headers.put("If-Match", "\"0\"");
        }
        if (op.id().equals("replayEvents")) {
            path += "?limit=1";
        }
        if (op.id().equals("listTasks")) {
            path += "?policyId=" + o.policyId() + "&size=5";
        }
        return new Call(op.method(), path, headers, body);
    }

    /** A bureau's own time now, as a bureau in Beijing writes it. */
    static String bureauNow() {
        return java.time.OffsetDateTime.now(java.time.ZoneOffset.ofHours(8)).withNano(0).toString();
    }

    /** A valid body of {@code op}, every optional field present (null for operations without a body). */
    static Object sampleBody(TaskApiSpec.Operation op) {
        String mid = "m-" + UUID.randomUUID();
        Map<String, Object> b = new LinkedHashMap<>();
        switch (op.id()) {
            case "importPolicy" -> {
                Policy p = Catalogues.defaultPolicy();
                p.setId("imported-" + SEQ.incrementAndGet() + "-" + System.nanoTime() % 100000);
                b.put("catalogue", p);
            }
            case "createPlan" -> {
                b.put("defaultDeadline", "2030-06-28");
                b.put("reportingCycle", "QUARTERLY");
            }
            case "updatePolicySettings", "updateMeasureSettings" -> {
                b.put("deadline", "2030-06-28");
                b.put("reportingCycle", "QUARTERLY");
            }
            case "dispatchPolicy", "dispatchMeasure", "dispatchTask", "acceptTask" -> b.put("note", "请按期落实");
            case "returnTask", "cancelTask" -> b.put("reason", "请补充量化指标");
            case "urgeTask" -> {
                b.put("note", "请尽快报送进展");
                b.put("level", 1);
            }
            case "setTaskDeadline" -> {
                b.put("deadline", "2030-06-28");
                b.put("reportingCycle", "QUARTERLY");
                b.put("reason", "统筹安排");
            }
            case "signForTask" -> {
                b.put("messageId", mid);
                b.put("signedAt", bureauNow()); // a bureau time: after the dispatch, not ahead of the clock
                b.put("signedBy", "李老师");
                b.put("note", "已签收");
                b.put("messageLogId", "ml-" + mid);
            }
            case "reportProgress", "submitTask" -> {
                boolean submission = op.id().equals("submitTask");
                b.put("messageId", mid);
                b.put("period", "2025-Q1");
                b.put("status", submission ? "COMPLETED" : "ON_TRACK");
                b.put("percentComplete", submission ? 100 : 40);
                b.put("narrative", "已组织科学教育专题培训3场。");
                b.put("problems", "部分学校实验室设备不足。");
                b.put("nextSteps", "下季度完成设备采购。");
                b.put("reporter", "王老师");
                b.put("reportedAt", bureauNow());
                b.put("evidence", List.of(Map.of("name", "培训签到表.pdf", "contentType", "application/pdf", "size", 2048,
                        "sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")));
                b.put("kpiValues", List.of(Map.of("kpiCode", "INTERDISCIPLINARY_HOURS_SHARE", "value", 12.5, "unit", "%",
                        "level", "DISTRICT", "districtCode", "110108", "schoolCode", "S-001")));
                b.put("attachmentIds", List.of());
                b.put("messageLogId", "ml-" + mid);
            }
            case "requestExtension" -> {
                b.put("messageId", mid);
                b.put("requestedDeadline", "2031-06-30");
                b.put("reason", "场地改造延期");
                b.put("reporter", "王老师");
                b.put("requestedAt", bureauNow());
                b.put("messageLogId", "ml-" + mid);
            }
            case "decideExtension" -> {
                b.put("decision", "APPROVED");
                b.put("note", "同意");
                b.put("deadline", "2031-06-30");
            }
            default -> {
                return null;
            }
        }
        return b;
    }
}
