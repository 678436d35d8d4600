package cn.beijing.scienceedu.task;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import cn.beijing.scienceedu.task.delivery.DeliveryInbox;
import tools.jackson.databind.json.JsonMapper;

/** The lifecycle actions as the real callers perform them (liaison through the API, adapters as SERVICE). */
final class TaskActions {

    static final List<String> STATES = List.of("PLANNED", "DISPATCHED", "DELIVERED", "SIGNED_FOR", "IN_PROGRESS",
            "SUBMITTED", "ACCEPTED", "RETURNED", "CANCELLED");

    private final MockMvc mvc;
    private final JsonMapper json;
    private final DeliveryInbox inbox;

    TaskActions(MockMvc mvc, JsonMapper json, DeliveryInbox inbox) {
        this.mvc = mvc;
        this.json = json;
        this.inbox = inbox;
    }

    static String unitOf(String taskId) {
        return taskId.substring(taskId.lastIndexOf('.') + 1);
    }

    ResultActions liaison(String taskId, String action, Object body) throws Exception {
        return mvc.perform(post("/api/v1/tasks/" + taskId + "/" + action)
                .header("Authorization", IntegrationTest.liaison()).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(body == null ? Map.of() : body)));
    }

    ResultActions bureau(String taskId, String action, Object body, String idempotencyKey) throws Exception {
        var req = post("/api/v1/tasks/" + taskId + "/" + action).header("Authorization", IntegrationTest.adapters())
                .header("X-Hub-Acting-Unit", unitOf(taskId)).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(body));
        if (idempotencyKey != null) {
            req.header("Idempotency-Key", idempotencyKey);
        }
        return mvc.perform(req);
    }

    ResultActions dispatch(String taskId) throws Exception {
        return liaison(taskId, "dispatch", Map.of("note", "请按期落实"));
    }

    void deliver(String taskId, String outcome) {
        inbox.apply(deliveryEvent(taskId, outcome));
    }

    String deliveryEvent(String taskId, String outcome) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("deliveryId", UUID.randomUUID().toString());
        data.put("sourceEventId", UUID.randomUUID().toString());
        data.put("taskId", taskId);
        data.put("unitCode", unitOf(taskId));
        data.put("protocol", "REST");
        data.put("messageKind", "ASSIGNMENT");
        data.put("outcome", outcome);
        data.put("attempts", 1);
        data.put("at", OffsetDateTime.now().toString());
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("specversion", "1.0");
        e.put("id", UUID.randomUUID().toString());
        e.put("source", "/bureau-adapters");
        e.put("type", "cn.beijing.scienceedu.hub.delivery." + outcome.toLowerCase() + ".v1");
        e.put("time", OffsetDateTime.now().toString());
        e.put("subject", taskId);
        e.put("datacontenttype", "application/json");
        e.put("data", data);
        return json.writeValueAsString(e);
    }

    ResultActions signFor(String taskId) throws Exception {
        return bureau(taskId, "sign-for", Map.of("messageId", "sf-" + UUID.randomUUID(), "signedAt",
                OffsetDateTime.now().toString(), "signedBy", "张老师"), null);
    }

    static Map<String, Object> report(String messageId, int percent, String status) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("messageId", messageId);
        r.put("period", "2025-Q1");
        r.put("status", status);
        r.put("percentComplete", percent);
        r.put("narrative", "已完成课程方案修订，正在组织培训。");
        return r;
    }

    ResultActions progress(String taskId) throws Exception {
        return bureau(taskId, "progress-reports", report("pr-" + UUID.randomUUID(), 40, "ON_TRACK"), null);
    }

    ResultActions submit(String taskId) throws Exception {
        return bureau(taskId, "submission", report("sub-" + UUID.randomUUID(), 100, "COMPLETED"), null);
    }

    ResultActions accept(String taskId) throws Exception {
        return liaison(taskId, "accept", Map.of());
    }

    ResultActions returnTask(String taskId) throws Exception {
        return liaison(taskId, "return", Map.of("reason", "请补充量化指标"));
    }

    ResultActions cancel(String taskId) throws Exception {
        return liaison(taskId, "cancel", Map.of("reason", "措施调整"));
    }

    ResultActions urge(String taskId) throws Exception {
        return liaison(taskId, "urge", Map.of("note", "请尽快报送进展", "level", 1));
    }

    /** Brings a PLANNED task to {@code state} along legal transitions. */
    void bringTo(String taskId, String state) throws Exception {
        switch (state) {
            case "PLANNED" -> {
            }
            case "DISPATCHED" -> ok(dispatch(taskId));
            case "DELIVERED" -> {
                bringTo(taskId, "DISPATCHED");
                deliver(taskId, "SUCCEEDED");
            }
            case "SIGNED_FOR" -> {
                bringTo(taskId, "DELIVERED");
                ok(signFor(taskId));
            }
            case "IN_PROGRESS" -> {
                bringTo(taskId, "SIGNED_FOR");
                ok(progress(taskId));
            }
            case "SUBMITTED" -> {
                bringTo(taskId, "IN_PROGRESS");
                ok(submit(taskId));
            }
            case "ACCEPTED" -> {
                bringTo(taskId, "SUBMITTED");
                ok(accept(taskId));
            }
            case "RETURNED" -> {
                bringTo(taskId, "SUBMITTED");
                ok(returnTask(taskId));
            }
            case "CANCELLED" -> ok(cancel(taskId));
            default -> throw new IllegalArgumentException(state);
        }
    }

    private static void ok(ResultActions r) throws Exception {
        int s = r.andReturn().getResponse().getStatus();
        if (s >= 300) {
            throw new AssertionError("expected success, got " + s + ": " + r.andReturn().getResponse().getContentAsString());
        }
    }
}
