package cn.beijing.scienceedu.reporting.export;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import cn.beijing.scienceedu.contracts.reporting.model.ActionRow;
import cn.beijing.scienceedu.contracts.reporting.model.Correction;
import cn.beijing.scienceedu.contracts.reporting.model.DistrictKpi;
import cn.beijing.scienceedu.contracts.reporting.model.GoalRow;
import cn.beijing.scienceedu.contracts.reporting.model.JointReport;
import cn.beijing.scienceedu.contracts.reporting.model.KpiRollup;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureRow;
import cn.beijing.scienceedu.contracts.reporting.model.OverdueItem;
import cn.beijing.scienceedu.contracts.reporting.model.ReportSummary;
import cn.beijing.scienceedu.contracts.reporting.model.UnitRow;

/** The joint report as titled tables (one per view), shared by the CSV, XLSX and PDF exports. */
public final class ReportTables {

    /** A view: sheet title, column headers, rows of cells (String or Number). */
    public record Table(String title, List<String> headers, List<List<Object>> rows) {
    }

    private ReportTables() {
    }

    public static String title(JointReport r, boolean en) {
        return en ? "Joint report " + r.getPolicyId() + " " + r.getPeriod()
                : (r.getPolicyTitle() == null ? r.getPolicyId() : r.getPolicyTitle()) + " 联合报告（" + r.getPeriod() + "）";
    }

