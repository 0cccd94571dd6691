package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.MirrorStore.SyncState;
import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.port.out.TaskSourceThrottledException;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static dev.pooltasks.domain.model.TaskBuilder.aTask;
import static dev.pooltasks.domain.service.MirrorSync.Outcome.BACKFILLING;
import static dev.pooltasks.domain.service.MirrorSync.Outcome.FAILED;
import static dev.pooltasks.domain.service.MirrorSync.Outcome.LEASE_LOST;
import static dev.pooltasks.domain.service.MirrorSync.Outcome.STANDBY;
import static dev.pooltasks.domain.service.MirrorSync.Outcome.SYNCED;
import static dev.pooltasks.domain.service.MirrorSync.Outcome.THROTTLED;
import static org.assertj.core.api.Assertions.assertThat;

class MirrorSyncTest {
    private static final String PROJECT = "p1";
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final MirrorSync.Settings SETTINGS = new MirrorSync.Settings(PROJECT, Duration.ofMinutes(2),
            Duration.ofHours(24), Duration.ofHours(1), null, Duration.ofSeconds(60), Duration.ofSeconds(5));

    private final MutableClock clock = new MutableClock(NOW);
    private final ChangingUpstream upstream = new ChangingUpstream();
    private final FakeMirrorStore store = new FakeMirrorStore();

    private MirrorSync sync(String holder) {
        return sync(holder, SETTINGS);
    }

    private MirrorSync sync(String holder, MirrorSync.Settings settings) {
        return new MirrorSync(settings, upstream, store, holder, clock, MirrorSync.Listener.NONE);
    }

    /** Finished tasks over the 30 days before NOW, a few sharing a second (also across page boundaries). */
    private static List<ScriptExecutionTask> history(int count) {
        return IntStream.range(0, count).mapToObj(i -> task("h" + i,
                NOW.minusSeconds(600 + (i / 3) * 1_789L % (30 * 86_400L)), TaskStatus.FINISH)).toList();
    }

    private static ScriptExecutionTask task(String id, Instant start, TaskStatus status) {
        boolean finished = status.equals(TaskStatus.FINISH) || status.equals(TaskStatus.FAILED);
        return aTask().withId(id).startedAt(start).endedAt(finished ? start.plusSeconds(90) : null).withStatus(status)
                .withCounts(finished ? 10 : 2, 0, 0).build();
    }

    private MirrorSync.Cycle backfillFully(MirrorSync sync) {
        MirrorSync.Cycle cycle;
        do {
            cycle = sync.runCycle();
        } while (cycle.outcome() == BACKFILLING);
        return cycle;
    }

    @Test
    void theBackfillStoresEverythingAFullWalkOfTheUpstreamYields() {
        upstream.putAll(history(1234));
        MirrorSync.Cycle cycle = sync("a").runCycle();

        assertThat(cycle.outcome()).isEqualTo(SYNCED);
        assertThat(store.tasks(PROJECT)).isEqualTo(upstream.all());
        assertThat(cycle.calls()).isEqualTo(13); // 12 full pages and one of 34
        assertThat(upstream.received).allSatisfy(q -> assertThat(q.limit()).isEqualTo(100));
        SyncState state = store.state(PROJECT);
        assertThat(state.backfillDone()).isTrue();
        assertThat(state.watermark()).isEqualTo(upstream.all().get(0).startTime());
        assertThat(state.backfill().tasks()).isEqualTo(1234);
        assertThat(state.backfill().calls()).isEqualTo(13);
        assertThat(state.lastCycleAt()).isEqualTo(NOW);
    }

    @Test
    void theBackfillWalksTiesOfOneSecondAcrossPagesAndFractionalStartTimes() {
        List<ScriptExecutionTask> tasks = new ArrayList<>();
        IntStream.range(0, 250).forEach(i -> tasks.add(task(String.format("tie%03d", i), NOW.minusSeconds(100),
                TaskStatus.FINISH)));
        IntStream.range(0, 130).forEach(i -> tasks.add(task("frac" + i,
                NOW.minusSeconds(50).minusMillis(i % 3 * 250L), TaskStatus.FAILED)));
        upstream.putAll(tasks).putAll(history(90));

        assertThat(sync("a").runCycle().outcome()).isEqualTo(SYNCED);
        assertThat(store.tasks(PROJECT)).isEqualTo(upstream.all());
    }

