package dev.pooltasks.domain.service;

import dev.pooltasks.domain.aggregation.StatisticsOracle;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.LoadTaskStatisticsPort;
import dev.pooltasks.domain.port.out.MirrorStore.SyncState;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

import static dev.pooltasks.domain.model.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MirroredTaskSourceTest {
    private static final String PROJECT = "p1";
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(1);

    private final MutableClock clock = new MutableClock(NOW);
    private final FakeMirrorStore store = new FakeMirrorStore();
    private final ChangingUpstream fallback = new ChangingUpstream();
    private final MirroredTaskSource source = new MirroredTaskSource(PROJECT, "east", store, fallback, clock);

    private static ScriptExecutionTask task(String id, int minutesAgo, TaskStatus status) {
        return aTask().withId(id).inPool(id.hashCode() % 2 == 0 ? "pool-a" : "pool-b")
                .startedAt(NOW.minus(Duration.ofMinutes(minutesAgo))).withStatus(status).build();
    }

    private static final List<ScriptExecutionTask> TASKS = IntStream.range(0, 300)
            .mapToObj(i -> task("t" + i, i * 7 % 500, i % 5 == 0 ? TaskStatus.FAILED : TaskStatus.FINISH)).toList();

    private void stored(List<ScriptExecutionTask> tasks, boolean backfillDone) {
        store.acquireLease(PROJECT, "syncer", clock.instant(), LEASE);
        SyncState state = store.state(PROJECT);
        if (backfillDone) {
            state = state.withBackfill(null, true).withCycle(clock.instant(), 1);
        }
        store.commit(PROJECT, "syncer", tasks, state, clock.instant(), LEASE);
    }

    private TaskPage page(TaskQuery query) {
        return source.loadTasks(query, Caller.ANONYMOUS).toCompletableFuture().join();
    }

    @Test
    void answersEveryQueryFromItsCopyAsTheUpstreamWouldWithTheCopysAge() {
        stored(TASKS, true);
        fallback.putAll(TASKS);
        source.hydrate();
        clock.advance(Duration.ofSeconds(42));
        int fallbackCalls = fallback.calls();

        List<TaskQuery> queries = List.of(TaskQuery.builder(PROJECT).build(),
                TaskQuery.builder(PROJECT).status("FAILED").offset(7).limit(13).build(),
                TaskQuery.builder(PROJECT).desktopPoolId("pool-a").executeTimeStart(NOW.minus(Duration.ofHours(3)))
                        .limit(100).build(),
                TaskQuery.builder(PROJECT).taskIds(List.of("t3", "t4", "nope")).build(),
                TaskQuery.builder(PROJECT).limit(0).build());
        for (TaskQuery query : queries) {
            TaskPage expected = fallback.loadTasks(query, Caller.ANONYMOUS).toCompletableFuture().join();
            TaskPage answer = page(query);
            assertThat(answer.tasks()).isEqualTo(expected.tasks());
            assertThat(answer.totalCount()).isEqualTo(expected.totalCount());
            assertThat(answer.mirrorAge()).isEqualTo(Duration.ofSeconds(42));
        }
        assertThat(fallback.calls() - fallbackCalls).isEqualTo(queries.size()); // only the expectations above
        assertThat(source.serving()).isTrue();
        assertThat(source.status().orElseThrow().tasks()).isEqualTo(300);
    }

    @Test
    void countsStatisticsFromItsCopyAndThroughItsFallbackUntilTheCopyIsReady() {
        StatisticsQuery byPool = StatisticsQuery.of(TaskQuery.builder(PROJECT).build(), "pool", null);
        StatisticsQuery failedByStatus = StatisticsQuery.of(TaskQuery.builder(PROJECT).status("FAILED").build(),
                "status", null);
        int[] walked = {0};
        LoadTaskStatisticsPort walk = (query, caller) -> {
            walked[0]++;
            return CompletableFuture.completedFuture(StatisticsOracle.of(TASKS.subList(0, 10), query));
        };
        MirroredTaskSource counted = new MirroredTaskSource(PROJECT, "east", store, fallback, walk, clock);
        assertThat(statistics(counted, byPool)).isEqualTo(StatisticsOracle.of(TASKS.subList(0, 10), byPool));
        assertThat(walked[0]).isEqualTo(1);

        stored(TASKS, true);
        counted.hydrate();
        assertThat(statistics(counted, byPool)).isEqualTo(StatisticsOracle.of(TASKS, byPool));
        assertThat(statistics(counted, failedByStatus)).isEqualTo(StatisticsOracle.of(TASKS, failedByStatus));
        assertThat(walked[0]).as("a ready mirror counts its own copy").isEqualTo(1);

        assertThatThrownBy(() -> statistics(new MirroredTaskSource(PROJECT, "east", store, null, clock), byPool))
                .cause().isInstanceOf(TaskSourceUnavailableException.class);
        assertThatThrownBy(() -> statistics(counted, StatisticsQuery.of(TaskQuery.builder("other").build(), "day",
                null))).cause().isInstanceOf(ProjectNotFoundException.class);
    }

    private static TaskStatistics statistics(MirroredTaskSource source, StatisticsQuery query) {
        return source.loadStatistics(query, Caller.ANONYMOUS).toCompletableFuture().join();
    }

    @Test
    void untilItsCopyIsLoadedAndBackfilledItAnswersThroughTheFallback() {
        fallback.putAll(TASKS.subList(0, 10));
        TaskQuery query = TaskQuery.builder(PROJECT).build();
        assertThat(page(query).tasks()).hasSize(10);
        assertThat(page(query).mirrorAge()).isNull();

        stored(TASKS, false);
        source.hydrate();
        assertThat(source.serving()).isFalse();
        assertThat(page(query).totalCount()).isEqualTo(10);

        store.commit(PROJECT, "syncer", List.of(), store.state(PROJECT).withBackfill(null, true)
                .withCycle(clock.instant(), 3), clock.instant(), LEASE);
        source.refresh();
        assertThat(page(query).totalCount()).isEqualTo(300);

        MirroredTaskSource noFallback = new MirroredTaskSource(PROJECT, "east", store, null, clock);
        assertThatThrownBy(() -> noFallback.loadTasks(query, Caller.ANONYMOUS).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(TaskSourceUnavailableException.class)
                .hasMessageContaining("not loaded yet");
        assertThatThrownBy(() -> source.loadTasks(TaskQuery.builder("other").build(), Caller.ANONYMOUS)
                .toCompletableFuture().join()).cause().isInstanceOf(ProjectNotFoundException.class);
    }

    @Test
    void refreshAppliesTheChangesCommittedSinceAndKeepsServingWhenTheStoreIsDown() {
        stored(TASKS.subList(0, 200), true);
        source.hydrate();
        ScriptExecutionTask changed = task("t5", 35, TaskStatus.RUNNING);
        clock.advance(Duration.ofSeconds(30));
        store.commit(PROJECT, "syncer", List.of(changed, TASKS.get(250), TASKS.get(6)),
                store.state(PROJECT).withCycle(clock.instant(), 1), clock.instant(), LEASE);
        assertThat(source.refresh()).isEqualTo(2); // t6 was unchanged: no change to apply
        assertThat(page(TaskQuery.builder(PROJECT).taskIds(List.of("t5")).build()).tasks()).containsExactly(changed);
        assertThat(page(TaskQuery.builder(PROJECT).limit(0).build()).totalCount()).isEqualTo(201);
        assertThat(source.refresh()).isZero();

        store.down(true);
        clock.advance(Duration.ofMinutes(5));
        assertThatThrownBy(source::refresh).isInstanceOf(IllegalStateException.class);
        TaskPage stillServed = page(TaskQuery.builder(PROJECT).limit(0).build());
        assertThat(stillServed.totalCount()).isEqualTo(201);
        assertThat(stillServed.mirrorAge()).isEqualTo(Duration.ofMinutes(5));
        store.down(false);
        source.refresh();
        assertThat(page(TaskQuery.builder(PROJECT).limit(0).build()).totalCount()).isEqualTo(201);
    }

    @Test
    void aFederationWithAMirroredMemberSaysHowOldItsOldestMirroredPartIs() {
        stored(TASKS.subList(0, 100), true);
        source.hydrate();
        clock.advance(Duration.ofSeconds(17));
        fallback.putAll(TASKS.subList(100, 150));
        ChangingUpstream plain = new ChangingUpstream().putAll(TASKS.subList(100, 150));
        FederatedTaskSource federation = new FederatedTaskSource("all", List.of(
                new FederatedTaskSource.Member("east", PROJECT, source, true),
                new FederatedTaskSource.Member("west", PROJECT, plain, true)), false,
                FederatedTaskSource.Reading.ALIGNED_BLOCKS);
        TaskPage page = federation.loadTasks(TaskQuery.builder("all").limit(100).build(), Caller.ANONYMOUS)
                .toCompletableFuture().join();
        assertThat(page.totalCount()).isEqualTo(150);
        assertThat(page.mirrorAge()).isEqualTo(Duration.ofSeconds(17));

        FederatedTaskSource unmirrored = new FederatedTaskSource("plain", List.of(
                new FederatedTaskSource.Member("west", PROJECT, plain, true)), false,
                FederatedTaskSource.Reading.UP_TO_PAGE_END);
        assertThat(unmirrored.loadTasks(TaskQuery.builder("plain").build(), Caller.ANONYMOUS).toCompletableFuture()
                .join().mirrorAge()).isNull();
    }

    @Test
    void afterRetentionDeletedTasksTheCopyIsLoadedAnew() {
        stored(TASKS, true);
        source.hydrate();
        store.purge(PROJECT, "syncer", NOW.minus(Duration.ofHours(2)), store.state(PROJECT).withPurge(clock.instant()),
                clock.instant(), LEASE);
        assertThat(source.refresh()).isEqualTo(-1);
        int left = (int) TASKS.stream().filter(t -> !t.startTime().isBefore(NOW.minus(Duration.ofHours(2)))).count();
        assertThat(left).isLessThan(300);
        assertThat(page(TaskQuery.builder(PROJECT).limit(0).build()).totalCount()).isEqualTo(left);
    }
}
