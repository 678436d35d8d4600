package cn.beijing.scienceedu.reporting.export;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import cn.beijing.scienceedu.contracts.reporting.model.ActionRow;
import cn.beijing.scienceedu.contracts.reporting.model.Correction;
import cn.beijing.scienceedu.contracts.reporting.model.DistrictKpi;
import cn.beijing.scienceedu.contracts.reporting.model.Evidence;
import cn.beijing.scienceedu.contracts.reporting.model.GoalRow;
import cn.beijing.scienceedu.contracts.reporting.model.JointReport;
import cn.beijing.scienceedu.contracts.reporting.model.KpiRollup;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureRow;
import cn.beijing.scienceedu.contracts.reporting.model.OverdueItem;
import cn.beijing.scienceedu.contracts.reporting.model.ReportSummary;
import cn.beijing.scienceedu.contracts.reporting.model.RiskItem;
import cn.beijing.scienceedu.contracts.reporting.model.UnitRow;
import cn.beijing.scienceedu.reporting.labels.Labels;

/** The joint report as titled tables (one per view), shared by the CSV, XLSX and PDF exports. */
final class ReportTables {

    /** A view: sheet title, column headers, rows of cells (String or Number). */
    public record Table(String title, List<String> headers, List<List<Object>> rows) {
    }

    private ReportTables() {
    }

    public static String title(JointReport r, boolean en) {
        return en ? "Joint report " + r.getPolicyId() + " " + r.getPeriod()
                : (r.getPolicyTitle() == null ? r.getPolicyId() : r.getPolicyTitle()) + " 联合报告（" + r.getPeriod() + "）";
    }