    @Test
    void aLongBackfillGoesOnOverSeveralCyclesAndResumesWhereACrashCutItShort() {
        upstream.putAll(history(6_120)); // 62 pages: more than one cycle's 50
        MirrorSync first = sync("a");
        assertThat(first.runCycle().outcome()).isEqualTo(BACKFILLING);
        assertThat(store.state(PROJECT).backfill().tasks()).isEqualTo(5_000);
        assertThat(store.state(PROJECT).backfill().remaining()).isEqualTo(1_120);

        store.failCommit(3); // the fourth page's commit is lost, as in a kill -9 before it
        assertThat(first.runCycle().outcome()).isEqualTo(FAILED);
        assertThat(store.state(PROJECT).backfill().tasks()).isEqualTo(5_300);

        int callsBefore = upstream.calls();
        MirrorSync restarted = sync("a");
        MirrorSync.Cycle cycle = restarted.runCycle();
        assertThat(cycle.outcome()).isEqualTo(SYNCED);
        assertThat(cycle.calls()).isEqualTo(9); // pages 54 to 62: the lost page again, nothing before it
        assertThat(upstream.calls() - callsBefore).isEqualTo(9);
        assertThat(store.tasks(PROJECT)).isEqualTo(upstream.all());
        assertThat(store.state(PROJECT).backfill().tasks()).isEqualTo(6_120);
    }

    @Test
    void tasksThatStartDuringTheBackfillArriveWithTheNextCycle() {
        upstream.putAll(history(6_000));
        MirrorSync sync = sync("a");
        assertThat(sync.runCycle().outcome()).isEqualTo(BACKFILLING);
        List<ScriptExecutionTask> arrived = IntStream.range(0, 140)
                .mapToObj(i -> task("new" + i, NOW.plusSeconds(i), TaskStatus.FINISH)).toList();
        upstream.putAll(arrived);
        clock.advance(Duration.ofMinutes(3));
        assertThat(sync.runCycle().outcome()).isEqualTo(SYNCED);
        assertThat(store.tasks(PROJECT)).hasSize(6_000);

        assertThat(sync.runCycle().outcome()).isEqualTo(SYNCED);
        assertThat(store.tasks(PROJECT)).isEqualTo(upstream.all());
        assertThat(store.state(PROJECT).watermark()).isEqualTo(NOW.plusSeconds(139));
    }

    @Test
    void incrementalCyclesPickUpNewTasksAndStatusChangesOfUnfinishedOnes() {
        upstream.putAll(history(500));
        ScriptExecutionTask running = task("running", NOW.minus(Duration.ofHours(3)), TaskStatus.RUNNING);
        upstream.put(running);
        MirrorSync sync = sync("a");
        assertThat(sync.runCycle().outcome()).isEqualTo(SYNCED);

        clock.advance(Duration.ofSeconds(30));
        upstream.put(task("n1", NOW.plusSeconds(10), TaskStatus.INIT));
        upstream.put(task("n2", NOW.plusSeconds(20), TaskStatus.RUNNING));
        upstream.put(task("running", running.startTime(), TaskStatus.FINISH));
        int before = upstream.calls();
        MirrorSync.Cycle cycle = sync.runCycle();

        assertThat(cycle.outcome()).isEqualTo(SYNCED);
        assertThat(store.tasks(PROJECT)).isEqualTo(upstream.all());
        // one walk page (n1, n2 and known tasks), one re-read for "running" (n1 and n2 were just read)
        assertThat(cycle.calls()).isEqualTo(2).isEqualTo(upstream.calls() - before);
        assertThat(cycle.changed()).isEqualTo(3);
        TaskQuery walk = upstream.received.get(before);
        assertThat(walk.executeTimeStart()).isEqualTo(NOW.minusSeconds(600).minus(SETTINGS.overlap()));
        assertThat(walk.executeTimeEnd()).isNull();
        assertThat(upstream.received.get(before + 1).taskIds()).containsExactly("running");

        clock.advance(Duration.ofSeconds(30));
        upstream.put(task("n1", NOW.plusSeconds(10), TaskStatus.FAILED));
        upstream.put(task("n2", NOW.plusSeconds(20), TaskStatus.FINISH));
        assertThat(sync.runCycle().outcome()).isEqualTo(SYNCED);
        assertThat(store.tasks(PROJECT)).isEqualTo(upstream.all());
        assertThat(store.unfinishedTaskIds(PROJECT, NOW)).isEmpty();
    }

