package cn.beijing.scienceedu.reporting.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import cn.beijing.scienceedu.reporting.report.ReportData.Change;
import cn.beijing.scienceedu.reporting.report.ReportData.Progress;

/**
 * A task as of the report's date, with what happened to it.
 *
 * <p>Rules: a task's state is its latest change (by version, then time) before the period's end; progress reports
 * count when their own period lies within the report's; returns and urgings count when they happened in the period.
 * A task is overdue when it is open (not submitted, accepted or cancelled) and its deadline lies before the as-of
 * date (without a deadline: when it had a {@code task.overdue} event); its days overdue are working days (工作日) on
 * the calendar, as the task-service counts deadlines. Its rating is the task-service's in that latest change
 * ({@link Ratings#ofTask}), never recomputed here.
 */
record TaskAsOf(Change state, List<Change> history, List<Progress> reportsInPeriod, boolean overdue,
        long daysOverdue, Change signedFor, boolean signedForOnTime, List<Change> returnedInPeriod,
        List<Change> urgedInPeriod, List<Change> urgedAsOf, Change extension, String rating) {

    static final Set<String> CLOSED_STATES = Set.of("SUBMITTED", "ACCEPTED", "CANCELLED");

    String taskId() {
        return state.taskId();
    }

    /** The latest progress report of the period (by the hub's receipt), or null. */
    Progress latestReport() {
        return reportsInPeriod.stream().max(Comparator.comparing(Progress::reportedAt)).orElse(null);
    }

    int percent() {
        return state.percentComplete() == null ? 0 : state.percentComplete();
    }

    /** Every task with a change before the report's cutoff, by task id. */
    static Map<String, TaskAsOf> all(AsOf asOf, List<Change> changes, List<Progress> progress) {
        Map<String, List<Change>> byTask = new LinkedHashMap<>();
        for (Change c : changes) {
            if (c.at().isBefore(asOf.cutoff())) {
                byTask.computeIfAbsent(c.taskId(), k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, List<Progress>> reportsByTask = progress.stream()
                .filter(p -> asOf.counts(p.period()))
                .collect(Collectors.groupingBy(Progress::taskId, LinkedHashMap::new, Collectors.toList()));
        Map<String, TaskAsOf> out = new TreeMap<>();
        for (Map.Entry<String, List<Change>> e : byTask.entrySet()) {
            out.put(e.getKey(), one(asOf, e.getValue(), reportsByTask.getOrDefault(e.getKey(), List.of())));
        }
        return out;
    }

    /** One task from its changes before the cutoff and its progress reports of the period. */
    static TaskAsOf one(AsOf asOf, List<Change> changes, List<Progress> reports) {
        List<Change> h = new ArrayList<>(changes);
        h.sort(Comparator.comparingLong(Change::version).thenComparing(Change::at));
        Change state = h.get(h.size() - 1);
        boolean open = !CLOSED_STATES.contains(state.status());
        boolean hadOverdueEvent = h.stream().anyMatch(c -> "task.overdue".equals(c.kind()));
        boolean overdue = open && (state.deadline() != null ? state.deadline().isBefore(asOf.date()) : hadOverdueEvent);
        // overdue days are working days (工作日), as the task-service counts deadlines
        long days = overdue && state.deadline() != null
                ? asOf.calendar().workingDaysBetween(state.deadline(), asOf.date()) : 0;
        Change signed = h.stream().filter(c -> "task.signed-for".equals(c.kind())).findFirst().orElse(null);
        Change dispatched = h.stream()
                .filter(c -> "task.dispatched".equals(c.kind()) || "task.delivered".equals(c.kind()))
                .findFirst().orElse(null);
        boolean signedOnTime = signed != null && asOf.signedOnTime(signed, dispatched, state);
        Predicate<Change> inPeriod = c -> asOf.inPeriod(c.at());
        List<Change> returned = h.stream().filter(c -> "task.returned".equals(c.kind())).filter(inPeriod).toList();
        List<Change> urgedAll = h.stream().filter(c -> "task.urged".equals(c.kind())).toList();
        List<Change> urged = urgedAll.stream().filter(inPeriod).toList();
        Change extension = h.stream().filter(c -> c.extensionId() != null).reduce((a, b) -> b).orElse(null);
        // the task-service's rating in the task's latest event of the period: never recomputed here
        String rating = Ratings.ofTask(state.rating());
        return new TaskAsOf(state, h, reports, overdue, days, signed, signedOnTime, returned, urged, urgedAll,
                extension, rating);
    }
}
