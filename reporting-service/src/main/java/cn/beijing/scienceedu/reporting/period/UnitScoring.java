package cn.beijing.scienceedu.reporting.period;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import cn.beijing.scienceedu.contracts.reporting.model.CircularEntry;
import cn.beijing.scienceedu.contracts.reporting.model.ScoringRule;
import cn.beijing.scienceedu.contracts.reporting.model.UnitRow;

/**
 * The circular's ranking of units (情况通报评分规则): for every unit with tasks,
 * {@code score = base + signForOnTimeWeight × signRate/100 + reportOnTimeWeight × reportRate/100
 * − overduePenalty × overdue − returnedPenalty × returned}, where the sign-for rate is over the unit's tasks and the
 * report rate over its progress reports (0 when it reported nothing); rates and scores rounded to 2 decimals. Best
 * score first; equal scores share the rank of the first of them (1, 2, 2, 4).
 */
final class UnitScoring {

    private UnitScoring() {
    }

    static List<CircularEntry> rank(List<UnitRow> units, ScoringRule rule) {
        List<CircularEntry> entries = new ArrayList<>();
        for (UnitRow u : units) {
            if (u.getTaskCount() == 0) {
                continue;
            }
            CircularEntry e = new CircularEntry();
            e.setUnitCode(u.getUnitCode());
            e.setShortName(u.getShortName());
            e.setTaskCount(u.getTaskCount());
            double signRate = 100.0 * u.getSignedForOnTimeCount() / u.getTaskCount();
            double reportRate = u.getReportedCount() == 0 ? 0 : 100.0 * u.getReportedOnTimeCount() / u.getReportedCount();
            e.setSignForOnTimeRate(round(signRate));
            e.setReportOnTimeRate(round(reportRate));
            e.setOverdueCount(u.getOverdueCount());
            e.setReturnedCount(u.getReturnedCount());
            e.setScore(round(rule.getBase() + rule.getSignForOnTimeWeight() * signRate / 100
                    + rule.getReportOnTimeWeight() * reportRate / 100 - rule.getOverduePenalty() * u.getOverdueCount()
                    - rule.getReturnedPenalty() * u.getReturnedCount()));
            entries.add(e);
        }
        entries.sort(Comparator.comparing(CircularEntry::getScore).reversed());
        for (int i = 0; i < entries.size(); i++) {
            entries.get(i).setRank(i > 0 && entries.get(i).getScore().equals(entries.get(i - 1).getScore())
                    ? entries.get(i - 1).getRank() : i + 1);
        }
        return entries;
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
