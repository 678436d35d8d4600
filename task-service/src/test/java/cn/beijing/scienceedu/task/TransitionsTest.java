package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import cn.beijing.scienceedu.contracts.events.EventTypes;
import cn.beijing.scienceedu.contracts.task.model.TaskStatus;
import cn.beijing.scienceedu.task.lifecycle.TaskRecord;
import cn.beijing.scienceedu.task.lifecycle.Transitions;
import cn.beijing.scienceedu.task.lifecycle.Transitions.TaskAction;
import cn.beijing.scienceedu.task.web.ApiException;

/**
 * The transition table, plain JUnit: every status × every action is either allowed (and leads to the status written
 * here, {@code =} when it keeps it) or refused with the 409 the API answers — status 409, title Conflict,
 * {@code currentState} = the status, a detail naming the action and the status. Written down here independently of
 * {@link Transitions}, so a change to the table shows as a failing cell.
 */
class TransitionsTest {

    /** One row per action; the columns are the statuses in the order of {@link #COLUMNS}. */
    static final List<TaskStatus> COLUMNS = List.of(TaskStatus.PLANNED, TaskStatus.DISPATCHED, TaskStatus.DELIVERED,
            TaskStatus.SIGNED_FOR, TaskStatus.IN_PROGRESS, TaskStatus.SUBMITTED, TaskStatus.ACCEPTED,
            TaskStatus.RETURNED, TaskStatus.CANCELLED);

    static final String TABLE = """
            action             PLANNED    DISPATCHED DELIVERED  SIGNED_FOR  IN_PROGRESS SUBMITTED  ACCEPTED RETURNED    CANCELLED
            DISPATCH           DISPATCHED 409        409        409         409         409        409      409         409
            DELIVER            409        DELIVERED  409        409         409         409        409      409         409
            DELIVERY_SETBACK   409        =          409        409         409         409        409      409         409
            SIGN_FOR           409        SIGNED_FOR SIGNED_FOR 409         409         409        409      409         409
            REPORT_PROGRESS    409        409        409        IN_PROGRESS IN_PROGRESS 409        409      IN_PROGRESS 409
            SUBMIT             409        409        409        SUBMITTED   SUBMITTED   409        409      SUBMITTED   409
            ACCEPT             409        409        409        409         409         ACCEPTED   409      409         409
            RETURN             409        409        409        409         409         RETURNED   409      409         409
            CANCEL             CANCELLED  CANCELLED  CANCELLED  CANCELLED   CANCELLED   CANCELLED  409      CANCELLED   409
            URGE               409        =          =          =           =           409        409      =           409
            REQUEST_EXTENSION  409        =          =          =           =           409        409      =           409
            CHANGE_DEADLINE    =          =          =          =           =           =          409      =           409
            """;

    static final String[] VERBS = { "DISPATCH:dispatch", "DELIVER:deliver",
            "DELIVERY_SETBACK:record a delivery setback of", "SIGN_FOR:sign for", "REPORT_PROGRESS:report progress on",
            "SUBMIT:submit", "ACCEPT:accept", "RETURN:return", "CANCEL:cancel", "URGE:urge",
            "REQUEST_EXTENSION:request an extension of", "CHANGE_DEADLINE:change the deadline of" };