    public static List<Table> tables(JointReport r, boolean en) {
        List<Table> t = new ArrayList<>();
        ReportSummary s = r.getSummary();
        t.add(new Table(en ? "Summary" : "概览",
                en ? List.of("Item", "Value") : List.of("项目", "数值"),
                List.of(row(en ? "Period" : "报告期", r.getPeriod()),
                        row(en ? "Closed" : "是否关账", r.getClosed() ? (en ? "yes" : "是") : (en ? "no" : "否")),
                        row(en ? "Content hash" : "快照哈希", r.getContentHash() == null ? "" : r.getContentHash()),
                        row(en ? "Tasks" : "任务数", s.getTaskCount()),
                        row(en ? "Signed for" : "已签收", s.getSignedForCount()),
                        row(en ? "Accepted" : "已验收", s.getAcceptedCount()),
                        row(en ? "Overdue" : "逾期", s.getOverdueCount()),
                        row(en ? "Returned" : "退回", s.getReturnedCount()),
                        row(en ? "Urged" : "督办次数", s.getUrgedCount()),
                        row(en ? "Progress reports" : "进展报送", s.getProgressReportCount()),
                        row(en ? "Mean % complete" : "平均完成度(%)", s.getPercentComplete()))));
        java.util.Map<String, String> names = new java.util.HashMap<>();
        for (UnitRow u : r.getUnits()) {
            names.put(u.getUnitCode(), en ? u.getUnitCode() : u.getShortName());
        }
        List<List<Object>> m = new ArrayList<>();
        for (MeasureRow x : r.getMeasures()) {
            m.add(row(x.getMeasureNo(), en && x.getTitleEn() != null ? x.getTitleEn() : x.getTitle(),
                    names.getOrDefault(x.getLeadUnitCode(), x.getLeadUnitCode()),
                    x.getCells() == null ? "" : x.getCells().stream()
                            .map(c -> names.getOrDefault(c.getUnitCode(), c.getUnitCode()) + ":" + status(c.getStatus(), en))
                            .collect(Collectors.joining(" ")),
                    x.getTaskCount(), x.getAcceptedCount(), x.getOverdueCount(), x.getReturnedCount(),
                    x.getPercentComplete(), rating(x.getRating() == null ? null : x.getRating().getValue(), en)));
        }
        t.add(new Table(en ? "By measure" : "按措施",
                en ? List.of("No.", "Measure", "Lead unit", "Units and status", "Tasks", "Accepted", "Overdue",
                        "Returned", "% complete", "Rating")
                        : List.of("序号", "措施", "牵头单位", "责任单位及状态", "任务数", "已验收", "逾期", "退回", "完成度(%)", "评级"),
                m));
        List<List<Object>> a = new ArrayList<>();
        for (ActionRow x : r.getActions()) {
            a.add(row(x.getActionNo(), en && x.getTitleEn() != null ? x.getTitleEn() : x.getTitle(),
                    x.getMeasureNos().stream().map(String::valueOf).collect(Collectors.joining(",")),
                    x.getTaskCount(), x.getAcceptedCount(), x.getOverdueCount(), x.getPercentComplete(),
                    rating(x.getRating().getValue(), en)));
        }
        t.add(new Table(en ? "By action" : "按行动",
                en ? List.of("No.", "Action", "Measures", "Tasks", "Accepted", "Overdue", "% complete", "Rating")
                        : List.of("序号", "行动", "包含措施", "任务数", "已验收", "逾期", "完成度(%)", "评级"),
                a));
        List<List<Object>> u = new ArrayList<>();
        for (UnitRow x : r.getUnits()) {
            u.add(row(x.getUnitCode(), en && x.getNameEn() != null ? x.getNameEn() : x.getShortName(), x.getTaskCount(),
                    x.getLeadCount(), x.getSignedForCount(), x.getSignedForOnTimeCount(), x.getReportedCount(),
                    x.getReportedOnTimeCount(), x.getOverdueCount(), x.getReturnedCount(), x.getAcceptedCount(),
                    x.getUrgedCount()));
        }
        t.add(new Table(en ? "By unit" : "按单位",
                en ? List.of("Code", "Unit", "Tasks", "Lead", "Signed for", "Signed on time", "Reports",
                        "Reports on time", "Overdue", "Returned", "Accepted", "Urged")
                        : List.of("代码", "单位", "任务数", "牵头数", "已签收", "按时签收", "报送次数", "按时报送", "逾期", "退回", "已验收", "督办"),
                u));
        List<List<Object>> g = new ArrayList<>();
        for (GoalRow x : r.getGoals()) {
            g.add(row(x.getGoalNo(), en && x.getNameEn() != null ? x.getNameEn() : x.getName(),
                    x.getActionNos().stream().map(String::valueOf).collect(Collectors.joining(",")),
                    x.getTaskCount(), x.getPercentComplete(), rating(x.getRating().getValue(), en)));
        }
        t.add(new Table(en ? "By goal" : "按目标",
                en ? List.of("No.", "Goal", "Actions", "Tasks", "% complete", "Rating")
                        : List.of("序号", "目标", "对应行动", "任务数", "完成度(%)", "评级"),
                g));
        List<List<Object>> o = new ArrayList<>();
        for (OverdueItem x : r.getOverdue()) {
            o.add(row(x.getTaskId(), x.getMeasureNo(), en ? x.getUnitCode() : x.getUnitShortName(), status(x.getStatus(), en),
                    x.getDeadline() == null ? "" : x.getDeadline().toString(), x.getDaysOverdue(), x.getUrgingLevel(),
                    x.getUrgingCount(), x.getExtensionState() == null ? "" : x.getExtensionState().getValue()));
        }
        t.add(new Table(en ? "Overdue and urging" : "逾期督办",
                en ? List.of("Task", "Measure", "Unit", "Status", "Deadline", "Days overdue", "Urging level",
                        "Urgings", "Extension")
                        : List.of("任务", "措施", "单位", "状态", "截止日期", "逾期天数", "督办级别", "督办次数", "延期申请"),
                o));
        List<List<Object>> k = new ArrayList<>();
        for (KpiRollup x : r.getKpis()) {
            k.add(row(x.getKpiCode(), en && x.getDescriptionEn() != null ? x.getDescriptionEn() : x.getDescription(),
                    x.getLevel().getValue(), x.getUnit(), x.getTarget() == null ? (en ? "tracked" : "跟踪") : x.getTarget(),
                    x.getCityValue() == null ? "" : x.getCityValue(), x.getCityMean() == null ? "" : x.getCityMean(),
                    x.getSchoolCount(), x.getMet() == null ? "" : (x.getMet() ? (en ? "met" : "达标") : (en ? "not met" : "未达标")),
                    x.getDistricts() == null ? "" : x.getDistricts().stream().map(ReportTables::district)
                            .collect(Collectors.joining("; "))));
        }
        t.add(new Table(en ? "KPIs" : "指标",
                en ? List.of("KPI", "Description", "Level", "Unit", "Target", "City value", "City mean", "Schools",
                        "Met", "Districts")
                        : List.of("指标代码", "指标", "层级", "单位", "目标值", "全市值", "全市均值", "报送学校数", "是否达标", "各区"),
                k));
        List<List<Object>> c = new ArrayList<>();
        for (Correction x : r.getCorrections()) {
            c.add(row(x.getCorrectsPeriod(), x.getKind(), x.getTaskId(), x.getReportId() == null ? "" : x.getReportId(),
                    x.getReceivedAt().toString(), x.getNote() == null ? "" : x.getNote()));
        }
        t.add(new Table(en ? "Corrections" : "更正",
                en ? List.of("Corrects period", "Kind", "Task", "Report", "Received", "Note")
                        : List.of("更正期", "类型", "任务", "报送编号", "收到时间", "说明"),
                c));
        return t;
    }

    private static String district(DistrictKpi d) {
        return d.getDistrictName() + "=" + (d.getValue() == null ? "" : d.getValue());
    }

    static String status(String s, boolean en) {
        if (en || s == null) {
            return s == null ? "" : s;
        }
        return switch (s) {
            case "PLANNED" -> "待下发";
            case "DISPATCHED" -> "已下发";
            case "DELIVERED" -> "已送达";
            case "SIGNED_FOR" -> "已签收";
            case "IN_PROGRESS" -> "办理中";
            case "SUBMITTED" -> "已报结";
            case "ACCEPTED" -> "已验收";
            case "RETURNED" -> "已退回";
            case "CANCELLED" -> "已撤销";
            default -> s;
        };
    }

    static String rating(String r, boolean en) {
        if (r == null) {
            return "";
        }
        if (en) {
            return r;
        }
        return switch (r) {
            case "GREEN" -> "绿（正常）";
            case "AMBER" -> "黄（风险）";
            case "RED" -> "红（滞后）";
            default -> "灰（未开始）";
        };
    }

    private static List<Object> row(Object... cells) {
        List<Object> l = new ArrayList<>();
        for (Object c : cells) {
            l.add(c == null ? "" : c);
        }
        return l;
    }
}
