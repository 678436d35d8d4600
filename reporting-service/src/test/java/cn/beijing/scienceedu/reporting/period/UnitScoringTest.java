package cn.beijing.scienceedu.reporting.period;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.contracts.reporting.model.CircularEntry;
import cn.beijing.scienceedu.contracts.reporting.model.ScoringRule;
import cn.beijing.scienceedu.contracts.reporting.model.UnitRow;
import cn.beijing.scienceedu.reporting.ReportingProperties;

/** The circular's unit scores and ranks under the default rule 60 + 20 × sign-for rate + 20 × report rate − 2/overdue − 1/return. */
class UnitScoringTest {

    final ScoringRule rule = new ReportingProperties.Circular(null).scoring();

    @Test
    void theDefaultRuleIs60PlusTwoWeightsOf20LessThePenalties() {
        assertThat(rule).isEqualTo(new ScoringRule(60.0, 20.0, 20.0, 2.0, 1.0));
    }

    @Test
    void scoresRatesAndSharedRanks() {
        List<CircularEntry> entries = UnitScoring.rank(List.of(
                // 60 + 20 × 3/4 + 20 × 4/5 − 2 × 1 − 1 × 2 = 60 + 15 + 16 − 2 − 2 = 87
                unit("U1", 4, 3, 5, 4, 1, 2),
                // nothing reported: the report rate is 0 → 60 + 20 = 80
                unit("U2", 2, 2, 0, 0, 0, 0),
                // 60 + 20 × 1/3 + 20 × 3/3 = 86.666… → 86.67
                unit("U3", 3, 1, 3, 3, 0, 0),
                // no tasks: not scored
                unit("U4", 0, 0, 0, 0, 0, 0),
                // the same as U2: the same rank
                unit("U5", 2, 2, 0, 0, 0, 0)), rule);

        assertThat(entries).extracting(CircularEntry::getUnitCode, CircularEntry::getScore, CircularEntry::getRank,
                CircularEntry::getSignForOnTimeRate, CircularEntry::getReportOnTimeRate)
                .containsExactly(
                        tuple("U1", 87.0, 1, 75.0, 80.0),
                        tuple("U3", 86.67, 2, 33.33, 100.0),
                        tuple("U2", 80.0, 3, 100.0, 0.0),
                        tuple("U5", 80.0, 3, 100.0, 0.0));
        assertThat(entries.get(0)).extracting(CircularEntry::getShortName, CircularEntry::getTaskCount,
                CircularEntry::getOverdueCount, CircularEntry::getReturnedCount).containsExactly("U1局", 4, 1, 2);
    }

    @Test
    void aConfiguredRuleWeighsAsConfiguredAndAMissingPartCountsZero() {
        ScoringRule partial = new ScoringRule();
        partial.setBase(100.0);
        partial.setOverduePenalty(10.0);
        ScoringRule configured = new ReportingProperties.Circular(partial).scoring();

        // 100 − 10 × 3, the weights and the return penalty left out
        assertThat(UnitScoring.rank(List.of(unit("U1", 4, 4, 4, 4, 3, 5)), configured))
                .extracting(CircularEntry::getScore).containsExactly(70.0);
    }

    private static UnitRow unit(String code, int tasks, int signedOnTime, int reported, int reportedOnTime, int overdue,
            int returned) {
        UnitRow u = new UnitRow();
        u.setUnitCode(code);
        u.setShortName(code + "局");
        u.setTaskCount(tasks);
        u.setSignedForCount(tasks);
        u.setSignedForOnTimeCount(signedOnTime);
        u.setReportedCount(reported);
        u.setReportedOnTimeCount(reportedOnTime);
        u.setOverdueCount(overdue);
        u.setReturnedCount(returned);
        return u;
    }
}
