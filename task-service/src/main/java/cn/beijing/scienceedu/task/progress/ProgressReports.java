package cn.beijing.scienceedu.task.progress;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.contracts.events.AttachmentRef;
import cn.beijing.scienceedu.contracts.events.EvidenceData;
import cn.beijing.scienceedu.contracts.events.KpiValueData;
import cn.beijing.scienceedu.contracts.events.ProgressReportData;
import cn.beijing.scienceedu.contracts.task.model.Attachment;
import cn.beijing.scienceedu.contracts.task.model.EvidenceRef;
import cn.beijing.scienceedu.contracts.task.model.KpiValue;
import cn.beijing.scienceedu.contracts.task.model.ProgressReport;
import cn.beijing.scienceedu.contracts.task.model.ProgressReportRequest;
import cn.beijing.scienceedu.contracts.task.model.ReportStatus;
import cn.beijing.scienceedu.contracts.task.model.SignForRequest;
import cn.beijing.scienceedu.task.catalogue.PolicyCatalogue;
import cn.beijing.scienceedu.task.deadline.BureauTimes;
import cn.beijing.scienceedu.task.lifecycle.TaskChanges;
import cn.beijing.scienceedu.task.lifecycle.TaskRecord;
import cn.beijing.scienceedu.task.lifecycle.TaskStore;
import cn.beijing.scienceedu.task.lifecycle.Transitions;
import cn.beijing.scienceedu.task.lifecycle.Transitions.TaskAction;
import cn.beijing.scienceedu.task.security.Caller;
import cn.beijing.scienceedu.task.web.ApiException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bureau writes: sign-for (签收), progress reports (进展报送: 工作进展, 存在问题, 下一步计划, the bureau's own status,
 * KPI values, 佐证材料) and the submission (办结报告). Every field is checked before anything is written, so a refusal
 * has no effect.
 */
@Service
public class ProgressReports {

    private final TaskChanges changes;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final PolicyCatalogue catalogue;
    private final AttachmentStore attachments;
    private final BureauTimes times;

    public ProgressReports(TaskChanges changes, JdbcTemplate jdbc, JsonMapper json, PolicyCatalogue catalogue,
            AttachmentStore attachments, BureauTimes times) {
        this.changes = changes;
        this.jdbc = jdbc;
        this.json = json;
        this.catalogue = catalogue;
        this.attachments = attachments;
        this.times = times;
    }

