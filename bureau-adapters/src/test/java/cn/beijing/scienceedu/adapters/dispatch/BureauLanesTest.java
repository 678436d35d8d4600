package cn.beijing.scienceedu.adapters.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import cn.beijing.scienceedu.adapters.registry.Protocol;

/**
 * The dispatcher's per-bureau lanes (no database, broker or Camel; the calls are stand-ins): a bureau that is down or
 * has a backlog holds only its own worker and lanes, never another bureau's; a bureau is drained by one worker at a
 * time; within a round the heads start in order, at most {@code lanes} at a time (FILE and SFTP one by one), every call
 * started is recorded and waited for before the round ends, and a transient failure, an open breaker or a failed
 * recording stops the round from starting more.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BureauLanesTest {

    static final long WAIT = 5;

    final BureauLanes lanes = new BureauLanes(2, 3);

    @AfterEach
    void stop() {
        lanes.shutdownNow();
    }

    /** Stand-in calls: what happened, in order; a call may be held until released; any head may halt. */
    static class Calls implements BureauLanes.Calls<String, String> {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final Set<String> held = ConcurrentHashMap.newKeySet();
        final CountDownLatch release = new CountDownLatch(1);
        final Set<String> halting = ConcurrentHashMap.newKeySet();
        final Set<String> refused = ConcurrentHashMap.newKeySet();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        volatile Predicate<List<String>> recordFails = done -> false;
        volatile ToLongFunction<String> takesMillis = head -> 0;
        final List<List<String>> recorded = Collections.synchronizedList(new ArrayList<>());

        Calls hold(String... heads) {
            held.addAll(List.of(heads));
            return this;
        }

        @Override
        public boolean admit(String head) {
            return !refused.contains(head);
        }

        @Override
        public void putOff(String head) {
            events.add("put off " + head);
        }

        @Override
        public String call(String head) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            events.add("call " + head);
            try {
                Thread.sleep(takesMillis.applyAsLong(head));
                if (held.contains(head)) {
                    release.await(WAIT * 2, TimeUnit.SECONDS);
                }
                return head;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return head;
            } finally {
                inFlight.decrementAndGet();
                events.add("done " + head);
            }
        }

        @Override
        public boolean halts(String finished) {
            return halting.contains(finished);
        }

        @Override
        public void record(List<String> finished) {
            events.add("record " + finished);
            if (recordFails.test(finished)) {
                throw new IllegalStateException("database away");
            }
            recorded.add(List.copyOf(finished));
        }

        List<String> recordedHeads() {
            return recorded.stream().flatMap(List::stream).toList();
        }

        List<String> called() {
            return events.stream().filter(e -> e.startsWith("call ")).map(e -> e.substring(5)).toList();
        }
    }

    // ---- one bureau does not hold up another -------------------------------------------------------------------

    @Test
    void aBureauThatIsDownDoesNotHoldUpTheDeliveriesOfAnother() throws Exception {
        Calls down = new Calls().hold("SJW-1", "SJW-2", "SJW-3");
        Calls up = new Calls();
        CountDownLatch upDone = new CountDownLatch(1);
        assertThat(lanes.drainSoon("SJW", () -> lanes.round("SJW", List.of("SJW-1", "SJW-2", "SJW-3"), 3, down))).isTrue();
        awaitTrue(() -> down.called().size() == 3);
        // every lane of SJW is taken by a call that hangs: another bureau's round still goes out in full, now
        assertThat(lanes.drainSoon("FGW", () -> {
            lanes.round("FGW", List.of("FGW-1", "FGW-2", "FGW-3"), 3, up);
            upDone.countDown();
        })).isTrue();
        assertThat(upDone.await(WAIT, TimeUnit.SECONDS)).as("FGW delivered while SJW hangs").isTrue();
        assertThat(up.recordedHeads()).containsExactlyInAnyOrder("FGW-1", "FGW-2", "FGW-3");
        assertThat(down.recorded).isEmpty();
        down.release.countDown();
        awaitTrue(() -> down.recordedHeads().size() == 3);
    }

    @Test
    void aBureauIsDrainedByOneWorkerAtATimeAndAFailedDrainFreesIt() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger drains = new AtomicInteger();
        Runnable slow = () -> {
            drains.incrementAndGet();
            inside.countDown();
            await(release);
        };
        assertThat(lanes.drainSoon("CZJ", slow)).isTrue();
        assertThat(inside.await(WAIT, TimeUnit.SECONDS)).isTrue();
        assertThat(lanes.drainSoon("CZJ", slow)).as("CZJ already being drained").isFalse();
        release.countDown();
        awaitTrue(() -> lanes.drainSoon("CZJ", () -> {
            drains.incrementAndGet();
            throw new IllegalStateException("outbox unreadable");
        }));
        // a drain that failed does not leave the bureau marked as running: the next tick drains it again
        CountDownLatch again = new CountDownLatch(1);
        awaitTrue(() -> lanes.drainSoon("CZJ", again::countDown));
        assertThat(again.await(WAIT, TimeUnit.SECONDS)).isTrue();
        assertThat(drains.get()).isEqualTo(2);
    }

    // ---- order and lanes within a round -----------------------------------------------------------------------

    @Test
    void fileAndSftpBureausGetTheirHeadsOneByOneInOrderEachRecordedBeforeTheNext() {
        assertThat(lanes.lanesFor(Protocol.FILE)).isEqualTo(1);
        assertThat(lanes.lanesFor(Protocol.SFTP)).isEqualTo(1);
        Calls calls = new Calls();
        assertThat(lanes.round("CZJ", List.of("a", "b", "c"), lanes.lanesFor(Protocol.FILE), calls)).isTrue();
        assertThat(calls.events).containsExactly("call a", "done a", "record [a]", "call b", "done b", "record [b]",
                "call c", "done c", "record [c]");
    }

    @Test
    void restSoapAndAmqpBureausHaveUpToTheirLanesInFlightStartedInOrderEachRecordedOnce() {
        for (Protocol p : List.of(Protocol.REST, Protocol.SOAP, Protocol.AMQP)) {
            assertThat(lanes.lanesFor(p)).as(p.name()).isEqualTo(3);
        }
        List<String> heads = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            heads.add("t" + i);
        }
        Calls calls = new Calls();
        calls.takesMillis = head -> 5;
        assertThat(lanes.round("SJW", heads, 3, calls)).isTrue();
        assertThat(calls.maxInFlight.get()).isBetween(2, 3);
        assertThat(calls.recordedHeads()).hasSize(30).containsExactlyInAnyOrderElementsOf(heads);
        // started in the order of the heads: a head starts only when at most two before it are still out
        List<String> started = calls.called();
        assertThat(started).hasSize(30);
        for (int i = 0; i < heads.size(); i++) {
            assertThat(started.indexOf(heads.get(i))).as(heads.get(i) + " started after the heads before it")
                    .isGreaterThanOrEqualTo(i - 2);
        }
    }

    @Test
    void theLanesGoOnWithTheNextHeadsWhileTheWorkerRecords() throws Exception {
        CountDownLatch nextStarted = new CountDownLatch(1);
        CompletableFuture<Boolean> startedWhileRecording = new CompletableFuture<>();
        Calls calls = new Calls() {
            @Override
            public String call(String head) {
                if (head.equals("c")) {
                    nextStarted.countDown();
                }
                return super.call(head);
            }

            @Override
            public void record(List<String> finished) {
                if (!startedWhileRecording.isDone()) {
                    startedWhileRecording.complete(await(nextStarted));
                }
                super.record(finished);
            }
        }.hold("b");
        CompletableFuture<Boolean> round = CompletableFuture.supplyAsync(() -> lanes.round("SJW", List.of("a", "b", "c"), 2,
                calls));
        assertThat(startedWhileRecording.get(WAIT * 2, TimeUnit.SECONDS))
                .as("the third head started while the first batch was being recorded").isTrue();
        calls.release.countDown();
        assertThat(round.get(WAIT, TimeUnit.SECONDS)).isTrue();
        assertThat(calls.recordedHeads()).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void aRoundReturnsOnlyWhenEveryCallItStartedIsBackAndRecorded() throws Exception {
        Calls calls = new Calls().hold("b");
        CompletableFuture<Boolean> round = CompletableFuture.supplyAsync(() -> lanes.round("SJW", List.of("a", "b", "c"), 3,
                calls));
        awaitTrue(() -> calls.recordedHeads().containsAll(List.of("a", "c")));
        sleep(200);
        assertThat(round).as("the next round may hold b's task's next message: not before b is back").isNotDone();
        calls.release.countDown();
        assertThat(round.get(WAIT, TimeUnit.SECONDS)).isTrue();
        assertThat(calls.recordedHeads()).containsExactlyInAnyOrder("a", "b", "c");
    }

    // ---- what stops a round -----------------------------------------------------------------------------------

    @Test
    void aTransientFailureStopsTheRoundFromStartingMoreButWhatIsInFlightIsRecorded() {
        Calls oneByOne = new Calls();
        oneByOne.halting.add("b");
        assertThat(lanes.round("CZJ", List.of("a", "b", "c", "d"), 1, oneByOne)).isFalse();
        assertThat(oneByOne.called()).containsExactly("a", "b");
        assertThat(oneByOne.recordedHeads()).containsExactly("a", "b");

        Calls parallel = new Calls();
        parallel.takesMillis = head -> head.equals("a") ? 50 : 300;
        parallel.halting.add("a");
        assertThat(lanes.round("SJW", List.of("a", "b", "c", "d", "e"), 3, parallel)).isFalse();
        assertThat(parallel.called()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(parallel.recordedHeads()).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void anOpenBreakerPutsTheHeadOffAndStopsTheRound() {
        Calls calls = new Calls();
        calls.refused.add("b");
        assertThat(lanes.round("CZJ", List.of("a", "b", "c"), 1, calls)).isFalse();
        assertThat(calls.events).containsExactly("call a", "done a", "record [a]", "put off b");
        assertThat(calls.called()).doesNotContain("b", "c");
    }

    @Test
    void aFailedRecordingStopsTheRoundAndIsThrownOnceTheCallsInFlightAreBack() throws Exception {
        Calls calls = new Calls().hold("b");
        calls.recordFails = done -> done.contains("a");
        CompletableFuture<Boolean> round = CompletableFuture.supplyAsync(() -> lanes.round("SJW", List.of("a", "b", "c", "d"),
                2, calls));
        awaitTrue(() -> calls.events.contains("record [a]"));
        sleep(200);
        assertThat(round).as("b is still in flight").isNotDone();
        calls.release.countDown();
        assertThatThrownBy(() -> round.get(WAIT, TimeUnit.SECONDS)).hasRootCauseInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("database away");
        assertThat(calls.called()).as("no call started after the failed recording").containsExactlyInAnyOrder("a", "b", "c")
                .doesNotContain("d");
        assertThat(calls.recordedHeads()).as("nothing recorded after it either (left PENDING)").isEmpty();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    static boolean await(CountDownLatch latch) {
        try {
            return latch.await(WAIT, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within " + WAIT + " s").isLessThan(until);
            sleep(10);
        }
    }
}
