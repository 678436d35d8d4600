package cn.beijing.scienceedu.reporting.dashboard;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.contracts.catalogue.model.Unit;
import cn.beijing.scienceedu.contracts.reporting.model.JointReport;
import cn.beijing.scienceedu.contracts.reporting.model.MeasureRow;
import cn.beijing.scienceedu.contracts.reporting.model.UnitCell;
import cn.beijing.scienceedu.contracts.events.TaskStatus;
import cn.beijing.scienceedu.reporting.ReportingProperties;
import cn.beijing.scienceedu.reporting.export.ReportExporter;
import cn.beijing.scienceedu.reporting.period.PeriodClosing;
import cn.beijing.scienceedu.reporting.labels.Labels;
import cn.beijing.scienceedu.reporting.report.Ratings;
import cn.beijing.scienceedu.reporting.report.JointReportService;
import cn.beijing.scienceedu.reporting.shared.Period;
import cn.beijing.scienceedu.reporting.web.Caller;
import tools.jackson.databind.json.JsonMapper;

/**
 * The liaisons' dashboard (联络员工作台): server-rendered pages, ECharts from its webjar, zh-CN by
 * default. Reached through the gateway, which relays the signed-in user's token; liaison actions call
 * the task API at {@code hub.reporting.dashboard.task-api-base} (empty: same origin, the gateway).
 */
@Controller
class DashboardController {

    private final JointReportService reports;
    private final ReportingProperties properties;
    private final Labels labels;
    private final PeriodClosing closing;
    private final ReportExporter exporter;
    private final JsonMapper json = JsonMapper.builder().build();

    public DashboardController(JointReportService reports, ReportingProperties properties, Labels labels,
            PeriodClosing closing, ReportExporter exporter) {
        this.reports = reports;
        this.properties = properties;
        this.labels = labels;
        this.closing = closing;
        this.exporter = exporter;
    }

    @GetMapping({"/", "/dashboard"})
    public String dashboard(@RequestParam(required = false) String policy,
            @RequestParam(required = false) String period, Model model) {
        String policyId = policy != null ? policy : properties.defaultPolicy();
        String periodId = period != null && Period.isValid(period) ? period
                : String.valueOf(LocalDate.now(properties.zoneId()).getYear());
        Policy p = reports.policy(policyId, Caller.token());
        JointReport report = reports.report(policyId, periodId, Caller.token());
        Map<String, UnitCell> cells = new HashMap<>();
        for (MeasureRow m : report.getMeasures()) {
            if (m.getCells() != null) {
                for (UnitCell c : m.getCells()) {
                    cells.put(m.getMeasureNo() + ":" + c.getUnitCode(), c);
                }
            }
        }
        java.util.Set<String> responsible = new java.util.HashSet<>();
        p.getMeasures().forEach(m -> m.getUnitCodes().forEach(u -> responsible.add(m.getNo() + ":" + u)));
        common(model, policyId, periodId);
        model.addAttribute("responsible", responsible);
        model.addAttribute("policy", p);
        model.addAttribute("units", p.getUnits());
        // the overdue list names units in the page's language (English: the unit's English name)
        model.addAttribute("unitNames", unitNames(p));
        // the heat map's narrow columns: a short English name (the full one is the column's tooltip)
        Map<String, String> shortEn = new HashMap<>();
        p.getUnits().forEach(u -> shortEn.put(u.getCode(), shortEnglish(u.getNameEn(), u.getCode())));
        model.addAttribute("unitShortEn", shortEn);
        model.addAttribute("report", report);
        model.addAttribute("cells", cells);
        model.addAttribute("kpiJson", json.writeValueAsString(report.getKpis()));
        // the labels the live refresh writes into the heat map's cells (no raw codes there either)
        Labels.Lang l = labels.lang(LocaleContextHolder.getLocale());
        Map<String, Map<String, String>> codes = new java.util.LinkedHashMap<>();
        codes.put("status", new java.util.LinkedHashMap<>());
        for (TaskStatus st : TaskStatus.values()) {
            codes.get("status").put(st.value(), l.status(st.value()));
        }
        codes.put("rating", new java.util.LinkedHashMap<>());
        for (String r : Ratings.WORST_FIRST) {
            codes.get("rating").put(r, l.rating(r));
        }
        model.addAttribute("labelsJson", json.writeValueAsString(codes));
        return "dashboard";
    }

