package cn.beijing.scienceedu.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.reporting.report.Ratings;

/**
 * The aggregation of the one rating rule (plain JUnit, no Spring): measures, actions, goals and units take the worst
 * task rating in play (RED > AMBER > GREEN); GREY only when all their tasks are GREY; a task's own rating is the
 * task-service's, taken as it is.
 */
class RatingsTest {

    @Test
    void theWorstRatingInPlayWins() {
        assertThat(Ratings.aggregate(List.of("GREEN", "AMBER", "GREEN"))).isEqualTo("AMBER");
        assertThat(Ratings.aggregate(List.of("GREEN", "AMBER", "RED"))).isEqualTo("RED");
        assertThat(Ratings.aggregate(List.of("RED", "GREY"))).isEqualTo("RED");
        assertThat(Ratings.aggregate(List.of("GREEN"))).isEqualTo("GREEN");
    }

    @Test
    void greyTasksAreNotInPlay() {
        // a cancelled or not yet dispatched task does not make its measure grey, nor better
        assertThat(Ratings.aggregate(List.of("GREY", "GREEN", "GREY"))).isEqualTo("GREEN");
        assertThat(Ratings.aggregate(List.of("GREY", "AMBER"))).isEqualTo("AMBER");
        // GREY only when all are GREY, or there are none
        assertThat(Ratings.aggregate(List.of("GREY", "GREY"))).isEqualTo("GREY");
        assertThat(Ratings.aggregate(List.of())).isEqualTo("GREY");
    }

    @Test
    void everyCombinationOfTwoIsTheWorseOfTheTwoInPlay() {
        List<String> order = List.of("RED", "AMBER", "GREEN", "GREY");
        for (String a : order) {
            for (String b : order) {
                String expected = order.get(Math.min(order.indexOf(a), order.indexOf(b)));
                assertThat(Ratings.aggregate(List.of(a, b))).as(a + " + " + b).isEqualTo(expected);
            }
        }
    }

    @Test
    void aTasksRatingIsTheOneItsEventCarries() {
        assertThat(Ratings.ofTask("AMBER")).isEqualTo("AMBER");
        assertThat(Ratings.ofTask("GREY")).isEqualTo("GREY");
        // an event from before ratings were carried, or a code this service does not know: not in play
        assertThat(Ratings.ofTask(null)).isEqualTo("GREY");
        assertThat(Ratings.ofTask("PURPLE")).isEqualTo("GREY");
        assertThat(Ratings.aggregate(Arrays.asList(null, "GREEN"))).isEqualTo("GREEN");
        assertThat(Ratings.atRisk("RED")).isTrue();
        assertThat(Ratings.atRisk("AMBER")).isTrue();
        assertThat(Ratings.atRisk("GREEN")).isFalse();
        assertThat(Ratings.atRisk("GREY")).isFalse();
    }
}
