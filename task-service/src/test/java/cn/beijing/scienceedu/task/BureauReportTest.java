package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;

import cn.beijing.scienceedu.task.delivery.DeliveryInbox;
import tools.jackson.databind.JsonNode;

/**
 * What a bureau says arrives whole (issue 15): who signed and when, the report's own status, 存在问题, 下一步计划,
 * 填报人, its own time, school-level KPI values and evidence — stored, returned and published; the bureau's times
 * checked against the hub's clock and the dispatch; evidence checked against the stored bytes; nothing written
 * when anything is refused.
 */
class BureauReportTest extends IntegrationTest {

    static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

    @Autowired
    DeliveryInbox inbox;
    TaskActions actions;

    @BeforeEach
    void setUp() {
        actions = new TaskActions(mvc, json, inbox);
    }

    private JsonNode lastEvent(String taskId, String kind) {
        List<String> payloads = jdbc.queryForList("select payload from outbox where subject = ? and routing_key = ? "
                + "order by seq desc limit 1", String.class, taskId, kind);
        assertThat(payloads).as(kind + " of " + taskId).hasSize(1);
        return json.readTree(payloads.get(0)).get("data");
    }

    private JsonNode task(String taskId) throws Exception {
        return body(mvc.perform(get("/api/v1/tasks/" + taskId).header("Authorization", liaison()))
                .andExpect(status().isOk()).andReturn());
    }