    @GetMapping("/dashboard/measures/{measureNo}")
    public String measure(@PathVariable int measureNo, @RequestParam(required = false) String policy,
            @RequestParam(required = false) String period, Model model) {
        String policyId = policy != null ? policy : properties.defaultPolicy();
        String periodId = period != null && Period.isValid(period) ? period
                : String.valueOf(LocalDate.now(properties.zoneId()).getYear());
        common(model, policyId, periodId);
        model.addAttribute("detail", reports.measure(policyId, periodId, measureNo, Caller.token()));
        model.addAttribute("unitNames", unitNames(reports.policy(policyId, Caller.token())));
        return "measure";
    }

    @GetMapping("/dashboard/tasks/{taskId}")
    public String task(@PathVariable String taskId, @RequestParam(required = false) String policy,
            @RequestParam(required = false) String period, Model model) {
        String policyId = policy != null ? policy : properties.defaultPolicy();
        String periodId = period != null && Period.isValid(period) ? period
                : String.valueOf(LocalDate.now(properties.zoneId()).getYear());
        common(model, policyId, periodId);
        model.addAttribute("task", reports.task(taskId));
        Policy p = reports.policy(policyId, Caller.token());
        model.addAttribute("unitNames", unitNames(p));
        boolean en = "en".equals(LocaleContextHolder.getLocale().getLanguage());
        Map<String, String> kpiNames = new HashMap<>();
        p.getKpis().forEach(k -> kpiNames.put(k.getCode(),
                en && k.getDescriptionEn() != null ? k.getDescriptionEn() : k.getDescription()));
        model.addAttribute("kpiNames", kpiNames);
        return "task";
    }

    private void common(Model model, String policyId, String periodId) {
        model.addAttribute("policyId", policyId);
        model.addAttribute("period", periodId);
        model.addAttribute("periods", periods(periodId));
        model.addAttribute("taskApiBase", properties.dashboard().taskApiBase());
        model.addAttribute("refreshSeconds", properties.dashboard().refreshSeconds());
        // the header offers each export only where it works: the circular of a closed period (正式) or the draft of an
        // open one (草稿), PDF only with a CJK font installed
        model.addAttribute("closed", closing.isClosed(policyId, periodId));
        model.addAttribute("pdfAvailable", exporter.pdfAvailable());
        var attrs = (org.springframework.web.context.request.ServletRequestAttributes)
                org.springframework.web.context.request.RequestContextHolder.getRequestAttributes();
        model.addAttribute("selfPath", attrs == null ? "/dashboard" : attrs.getRequest().getServletPath());
        Locale l = LocaleContextHolder.getLocale();
        model.addAttribute("en", "en".equals(l.getLanguage()));
        // every code on the pages is shown by its label (contracts' i18n/enums*.properties)
        model.addAttribute("l", labels.lang(l));
    }

    /**
     * "Beijing Municipal Education Commission" → "Education Commission": the English name without the city, the
     * party committee it belongs to, a second name after " / " or a parenthesis (what the Chinese short names leave
     * out as well).
     */
    static String shortEnglish(String nameEn, String code) {
        if (nameEn == null || nameEn.isBlank()) {
            return code;
        }
        String s = nameEn;
        for (String cut : List.of(" (", " / ")) {
            int i = s.indexOf(cut);
            if (i > 0) {
                s = s.substring(0, i);
            }
        }
        s = s.replace(" of the CPC Beijing Municipal Committee", "");
        for (String prefix : List.of("Beijing Municipal ", "Beijing ")) {
            if (s.startsWith(prefix)) {
                s = s.substring(prefix.length());
                break;
            }
        }
        return s.isBlank() ? code : s;
    }

    private static Map<String, String> unitNames(Policy p) {
        Map<String, String> m = new HashMap<>();
        boolean en = "en".equals(LocaleContextHolder.getLocale().getLanguage());
        for (Unit u : p.getUnits()) {
            m.put(u.getCode(), en && u.getNameEn() != null ? u.getNameEn() : u.getShortName());
        }
        return m;
    }

    /** The selected period's year, its quarters and months, and the neighbouring years. */
    static List<String> periods(String selected) {
        int year = Period.parse(selected).start().getYear();
        List<String> out = new ArrayList<>();
        for (int y = year - 1; y <= year + 1; y++) {
            out.add(String.valueOf(y));
        }
        for (int q = 1; q <= 4; q++) {
            out.add(year + "-Q" + q);
        }
        for (int m = 1; m <= 12; m++) {
            out.add(String.format("%d-%02d", year, m));
        }
        return out;
    }
}
