package cn.beijing.scienceedu.reporting.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import cn.beijing.scienceedu.contracts.catalogue.model.Action;
import cn.beijing.scienceedu.contracts.catalogue.model.Goal;
import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Unit;
import cn.beijing.scienceedu.contracts.reporting.model.ActionRow;
import cn.beijing.scienceedu.contracts.reporting.model.GoalRow;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureRow;
import cn.beijing.scienceedu.contracts.reporting.model.UnitCell;
import cn.beijing.scienceedu.contracts.reporting.model.UnitRow;
import cn.beijing.scienceedu.reporting.report.ReportData.Change;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;

/**
 * The report's roll-ups of its tasks by measure, action, goal and unit. Each level counts its tasks, their accepted
 * and overdue ones, and takes the mean of their percent complete (rounded to a whole percent; 0 without tasks) and
 * the worst of their ratings ({@link Ratings#aggregate}); every figure is recorded with its sources.
 */
final class Rollups {

    private Rollups() {
    }

    /** By measure: the lead unit's view combining its cooperating units, one cell per unit with a task. */
    static List<MeasureRow> measures(List<Measure> measures, Collection<TaskAsOf> tasks, AsOf asOf,
            FigureSources figures) {
        List<MeasureRow> out = new ArrayList<>();
        for (Measure m : measures) {
            List<TaskAsOf> mt = tasks.stream().filter(t -> t.state().measureNo() == m.getNo()).toList();
            MeasureRow row = new MeasureRow();
            row.setMeasureNo(m.getNo());
            row.setActionNo(m.getActionNo());
            row.setTitle(m.getTitle());
            row.setTitleEn(m.getTitleEn());
            row.setLeadUnitCode(m.getLeadUnitCode());
            counts(mt, row::setTaskCount, row::setAcceptedCount, row::setOverdueCount);
            row.setReturnedCount(mt.stream().mapToInt(t -> t.returnedInPeriod().size()).sum());
            row.setProgressReportCount(mt.stream().mapToInt(t -> t.reportsInPeriod().size()).sum());
            row.setPercentComplete(mean(mt));
            row.setRating(MeasureRow.RatingEnum.fromValue(worst(mt)));
            for (String unitCode : m.getUnitCodes()) {
                TaskAsOf t = mt.stream().filter(x -> x.state().unitCode().equals(unitCode)).findFirst().orElse(null);
                if (t == null) {
                    continue;
                }
                UnitCell cell = new UnitCell();
                cell.setUnitCode(unitCode);
                cell.setTaskId(t.taskId());
                cell.setRole(UnitCell.RoleEnum.fromValue(unitCode.equals(m.getLeadUnitCode()) ? "LEAD" : "COOPERATING"));
                cell.setStatus(t.state().status());
                cell.setPercentComplete(t.percent());
                cell.setRating(UnitCell.RatingEnum.fromValue(t.rating()));
                cell.setRatingReason(t.state().ratingReason());
                cell.setBureauStatus(t.state().bureauStatus());
                cell.setCalendarKnown(asOf.calendarKnown(t.state()));
                cell.setOverdue(t.overdue());
                cell.setDeadline(t.state().deadline());
                row.addCellsItem(cell);
            }
            mt.stream().filter(t -> m.getLeadUnitCode().equals(t.state().unitCode()))
                    .flatMap(t -> t.reportsInPeriod().stream())
                    .max(Comparator.comparing(Progress::reportedAt))
                    .ifPresent(p -> row.setLatestNarrative(p.narrative()));
            String fid = "measure:" + m.getNo();
            row.setFigureId(fid);
            figures.tasks(fid, mt, row.getPercentComplete());
            figures.tasks(fid + ":percentComplete", mt, row.getPercentComplete());
            figures.tasks(fid + ":overdue", mt.stream().filter(TaskAsOf::overdue).toList(), row.getOverdueCount());
            out.add(row);
        }
        return out;
    }

    /** By action: the tasks of its measures. */
    static List<ActionRow> actions(List<Action> actions, Collection<TaskAsOf> tasks, FigureSources figures) {
        List<ActionRow> out = new ArrayList<>();
        for (Action a : actions) {
            List<TaskAsOf> at = tasks.stream().filter(t -> a.getMeasureNos().contains(t.state().measureNo())).toList();
            ActionRow row = new ActionRow();
            row.setActionNo(a.getNo());
            row.setTitle(a.getTitle());
            row.setTitleEn(a.getTitleEn());
            row.setMeasureNos(new ArrayList<>(a.getMeasureNos()));
            row.setGoalNos(new ArrayList<>(a.getGoalNos()));
            counts(at, row::setTaskCount, row::setAcceptedCount, row::setOverdueCount);
            row.setPercentComplete(mean(at));
            row.setRating(ActionRow.RatingEnum.fromValue(worst(at)));
            row.setFigureId("action:" + a.getNo());
            figures.tasks(row.getFigureId(), at, row.getPercentComplete());
            out.add(row);
        }
        return out;
    }