    /** Every view as a table, with every code (status, role, rating, reason, kind) labelled in {@code l}'s language. */
    public static List<Table> tables(JointReport r, Labels.Lang l) {
        boolean en = l.en();
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
        // units by name in the table's language (English: the unit's English name)
        java.util.Map<String, String> names = new java.util.HashMap<>();
        for (UnitRow u : r.getUnits()) {
            names.put(u.getUnitCode(), en ? (u.getNameEn() != null ? u.getNameEn() : u.getUnitCode()) : u.getShortName());
        }
        List<List<Object>> m = new ArrayList<>();
        for (MeasureRow x : r.getMeasures()) {
            m.add(row(x.getMeasureNo(), en && x.getTitleEn() != null ? x.getTitleEn() : x.getTitle(),
                    names.getOrDefault(x.getLeadUnitCode(), x.getLeadUnitCode()),
                    x.getCells() == null ? "" : x.getCells().stream()
                            .map(c -> names.getOrDefault(c.getUnitCode(), c.getUnitCode()) + ": " + l.status(c.getStatus())
                                    + " (" + l.rating(c.getRating() == null ? null : c.getRating().getValue())
                                    + (c.getRatingReason() == null ? "" : ", " + l.reason(c.getRatingReason())) + ")"
                                    + (Boolean.FALSE.equals(c.getCalendarKnown()) ? " " + l.text("calendar.unknown") : ""))
                            .collect(Collectors.joining(en ? "; " : "；")),
                    x.getTaskCount(), x.getAcceptedCount(), x.getOverdueCount(), x.getReturnedCount(),
                    x.getPercentComplete(), l.rating(x.getRating() == null ? null : x.getRating().getValue())));
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
                    l.rating(x.getRating().getValue())));
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
                    x.getTaskCount(), x.getPercentComplete(), l.rating(x.getRating().getValue())));
        }
        t.add(new Table(en ? "By goal" : "按目标",
                en ? List.of("No.", "Goal", "Actions", "Tasks", "% complete", "Rating")
                        : List.of("序号", "目标", "对应行动", "任务数", "完成度(%)", "评级"),
                g));
        List<List<Object>> o = new ArrayList<>();
        for (OverdueItem x : r.getOverdue()) {
            o.add(row(x.getTaskId(), x.getMeasureNo(), names.getOrDefault(x.getUnitCode(), x.getUnitShortName()),
                    l.role(x.getRole()), l.status(x.getStatus()),
                    (x.getDeadline() == null ? "" : x.getDeadline().toString())
                            + (Boolean.FALSE.equals(x.getCalendarKnown()) ? " " + l.text("calendar.unknown") : ""),
                    x.getDaysOverdue(), x.getUrgingLevel(),
                    x.getUrgingCount(), x.getExtensionState() == null ? "" : l.extension(x.getExtensionState().getValue())));
        }
        t.add(new Table(en ? "Overdue and urging" : "逾期督办",
                en ? List.of("Task", "Measure", "Unit", "Role", "Status", "Deadline", "Days overdue", "Urging level",
                        "Urgings", "Extension")
                        : List.of("任务", "措施", "单位", "角色", "状态", "截止日期", "逾期天数", "督办级别", "督办次数", "延期申请"),
                o));
        t.add(atRisk(r, l, names));
        List<List<Object>> k = new ArrayList<>();
        for (KpiRollup x : r.getKpis()) {
            k.add(row(x.getKpiCode(), en && x.getDescriptionEn() != null ? x.getDescriptionEn() : x.getDescription(),
                    l.kpiLevel(x.getLevel().getValue()), x.getUnit(), x.getTarget() == null ? (en ? "tracked" : "跟踪") : x.getTarget(),
                    x.getCityValue() == null ? "" : x.getCityValue(), x.getCityMean() == null ? "" : x.getCityMean(),
                    x.getSchoolCount(), x.getMet() == null ? "" : (x.getMet() ? (en ? "met" : "达标") : (en ? "not met" : "未达标")),
                    x.getDistricts() == null ? "" : x.getDistricts().stream().map(d -> district(d, en))
                            .collect(Collectors.joining("; "))));
        }
        t.add(new Table(en ? "KPIs" : "指标",
                en ? List.of("KPI", "Description", "Level", "Unit", "Target", "City value", "City mean", "Schools",
                        "Met", "Districts")
                        : List.of("指标代码", "指标", "层级", "单位", "目标值", "全市值", "全市均值", "报送学校数", "是否达标", "各区"),
                k));
        List<List<Object>> c = new ArrayList<>();
        for (Correction x : r.getCorrections()) {
            c.add(row(x.getCorrectsPeriod(), l.event(x.getKind()), x.getTaskId(), x.getReportId() == null ? "" : x.getReportId(),
                    x.getReceivedAt().toString(), x.getNote() == null ? "" : x.getNote()));
        }
        t.add(new Table(en ? "Corrections" : "更正",
                en ? List.of("Corrects period", "Kind", "Task", "Report", "Received", "Note")
                        : List.of("更正期", "类型", "任务", "报送编号", "收到时间", "说明"),
                c));
        return t;
    }

    /**
     * Tasks rated AMBER or RED with what their bureau said in the latest report of the period (存在问题, 下一步计划,
     * 自评, 佐证材料: name, size, SHA-256).
     */
    static Table atRisk(JointReport r, Labels.Lang l, java.util.Map<String, String> names) {
        boolean en = l.en();
        List<List<Object>> rows = new ArrayList<>();
        for (RiskItem x : r.getAtRisk() == null ? List.<RiskItem>of() : r.getAtRisk()) {
            rows.add(row(x.getTaskId(), x.getMeasureNo(), names.getOrDefault(x.getUnitCode(), x.getUnitShortName()),
                    l.status(x.getStatus()), x.getPercentComplete(),
                    (x.getDeadline() == null ? "" : x.getDeadline().toString())
                            + (Boolean.FALSE.equals(x.getCalendarKnown()) ? " " + l.text("calendar.unknown") : ""),
                    l.rating(x.getRating().getValue()), l.reason(x.getRatingReason()), l.reportStatus(x.getBureauStatus()),
                    x.getProblems(), x.getNextSteps(), x.getReporter(),
                    x.getReportedAt() == null ? "" : x.getReportedAt().toString(), evidence(x.getEvidence())));
        }
        return new Table(en ? "At risk" : "风险任务",
                en ? List.of("Task", "Measure", "Unit", "Status", "% complete", "Deadline", "Rating", "Why",
                        "Bureau's status", "Problems", "Next steps", "Reporter", "Reported at", "Evidence")
                        : List.of("任务", "措施", "单位", "状态", "完成度(%)", "截止日期", "评级", "评级依据", "自评状态", "存在问题",
                                "下一步计划", "填报人", "报送时间", "佐证材料"),
                rows);
    }

    /** Evidence as {@code name (size B, sha256 …)}, one per line. */
    static String evidence(List<Evidence> evidence) {
        if (evidence == null || evidence.isEmpty()) {
            return "";
        }
        return evidence.stream().map(e -> e.getName() + " (" + e.getSize() + " B, sha256 " + e.getSha256() + ")")
                .collect(Collectors.joining("\n"));
    }

    private static String district(DistrictKpi d, boolean en) {
        String name = en && d.getDistrictNameEn() != null ? d.getDistrictNameEn() : d.getDistrictName();
        return name + "=" + (d.getValue() == null ? "" : d.getValue());
    }

    private static List<Object> row(Object... cells) {
        List<Object> l = new ArrayList<>();
        for (Object c : cells) {
            l.add(c == null ? "" : c);
        }
        return l;
    }
}