    /**
     * DISPATCHED or DELIVERED → SIGNED_FOR; a sign-for before the delivery confirmation implies delivery. 签收人 and
     * 签收时间 are kept on the task as the bureau sent them.
     */
    @Transactional
    public TaskRecord signFor(String taskId, SignForRequest r, Caller caller) {
        TaskRecord t = changes.lockVisible(taskId, caller);
        List<Map<String, String>> errors = new ArrayList<>();
        times.check("signedAt", r.getSignedAt(), t, times.now(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.badFields(errors);
        }
        Transitions.require(t.status, TaskAction.SIGN_FOR);
        t.deliveryStatus = "DELIVERED";
        t.signedBy = r.getSignedBy();
        t.signedAt = r.getSignedAt();
        String reason = "signed by " + (r.getSignedBy() == null ? "?" : r.getSignedBy()) + " at " + r.getSignedAt()
                + (r.getNote() == null ? "" : ": " + r.getNote());
        return changes.transition(t, TaskAction.SIGN_FOR, caller, reason,
                new TaskChanges.Extras(null, null, null, r.getMessageLogId()));
    }

    /** A progress report (submission = false) or the completion report (submission = true). */
    @Transactional
    public ProgressReport report(String taskId, ProgressReportRequest r, boolean submission, Caller caller) {
        TaskRecord t = changes.lockVisible(taskId, caller);
        List<Map<String, String>> errors = new ArrayList<>();
        if (submission && r.getPercentComplete() != null && r.getPercentComplete() != 100) {
            errors.add(error("percentComplete", "a submission reports 100"));
        }
        Policy policy = catalogue.require(t.policyId);
        Set<String> kpiCodes = new java.util.HashSet<>();
        if (policy.getKpis() != null) {
            policy.getKpis().forEach(k -> kpiCodes.add(k.getCode()));
        }
        List<KpiValue> kpis = r.getKpiValues() == null ? List.of() : r.getKpiValues();
        for (int i = 0; i < kpis.size(); i++) {
            KpiValue k = kpis.get(i);
            if (k == null) {
                // [null] passes the generated model's @Valid (a null element is not validated) and reached here
                errors.add(error("kpiValues[" + i + "]", "must be a KPI value, not null"));
                continue;
            }
            if (k.getKpiCode() != null && !kpiCodes.contains(k.getKpiCode())) {
                errors.add(error("kpiValues[" + i + "].kpiCode", "unknown KPI of policy " + t.policyId));
            }
            if (k.getLevel() != null && "SCHOOL".equals(k.getLevel().getValue()) && blank(k.getSchoolCode())) {
                errors.add(error("kpiValues[" + i + "].schoolCode", "required for level SCHOOL"));
            }
            if (k.getLevel() != null && "DISTRICT".equals(k.getLevel().getValue()) && blank(k.getDistrictCode())) {
                errors.add(error("kpiValues[" + i + "].districtCode", "required for level DISTRICT"));
            }
        }
        // stored attachments are linked by attachmentIds (older callers) or by evidence[].attachmentId
        Map<String, Attachment> linked = new LinkedHashMap<>();
        List<String> attachmentIds = r.getAttachmentIds() == null ? List.of() : r.getAttachmentIds();
        for (int i = 0; i < attachmentIds.size(); i++) {
            if (attachmentIds.get(i) == null) {
                errors.add(error("attachmentIds[" + i + "]", "must be an attachment id, not null"));
                continue;
            }
            Attachment a = attachments.find(t.id, attachmentIds.get(i));
            if (a == null) {
                errors.add(error("attachmentIds[" + i + "]", "no such attachment of this task"));
            } else {
                linked.put(a.getId(), a);
            }
        }
        List<EvidenceRef> sent = r.getEvidence() == null ? List.of() : r.getEvidence();
        Set<String> inEvidence = new HashSet<>();
        for (int i = 0; i < sent.size(); i++) {
            EvidenceRef e = sent.get(i);
            if (e == null) {
                errors.add(error("evidence[" + i + "]", "must be an evidence reference, not null"));
                continue;
            }
            if (e.getSize() != null && e.getSize() > Integer.MAX_VALUE) {
                // the events carry the size as a 32-bit integer (progress-report.schema.json)
                errors.add(error("evidence[" + i + "].size", "must be at most " + Integer.MAX_VALUE));
            }
            if (e.getAttachmentId() == null) {
                continue; // a reference the bureau holds: kept as sent
            }
            Attachment a = attachments.find(t.id, e.getAttachmentId());
            if (a == null) {
                errors.add(error("evidence[" + i + "].attachmentId", "no such attachment of this task"));
                continue;
            }
            if (!Objects.equals(e.getSize(), a.getSize())) {
                errors.add(error("evidence[" + i + "].size", "does not match the stored attachment (" + a.getSize()
                        + " bytes)"));
            }
            if (!Objects.equals(e.getSha256(), a.getSha256())) {
                errors.add(error("evidence[" + i + "].sha256", "does not match the stored attachment's SHA-256"));
            }
            linked.put(a.getId(), a);
            inEvidence.add(a.getId());
        }
        OffsetDateTime now = times.now();
        times.check("reportedAt", r.getReportedAt(), t, now, errors);
        if (!errors.isEmpty()) {
            throw ApiException.badFields(errors);
        }
        TaskAction action = submission ? TaskAction.SUBMIT : TaskAction.REPORT_PROGRESS;
        Transitions.require(t.status, action);

        // the evidence of the report: as sent, plus the attachments linked only by attachmentIds
        List<EvidenceRef> evidence = new ArrayList<>(sent);
        for (Attachment a : linked.values()) {
            if (!inEvidence.contains(a.getId())) {
                evidence.add(evidenceOf(a));
            }
        }
        List<Attachment> found = new ArrayList<>(linked.values());
        List<String> ids = new ArrayList<>(linked.keySet());
        OffsetDateTime reportedAt = BureauTimes.orReceived(r.getReportedAt(), now);

        String id = UUID.randomUUID().toString();
        String kind = submission ? "SUBMISSION" : "PROGRESS";
        jdbc.update("insert into progress_report (id, task_id, kind, message_id, period, status, percent_complete, "
                + "narrative, problems, next_steps, reporter, reported_at, kpi_values, attachment_ids, evidence, "
                + "message_log_id, reported_by, received_at) "
                + "values (?,?,?,?,?,?,?,?,?,?,?,?,?::jsonb,?::jsonb,?::jsonb,?,?,?)", id, t.id, kind, r.getMessageId(),
                r.getPeriod(), r.getStatus().getValue(), r.getPercentComplete(), r.getNarrative(), r.getProblems(),
                r.getNextSteps(), r.getReporter(), reportedAt, json.writeValueAsString(kpis),
                json.writeValueAsString(ids), json.writeValueAsString(evidence), r.getMessageLogId(),
                caller.subject(), now);

        t.percentComplete = r.getPercentComplete();
        t.lastReportStatus = r.getStatus().getValue();
        t.lastReportPeriod = r.getPeriod();
        t.lastReportAt = reportedAt;
        ProgressReportData data = eventData(id, r, reportedAt, evidence, found, now);
        changes.transition(t, action, caller, submission ? "submission " + r.getPeriod() : "progress " + r.getPeriod(),
                new TaskChanges.Extras(data, null, null, r.getMessageLogId()));
        ProgressReport p = new ProgressReport();
        p.setId(id);
        p.setTaskId(t.id);
        p.setKind(ProgressReport.KindEnum.fromValue(kind));
        p.setMessageId(r.getMessageId());
        p.setPeriod(r.getPeriod());
        p.setStatus(r.getStatus());
        p.setPercentComplete(r.getPercentComplete());
        p.setNarrative(r.getNarrative());
        p.setProblems(r.getProblems());
        p.setNextSteps(r.getNextSteps());
        p.setReporter(r.getReporter());
        p.setReportedAt(reportedAt);
        p.setKpiValues(kpis);
        p.setEvidence(evidence);
        p.setAttachments(found);
        p.setMessageLogId(r.getMessageLogId());
        p.setReportedBy(caller.subject());
        p.setReceivedAt(now);
        return p;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static EvidenceRef evidenceOf(Attachment a) {
        EvidenceRef e = new EvidenceRef();
        e.setName(a.getFileName());
        e.setContentType(a.getContentType());
        e.setSize(a.getSize());
        e.setSha256(a.getSha256());
        e.setAttachmentId(a.getId());
        return e;
    }

    private ProgressReportData eventData(String id, ProgressReportRequest r, OffsetDateTime reportedAt,
            List<EvidenceRef> evidence, List<Attachment> found, OffsetDateTime now) {
        ProgressReportData d = new ProgressReportData();
        d.setReportId(id);
        d.setPeriod(r.getPeriod());
        d.setStatus(ProgressReportData.Status.fromValue(r.getStatus().getValue()));
        d.setPercentComplete(r.getPercentComplete());
        d.setNarrative(r.getNarrative());
        d.setProblems(r.getProblems());
        d.setNextSteps(r.getNextSteps());
        d.setReporter(r.getReporter());
        d.setReportedAt(reportedAt);
        List<EvidenceData> ev = new ArrayList<>();
        for (EvidenceRef e : evidence) {
            EvidenceData x = new EvidenceData();
            x.setName(e.getName());
            x.setContentType(e.getContentType());
            x.setSize(e.getSize() == null ? null : Math.toIntExact(e.getSize()));
            x.setSha256(e.getSha256());
            x.setAttachmentId(e.getAttachmentId());
            ev.add(x);
        }
        d.setEvidence(ev);
        List<KpiValueData> kv = new ArrayList<>();
        if (r.getKpiValues() != null) {
            for (KpiValue k : r.getKpiValues()) {
                KpiValueData x = new KpiValueData();
                x.setKpiCode(k.getKpiCode());
                x.setValue(k.getValue() == null ? null : k.getValue().doubleValue());
                x.setUnit(k.getUnit());
                x.setLevel(KpiValueData.Level.fromValue(k.getLevel().getValue()));
                x.setDistrictCode(k.getDistrictCode());
                x.setSchoolCode(k.getSchoolCode());
                kv.add(x);
            }
        }
        d.setKpiValues(kv);
        List<AttachmentRef> refs = new ArrayList<>();
        for (Attachment a : found) {
            AttachmentRef ref = new AttachmentRef();
            ref.setAttachmentId(a.getId());
            ref.setFileName(a.getFileName());
            ref.setContentType(a.getContentType());
            ref.setSize(a.getSize().intValue());
            ref.setSha256(a.getSha256());
            refs.add(ref);
        }
        d.setAttachments(refs);
        d.setMessageLogId(r.getMessageLogId());
        d.setReceivedAt(now);
        return d;
    }

    public List<ProgressReport> list(String taskId) {
        return jdbc.query("select id, task_id, kind, message_id, period, status, percent_complete, narrative, "
                + "problems, next_steps, reporter, reported_at, kpi_values::text as kv, attachment_ids::text as att, "
                + "evidence::text as ev, message_log_id, reported_by, received_at "
                + "from progress_report where task_id = ? order by received_at, id", (rs, i) -> {
                    ProgressReport p = new ProgressReport();
                    p.setId(rs.getString("id"));
                    p.setTaskId(rs.getString("task_id"));
                    p.setKind(ProgressReport.KindEnum.fromValue(rs.getString("kind")));
                    p.setMessageId(rs.getString("message_id"));
                    p.setPeriod(rs.getString("period"));
                    p.setStatus(ReportStatus.fromValue(rs.getString("status")));
                    p.setPercentComplete(rs.getInt("percent_complete"));
                    p.setNarrative(rs.getString("narrative"));
                    p.setProblems(rs.getString("problems"));
                    p.setNextSteps(rs.getString("next_steps"));
                    p.setReporter(rs.getString("reporter"));
                    p.setReportedAt(TaskStore.time(rs.getTimestamp("reported_at")));
                    p.setEvidence(json.readValue(rs.getString("ev"), new TypeReference<List<EvidenceRef>>() {
                    }));
                    p.setKpiValues(json.readValue(rs.getString("kv"), new TypeReference<List<KpiValue>>() {
                    }));
                    List<String> ids = json.readValue(rs.getString("att"), new TypeReference<List<String>>() {
                    });
                    p.setAttachments(ids.stream().map(aid -> attachments.find(taskId, aid))
                            .filter(java.util.Objects::nonNull).toList());
                    p.setMessageLogId(rs.getString("message_log_id"));
                    p.setReportedBy(rs.getString("reported_by"));
                    p.setReceivedAt(rs.getTimestamp("received_at").toInstant().atOffset(ZoneOffset.UTC));
                    return p;
                }, taskId);
    }

    private static Map<String, String> error(String field, String message) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("field", field);
        m.put("message", message);
        return m;
    }
}
