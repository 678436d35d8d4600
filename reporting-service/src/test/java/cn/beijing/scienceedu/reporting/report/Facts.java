package cn.beijing.scienceedu.reporting.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import cn.beijing.scienceedu.contracts.calendar.WorkingDays;
import cn.beijing.scienceedu.contracts.catalogue.model.Action;
import cn.beijing.scienceedu.contracts.catalogue.model.Goal;
import cn.beijing.scienceedu.contracts.catalogue.model.Kpi;
import cn.beijing.scienceedu.contracts.catalogue.model.KpiComparison;
import cn.beijing.scienceedu.contracts.catalogue.model.KpiLevel;
import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Unit;
import cn.beijing.scienceedu.contracts.reporting.model.Evidence;
import cn.beijing.scienceedu.reporting.ReportingProperties;
import cn.beijing.scienceedu.reporting.report.ReportData.Change;
import cn.beijing.scienceedu.reporting.report.ReportData.KpiRow;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;
import cn.beijing.scienceedu.reporting.shared.Period;

/**
 * Small hand-made facts for the joint report's pieces: times are local (Asia/Shanghai) like {@code 2025-03-10T09:00};
 * the calendar is the shipped one (2025 and 2026 known; no holiday in March 2025, 清明 4/4 a holiday).
 */
final class Facts {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final WorkingDays CALENDAR = WorkingDays.standard();
    /** Sign for within 3 days of the dispatch; report within 5 days after the report's own period. */
    static final ReportingProperties.OnTime ON_TIME = new ReportingProperties.OnTime(3, 5);

    private Facts() {
    }

    static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(ZONE).toInstant();
    }

    /** The report of {@code period} as it stands at noon of {@code today}. */
    static AsOf asOf(String period, String today) {
        return AsOf.of(Period.parse(period), ZONE, ON_TIME, CALENDAR, at(today + "T12:00"));
    }

    static C change(String taskId, String kind, long version, String at) {
        return new C(taskId, kind, version, at);
    }

    /** A task change with its snapshot: measure 1, unit U1, lead, IN_PROGRESS unless said. */
    static final class C {
        final String taskId;
        final String kind;
        final long version;
        final Instant at;
        int measureNo = 1;
        String unitCode = "U1";
        String role = "LEAD";
        String status = "IN_PROGRESS";
        LocalDate deadline;
        Integer percent;
        String rating;
        String ratingReason;
        String bureauStatus;
        Integer urgingLevel;
        String extensionId;
        String extensionState;
        Boolean calendarKnown;
        Instant receivedAt;

        C(String taskId, String kind, long version, String at) {
            this.taskId = taskId;
            this.kind = kind;
            this.version = version;
            this.at = at(at);
        }

        C measure(int no) {
            measureNo = no;
            return this;
        }

        C unit(String code, String role) {
            unitCode = code;
            this.role = role;
            return this;
        }

        C status(String s) {
            status = s;
            return this;
        }

        C deadline(String d) {
            deadline = LocalDate.parse(d);
            return this;
        }

        C percent(int p) {
            percent = p;
            return this;
        }

        C rating(String r, String reason) {
            rating = r;
            ratingReason = reason;
            return this;
        }

        C bureauStatus(String s) {
            bureauStatus = s;
            return this;
        }

        C urging(int level) {
            urgingLevel = level;
            return this;
        }

        C extension(String id, String state) {
            extensionId = id;
            extensionState = state;
            return this;
        }

        C calendarKnown(Boolean known) {
            calendarKnown = known;
            return this;
        }

        C received(String local) {
            receivedAt = at(local);
            return this;
        }

        Change build() {
            String eventId = taskId + "-e" + version;
            return new Change(eventId, taskId, kind, version, taskId + "-h" + version, "tester", null, status, null, at,
                    receivedAt != null ? receivedAt : at, "ml-" + eventId, 1, measureNo, unitCode, "U1", role, status,
                    null, deadline, percent, rating, urgingLevel == null ? null : "MANUAL", urgingLevel, extensionId,
                    extensionState, ratingReason, bureauStatus, calendarKnown, null, null, null, null, null, null);
        }
    }

    /** A progress report of {@code period} the hub received at {@code reportedAt}. */
    static Progress progress(String reportId, String taskId, String period, String reportedAt) {
        return progress(reportId, taskId, period, reportedAt, null, null, null, null, null);
    }

    static Progress progress(String reportId, String taskId, String period, String reportedAt, String narrative,
            String problems, String nextSteps, String sentAt, List<Evidence> evidence) {
        return new Progress(reportId, "ev-" + reportId, taskId, 1, "U1", period, "IN_PROGRESS", 50, narrative,
                "ml-" + reportId, "h-" + reportId, at(reportedAt), at(reportedAt), problems, nextSteps,
                narrative == null ? null : "张三", sentAt == null ? null : at(sentAt),
                evidence == null ? List.of() : evidence);
    }

    static Evidence evidence(String name, long size) {
        Evidence e = new Evidence();
        e.setName(name);
        e.setContentType("application/pdf");
        e.setSize(size);
        e.setSha256("0".repeat(64));
        e.setAttachmentId("att-" + name);
        return e;
    }

    /** A KPI value of Q1 2025 at {@code level} (SCHOOL, DISTRICT, CITY). */
    static KpiRow kpiValue(String reportId, String kpi, String level, String district, String school, double value) {
        return kpiValue(reportId, kpi, level, district, school, value, "2025-Q1");
    }

    static KpiRow kpiValue(String reportId, String kpi, String level, String district, String school, double value,
            String period) {
        return new KpiRow(reportId, "T-" + reportId, kpi, value, null, level, district, school, period,
                at("2025-03-01T10:00"), "ml-" + reportId, "ev-" + reportId, "h-" + reportId);
    }

    static ReportData kpiData(List<KpiRow> values, String... districts) {
        Map<String, String> names = new java.util.LinkedHashMap<>();
        Map<String, String> namesEn = new java.util.LinkedHashMap<>();
        for (String d : districts) {
            names.put(d, d + "区");
            namesEn.put(d, d + " District");
        }
        return new ReportData(List.of(), List.of(), values, names, namesEn, Arrays.asList(districts), Set.of());
    }

    static Measure measure(int no, int actionNo, String lead, String... units) {
        Measure m = new Measure();
        m.setNo(no);
        m.setActionNo(actionNo);
        m.setTitle("措施" + no);
        m.setTitleEn("Measure " + no);
        m.setLeadUnitCode(lead);
        m.setUnitCodes(new ArrayList<>(Arrays.asList(units)));
        return m;
    }

    static Unit unit(String code) {
        Unit u = new Unit();
        u.setCode(code);
        u.setShortName(code + "局");
        u.setFullName(code + " 全称");
        u.setNameEn(code + " Bureau");
        return u;
    }

    static Action action(int no, List<Integer> measures, List<Integer> goals) {
        Action a = new Action();
        a.setNo(no);
        a.setTitle("行动" + no);
        a.setMeasureNos(new ArrayList<>(measures));
        a.setGoalNos(new ArrayList<>(goals));
        return a;
    }

    static Goal goal(int no) {
        Goal g = new Goal();
        g.setNo(no);
        g.setName("目标" + no);
        return g;
    }

    static Kpi kpi(String code, String unit, Double target, KpiComparison comparison, KpiLevel level) {
        Kpi k = new Kpi();
        k.setCode(code);
        k.setDescription(code);
        k.setMeasureNo(1);
        k.setUnit(unit);
        k.setTarget(target == null ? null : BigDecimal.valueOf(target));
        k.setComparison(comparison);
        k.setLevel(level);
        return k;
    }
}
