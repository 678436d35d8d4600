package cn.beijing.scienceedu.reporting.report;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Unit;
import cn.beijing.scienceedu.contracts.reporting.model.OverdueItem;
import cn.beijing.scienceedu.reporting.report.ReportData.Change;

/**
 * The overdue and urging list (逾期督办): every overdue task with its working days overdue, its urgings up to the
 * as-of date (how many, the highest level, the latest) and its extension request; most days overdue first, then by
 * measure and unit.
 */
final class OverdueList {

    private OverdueList() {
    }

    static List<OverdueItem> of(Collection<TaskAsOf> tasks, Map<Integer, Measure> measures, Map<String, Unit> units,
            AsOf asOf) {
        List<OverdueItem> overdue = new ArrayList<>();
        for (TaskAsOf t : tasks) {
            if (!t.overdue()) {
                continue;
            }
            Change s = t.state();
            OverdueItem item = new OverdueItem();
            item.setTaskId(t.taskId());
            item.setMeasureNo(s.measureNo());
            Measure m = measures.get(s.measureNo());
            item.setMeasureTitle(m == null ? null : m.getTitle());
            item.setUnitCode(s.unitCode());
            Unit u = units.get(s.unitCode());
            item.setUnitShortName(u == null ? s.unitCode() : u.getShortName());
            item.setRole(s.role());
            item.setStatus(s.status());
            item.setDeadline(s.deadline());
            // the days are counted on this service's calendar: flagged when it lacks a year they cross
            Boolean known = asOf.calendarKnown(s);
            item.setCalendarKnown(s.deadline() == null ? known
                    : !Boolean.FALSE.equals(known) && asOf.calendar().knowsAll(s.deadline(), asOf.date()));
            item.setDaysOverdue((int) t.daysOverdue());
            item.setUrgingCount(t.urgedAsOf().size());
            item.setUrgingLevel(t.urgedAsOf().stream().map(Change::urgingLevel).filter(Objects::nonNull)
                    .max(Integer::compare).orElse(0));
            t.urgedAsOf().stream().map(Change::at).max(Comparator.naturalOrder())
                    .ifPresent(x -> item.setLastUrgedAt(x.atOffset(ZoneOffset.UTC)));
            if (t.extension() != null) {
                item.setExtensionRequestId(t.extension().extensionId());
                item.setExtensionState(OverdueItem.ExtensionStateEnum.fromValue(t.extension().extensionState()));
            }
            overdue.add(item);
        }
        overdue.sort(Comparator.comparing(OverdueItem::getDaysOverdue).reversed()
                .thenComparing(OverdueItem::getMeasureNo).thenComparing(OverdueItem::getUnitCode));
        return overdue;
    }
}
