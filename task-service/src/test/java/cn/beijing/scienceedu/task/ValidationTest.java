package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import cn.beijing.scienceedu.task.delivery.DeliveryInbox;
import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;

/** Bad input of every field is a 400 problem naming the field; other errors are problems too, never a 500. */
class ValidationTest extends IntegrationTest {

    @Autowired
    DeliveryInbox inbox;
    TaskActions actions;
    static String policy;
    static String task;

    @BeforeEach
    void setUp() throws Exception {
        actions = new TaskActions(mvc, json, inbox);
        if (policy == null) {
            policy = freshPlannedPolicy("test-validation");
            task = policy + ".M01.SJW";
            actions.bringTo(task, "SIGNED_FOR");
        }
    }

    private MockHttpServletRequestBuilder bureauPost(String action, String body) {
        return post("/api/v1/tasks/" + task + "/" + action).header("Authorization", adapters())
                .header("X-Hub-Acting-Unit", "SJW").contentType(MediaType.APPLICATION_JSON).content(body);
    }

    private List<String> badFields(org.springframework.test.web.servlet.RequestBuilder request) throws Exception {
        MvcResult r = mvc.perform(request).andReturn();
        assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(400);
        assertThat(r.getResponse().getContentType()).startsWith("application/problem+json");
        JsonNode errors = json.readTree(r.getResponse().getContentAsString()).get("errors");
        List<String> fields = new ArrayList<>();
        errors.forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    private static Map<String, Object> report() {
        return new LinkedHashMap<>(TaskActions.report("m-1", 40, "ON_TRACK"));
    }

    private String with(Map<String, Object> base, String field, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        if (value == null) {
            m.remove(field);
        } else {
            m.put(field, value);
        }
        return json.writeValueAsString(m);
    }

    @Test
    void everyBadFieldOfAProgressReportIsNamed() throws Exception {
        Map<String, Object> r = report();
        assertThat(badFields(bureauPost("progress-reports", with(r, "messageId", null)))).containsExactly("messageId");
        assertThat(badFields(bureauPost("progress-reports", with(r, "messageId", "x".repeat(129))))).containsExactly("messageId");
        assertThat(badFields(bureauPost("progress-reports", with(r, "period", "2025-Q5")))).containsExactly("period");
        assertThat(badFields(bureauPost("progress-reports", with(r, "period", "2025-13")))).containsExactly("period");
        assertThat(badFields(bureauPost("progress-reports", with(r, "period", null)))).containsExactly("period");
        assertThat(badFields(bureauPost("progress-reports", with(r, "status", "FINE")))).containsExactly("status");
        assertThat(badFields(bureauPost("progress-reports", with(r, "status", null)))).containsExactly("status");
        assertThat(badFields(bureauPost("progress-reports", with(r, "percentComplete", 101)))).containsExactly("percentComplete");
        assertThat(badFields(bureauPost("progress-reports", with(r, "percentComplete", -1)))).containsExactly("percentComplete");
        assertThat(badFields(bureauPost("progress-reports", with(r, "percentComplete", "half")))).containsExactly("percentComplete");
        assertThat(badFields(bureauPost("progress-reports", with(r, "narrative", "字".repeat(10001))))).containsExactly("narrative");
        assertThat(badFields(bureauPost("progress-reports", with(r, "kpiValues",
                List.of(Map.of("kpiCode", "bad code", "value", 1, "level", "CITY")))))).containsExactly("kpiValues[0].kpiCode");
        assertThat(badFields(bureauPost("progress-reports", with(r, "kpiValues",
                List.of(Map.of("kpiCode", "NO_SUCH_KPI", "value", 1, "level", "CITY")))))).containsExactly("kpiValues[0].kpiCode");
        assertThat(badFields(bureauPost("progress-reports", with(r, "kpiValues",
                List.of(Map.of("kpiCode", "X", "value", "ten", "level", "CITY")))))).containsExactly("kpiValues[0].value");
        assertThat(badFields(bureauPost("progress-reports", with(r, "kpiValues",
                List.of(Map.of("kpiCode", "X", "value", 1, "level", "PROVINCE")))))).containsExactly("kpiValues[0].level");
        assertThat(badFields(bureauPost("progress-reports", with(r, "kpiValues",
                List.of(Map.of("kpiCode", "X", "level", "CITY")))))).containsExactly("kpiValues[0].value");
        assertThat(badFields(bureauPost("progress-reports", with(r, "attachmentIds", List.of("nope")))))
                .containsExactly("attachmentIds[0]");
        assertThat(badFields(bureauPost("progress-reports", "{not json"))).containsExactly("body");
        assertThat(badFields(bureauPost("submission", with(r, "percentComplete", 90)))).containsExactly("percentComplete");
        // several bad fields at once are all named
        Map<String, Object> many = new LinkedHashMap<>(r);
        many.put("percentComplete", 200);
        many.put("period", "Q1");
        many.remove("messageId");
        assertThat(badFields(bureauPost("progress-reports", json.writeValueAsString(many))))
                .containsExactlyInAnyOrder("percentComplete", "period", "messageId");
        // none of these changed anything
        assertThat(jdbc.queryForObject("select count(*) from progress_report where task_id = ?", Integer.class, task)).isZero();
    }

    /**
     * A null element of a list in a progress report or submission ({@code "kpiValues":[null]} — the 500 of issue 17 as
     * the bureau-adapters forward it) is a 400 naming the element, with no effect.
     */
    @Test
    void aNullElementOfAProgressReportsListsIsNamedNotA500() throws Exception {
        Map<String, Object> r = report();
        java.util.List<Object> oneNull = new ArrayList<>();
        oneNull.add(null);
        for (String action : List.of("progress-reports", "submission")) {
            Map<String, Object> base = action.equals("submission") ? new LinkedHashMap<>(TaskActions.report("m-null", 100, "COMPLETED")) : r;
            assertThat(badFields(bureauPost(action, with(base, "kpiValues", oneNull)))).containsExactly("kpiValues[0]");
            assertThat(badFields(bureauPost(action, with(base, "evidence", oneNull)))).containsExactly("evidence[0]");
            assertThat(badFields(bureauPost(action, with(base, "attachmentIds", oneNull)))).containsExactly("attachmentIds[0]");
        }
        java.util.List<Object> second = new ArrayList<>();
        second.add(Map.of("kpiCode", "LAB_EQUIPMENT_USAGE_RATE", "value", 80, "level", "CITY"));
        second.add(null);
        assertThat(badFields(bureauPost("progress-reports", with(r, "kpiValues", second)))).containsExactly("kpiValues[1]");
        assertThat(jdbc.queryForObject("select count(*) from progress_report where task_id = ?", Integer.class, task)).isZero();
    }

    /**
     * A body that is not text of its declared charset (UTF-8 when none is declared) is a 400 naming the line and the
     * byte, with no effect; Spring's converter decoded any charset but UTF-8 with replacement characters. A body that
     * is valid GB18030, declared so, is stored as the text it is.
     */
    @Test
    void aBodyThatIsNotItsDeclaredCharsetIsA400NamingLineAndByteNotReplacementCharacters() throws Exception {
        String other = policy + ".M03.SJW";
        actions.bringTo(other, "SIGNED_FOR");
        String good = "{\n  \"messageId\": \"m-gb\",\n  \"narrative\": \"已完成课程方案修订𠀀\",\n  \"period\": \"2025-Q1\",\n"
                + "  \"status\": \"ON_TRACK\",\n  \"percentComplete\": 40\n}";
        byte[] utf8 = good.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = good.indexOf("修订");
        // an 0xFF in line 3 after `  "narrative": "已完成课程方案` (16 ASCII bytes and 7 characters of 3 bytes: 37)
        byte[] invalid = utf8.clone();
        int offset = new String(utf8, java.nio.charset.StandardCharsets.UTF_8).substring(0, at)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        invalid[offset] = (byte) 0xFF;
        MvcResult r = mvc.perform(post("/api/v1/tasks/" + other + "/progress-reports").header("Authorization", adapters())
                .header("X-Hub-Acting-Unit", "SJW").contentType(MediaType.APPLICATION_JSON).content(invalid)).andReturn();
        assertThat(r.getResponse().getStatus()).isEqualTo(400);
        JsonNode p = json.readTree(r.getResponse().getContentAsString());
        assertThat(p.at("/errors/0/field").asString()).isEqualTo("body");
        assertThat(p.at("/errors/0/message").asString()).isEqualTo("line 3, byte 38: not UTF-8 (0xFF)");

        java.nio.charset.Charset gb = java.nio.charset.Charset.forName("GB18030");
        byte[] gbBad = good.getBytes(gb);
        int gbAt = good.substring(0, at).getBytes(gb).length;
        gbBad[gbAt] = (byte) 0x81;
        gbBad[gbAt + 1] = (byte) 0x7F; // 0x81 leads a two- or four-byte sequence; 0x7F trails neither
        r = mvc.perform(post("/api/v1/tasks/" + other + "/progress-reports").header("Authorization", adapters())
                .header("X-Hub-Acting-Unit", "SJW").contentType("application/json;charset=GB18030").content(gbBad)).andReturn();
        assertThat(r.getResponse().getStatus()).isEqualTo(400);
        assertThat(json.readTree(r.getResponse().getContentAsString()).at("/errors/0/message").asString())
                .startsWith("line 3, byte " + (gbAt - good.substring(0, good.indexOf("  \"narrative")).getBytes(gb).length + 1)
                        + ": not GB18030 (0x81");
        assertThat(jdbc.queryForObject("select count(*) from progress_report where task_id = ?", Integer.class, other)).isZero();

        r = mvc.perform(post("/api/v1/tasks/" + other + "/progress-reports").header("Authorization", adapters())
                .header("X-Hub-Acting-Unit", "SJW").contentType("application/json;charset=GB18030").content(good.getBytes(gb)))
                .andReturn();
        assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(201);
        assertThat(jdbc.queryForObject("select narrative from progress_report where task_id = ?", String.class, other))
                .isEqualTo("已完成课程方案修订𠀀");
    }

    /** The same for a catalogue's lists: a null unit or unit code is the schema's 400, not a 500 of the cross-checks. */
    @Test
    void aNullElementOfACataloguesListsIsA400NotA500() throws Exception {
        var p = cn.beijing.scienceedu.contracts.catalogue.Catalogues.defaultPolicy();
        p.setId("test-null-units");
        p.getUnits().set(0, null);
        p.getMeasures().get(0).getUnitCodes().set(0, null);
        assertThat(badFields(jsonPost("/api/v1/policies", liaison(), Map.of("catalogue", p)))).isNotEmpty()
                .allSatisfy(f -> assertThat(f).startsWith("catalogue"));
        assertThat(jdbc.queryForObject("select count(*) from policy where id = 'test-null-units'", Integer.class)).isZero();
    }

    @Test
    void everyBadFieldOfTheOtherWritesIsNamed() throws Exception {
        assertThat(badFields(bureauPost("sign-for", "{\"signedAt\":\"2025-01-06T09:30:00+08:00\"}"))).containsExactly("messageId");
        assertThat(badFields(bureauPost("sign-for", "{\"messageId\":\"a\",\"signedAt\":\"yesterday\"}"))).containsExactly("signedAt");
        assertThat(badFields(bureauPost("sign-for", "{\"messageId\":\"a\"}"))).containsExactly("signedAt");
        assertThat(badFields(bureauPost("extension-requests", "{\"messageId\":\"e\",\"requestedDeadline\":\"2031-02-30\",\"reason\":\"r\"}")))
                .containsExactly("requestedDeadline");
        assertThat(badFields(bureauPost("extension-requests", "{\"messageId\":\"e\",\"requestedDeadline\":\"2031-01-30\"}")))
                .containsExactly("reason");
        assertThat(badFields(bureauPost("extension-requests", "{\"messageId\":\"e\",\"requestedDeadline\":\"2020-01-30\",\"reason\":\"r\"}")))
                .containsExactly("requestedDeadline");
        assertThat(badFields(post("/api/v1/tasks/" + task + "/sign-for").header("Authorization", adapters())
                .contentType(MediaType.APPLICATION_JSON).content("{\"messageId\":\"a\",\"signedAt\":\"2025-01-06T09:30:00+08:00\"}")))
                .containsExactly("X-Hub-Acting-Unit");
        assertThat(badFields(jsonPost("/api/v1/tasks/" + task + "/return", liaison(), "{}"))).containsExactly("reason");
        assertThat(badFields(jsonPost("/api/v1/tasks/" + task + "/cancel", liaison(), "{\"reason\":\"\"}"))).containsExactly("reason");
        assertThat(badFields(jsonPost("/api/v1/tasks/" + task + "/urge", liaison(), "{\"level\":4}"))).containsExactly("level");
        assertThat(badFields(put("/api/v1/tasks/" + task + "/deadline").header("Authorization", liaison())
                .header("If-Match", "\"0\"").contentType(MediaType.APPLICATION_JSON).content("{\"deadline\":\"soon\"}")))
                .containsExactly("deadline");
        assertThat(badFields(put("/api/v1/policies/" + policy + "/settings").header("Authorization", liaison())
                .contentType(MediaType.APPLICATION_JSON).content("{\"reportingCycle\":\"WEEKLY\"}"))).containsExactly("reportingCycle");
        assertThat(badFields(put("/api/v1/policies/" + policy + "/settings").header("Authorization", liaison())
                .contentType(MediaType.APPLICATION_JSON).content("{}"))).containsExactlyInAnyOrder("deadline", "reportingCycle");
        assertThat(badFields(jsonPost("/api/v1/policies/" + policy + "/plan", liaison(), "{\"defaultDeadline\":\"2020-01-01\"}")))
                .containsExactly("defaultDeadline");
        assertThat(badFields(jsonPost("/api/v1/policies/" + policy + "/plan", liaison(), "{\"reportingCycle\":\"DAILY\"}")))
                .containsExactly("reportingCycle");
        assertThat(badFields(jsonPost("/api/v1/tasks/" + task + "/extension-requests/x/decision", liaison(),
                "{\"decision\":\"MAYBE\"}"))).containsExactly("decision");
        assertThat(badFields(jsonPost("/api/v1/policies", liaison(), "{}"))).containsExactly("catalogue");
        assertThat(badFields(jsonPost("/api/v1/policies", liaison(), "{\"catalogue\":{\"id\":\"Bad Id\"}}"))).contains("catalogue.id");
        assertThat(badFields(jsonPost("/api/v1/policies", liaison(), "{\"noticeText\":\"这不是通知\"}"))).containsExactly("noticeText");
    }

    @Test
    void badQueryParametersAreNamed() throws Exception {
        assertThat(badFields(get("/api/v1/tasks").param("page", "-1").header("Authorization", liaison()))).containsExactly("page");
        assertThat(badFields(get("/api/v1/tasks").param("size", "501").header("Authorization", liaison()))).containsExactly("size");
        assertThat(badFields(get("/api/v1/tasks").param("size", "many").header("Authorization", liaison()))).containsExactly("size");
        assertThat(badFields(get("/api/v1/tasks").param("role", "BOSS").header("Authorization", liaison()))).containsExactly("role");
        assertThat(badFields(get("/api/v1/tasks").param("status", "DONE").header("Authorization", liaison()))).containsExactly("status");
        assertThat(badFields(get("/api/v1/tasks").param("rating", "BLUE").header("Authorization", liaison()))).containsExactly("rating");
        assertThat(badFields(get("/api/v1/tasks").param("overdue", "perhaps").header("Authorization", liaison()))).containsExactly("overdue");
        assertThat(badFields(get("/api/v1/tasks").param("measureNo", "0").header("Authorization", liaison()))).containsExactly("measureNo");
        assertThat(badFields(get("/api/v1/events").param("after", "abc").header("Authorization", liaison()))).containsExactly("after");
        // 19 digits match the contract's pattern but exceed a long: a 400, not a 500
        assertThat(badFields(get("/api/v1/events").param("after", "9999999999999999999").header("Authorization", liaison())))
                .containsExactly("after");
        assertThat(badFields(get("/api/v1/events").param("limit", "0").header("Authorization", liaison()))).containsExactly("limit");
    }

    @Test
    void whoMayDoWhatAndWhoMaySeeWhat() throws Exception {
        mvc.perform(get("/api/v1/tasks/" + task)).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/tasks/" + task).header("Authorization", "Bearer not-a-jwt")).andExpect(status().isUnauthorized());
        String otherAudience = TestTokens.mint("liaison-wang", b -> b.audience("another-app").claim("roles", List.of("LIAISON")));
        mvc.perform(get("/api/v1/tasks/" + task).header("Authorization", bearer(otherAudience))).andExpect(status().isUnauthorized());
        // a bureau sees its own task, and another unit's task does not exist for it
        mvc.perform(get("/api/v1/tasks/" + task).header("Authorization", bearer(TestTokens.bureau("SJW")))).andExpect(status().isOk());
        mvc.perform(get("/api/v1/tasks/" + task).header("Authorization", bearer(TestTokens.bureau("SKW")))).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/tasks/" + task + "/history").header("Authorization", bearer(TestTokens.bureau("SKW"))))
                .andExpect(status().isNotFound());
        // adapters acting for another unit: 404
        mvc.perform(post("/api/v1/tasks/" + task + "/progress-reports").header("Authorization", adapters())
                .header("X-Hub-Acting-Unit", "SKW").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(report()))).andExpect(status().isNotFound());
        // the acting-unit header is ignored from a bureau token: it acts for its own unit only
        mvc.perform(post("/api/v1/tasks/" + task + "/progress-reports").header("Authorization", bearer(TestTokens.bureau("SKW")))
                .header("X-Hub-Acting-Unit", "SJW").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(report()))).andExpect(status().isNotFound());
        // liaison actions are not for bureaus; bureau writes are not for liaisons
        mvc.perform(jsonPost("/api/v1/tasks/" + task + "/accept", bearer(TestTokens.bureau("SJW")), "{}"))
                .andExpect(status().isForbidden());
        mvc.perform(jsonPost("/api/v1/tasks/" + task + "/progress-reports", liaison(), json.writeValueAsString(report())))
                .andExpect(status().isForbidden());
        mvc.perform(jsonPost("/api/v1/policies/" + policy + "/plan", bearer(TestTokens.operator("ops")), "{}"))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/tasks/no-such-task").header("Authorization", liaison())).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/policies/no-such-policy").header("Authorization", liaison())).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/nothing-here").header("Authorization", liaison())).andExpect(status().isNotFound());
    }

    @Test
    void wrongMediaTypesAndOversizedOrMislabelledAttachmentsAreRefused() throws Exception {
        mvc.perform(post("/api/v1/tasks/" + task + "/progress-reports").header("Authorization", adapters())
                .header("X-Hub-Acting-Unit", "SJW").contentType(MediaType.TEXT_PLAIN).content("hello"))
                .andExpect(status().isUnsupportedMediaType());
        MockMultipartFile pdf = new MockMultipartFile("file", "进展.pdf", "application/pdf", "%PDF-1.7 test".getBytes());
        JsonNode att = body(mvc.perform(multipart("/api/v1/tasks/" + task + "/attachments").file(pdf)
                .header("Authorization", adapters()).header("X-Hub-Acting-Unit", "SJW")).andExpect(status().isCreated()).andReturn());
        MockMultipartFile fakePdf = new MockMultipartFile("file", "x.pdf", "application/pdf", "MZ not a pdf".getBytes());
        mvc.perform(multipart("/api/v1/tasks/" + task + "/attachments").file(fakePdf)
                .header("Authorization", adapters()).header("X-Hub-Acting-Unit", "SJW")).andExpect(status().isUnsupportedMediaType());
        MockMultipartFile exe = new MockMultipartFile("file", "x.exe", "application/x-msdownload", new byte[] {1, 2});
        mvc.perform(multipart("/api/v1/tasks/" + task + "/attachments").file(exe)
                .header("Authorization", adapters()).header("X-Hub-Acting-Unit", "SJW")).andExpect(status().isUnsupportedMediaType());
        MockMultipartFile empty = new MockMultipartFile("file", "x.pdf", "application/pdf", new byte[0]);
        assertThat(badFields(multipart("/api/v1/tasks/" + task + "/attachments").file(empty)
                .header("Authorization", adapters()).header("X-Hub-Acting-Unit", "SJW"))).containsExactly("file");
        // the attachment is referenced from the next report
        Map<String, Object> r = report();
        r.put("messageId", "with-attachment");
        r.put("attachmentIds", List.of(att.get("id").asString()));
        JsonNode created = body(mvc.perform(bureauPost("progress-reports", json.writeValueAsString(r)))
                .andExpect(status().isCreated()).andReturn());
        assertThat(created.get("attachments").get(0).get("fileName").asString()).isEqualTo("进展.pdf");
    }
}
