package cn.beijing.scienceedu.reporting.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cn.beijing.scienceedu.contracts.catalogue.model.Kpi;
import cn.beijing.scienceedu.contracts.reporting.model.DistrictKpi;
import cn.beijing.scienceedu.contracts.reporting.model.KpiRollup;
import cn.beijing.scienceedu.reporting.report.ReportData.KpiRow;

/**
 * KPI roll-ups: school → district → city, from the KPI values whose own period lies within the report's.
 *
 * <p>Per KPI the latest value counts per school, per district and for the city (the rows come in report order). A
 * district shows the {@code mean} of its schools' values (the mean for a {@code percent} KPI, else the sum) and a
 * {@code value}: the district's own value when it reported one; else, for a school-level KPI with a target, the share
 * of its schools meeting the target (percent); else the mean. It is {@code met} when that share is 100 % (school-level
 * KPI without a district value), else when the value meets the target. The city likewise: its own value; else from
 * the schools (mean, or the share meeting the target); else the aggregate of the district values. A KPI without a
 * target, or {@code TRACKED}, is tracked only (never met or missed). Figures are rounded to 2 decimals.
 */
final class KpiRollups {

    private KpiRollups() {
    }

    static List<KpiRollup> of(List<Kpi> kpis, ReportData data, AsOf asOf, FigureSources figures) {
        List<KpiRow> inPeriod = data.kpiValues().stream().filter(k -> asOf.counts(k.period())).toList();
        List<KpiRollup> out = new ArrayList<>();
        for (Kpi kpi : kpis) {
            List<KpiRow> rows = inPeriod.stream().filter(k -> kpi.getCode().equals(k.kpiCode())).toList();
            out.add(rollup(kpi, rows, data, figures));
        }
        return out;
    }

