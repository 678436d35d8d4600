package cn.beijing.scienceedu.task.lifecycle;

import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.contracts.events.TaskSnapshot;
import cn.beijing.scienceedu.contracts.task.model.DeliveryStatus;
import cn.beijing.scienceedu.contracts.task.model.Rating;
import cn.beijing.scienceedu.contracts.task.model.RatingReason;
import cn.beijing.scienceedu.contracts.task.model.ReportStatus;
import cn.beijing.scienceedu.contracts.task.model.ReportingCycle;
import cn.beijing.scienceedu.contracts.task.model.Task;
import cn.beijing.scienceedu.contracts.task.model.TaskRole;
import cn.beijing.scienceedu.contracts.task.model.TaskStatus;
import cn.beijing.scienceedu.task.calendar.WorkingCalendar;

/** Maps task rows to the API's {@code Task} and to the events' {@code TaskSnapshot}. */
@Component
public class TaskViews {

    private final WorkingCalendar calendar;

    public TaskViews(WorkingCalendar calendar) {
        this.calendar = calendar;
    }

    public Task api(TaskRecord t) {
        Task a = new Task();
        a.setId(t.id);
        a.setPolicyId(t.policyId);
        a.setActionNo(t.actionNo);
        a.setMeasureNo(t.measureNo);
        a.setMeasureTitle(t.measureTitle);
        a.setUnitCode(t.unitCode);
        a.setUnitName(t.unitName);
        a.setUnitOrder(t.unitOrder);
        a.setLeadUnitCode(t.leadUnitCode);
        a.setRole(TaskRole.fromValue(t.role));
        a.setStatus(t.status);
        a.setDeliveryStatus(DeliveryStatus.fromValue(t.deliveryStatus));
        a.setWorkItems(t.workItems);
        a.setDeadline(t.deadline);
        a.setReportingCycle(ReportingCycle.fromValue(t.reportingCycle));
        a.setPercentComplete(t.percentComplete);
        a.setRating(Rating.fromValue(t.rating));
        if (t.ratingReason != null) {
            a.setRatingReason(RatingReason.fromValue(t.ratingReason));
        }
        if (t.lastReportStatus != null) {
            a.setBureauStatus(ReportStatus.fromValue(t.lastReportStatus));
        }
        a.setOverdue(Ratings.overdue(t, calendar.today()));
        // live: a year the operator loads shows at once (events carry it from the next change or scan)
        a.setCalendarKnown(calendar.knows(t.deadline));
        a.setSignedBy(t.signedBy);
        a.setSignedAt(t.signedAt);
        a.setLastReportPeriod(t.lastReportPeriod);
        a.setLastReportAt(t.lastReportAt);
        a.setUrgingLevel(t.urgingLevel);
        a.setVersion(t.version);
        a.setPlannedAt(t.plannedAt);
        a.setUpdatedAt(t.updatedAt);
        return a;
    }

    /** The events' enum of the same status (the two generated enums hold the same values). */
    public static cn.beijing.scienceedu.contracts.events.TaskStatus event(TaskStatus status) {
        return cn.beijing.scienceedu.contracts.events.TaskStatus.fromValue(status.getValue());
    }

    public TaskSnapshot snapshot(TaskRecord t) {
        TaskSnapshot s = new TaskSnapshot();
        s.setTaskId(t.id);
        s.setPolicyId(t.policyId);
        s.setActionNo(t.actionNo);
        s.setMeasureNo(t.measureNo);
        s.setMeasureTitle(t.measureTitle);
        s.setUnitCode(t.unitCode);
        s.setUnitName(t.unitName);
        s.setLeadUnitCode(t.leadUnitCode);
        s.setRole(TaskSnapshot.Role.fromValue(t.role));
        s.setStatus(event(t.status));
        s.setDeliveryStatus(TaskSnapshot.DeliveryStatus.fromValue(t.deliveryStatus));
        s.setDeadline(t.deadline);
        s.setReportingCycle(TaskSnapshot.ReportingCycle.fromValue(t.reportingCycle));
        s.setWorkItems(t.workItems);
        s.setPercentComplete(t.percentComplete);
        s.setRating(TaskSnapshot.Rating.fromValue(t.rating));
        if (t.ratingReason != null) {
            s.setRatingReason(TaskSnapshot.RatingReason.fromValue(t.ratingReason));
        }
        if (t.lastReportStatus != null) {
            s.setBureauStatus(TaskSnapshot.BureauStatus.fromValue(t.lastReportStatus));
        }
        s.setOverdue(Ratings.overdue(t, calendar.today()));
        s.setCalendarKnown(t.calendarKnown);
        s.setSignedBy(t.signedBy);
        s.setSignedAt(t.signedAt);
        s.setLastReportPeriod(t.lastReportPeriod);
        s.setLastReportAt(t.lastReportAt);
        s.setVersion((int) t.version);
        return s;
    }
}
