package cn.beijing.scienceedu.reporting.report;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Unit;
import cn.beijing.scienceedu.contracts.reporting.model.Evidence;
import cn.beijing.scienceedu.contracts.reporting.model.RiskItem;
import cn.beijing.scienceedu.reporting.report.ReportData.Change;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;

/**
 * Tasks rated AMBER or RED ({@link Ratings#atRisk}), worst first (then by measure and unit), each with what its
 * bureau said in its latest progress report of the period (narrative, problems, next steps, reporter, the bureau's
 * own time, evidence): the 情况通报 and the exports list them.
 */
final class AtRiskList {

    private AtRiskList() {
    }

    static List<RiskItem> of(Collection<TaskAsOf> tasks, Map<Integer, Measure> measures, Map<String, Unit> units,
            AsOf asOf) {
        List<RiskItem> out = new ArrayList<>();
        for (TaskAsOf t : tasks) {
            if (!Ratings.atRisk(t.rating())) {
                continue;
            }
            Change s = t.state();
            RiskItem r = new RiskItem();
            r.setTaskId(t.taskId());
            r.setMeasureNo(s.measureNo());
            Measure m = measures.get(s.measureNo());
            if (m != null) {
                r.setMeasureTitle(m.getTitle());
                r.setMeasureTitleEn(m.getTitleEn());
            }
            r.setUnitCode(s.unitCode());
            Unit u = units.get(s.unitCode());
            r.setUnitShortName(u == null ? s.unitCode() : u.getShortName());
            r.setUnitNameEn(u == null ? null : u.getNameEn());
            r.setRole(s.role());
            r.setStatus(s.status());
            r.setPercentComplete(t.percent());
            r.setDeadline(s.deadline());
            r.setCalendarKnown(asOf.calendarKnown(s));
            r.setRating(RiskItem.RatingEnum.fromValue(t.rating()));
            r.setRatingReason(s.ratingReason());
            r.setBureauStatus(s.bureauStatus());
            Progress p = t.latestReport();
            if (p != null) {
                r.setReportId(p.reportId());
                r.setNarrative(p.narrative());
                r.setProblems(p.problems());
                r.setNextSteps(p.nextSteps());
                r.setReporter(p.reporter());
                if (p.sentAt() != null) {
                    r.setReportedAt(p.sentAt().atOffset(ZoneOffset.UTC));
                }
                r.setEvidence(new ArrayList<>(p.evidence().stream().map(AtRiskList::evidence).toList()));
            }
            out.add(r);
        }
        out.sort(Comparator.comparing((RiskItem r) -> Ratings.WORST_FIRST.indexOf(r.getRating().getValue()))
                .thenComparing(RiskItem::getMeasureNo).thenComparing(RiskItem::getUnitCode));
        return out;
    }

    /** A copy of a progress report's evidence entry (each report and view holds its own). */
    static Evidence evidence(Evidence e) {
        Evidence x = new Evidence();
        x.setName(e.getName());
        x.setContentType(e.getContentType());
        x.setSize(e.getSize());
        x.setSha256(e.getSha256());
        x.setAttachmentId(e.getAttachmentId());
        return x;
    }
}