    /** One KPI from its values in the period. */
    static KpiRollup rollup(Kpi kpi, List<KpiRow> rows, ReportData data, FigureSources figures) {
        boolean percent = "percent".equals(kpi.getUnit());
        Double target = kpi.getTarget() == null ? null : kpi.getTarget().doubleValue();
        String comparison = kpi.getComparison().getValue();
        boolean tracked = target == null || "TRACKED".equals(comparison);
        boolean schoolLevel = "SCHOOL".equals(kpi.getLevel().getValue());
        // latest value per school, per district, for the city
        Map<String, KpiRow> bySchool = new LinkedHashMap<>();
        Map<String, KpiRow> byDistrict = new LinkedHashMap<>();
        KpiRow city = null;
        for (KpiRow r : rows) {
            switch (r.level()) {
                case "SCHOOL" -> {
                    if (r.schoolCode() != null) {
                        bySchool.put(r.schoolCode(), r);
                    }
                }
                case "DISTRICT" -> {
                    if (r.districtCode() != null) {
                        byDistrict.put(r.districtCode(), r);
                    }
                }
                default -> city = r;
            }
        }
        Map<String, List<KpiRow>> schoolsByDistrict = new LinkedHashMap<>();
        for (KpiRow r : bySchool.values()) {
            String d = r.districtCode();
            schoolsByDistrict.computeIfAbsent(d == null ? "UNKNOWN" : d, k -> new ArrayList<>()).add(r);
        }
        KpiRollup roll = new KpiRollup();
        roll.setKpiCode(kpi.getCode());
        roll.setDescription(kpi.getDescription());
        roll.setDescriptionEn(kpi.getDescriptionEn());
        roll.setMeasureNo(kpi.getMeasureNo());
        roll.setUnit(kpi.getUnit());
        roll.setComparison(KpiRollup.ComparisonEnum.fromValue(comparison));
        roll.setLevel(KpiRollup.LevelEnum.fromValue(kpi.getLevel().getValue()));
        roll.setTarget(target);
        roll.setTracked(tracked);
        roll.setSchoolCount(bySchool.size());
        String fid = "kpi:" + kpi.getCode();
        roll.setFigureId(fid + ":city");

        // the register's districts in its order, then any other district a value names
        List<String> districtCodes = new ArrayList<>(data.districtOrder());
        schoolsByDistrict.keySet().stream().filter(d -> !districtCodes.contains(d)).forEach(districtCodes::add);
        byDistrict.keySet().stream().filter(d -> !districtCodes.contains(d)).forEach(districtCodes::add);
        List<Double> districtValues = new ArrayList<>();
        for (String d : districtCodes) {
            List<KpiRow> schools = schoolsByDistrict.getOrDefault(d, List.of());
            KpiRow dv = byDistrict.get(d);
            if (schools.isEmpty() && dv == null) {
                continue;
            }
            DistrictKpi dk = new DistrictKpi();
            dk.setDistrictCode(d);
            dk.setDistrictName(data.districtNames().getOrDefault(d, d));
            dk.setDistrictNameEn(data.districtNamesEn().get(d));
            dk.setSchoolCount(schools.size());
            List<KpiRow> used = new ArrayList<>(schools);
            if (!schools.isEmpty()) {
                dk.setMean(round(aggregate(schools.stream().map(KpiRow::value).toList(), percent)));
            }
            if (dv != null) {
                dk.setValue(round(dv.value()));
                used = List.of(dv);
            } else if (!tracked && schoolLevel) {
                dk.setValue(round(share(schools, target, comparison)));
            } else {
                dk.setValue(dk.getMean());
            }
            if (!tracked) {
                dk.setMet(schoolLevel && dv == null
                        ? dk.getValue() >= 100.0 - 1e-9
                        : compare(dk.getValue(), target, comparison));
            }
            dk.setFigureId(fid + ":district:" + d);
            figures.kpis(dk.getFigureId(), used, dk.getValue());
            districtValues.add(dk.getValue());
            roll.addDistrictsItem(dk);
        }
        List<KpiRow> cityUsed;
        if (city != null) {
            roll.setCityValue(round(city.value()));
            roll.setCityMean(round(city.value()));
            cityUsed = List.of(city);
        } else if (!bySchool.isEmpty()) {
            roll.setCityMean(round(aggregate(bySchool.values().stream().map(KpiRow::value).toList(), percent)));
            roll.setCityValue(!tracked && schoolLevel
                    ? round(share(List.copyOf(bySchool.values()), target, comparison))
                    : roll.getCityMean());
            cityUsed = new ArrayList<>(bySchool.values());
            cityUsed.addAll(byDistrict.values());
        } else if (!byDistrict.isEmpty()) {
            roll.setCityValue(round(aggregate(districtValues, percent)));
            roll.setCityMean(roll.getCityValue());
            cityUsed = List.copyOf(byDistrict.values());
        } else {
            cityUsed = List.of();
        }
        if (!tracked && roll.getCityValue() != null) {
            roll.setMet(city == null && !bySchool.isEmpty() && schoolLevel
                    ? roll.getCityValue() >= 100.0 - 1e-9
                    : compare(roll.getCityValue(), target, comparison));
        }
        figures.kpis(roll.getFigureId(), cityUsed, roll.getCityValue());
        return roll;
    }

    /** The mean of the values for a {@code percent} KPI, else their sum. */
    static double aggregate(List<Double> values, boolean percent) {
        double sum = values.stream().mapToDouble(Double::doubleValue).sum();
        return percent ? sum / values.size() : sum;
    }

    /** Percent of schools whose value meets the target. */
    static double share(List<KpiRow> schools, double target, String comparison) {
        if (schools.isEmpty()) {
            return 0;
        }
        long meeting = schools.stream().filter(r -> compare(r.value(), target, comparison)).count();
        return 100.0 * meeting / schools.size();
    }

    /** Whether {@code value} meets {@code target} by {@code comparison} (AT_LEAST, AT_MOST, EQUALS; within 1e-9). */
    static boolean compare(double value, double target, String comparison) {
        return switch (comparison) {
            case "AT_MOST" -> value <= target + 1e-9;
            case "EQUALS" -> Math.abs(value - target) < 1e-9;
            default -> value >= target - 1e-9;
        };
    }

    static Double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