    private static OffsetDateTime instant(JsonNode n) {
        return OffsetDateTime.parse(n.asString());
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private JsonNode upload(String taskId, String name, byte[] bytes) throws Exception {
        return body(mvc.perform(multipart("/api/v1/tasks/" + taskId + "/attachments")
                .file(new MockMultipartFile("file", name, "application/pdf", bytes))
                .header("Authorization", adapters()).header("X-Hub-Acting-Unit", TaskActions.unitOf(taskId)))
                .andExpect(status().isCreated()).andReturn());
    }

    private List<String> badFields(ResultActions r) throws Exception {
        MvcResult m = r.andReturn();
        assertThat(m.getResponse().getStatus()).as(m.getResponse().getContentAsString()).isEqualTo(400);
        assertThat(m.getResponse().getContentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        json.readTree(m.getResponse().getContentAsString()).get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    @Test
    void aSignForKeepsTheBureausSignerAndTimeOnTheTaskAndInItsEvent() throws Exception {
        String policy = freshPlannedPolicy("test-bureau-sign-for");
        String taskId = policy + ".M03.SJW";
        actions.bringTo(taskId, "DELIVERED");
        OffsetDateTime signedAt = OffsetDateTime.now(BEIJING).minusMinutes(2).truncatedTo(ChronoUnit.SECONDS);
        JsonNode answer = body(actions.bureau(taskId, "sign-for", Map.of("messageId", "sf-kept", "signedBy", "李明",
                "signedAt", signedAt.toString(), "note", "已签收"), null).andExpect(status().isOk()).andReturn());
        assertThat(answer.get("signedBy").asString()).isEqualTo("李明");
        assertThat(instant(answer.get("signedAt")).toInstant()).isEqualTo(signedAt.toInstant());
        JsonNode t = task(taskId);
        assertThat(t.get("signedBy").asString()).isEqualTo("李明");
        assertThat(instant(t.get("signedAt")).toInstant()).isEqualTo(signedAt.toInstant());
        JsonNode event = lastEvent(taskId, "task.signed-for");
        assertThat(event.get("task").get("signedBy").asString()).isEqualTo("李明");
        assertThat(instant(event.get("task").get("signedAt")).toInstant()).isEqualTo(signedAt.toInstant());
        // the hub's time of the change is its own, beside the bureau's
        assertThat(instant(event.get("change").get("at")).toInstant()).isAfter(signedAt.toInstant());
    }

    @Test
    void aProgressReportWithEveryFieldIsStoredReturnedAndPublished() throws Exception {
        String policy = freshPlannedPolicy("test-bureau-report");
        String taskId = policy + ".M05.SKW";
        actions.bringTo(taskId, "SIGNED_FOR");
        byte[] pdf = "%PDF-1.7 实验室设备清单".getBytes(StandardCharsets.UTF_8);
        JsonNode stored = upload(taskId, "设备清单.pdf", pdf);
        String sha = sha256(pdf);
        assertThat(stored.get("sha256").asString()).isEqualTo(sha);
        OffsetDateTime reportedAt = OffsetDateTime.now(BEIJING).minusMinutes(1).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("messageId", "pr-every-field");
        r.put("period", "2026-Q4");
        r.put("status", "BLOCKED");
        r.put("percentComplete", 35);
        r.put("narrative", "已完成12所学校实验室改造。");
        r.put("problems", "设备采购招标流标，改造停滞。");
        r.put("nextSteps", "重新招标，力争一月完成。");
        r.put("reporter", "赵老师");
        r.put("reportedAt", reportedAt.toString());
        r.put("kpiValues", List.of(Map.of("kpiCode", "LAB_EQUIPMENT_USAGE_RATE", "value", 87.5, "unit", "%", "level", "SCHOOL",
                "districtCode", "110108", "schoolCode", "S110108001")));
        r.put("evidence", List.of(
                Map.of("name", "设备清单.pdf", "contentType", "application/pdf", "size", pdf.length, "sha256", sha,
                        "attachmentId", stored.get("id").asString()),
                Map.of("name", "招标公告.pdf", "size", 5000, "sha256", "a".repeat(64))));
        r.put("messageLogId", "ml-every-field");
        JsonNode created = body(actions.bureau(taskId, "progress-reports", r, null).andExpect(status().isCreated()).andReturn());

        JsonNode listed = body(mvc.perform(get("/api/v1/tasks/" + taskId + "/progress-reports").header("Authorization", liaison()))
                .andExpect(status().isOk()).andReturn()).get(0);
        for (JsonNode p : List.of(created, listed)) {
            assertThat(p.get("status").asString()).isEqualTo("BLOCKED");
            assertThat(p.get("narrative").asString()).isEqualTo("已完成12所学校实验室改造。");
            assertThat(p.get("problems").asString()).isEqualTo("设备采购招标流标，改造停滞。");
            assertThat(p.get("nextSteps").asString()).isEqualTo("重新招标，力争一月完成。");
            assertThat(p.get("reporter").asString()).isEqualTo("赵老师");
            assertThat(instant(p.get("reportedAt")).toInstant()).isEqualTo(reportedAt.toInstant());
            assertThat(instant(p.get("receivedAt")).toInstant()).isAfter(reportedAt.toInstant());
            assertThat(p.get("kpiValues").get(0).get("schoolCode").asString()).isEqualTo("S110108001");
            assertThat(p.get("kpiValues").get(0).get("level").asString()).isEqualTo("SCHOOL");
            assertThat(p.get("evidence")).hasSize(2);
            assertThat(p.get("evidence").get(0).get("attachmentId").asString()).isEqualTo(stored.get("id").asString());
            assertThat(p.get("evidence").get(0).get("sha256").asString()).isEqualTo(sha);
            assertThat(p.get("evidence").get(1).get("name").asString()).isEqualTo("招标公告.pdf");
            JsonNode noId = p.get("evidence").get(1).path("attachmentId");
            assertThat(noId.isMissingNode() || noId.isNull()).as("a reference without bytes has no attachmentId").isTrue();
            assertThat(p.get("attachments").get(0).get("fileName").asString()).isEqualTo("设备清单.pdf");
        }

        JsonNode t = task(taskId);
        assertThat(t.get("bureauStatus").asString()).isEqualTo("BLOCKED");
        assertThat(t.get("rating").asString()).isEqualTo("RED");
        assertThat(t.get("ratingReason").asString()).isEqualTo("BUREAU_BLOCKED");
        assertThat(t.get("lastReportPeriod").asString()).isEqualTo("2026-Q4");
        assertThat(instant(t.get("lastReportAt")).toInstant()).isEqualTo(reportedAt.toInstant());

        JsonNode event = lastEvent(taskId, "task.progress-reported");
        JsonNode progress = event.get("progress");
        assertThat(progress.get("status").asString()).isEqualTo("BLOCKED");
        assertThat(progress.get("problems").asString()).isEqualTo("设备采购招标流标，改造停滞。");
        assertThat(progress.get("nextSteps").asString()).isEqualTo("重新招标，力争一月完成。");
        assertThat(progress.get("reporter").asString()).isEqualTo("赵老师");
        assertThat(instant(progress.get("reportedAt")).toInstant()).isEqualTo(reportedAt.toInstant());
        assertThat(progress.get("kpiValues").get(0).get("schoolCode").asString()).isEqualTo("S110108001");
        assertThat(progress.get("evidence")).hasSize(2);
        assertThat(progress.get("evidence").get(0).get("attachmentId").asString()).isEqualTo(stored.get("id").asString());
        assertThat(progress.get("evidence").get(0).get("size").asLong()).isEqualTo(pdf.length);
        assertThat(progress.get("evidence").get(1).get("sha256").asString()).isEqualTo("a".repeat(64));
        JsonNode snapshot = event.get("task");
        assertThat(snapshot.get("rating").asString()).isEqualTo("RED");
        assertThat(snapshot.get("ratingReason").asString()).isEqualTo("BUREAU_BLOCKED");
        assertThat(snapshot.get("bureauStatus").asString()).isEqualTo("BLOCKED");
        assertThat(snapshot.get("lastReportPeriod").asString()).isEqualTo("2026-Q4");
        assertThat(instant(snapshot.get("lastReportAt")).toInstant()).isEqualTo(reportedAt.toInstant());
        assertThat(snapshot.get("overdue").asBoolean()).isFalse();
        assertThat(snapshot.has("calendarKnown")).isTrue();

        // an AT_RISK report next: AMBER with its reason, in the event too
        Map<String, Object> atRisk = new LinkedHashMap<>(TaskActions.report("pr-at-risk", 45, "AT_RISK"));
        actions.bureau(taskId, "progress-reports", atRisk, null).andExpect(status().isCreated());
        assertThat(lastEvent(taskId, "task.progress-reported").get("task").get("ratingReason").asString())
                .isEqualTo("BUREAU_AT_RISK");
        assertThat(task(taskId).get("rating").asString()).isEqualTo("AMBER");
    }

    @Test
    void identicalBytesForTheSameTaskAreStoredOnce() throws Exception {
        String policy = freshPlannedPolicy("test-bureau-attachment-once");
        String taskId = policy + ".M02.SJW";
        byte[] pdf = "%PDF-1.7 once".getBytes(StandardCharsets.US_ASCII);
        JsonNode first = upload(taskId, "a.pdf", pdf);
        JsonNode again = upload(taskId, "a-copy.pdf", pdf);
        assertThat(again.get("id").asString()).isEqualTo(first.get("id").asString());
        assertThat(again.get("fileName").asString()).isEqualTo("a.pdf");
        assertThat(jdbc.queryForObject("select count(*) from attachment where task_id = ?", Integer.class, taskId)).isEqualTo(1);
        // other bytes, or the same bytes for another task, are stored
        upload(taskId, "b.pdf", "%PDF-1.7 other".getBytes(StandardCharsets.US_ASCII));
        JsonNode elsewhere = upload(policy + ".M03.SJW", "a.pdf", pdf);
        assertThat(elsewhere.get("id").asString()).isNotEqualTo(first.get("id").asString());
        assertThat(jdbc.queryForObject("select count(*) from attachment where task_id = ?", Integer.class, taskId)).isEqualTo(2);
    }

    @Test
    void bureauTimesAheadOfTheClockOrBeforeTheDispatchAreRefusedAndChangeNothing() throws Exception {
        String policy = freshPlannedPolicy("test-bureau-times");
        String taskId = policy + ".M04.SJW";
        actions.bringTo(taskId, "DELIVERED");
        OffsetDateTime now = OffsetDateTime.now(BEIJING);
        String ahead = now.plusMinutes(10).toString();
        String beforeDispatch = now.minusDays(1).toString();
        long version = task(taskId).get("version").asLong();
        assertThat(badFields(actions.bureau(taskId, "sign-for", Map.of("messageId", "sf-ahead", "signedAt", ahead), null)))
                .containsExactly("signedAt");
        assertThat(badFields(actions.bureau(taskId, "sign-for", Map.of("messageId", "sf-early", "signedAt", beforeDispatch),
                null))).containsExactly("signedAt");
        assertThat(task(taskId).get("version").asLong()).isEqualTo(version);
        assertThat(task(taskId).get("status").asString()).isEqualTo("DELIVERED");
        // within the tolerance (5 minutes) a bureau clock running ahead is believed
        actions.bureau(taskId, "sign-for", Map.of("messageId", "sf-ok", "signedAt", now.plusMinutes(3).toString()), null)
                .andExpect(status().isOk());

        Map<String, Object> r = new LinkedHashMap<>(TaskActions.report("pr-ahead", 40, "ON_TRACK"));
        r.put("reportedAt", ahead);
        assertThat(badFields(actions.bureau(taskId, "progress-reports", r, null))).containsExactly("reportedAt");
        r.put("messageId", "pr-early");
        r.put("reportedAt", beforeDispatch);
        assertThat(badFields(actions.bureau(taskId, "progress-reports", r, null))).containsExactly("reportedAt");
        r.put("messageId", "sub-ahead");
        r.put("percentComplete", 100);
        r.put("status", "COMPLETED");
        r.put("reportedAt", ahead);
        assertThat(badFields(actions.bureau(taskId, "submission", r, null))).containsExactly("reportedAt");
        String deadline = task(taskId).get("deadline").asString();
        Map<String, Object> ext = new LinkedHashMap<>(Map.of("messageId", "ext-early", "reason", "场地改造",
                "requestedDeadline", java.time.LocalDate.parse(deadline).plusMonths(2).toString(), "requestedAt", beforeDispatch));
        assertThat(badFields(actions.bureau(taskId, "extension-requests", ext, null))).containsExactly("requestedAt");
        assertThat(jdbc.queryForObject("select count(*) from progress_report where task_id = ?", Integer.class, taskId)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from extension_request where task_id = ?", Integer.class, taskId)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from outbox where subject = ? and routing_key in "
                + "('task.progress-reported', 'task.submitted', 'task.extension-requested')", Integer.class, taskId)).isZero();

        // an extension request keeps the bureau's reporter and time beside the hub's receipt time
        OffsetDateTime requestedAt = now.minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
        ext.put("messageId", "ext-ok");
        ext.put("requestedAt", requestedAt.toString());
        ext.put("reporter", "钱老师");
        JsonNode created = body(actions.bureau(taskId, "extension-requests", ext, null).andExpect(status().isCreated())
                .andReturn());
        assertThat(created.get("reporter").asString()).isEqualTo("钱老师");
        assertThat(instant(created.get("requestedAt")).toInstant()).isEqualTo(requestedAt.toInstant());
        assertThat(instant(created.get("receivedAt")).toInstant()).isAfterOrEqualTo(requestedAt.toInstant());
        JsonNode extension = lastEvent(taskId, "task.extension-requested").get("extension");
        assertThat(extension.get("reporter").asString()).isEqualTo("钱老师");
        assertThat(instant(extension.get("requestedAt")).toInstant()).isEqualTo(requestedAt.toInstant());
    }

    @Test
    void evidenceThatIsNotTheStoredAttachmentAndBadKpiValuesAreRefusedWithNoEffect() throws Exception {
        String policy = freshPlannedPolicy("test-bureau-evidence");
        String taskId = policy + ".M06.SJW";
        String other = policy + ".M07.SJW";
        actions.bringTo(taskId, "SIGNED_FOR");
        byte[] pdf = "%PDF-1.7 evidence".getBytes(StandardCharsets.US_ASCII);
        JsonNode stored = upload(taskId, "e.pdf", pdf);
        JsonNode elsewhere = upload(other, "e2.pdf", "%PDF-1.7 other task".getBytes(StandardCharsets.US_ASCII));
        String sha = sha256(pdf);
        String id = stored.get("id").asString();
        Map<String, Object> r = new LinkedHashMap<>(TaskActions.report("pr-evidence", 40, "ON_TRACK"));

        r.put("evidence", List.of(Map.of("name", "e.pdf", "size", pdf.length + 1, "sha256", sha, "attachmentId", id)));
        assertThat(badFields(actions.bureau(taskId, "progress-reports", r, null))).containsExactly("evidence[0].size");
        r.put("evidence", List.of(Map.of("name", "e.pdf", "size", pdf.length, "sha256", "0".repeat(64), "attachmentId", id)));
        assertThat(badFields(actions.bureau(taskId, "progress-reports", r, null))).containsExactly("evidence[0].sha256");
        r.put("evidence", List.of(Map.of("name", "e.pdf", "size", pdf.length, "sha256", sha, "attachmentId",
                elsewhere.get("id").asString())));
        assertThat(badFields(actions.bureau(taskId, "progress-reports", r, null))).containsExactly("evidence[0].attachmentId");
        r.put("evidence", List.of(Map.of("name", "e.pdf", "size", pdf.length, "sha256", sha.toUpperCase())));
        assertThat(badFields(actions.bureau(taskId, "progress-reports", r, null))).containsExactly("evidence[0].sha256");
        r.put("evidence", List.of(Map.of("name", "huge.zip", "size", 5L * 1024 * 1024 * 1024, "sha256", sha)));
        assertThat(badFields(actions.bureau(taskId, "progress-reports", r, null))).containsExactly("evidence[0].size");
        r.remove("evidence");
        // a school-level KPI value without its school, a KPI the catalogue lacks, a status nobody defined
        r.put("kpiValues", List.of(Map.of("kpiCode", "LAB_EQUIPMENT_USAGE_RATE", "value", 80, "level", "SCHOOL",
                "districtCode", "110108")));
        assertThat(badFields(actions.bureau(taskId, "progress-reports", r, null))).containsExactly("kpiValues[0].schoolCode");
        r.put("kpiValues", List.of(Map.of("kpiCode", "LAB_EQUIPMENT_USAGE_RATE", "value", 80, "level", "SCHOOL",
                "schoolCode", " ")));
        assertThat(badFields(actions.bureau(taskId, "progress-reports", r, null))).containsExactly("kpiValues[0].schoolCode");
        r.put("kpiValues", List.of(Map.of("kpiCode", "STARS_IN_THE_SKY", "value", 80, "level", "CITY")));
        assertThat(badFields(actions.bureau(taskId, "progress-reports", r, null))).containsExactly("kpiValues[0].kpiCode");
        r.remove("kpiValues");
        r.put("status", "SO_SO");
        assertThat(badFields(actions.bureau(taskId, "progress-reports", r, null))).containsExactly("status");
        // every one of them at once is named at once
        r.put("evidence", List.of(Map.of("name", "e.pdf", "size", pdf.length + 1, "sha256", sha, "attachmentId", id)));
        r.put("kpiValues", List.of(Map.of("kpiCode", "STARS_IN_THE_SKY", "value", 80, "level", "SCHOOL")));
        r.put("status", "AT_RISK");
        r.put("reportedAt", OffsetDateTime.now(BEIJING).plusHours(1).toString());
        assertThat(badFields(actions.bureau(taskId, "progress-reports", r, null))).containsExactlyInAnyOrder(
                "evidence[0].size", "kpiValues[0].kpiCode", "kpiValues[0].schoolCode", "reportedAt");
        assertThat(jdbc.queryForObject("select count(*) from progress_report where task_id = ?", Integer.class, taskId)).isZero();
        assertThat(task(taskId).get("status").asString()).isEqualTo("SIGNED_FOR");

        // BLOCKED is a status; the matching evidence and a reference without bytes are taken
        Map<String, Object> ok = new LinkedHashMap<>(TaskActions.report("pr-evidence-ok", 40, "BLOCKED"));
        ok.put("evidence", List.of(Map.of("name", "e.pdf", "size", pdf.length, "sha256", sha, "attachmentId", id),
                Map.of("name", "现场照片.jpg", "size", 1234, "sha256", "b".repeat(64))));
        JsonNode created = body(actions.bureau(taskId, "progress-reports", ok, null).andExpect(status().isCreated()).andReturn());
        assertThat(created.get("evidence")).hasSize(2);
        assertThat(created.get("attachments")).hasSize(1);
    }

    @Test
    void aDeadlineInAYearTheCalendarDoesNotKnowIsFlagged() throws Exception {
        String policy = freshPlannedPolicy("test-bureau-calendar");
        String taskId = policy + ".M08.SJW";
        JsonNode t = task(taskId);
        java.time.LocalDate deadline = java.time.LocalDate.parse(t.get("deadline").asString());
        boolean known = cn.beijing.scienceedu.contracts.calendar.WorkingDays.standard().knows(deadline);
        assertThat(t.get("calendarKnown").asBoolean()).isEqualTo(known);
        assertThat(lastEvent(taskId, "task.planned").get("task").get("calendarKnown").asBoolean()).isEqualTo(known);
        // a deadline beyond the last year loaded (2026) is flagged, one inside it is not
        for (String d : List.of("2030-06-28", "2026-12-30")) {
            JsonNode changed = body(mvc.perform(put("/api/v1/tasks/" + taskId + "/deadline").header("Authorization", liaison())
                    .header("If-Match", "\"" + task(taskId).get("version").asLong() + "\"")
                    .contentType(MediaType.APPLICATION_JSON).content("{\"deadline\":\"" + d + "\",\"reason\":\"统筹\"}"))
                    .andExpect(status().isOk()).andReturn());
            boolean expected = d.startsWith("2026");
            assertThat(changed.get("calendarKnown").asBoolean()).as(d).isEqualTo(expected);
            assertThat(lastEvent(taskId, "task.deadline-changed").get("task").get("calendarKnown").asBoolean()).as(d)
                    .isEqualTo(expected);
        }
    }
}
