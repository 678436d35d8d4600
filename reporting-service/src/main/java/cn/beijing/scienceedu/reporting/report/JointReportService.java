package cn.beijing.scienceedu.reporting.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.contracts.reporting.model.HistoryEntry;
import cn.beijing.scienceedu.contracts.reporting.model.JointReport;
import cn.beijing.scienceedu.contracts.reporting.model.Lineage;
import cn.beijing.scienceedu.contracts.reporting.model.LineageSource;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureDetail;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureRow;
import cn.beijing.scienceedu.contracts.reporting.model.ProgressEntry;
import cn.beijing.scienceedu.contracts.reporting.model.TaskView;
import cn.beijing.scienceedu.reporting.ReportingProperties;
import cn.beijing.scienceedu.reporting.catalogue.PolicyCatalogue;
import cn.beijing.scienceedu.reporting.report.ReportData.Change;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;

/** The joint report of a policy and period: frozen when the period is closed, computed live otherwise. */
@Service
public class JointReportService {

    private final PolicyCatalogue catalogue;
    private final ReportDataLoader loader;
    private final SnapshotStore snapshots;
    private final ReportingProperties properties;

    public JointReportService(PolicyCatalogue catalogue, ReportDataLoader loader, SnapshotStore snapshots,
            ReportingProperties properties) {
        this.catalogue = catalogue;
        this.loader = loader;
        this.snapshots = snapshots;
        this.properties = properties;
    }

    public Policy policy(String policyId, String token) {
        return catalogue.find(policyId, token).orElseThrow(() -> new NotFoundException("no policy " + policyId));
    }

    /** The report: the frozen snapshot for a closed period, else computed now. */
    public JointReport report(String policyId, String periodId, String token) {
        Optional<SnapshotStore.Snapshot> frozen = snapshots.find(policyId, periodId);
        if (frozen.isPresent()) {
            JointReport r = ReportJson.read(frozen.get().body());
            r.setContentHash(frozen.get().contentHash());
            return r;
        }
        return live(policyId, periodId, token);
    }

    /** The report computed from the read models now, ignoring any snapshot. */
    public JointReport live(String policyId, String periodId, String token) {
        Policy policy = policy(policyId, token);
        Period period = Period.parse(periodId);
        ReportData data = loader.load(policyId);
        JointReportBuilder builder = new JointReportBuilder(policy, period, data, properties, Instant.now());
        JointReport report = builder.build();
        Period previous = period.previous();
        snapshots.find(policyId, previous.id()).ifPresent(s ->
                report.setCorrections(new ArrayList<>(builder.corrections(previous, s.closedAt().toInstant()))));
        return report;
    }

    public Lineage lineage(String policyId, String periodId, String figure, String token) {
        Policy policy = policy(policyId, token);
        Period period = Period.parse(periodId);
        JointReportBuilder builder = new JointReportBuilder(policy, period, loader.load(policyId), properties,
                Instant.now());
        builder.build();
        List<LineageSource> sources = builder.lineage().get(figure);
        if (sources == null) {
            throw new NotFoundException("no figure " + figure + " in the report of " + policyId + " " + periodId);
        }
        Lineage l = new Lineage();
        l.setFigure(figure);
        l.setPolicyId(policyId);
        l.setPeriod(periodId);
        l.setValue(builder.values().get(figure));
        l.setSources(new ArrayList<>(sources));
        return l;
    }

    public MeasureDetail measure(String policyId, String periodId, int measureNo, String token) {
        JointReport report = report(policyId, periodId, token);
        MeasureRow row = report.getMeasures().stream().filter(m -> m.getMeasureNo() == measureNo).findFirst()
                .orElseThrow(() -> new NotFoundException("no measure " + measureNo));
        ReportData data = loader.load(policyId);
        MeasureDetail d = new MeasureDetail();
        d.setMeasure(row);
        Policy policy = policy(policyId, token);
        Measure m = policy.getMeasures().stream().filter(x -> x.getNo() == measureNo).findFirst().orElseThrow();
        for (String unit : m.getUnitCodes()) {
            data.changes().stream().filter(c -> c.measureNo() == measureNo && unit.equals(c.unitCode()))
                    .map(Change::taskId).findFirst()
                    .ifPresent(taskId -> d.addTasksItem(taskView(taskId, data)));
        }
        return d;
    }