    @Test
    void aSteadyStateCycleCostsOneCallPlusOnePerHundredUnfinishedTasks() {
        upstream.putAll(history(300));
        MirrorSync sync = sync("a");
        sync.runCycle();
        clock.advance(Duration.ofSeconds(30));
        MirrorSync.Cycle idle = sync.runCycle();
        assertThat(idle.outcome()).isEqualTo(SYNCED);
        assertThat(idle.calls()).isEqualTo(1);
        assertThat(idle.changed()).isZero();

        upstream.putAll(IntStream.range(0, 250).mapToObj(i -> task(String.format("u%03d", i),
                NOW.minus(Duration.ofDays(2)).minusSeconds(i), TaskStatus.RUNNING)).toList());
        clock.advance(Duration.ofHours(1)); // the reconciliation reaches back one day: not these
        sync(("a")).runCycle();
        assertThat(store.tasks(PROJECT)).hasSize(300); // not walked: started before the watermark

        // they are the upstream's; give them to the store as a backfill would have
        upstream.all().stream().filter(t -> t.id().startsWith("u")).forEach(t ->
                store.commit(PROJECT, "a", List.of(t), null, clock.instant(), Duration.ofMinutes(1)));
        clock.advance(Duration.ofSeconds(30));
        int before = upstream.calls();
        MirrorSync.Cycle steady = sync.runCycle();
        assertThat(steady.calls()).isEqualTo(1 + 3);
        List<TaskQuery> reReads = upstream.received.subList(before + 1, upstream.calls());
        assertThat(reReads).allSatisfy(q -> assertThat(q.taskIds()).hasSizeLessThanOrEqualTo(100));
        Set<String> reRead = new HashSet<>();
        reReads.forEach(q -> reRead.addAll(q.taskIds()));
        assertThat(reRead).hasSize(250).allMatch(id -> id.startsWith("u"));
    }

    @Test
    void theReconciliationCatchesChangesTheOtherStepsCannotSee() {
        upstream.putAll(history(400));
        MirrorSync sync = sync("a");
        sync.runCycle();
        // a finished task of yesterday changes (a retry, say): no walk for new tasks reaches it
        ScriptExecutionTask old = upstream.all().stream()
                .filter(t -> t.startTime().isBefore(NOW.minus(Duration.ofHours(12)))
                        && t.startTime().isAfter(NOW.minus(Duration.ofHours(20)))).findFirst().orElseThrow();
        ScriptExecutionTask retried = task(old.id(), old.startTime(), TaskStatus.FAILED);
        upstream.put(retried);
        // and a task appears late, well below the watermark
        upstream.put(task("late", NOW.minus(Duration.ofHours(5)), TaskStatus.FINISH));

        clock.advance(Duration.ofMinutes(30));
        sync.runCycle();
        assertThat(store.stored(PROJECT, old.id()).task()).isEqualTo(old);
        assertThat(store.stored(PROJECT, "late")).isNull();

        clock.advance(Duration.ofMinutes(31)); // the reconcile period since the backfill began
        MirrorSync.Cycle cycle = sync.runCycle();
        assertThat(cycle.outcome()).isEqualTo(SYNCED);
        assertThat(store.stored(PROJECT, old.id()).task()).isEqualTo(retried);
        assertThat(store.stored(PROJECT, "late")).isNotNull();
        assertThat(store.tasks(PROJECT)).isEqualTo(upstream.all());
        assertThat(store.state(PROJECT).lastReconciledAt()).isEqualTo(clock.instant());
        long inWindow = upstream.all().stream()
                .filter(t -> !t.startTime().isBefore(clock.instant().minus(Duration.ofHours(24)))).count();
        assertThat(cycle.calls()).isEqualTo(1 + (int) Math.ceil(inWindow / 100.0));
    }