    @Test
    void everyStatusTimesEveryActionIsAllowedWithItsTargetOrTheConflictNamingTheCurrentState() {
        List<String> lines = TABLE.strip().lines().toList();
        List<String> header = Arrays.asList(lines.get(0).trim().split("\\s+"));
        assertThat(header.subList(1, header.size())).containsExactlyElementsOf(
                COLUMNS.stream().map(TaskStatus::getValue).toList());
        // the table covers every status of the generated enum and every action, each once
        assertThat(COLUMNS).containsExactlyInAnyOrder(TaskStatus.values());
        List<TaskAction> rows = lines.subList(1, lines.size()).stream().map(l -> TaskAction.valueOf(l.trim().split("\\s+")[0]))
                .toList();
        assertThat(rows).containsExactlyInAnyOrder(TaskAction.values());

        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.trim().split("\\s+");
            assertThat(cells).as(line).hasSize(1 + COLUMNS.size());
            TaskAction action = TaskAction.valueOf(cells[0]);
            for (int i = 0; i < COLUMNS.size(); i++) {
                TaskStatus status = COLUMNS.get(i);
                String expected = cells[1 + i];
                String what = action + " in " + status;
                cases++;
                if (expected.equals("409")) {
                    if (Transitions.allows(status, action)) {
                        wrong.add(what + ": expected 409, but allowed");
                        continue;
                    }
                    try {
                        Transitions.next(status, action);
                        wrong.add(what + ": expected 409, next() returned");
                    } catch (ApiException e) {
                        String problem = conflictProblem(e, status, action);
                        if (problem != null) {
                            wrong.add(what + ": " + problem);
                        }
                    }
                } else {
                    TaskStatus target = expected.equals("=") ? status : TaskStatus.fromValue(expected);
                    if (!Transitions.allows(status, action)) {
                        wrong.add(what + ": expected → " + target + ", but refused");
                        continue;
                    }
                    TaskStatus got = Transitions.next(status, action);
                    if (got != target) {
                        wrong.add(what + ": expected → " + target + ", got " + got);
                    }
                    Transitions.require(status, action); // no exception
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(cases).isEqualTo(12 * 9);
    }

    /** Null when {@code e} is the 409 the API answers for {@code action} in {@code status}, else what differs. */
    static String conflictProblem(ApiException e, TaskStatus status, TaskAction action) {
        String verb = Arrays.stream(VERBS).filter(v -> v.startsWith(action.name() + ":")).findFirst().orElseThrow()
                .substring(action.name().length() + 1);
        String detail = "cannot " + verb + " a task that is " + status.getValue();
        if (e.status() != HttpStatus.CONFLICT || !"Conflict".equals(e.title())
                || !status.getValue().equals(e.properties().get("currentState")) || !detail.equals(e.getMessage())) {
            return "expected 409 Conflict currentState=" + status + " \"" + detail + "\", got " + e.status() + " "
                    + e.title() + " " + e.properties() + " \"" + e.getMessage() + "\"";
        }
        return null;
    }

    @Test
    void theConflictIsTheSameWhereverItIsAsked() {
        ApiException viaRequire = catchConflict(() -> Transitions.require(TaskStatus.ACCEPTED, TaskAction.CANCEL));
        ApiException viaNext = catchConflict(() -> Transitions.next(TaskStatus.ACCEPTED, TaskAction.CANCEL));
        ApiException direct = Transitions.conflict(TaskStatus.ACCEPTED, TaskAction.CANCEL);
        for (ApiException e : List.of(viaRequire, viaNext, direct)) {
            assertThat(conflictProblem(e, TaskStatus.ACCEPTED, TaskAction.CANCEL)).isNull();
            assertThat(e.properties()).containsOnlyKeys("currentState");
        }
        assertThatThrownBy(() -> Transitions.next(TaskStatus.RETURNED, TaskAction.ACCEPT)).isInstanceOf(ApiException.class)
                .hasMessage("cannot accept a task that is RETURNED");
    }

    private static ApiException catchConflict(Runnable r) {
        try {
            r.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected a conflict");
    }

    @Test
    void statusChangingActionsArePublishedAsTheirEventsAndTheOthersKeepTheStatus() {
        List<String> wrong = new ArrayList<>();
        for (TaskAction a : TaskAction.values()) {
            boolean keeps = a.from().stream().allMatch(s -> a.target(s) == s);
            if (a.changesStatus() == keeps) {
                wrong.add(a + ": changesStatus " + a.changesStatus() + " but keeps the status " + keeps);
            }
            if (a.changesStatus() && (a.event() == null || !EventTypes.ALL.contains(a.event()))) {
                wrong.add(a + ": event " + a.event() + " is not one of the contracts' EventTypes");
            }
            if (!a.changesStatus() && a.event() != null) {
                wrong.add(a + ": keeps the status but names event " + a.event());
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(TaskAction.DISPATCH.event()).isEqualTo(EventTypes.TASK_DISPATCHED);
        assertThat(TaskAction.DELIVER.event()).isEqualTo(EventTypes.TASK_DELIVERED);
        assertThat(TaskAction.SIGN_FOR.event()).isEqualTo(EventTypes.TASK_SIGNED_FOR);
        assertThat(TaskAction.REPORT_PROGRESS.event()).isEqualTo(EventTypes.TASK_PROGRESS_REPORTED);
        assertThat(TaskAction.SUBMIT.event()).isEqualTo(EventTypes.TASK_SUBMITTED);
        assertThat(TaskAction.ACCEPT.event()).isEqualTo(EventTypes.TASK_ACCEPTED);
        assertThat(TaskAction.RETURN.event()).isEqualTo(EventTypes.TASK_RETURNED);
        assertThat(TaskAction.CANCEL.event()).isEqualTo(EventTypes.TASK_CANCELLED);
    }

    @Test
    void openClosedAndTheInitialStatusAgreeWithTheTable() {
        assertThat(Transitions.INITIAL).isEqualTo(TaskStatus.PLANNED);
        assertThat(Transitions.OPEN).containsExactlyInAnyOrder(TaskStatus.DISPATCHED, TaskStatus.DELIVERED,
                TaskStatus.SIGNED_FOR, TaskStatus.IN_PROGRESS, TaskStatus.RETURNED);
        assertThat(Transitions.OPEN).isEqualTo(TaskAction.URGE.from()).isEqualTo(TaskAction.REQUEST_EXTENSION.from());
        assertThat(Transitions.CLOSED).containsExactlyInAnyOrder(TaskStatus.ACCEPTED, TaskStatus.CANCELLED);
        for (TaskStatus s : TaskStatus.values()) {
            assertThat(Transitions.isOpen(s)).as(s.getValue()).isEqualTo(Transitions.OPEN.contains(s));
            assertThat(Transitions.isClosed(s)).as(s.getValue()).isEqualTo(Transitions.CLOSED.contains(s));
            TaskRecord t = new TaskRecord();
            t.status = s;
            assertThat(t.isClosed()).as(s.getValue()).isEqualTo(Transitions.CLOSED.contains(s));
        }
        // a closed task allows nothing at all; every other status can still be cancelled
        for (TaskStatus s : Transitions.CLOSED) {
            assertThat(Arrays.stream(TaskAction.values()).filter(a -> Transitions.allows(s, a))).as(s.getValue()).isEmpty();
        }
        EnumSet.complementOf(EnumSet.copyOf(Transitions.CLOSED))
                .forEach(s -> assertThat(Transitions.allows(s, TaskAction.CANCEL)).as(s.getValue()).isTrue());
    }

    @Test
    void everyStatusIsReachableFromThePlannedOne() {
        Set<TaskStatus> seen = EnumSet.of(Transitions.INITIAL);
        ArrayDeque<TaskStatus> queue = new ArrayDeque<>(seen);
        while (!queue.isEmpty()) {
            TaskStatus s = queue.poll();
            for (TaskAction a : TaskAction.values()) {
                if (Transitions.allows(s, a) && seen.add(Transitions.next(s, a))) {
                    queue.add(Transitions.next(s, a));
                }
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(TaskStatus.values());
    }

    @Test
    void theEventsEnumHoldsTheSameStatusesAsTheApiEnum() {
        // the task model's TaskStatus is the type of the task; events carry the events' enum, mapped by value
        assertThat(Arrays.stream(cn.beijing.scienceedu.contracts.events.TaskStatus.values())
                .map(cn.beijing.scienceedu.contracts.events.TaskStatus::value))
                .containsExactlyElementsOf(Arrays.stream(TaskStatus.values()).map(TaskStatus::getValue).toList());
    }
}
