package cn.beijing.scienceedu.reporting;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

/** Builds task-service CloudEvents (structured JSON) by hand, the way the task-service publishes them. */
public final class TaskEvents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, Object> task = new LinkedHashMap<>();
    private final Map<String, Object> change = new LinkedHashMap<>();
    private Map<String, Object> progress;
    private Map<String, Object> urging;
    private Map<String, Object> extension;
    private String key;
    private String id = UUID.randomUUID().toString();
    private String messageLogId;

    private TaskEvents() {
    }

    /** A task event {@code key} (e.g. task.signed-for) leaving the task at {@code status}, version {@code version}. */
    public static TaskEvents task(String key, String policy, String taskId, int measureNo, String unit, String lead,
            String status, int version, OffsetDateTime at) {
        TaskEvents e = new TaskEvents();
        e.key = key;
        e.task.put("taskId", taskId);
        e.task.put("policyId", policy);
        e.task.put("measureNo", measureNo);
        e.task.put("unitCode", unit);
        e.task.put("leadUnitCode", lead);
        e.task.put("role", unit.equals(lead) ? "LEAD" : "COOPERATING");
        e.task.put("status", status);
        e.task.put("version", version);
        e.task.put("percentComplete", 0);
        e.change.put("historyId", "h-" + taskId + "-" + version);
        e.change.put("actor", "task-service");
        e.change.put("toStatus", status);
        e.change.put("at", at.toString());
        return e;
    }

    public TaskEvents id(String id) {
        this.id = id;
        return this;
    }

    public String id() {
        return id;
    }

    public String key() {
        return key;
    }

    public TaskEvents deadline(LocalDate d) {
        task.put("deadline", d.toString());
        return this;
    }

    public TaskEvents percent(int p) {
        task.put("percentComplete", p);
        return this;
    }

    public TaskEvents actionNo(int a) {
        task.put("actionNo", a);
        return this;
    }

    /** The task-service's rating and its reason (the one rule, task-api.yaml Rating), as every event carries it. */
    public TaskEvents rating(String rating, String reason) {
        task.put("rating", rating);
        task.put("ratingReason", reason);
        return this;
    }

    /** The bureau's own status in its last report (自评). */
    public TaskEvents bureauStatus(String status) {
        task.put("bureauStatus", status);
        return this;
    }

    public TaskEvents calendarKnown(boolean known) {
        task.put("calendarKnown", known);
        return this;
    }

    /** 签收人 and the bureau's own time of its sign-for. */
    public TaskEvents signed(String by, OffsetDateTime at) {
        task.put("signedBy", by);
        task.put("signedAt", at.toString());
        return this;
    }

    public TaskEvents lastReport(String period, OffsetDateTime at) {
        task.put("lastReportPeriod", period);
        task.put("lastReportAt", at.toString());
        return this;
    }

    /** What a 督办 report says beyond the narrative: 存在问题, 下一步计划, 填报人 and the bureau's own time. */
    public TaskEvents said(String problems, String nextSteps, String reporter, OffsetDateTime reportedAt) {
        progress.put("problems", problems);
        progress.put("nextSteps", nextSteps);
        progress.put("reporter", reporter);
        progress.put("reportedAt", reportedAt.toString());
        return this;
    }

    /** 佐证材料 of the progress report. */
    @SuppressWarnings("unchecked")
    public TaskEvents evidence(String name, String contentType, long size, String sha256, String attachmentId) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("contentType", contentType);
        e.put("size", size);
        e.put("sha256", sha256);
        if (attachmentId != null) {
            e.put("attachmentId", attachmentId);
        }
        ((List<Object>) progress.computeIfAbsent("evidence", k -> new ArrayList<>())).add(e);
        return this;
    }

    public TaskEvents from(String status) {
        change.put("fromStatus", status);
        return this;
    }

    public TaskEvents reason(String reason) {
        change.put("reason", reason);
        return this;
    }

    public TaskEvents messageLog(String id) {
        this.messageLogId = id;
        return this;
    }

    public TaskEvents progress(String reportId, String period, String status, int percent, String narrative,
            List<Map<String, Object>> kpis) {
        progress = new LinkedHashMap<>();
        progress.put("reportId", reportId);
        progress.put("period", period);
        progress.put("status", status);
        progress.put("percentComplete", percent);
        progress.put("narrative", narrative);
        progress.put("kpiValues", kpis == null ? new ArrayList<>() : kpis);
        if (messageLogId != null) {
            progress.put("messageLogId", messageLogId);
        }
        task.put("percentComplete", percent);
        return this;
    }

    public TaskEvents urging(int level) {
        urging = new LinkedHashMap<>();
        urging.put("urgingId", "u-" + id);
        urging.put("kind", "URGING");
        urging.put("level", level);
        return this;
    }

    public TaskEvents extension(String requestId, String decision) {
        extension = new LinkedHashMap<>();
        extension.put("requestId", requestId);
        extension.put("decision", decision);
        return this;
    }

    public static Map<String, Object> kpi(String code, double value, String level, String district, String school) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kpiCode", code);
        m.put("value", value);
        m.put("level", level);
        if (district != null) {
            m.put("districtCode", district);
        }
        if (school != null) {
            m.put("schoolCode", school);
        }
        return m;
    }

    public String json() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("task", task);
        data.put("change", change);
        if (progress != null) {
            data.put("progress", progress);
        }
        if (urging != null) {
            data.put("urging", urging);
        }
        if (extension != null) {
            data.put("extension", extension);
        }
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("specversion", "1.0");
        env.put("id", id);
        env.put("source", "/task-service");
        env.put("type", "cn.beijing.scienceedu.hub." + key + ".v1");
        env.put("time", OffsetDateTime.now(ZoneOffset.UTC).toString());
        env.put("subject", task.get("taskId"));
        env.put("datacontenttype", "application/json");
        env.put("sequence", task.get("version"));
        if (messageLogId != null) {
            env.put("messagelogid", messageLogId);
        }
        env.put("data", data);
        return JSON.writeValueAsString(env);
    }
}