    @Test
    void tasksThatDisappearUpstreamStayWithWhenTheyWereLastSeen() {
        upstream.putAll(history(200));
        upstream.put(task("gone", NOW.minusSeconds(30), TaskStatus.RUNNING));
        MirrorSync sync = sync("a");
        sync.runCycle();
        Instant seen = store.stored(PROJECT, "gone").lastSeen();
        upstream.remove("gone");
        upstream.remove("h150");

        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(40));
            assertThat(sync.runCycle().outcome()).isEqualTo(SYNCED);
        }
        assertThat(store.stored(PROJECT, "gone").lastSeen()).isEqualTo(seen);
        assertThat(store.stored(PROJECT, "gone").task().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(store.stored(PROJECT, "h150")).isNotNull();
        assertThat(store.stored(PROJECT, "h0").lastSeen()).isAfter(seen); // reconciled: seen again
        assertThat(store.tasks(PROJECT)).hasSize(201);
    }

    @Test
    void aNewTaskWalkCutShortResumesFromItsPositionAndLosesNothing() {
        upstream.putAll(history(300));
        MirrorSync sync = sync("a");
        sync.runCycle();
        upstream.putAll(IntStream.range(0, 350).mapToObj(i -> task("burst" + i, NOW.plusSeconds(60 + i),
                TaskStatus.FINISH)).toList());
        clock.advance(Duration.ofMinutes(10));
        store.failCommit(2); // the third page of the walk is lost
        assertThat(sync.runCycle().outcome()).isEqualTo(FAILED);
        assertThat(store.state(PROJECT).newTasks()).isNotNull();

        clock.advance(Duration.ofSeconds(30));
        int before = upstream.calls();
        assertThat(sync("a").runCycle().outcome()).isEqualTo(SYNCED);
        assertThat(upstream.calls() - before).isEqualTo(2); // pages three and four, where the walk met known tasks
        assertThat(store.tasks(PROJECT)).isEqualTo(upstream.all());
        assertThat(store.state(PROJECT).watermark()).isEqualTo(NOW.plusSeconds(60 + 349));
        assertThat(store.state(PROJECT).newTasks()).isNull();
    }

    @Test
    void oneReplicaSyncsTheOtherStandsByAndTakesOverWhenTheLeaseRunsOut() {
        upstream.putAll(history(150));
        MirrorSync a = sync("a");
        MirrorSync b = sync("b");
        assertThat(a.runCycle().outcome()).isEqualTo(SYNCED);
        int calls = upstream.calls();
        assertThat(b.runCycle().outcome()).isEqualTo(STANDBY);
        assertThat(upstream.calls()).isEqualTo(calls);

        clock.advance(Duration.ofSeconds(59)); // a's lease (60 s, renewed by its last commit) still runs
        assertThat(b.runCycle().outcome()).isEqualTo(STANDBY);
        clock.advance(Duration.ofSeconds(2));
        assertThat(b.runCycle().outcome()).isEqualTo(SYNCED);
        assertThat(store.leaseHolder(PROJECT)).isEqualTo("b");
        assertThat(a.runCycle().outcome()).isEqualTo(STANDBY);

        b.release();
        assertThat(a.runCycle().outcome()).isEqualTo(SYNCED);
    }

    @Test
    void aSyncerWhoseLeaseWasTakenOverMidCycleWritesNothingMore() {
        upstream.putAll(history(100));
        MirrorSync a = sync("a");
        a.runCycle();
        SyncState before = store.state(PROJECT);
        // b takes over while a is paused mid-cycle: a's next write is refused
        upstream.failWith(q -> {
            clock.advance(Duration.ofMinutes(2));
            store.acquireLease(PROJECT, "b", clock.instant(), Duration.ofMinutes(1));
            upstream.failWith(x -> null);
            return null;
        });
        upstream.put(task("new", NOW.plusSeconds(5), TaskStatus.FINISH));
        assertThat(a.runCycle().outcome()).isEqualTo(LEASE_LOST);
        assertThat(store.state(PROJECT)).isEqualTo(before);
        assertThat(store.stored(PROJECT, "new")).isNull();
    }

    @Test
    void upstreamFailuresAndThrottlingEndTheCycleAndKeepWhatWasCommitted() {
        upstream.putAll(history(200));
        MirrorSync sync = sync("a");
        sync.runCycle();
        SyncState synced = store.state(PROJECT);

        upstream.failWith(q -> new TaskSourceUnavailableException("east", "connection failed"));
        MirrorSync.Cycle failed = sync.runCycle();
        assertThat(failed.outcome()).isEqualTo(FAILED);
        assertThat(failed.problem()).contains("east").contains("connection failed");

        upstream.failWith(q -> new TaskSourceThrottledException("east", 7));
        MirrorSync.Cycle throttled = sync.runCycle();
        assertThat(throttled.outcome()).isEqualTo(THROTTLED);
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(throttled.calls()).isZero();

        upstream.failWith(q -> new TaskSourceRejectedException("east", 429, "{}", 12));
        assertThat(sync.runCycle().retryAfter()).isEqualTo(Duration.ofSeconds(12));
        upstream.failWith(q -> new TaskSourceRejectedException("east", 401, "{}", -1));
        assertThat(sync.runCycle().problem()).contains("HTTP 401");

        // another pooltasks whose partial federation left a source out: its answers are not a copy to keep
        upstream.failWith(q -> null);
        upstream.missingBehind(Set.of("east/west"));
        upstream.put(task("new", NOW.plusSeconds(5), TaskStatus.FINISH));
        MirrorSync.Cycle partial = sync.runCycle();
        assertThat(partial.outcome()).isEqualTo(FAILED);
        assertThat(partial.problem()).contains("leaves out east/west");
        assertThat(store.stored(PROJECT, "new")).isNull();
        upstream.missingBehind(Set.of());

        store.down(true);
        upstream.failWith(q -> null);
        assertThat(sync.runCycle().outcome()).isEqualTo(FAILED);
        store.down(false);
        assertThat(store.state(PROJECT)).isEqualTo(synced);
        assertThat(sync.runCycle().outcome()).isEqualTo(SYNCED);
    }

    @Test
    void retentionDeletesTasksOlderThanItOnceAPeriod() {
        MirrorSync.Settings keepTenDays = new MirrorSync.Settings(PROJECT, Duration.ofMinutes(2),
                Duration.ofHours(24), Duration.ofHours(1), Duration.ofDays(10), Duration.ofSeconds(60),
                Duration.ofSeconds(5));
        upstream.putAll(history(2000)); // 14 days
        MirrorSync sync = sync("a", keepTenDays);
        sync.runCycle(); // the backfill keeps everything
        assertThat(store.tasks(PROJECT)).hasSize(2000);
        clock.advance(Duration.ofSeconds(30));
        sync.runCycle();
        List<ScriptExecutionTask> kept = store.tasks(PROJECT);
        assertThat(kept).isNotEmpty().allMatch(t -> !t.startTime().isBefore(clock.instant().minus(Duration.ofDays(10))));
        assertThat(kept.size()).isBetween(1000, 1999);
        assertThat(store.state(PROJECT).purgeGeneration()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(30));
        sync.runCycle();
        assertThat(store.state(PROJECT).purgeGeneration()).isEqualTo(1);
    }
}