    public TaskView task(String taskId) {
        String policyId = loader.policyOfTask(taskId).orElseThrow(() -> new NotFoundException("no task " + taskId));
        return taskView(taskId, loader.loadTask(policyId, taskId));
    }

    private TaskView taskView(String taskId, ReportData data) {
        List<Change> h = data.changes().stream().filter(c -> c.taskId().equals(taskId))
                .sorted(Comparator.comparingLong(Change::version)).toList();
        if (h.isEmpty()) {
            throw new NotFoundException("no task " + taskId);
        }
        Change s = h.get(h.size() - 1);
        TaskView v = new TaskView();
        v.setTaskId(taskId);
        v.setPolicyId(null);
        v.setMeasureNo(s.measureNo());
        v.setActionNo(s.actionNo());
        v.setUnitCode(s.unitCode());
        v.setLeadUnitCode(s.leadUnitCode());
        v.setRole(s.role());
        v.setStatus(s.status());
        v.setDeliveryStatus(s.deliveryStatus());
        v.setDeadline(s.deadline());
        v.setPercentComplete(s.percentComplete());
        v.setRating(s.rating());
        v.setVersion(s.version());
        v.setOverdue(s.deadline() != null && !List.of("SUBMITTED", "ACCEPTED", "CANCELLED").contains(s.status())
                && s.deadline().isBefore(java.time.LocalDate.now(properties.zoneId())));
        v.setUrgingLevel(h.stream().map(Change::urgingLevel).filter(java.util.Objects::nonNull)
                .max(Integer::compare).orElse(0));
        h.stream().filter(c -> c.extensionId() != null).reduce((a, b) -> b)
                .filter(c -> "PENDING".equals(c.extensionState()))
                .ifPresent(c -> v.setPendingExtensionRequestId(c.extensionId()));
        for (Change c : h) {
            HistoryEntry e = new HistoryEntry();
            e.setEventId(c.eventId());
            e.setType(c.kind());
            e.setHistoryId(c.historyId());
            e.setActor(c.actor());
            e.setFromStatus(c.fromStatus());
            e.setToStatus(c.toStatus());
            e.setReason(c.reason());
            e.setAt(c.at().atOffset(java.time.ZoneOffset.UTC));
            e.setVersion(c.version());
            e.setMessageLogId(c.messageLogId());
            v.addHistoryItem(e);
        }
        for (Progress p : data.progress()) {
            if (p.taskId().equals(taskId)) {
                ProgressEntry e = new ProgressEntry();
                e.setReportId(p.reportId());
                e.setPeriod(p.period());
                e.setStatus(p.status());
                e.setPercentComplete(p.percentComplete());
                e.setNarrative(p.narrative());
                e.setMessageLogId(p.messageLogId());
                e.setReceivedAt(p.reportedAt().atOffset(java.time.ZoneOffset.UTC));
                v.addProgressItem(e);
            }
        }
        for (ReportData.Parked d : loader.parked(taskId)) {
            cn.beijing.scienceedu.contracts.reporting.model.ParkedDelivery pd =
                    new cn.beijing.scienceedu.contracts.reporting.model.ParkedDelivery();
            pd.setDeliveryId(d.deliveryId());
            pd.setMessageKind(d.messageKind());
            pd.setReason(d.reason());
            pd.setMessageLogId(d.messageLogId());
            pd.setAt(d.at().atOffset(java.time.ZoneOffset.UTC));
            v.addParkedDeliveriesItem(pd);
        }
        if (v.getParkedDeliveries() == null) {
            v.setParkedDeliveries(new ArrayList<>());
        }
        if (v.getHistory() == null) {
            v.setHistory(new ArrayList<>());
        }
        if (v.getProgress() == null) {
            v.setProgress(new ArrayList<>());
        }
        return v;
    }
}
