package cn.beijing.scienceedu.task.progress;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.contracts.events.AttachmentRef;
import cn.beijing.scienceedu.contracts.events.KpiValueData;
import cn.beijing.scienceedu.contracts.events.ProgressReportData;
import cn.beijing.scienceedu.contracts.task.model.Attachment;
import cn.beijing.scienceedu.contracts.task.model.KpiValue;
import cn.beijing.scienceedu.contracts.task.model.ProgressReport;
import cn.beijing.scienceedu.contracts.task.model.ProgressReportRequest;
import cn.beijing.scienceedu.contracts.task.model.ReportStatus;
import cn.beijing.scienceedu.contracts.task.model.SignForRequest;
import cn.beijing.scienceedu.task.catalogue.PolicyCatalogue;
import cn.beijing.scienceedu.task.lifecycle.TaskChanges;
import cn.beijing.scienceedu.task.lifecycle.TaskRecord;
import cn.beijing.scienceedu.task.lifecycle.TaskStore;
import cn.beijing.scienceedu.task.security.Caller;
import cn.beijing.scienceedu.task.web.ApiException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Bureau writes: sign-for (签收), progress reports (进展报送) and the submission (办结报告). */
@Service
public class ProgressReports {

    private static final Set<String> REPORTABLE = Set.of("SIGNED_FOR", "IN_PROGRESS", "RETURNED");

    private final TaskChanges changes;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final PolicyCatalogue catalogue;
    private final AttachmentStore attachments;

    public ProgressReports(TaskChanges changes, TaskStore store, JdbcTemplate jdbc, JsonMapper json,
            PolicyCatalogue catalogue, AttachmentStore attachments) {
        this.changes = changes;
        this.jdbc = jdbc;
        this.json = json;
        this.catalogue = catalogue;
        this.attachments = attachments;
    }

    /** DISPATCHED or DELIVERED → SIGNED_FOR; a sign-for before the delivery confirmation implies delivery. */
    @Transactional
    public TaskRecord signFor(String taskId, SignForRequest r, Caller caller) {
        TaskRecord t = changes.lockVisible(taskId, caller);
        TaskChanges.requireStatus(t, Set.of("DISPATCHED", "DELIVERED"), "sign for");
        t.deliveryStatus = "DELIVERED";
        String reason = "signed by " + (r.getSignedBy() == null ? "?" : r.getSignedBy()) + " at " + r.getSignedAt()
                + (r.getNote() == null ? "" : ": " + r.getNote());
        return changes.transition(t, Set.of("DISPATCHED", "DELIVERED"), "SIGNED_FOR", "task.signed-for", "sign for",
                caller, reason, new TaskChanges.Extras(null, null, null, r.getMessageLogId()));
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
            if (k.getKpiCode() != null && !kpiCodes.contains(k.getKpiCode())) {
                errors.add(error("kpiValues[" + i + "].kpiCode", "unknown KPI of policy " + t.policyId));
            }
            if (k.getLevel() != null && "SCHOOL".equals(k.getLevel().getValue()) && k.getSchoolCode() == null) {
                errors.add(error("kpiValues[" + i + "].schoolCode", "required for level SCHOOL"));
            }
            if (k.getLevel() != null && "DISTRICT".equals(k.getLevel().getValue()) && k.getDistrictCode() == null) {
                errors.add(error("kpiValues[" + i + "].districtCode", "required for level DISTRICT"));
            }
        }
        List<String> attachmentIds = r.getAttachmentIds() == null ? List.of() : r.getAttachmentIds();
        List<Attachment> found = new ArrayList<>();
        for (int i = 0; i < attachmentIds.size(); i++) {
            Attachment a = attachments.find(t.id, attachmentIds.get(i));
            if (a == null) {
                errors.add(error("attachmentIds[" + i + "]", "no such attachment of this task"));
            } else {
                found.add(a);
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.badFields(errors);
        }
        TaskChanges.requireStatus(t, REPORTABLE, submission ? "submit" : "report progress on");

        String id = UUID.randomUUID().toString();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String kind = submission ? "SUBMISSION" : "PROGRESS";
        jdbc.update("insert into progress_report (id, task_id, kind, message_id, period, status, percent_complete, "
                + "narrative, kpi_values, attachment_ids, message_log_id, reported_by, received_at) "
                + "values (?,?,?,?,?,?,?,?,?::jsonb,?::jsonb,?,?,?)", id, t.id, kind, r.getMessageId(), r.getPeriod(),
                r.getStatus().getValue(), r.getPercentComplete(), r.getNarrative(), json.writeValueAsString(kpis),
                json.writeValueAsString(attachmentIds), r.getMessageLogId(), caller.subject(), now);

        t.percentComplete = r.getPercentComplete();
        t.lastReportStatus = r.getStatus().getValue();
        t.lastReportPeriod = r.getPeriod();
        t.lastReportAt = now;
        String before = t.status;
        t.status = submission ? "SUBMITTED" : "IN_PROGRESS";
        ProgressReportData data = eventData(id, r, found, now);
        changes.record(t, submission ? "task.submitted" : "task.progress-reported", before, caller,
                submission ? "submission " + r.getPeriod() : "progress " + r.getPeriod(),
                new TaskChanges.Extras(data, null, null, r.getMessageLogId()), true);
        ProgressReport p = new ProgressReport();
        p.setId(id);
        p.setTaskId(t.id);
        p.setKind(ProgressReport.KindEnum.fromValue(kind));
        p.setMessageId(r.getMessageId());
        p.setPeriod(r.getPeriod());
        p.setStatus(r.getStatus());
        p.setPercentComplete(r.getPercentComplete());
        p.setNarrative(r.getNarrative());
        p.setKpiValues(kpis);
        p.setAttachments(found);
        p.setMessageLogId(r.getMessageLogId());
        p.setReportedBy(caller.subject());
        p.setReceivedAt(now);
        return p;
    }

    private ProgressReportData eventData(String id, ProgressReportRequest r, List<Attachment> found, OffsetDateTime now) {
        ProgressReportData d = new ProgressReportData();
        d.setReportId(id);
        d.setPeriod(r.getPeriod());
        d.setStatus(ProgressReportData.Status.fromValue(r.getStatus().getValue()));
        d.setPercentComplete(r.getPercentComplete());
        d.setNarrative(r.getNarrative());
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
                + "kpi_values::text as kv, attachment_ids::text as att, message_log_id, reported_by, received_at "
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
