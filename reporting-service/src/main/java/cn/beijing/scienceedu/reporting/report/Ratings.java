package cn.beijing.scienceedu.reporting.report;

import java.util.List;

/**
 * The one rating rule, as far as reporting has a part in it. A task's rating is the task-service's (task-api.yaml
 * {@code Rating}, carried with its {@code ratingReason} in every task event, a change with time alone by
 * {@code task.rating-changed}): reporting takes the one of the task's latest event — for a past period, its latest
 * event within the period — and never computes a task's rating itself. An event without one (published before
 * ratings were carried) counts as GREY.
 *
 * <p>Measures, actions, goals and units take the worst rating of their tasks in play: RED over AMBER over GREEN;
 * GREY tasks (cancelled, not yet dispatched) are not in play, so the aggregate is GREY only when all its tasks are
 * GREY, or it has none.
 */
public final class Ratings {

    /** Worst first: the order aggregates pick by. */
    public static final List<String> WORST_FIRST = List.of("RED", "AMBER", "GREEN", "GREY");

    private Ratings() {
    }

    /** The task's own rating as its event carries it (GREY when it carries none or an unknown code). */
    public static String ofTask(String eventRating) {
        return eventRating != null && WORST_FIRST.contains(eventRating) ? eventRating : "GREY";
    }

    /** The aggregate of task ratings: the worst in play; GREY only when all are GREY (or there are none). */
    public static String aggregate(Iterable<String> taskRatings) {
        int worst = WORST_FIRST.size() - 1;
        for (String r : taskRatings) {
            worst = Math.min(worst, WORST_FIRST.indexOf(ofTask(r)));
        }
        return WORST_FIRST.get(worst);
    }

    /** Whether a task of this rating is at risk (AMBER or RED): the circular and the exports list it. */
    public static boolean atRisk(String rating) {
        return "RED".equals(rating) || "AMBER".equals(rating);
    }
}