    /** By goal, where the catalogue maps actions to goals: the tasks of the measures of its actions. */
    static List<GoalRow> goals(List<Goal> goals, List<Action> actions, Collection<TaskAsOf> tasks,
            FigureSources figures) {
        List<GoalRow> out = new ArrayList<>();
        for (Goal g : goals) {
            List<Integer> actionNos = actions.stream().filter(a -> a.getGoalNos().contains(g.getNo()))
                    .map(Action::getNo).toList();
            Set<Integer> measureNos = actions.stream().filter(a -> actionNos.contains(a.getNo()))
                    .flatMap(a -> a.getMeasureNos().stream()).collect(Collectors.toSet());
            List<TaskAsOf> gt = tasks.stream().filter(t -> measureNos.contains(t.state().measureNo())).toList();
            GoalRow row = new GoalRow();
            row.setGoalNo(g.getNo());
            row.setName(g.getName());
            row.setNameEn(g.getNameEn());
            row.setActionNos(new ArrayList<>(actionNos));
            row.setTaskCount(gt.size());
            row.setPercentComplete(mean(gt));
            row.setRating(GoalRow.RatingEnum.fromValue(worst(gt)));
            row.setFigureId("goal:" + g.getNo());
            figures.tasks(row.getFigureId(), gt, row.getPercentComplete());
            out.add(row);
        }
        return out;
    }

    /**
     * By unit: workload (tasks, lead tasks), sign-fors and how many on time, progress reports of the period and how
     * many on time ({@link AsOf#reportedOnTime}), overdue, returned, accepted and urged.
     */
    static List<UnitRow> units(Collection<Unit> units, Collection<TaskAsOf> tasks, AsOf asOf, FigureSources figures) {
        List<UnitRow> out = new ArrayList<>();
        for (Unit u : units) {
            List<TaskAsOf> ut = tasks.stream().filter(t -> u.getCode().equals(t.state().unitCode())).toList();
            UnitRow row = new UnitRow();
            row.setUnitCode(u.getCode());
            row.setShortName(u.getShortName());
            row.setFullName(u.getFullName());
            row.setNameEn(u.getNameEn());
            row.setTaskCount(ut.size());
            row.setLeadCount((int) ut.stream().filter(t -> "LEAD".equals(t.state().role())).count());
            List<TaskAsOf> signed = ut.stream().filter(t -> t.signedFor() != null).toList();
            row.setSignedForCount(signed.size());
            row.setSignedForOnTimeCount((int) signed.stream().filter(TaskAsOf::signedForOnTime).count());
            List<Progress> reports = ut.stream().flatMap(t -> t.reportsInPeriod().stream()).toList();
            row.setReportedCount(reports.size());
            row.setReportedOnTimeCount((int) reports.stream().filter(asOf::reportedOnTime).count());
            List<TaskAsOf> overdue = ut.stream().filter(TaskAsOf::overdue).toList();
            row.setOverdueCount(overdue.size());
            List<Change> returned = ut.stream().flatMap(t -> t.returnedInPeriod().stream()).toList();
            row.setReturnedCount(returned.size());
            row.setAcceptedCount((int) ut.stream().filter(t -> "ACCEPTED".equals(t.state().status())).count());
            List<Change> urged = ut.stream().flatMap(t -> t.urgedInPeriod().stream()).toList();
            row.setUrgedCount(urged.size());
            row.setPercentComplete(mean(ut));
            String fid = "unit:" + u.getCode();
            row.setFigureId(fid);
            figures.tasks(fid, ut, row.getPercentComplete());
            figures.changes(fid + ":signedFor", signed.stream().map(TaskAsOf::signedFor).toList(),
                    row.getSignedForCount());
            figures.reports(fid + ":reported", reports, row.getReportedCount());
            figures.tasks(fid + ":overdue", overdue, row.getOverdueCount());
            figures.changes(fid + ":returned", returned, row.getReturnedCount());
            figures.changes(fid + ":urged", urged, row.getUrgedCount());
            out.add(row);
        }
        return out;
    }

    /** The mean percent complete of the tasks, rounded to a whole percent (half up); 0 without tasks. */
    static int mean(Collection<TaskAsOf> tasks) {
        if (tasks.isEmpty()) {
            return 0;
        }
        return (int) Math.round(tasks.stream().mapToInt(TaskAsOf::percent).average().orElse(0));
    }

    static String worst(Collection<TaskAsOf> tasks) {
        return Ratings.aggregate(tasks.stream().map(TaskAsOf::rating).toList());
    }

    private static void counts(List<TaskAsOf> tasks, Consumer<Integer> count, Consumer<Integer> accepted,
            Consumer<Integer> overdue) {
        count.accept(tasks.size());
        accepted.accept((int) tasks.stream().filter(t -> "ACCEPTED".equals(t.state().status())).count());
        overdue.accept((int) tasks.stream().filter(TaskAsOf::overdue).count());
    }
}
