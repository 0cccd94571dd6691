package dev.pooltasks.domain.service;

import dev.pooltasks.domain.aggregation.StatisticsOracle;
import dev.pooltasks.domain.aggregation.StatisticsTestData;
import dev.pooltasks.domain.index.TaskIndex;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.TaskSourceThrottledException;
import dev.pooltasks.domain.query.Grouping;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.domain.query.TooManyTasksToCountException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Statistics of a source that only lists: its list walked in blocks, against the oracle. */
class ListedTaskStatisticsTest {
    private static final List<ScriptExecutionTask> TASKS = StatisticsTestData.tasks(5, 1234);
    private static final int MAX = 2000;

    /** A source answering from an index of the tasks, with the API's full semantics. */
    private static FakeTaskSource listing(List<ScriptExecutionTask> tasks) {
        TaskIndex.Builder builder = TaskIndex.builder();
        tasks.forEach(builder::add);
        TaskIndex index = builder.build();
        return FakeTaskSource.answering(index::page);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 99, 100, 101, 1234})
    void aWalkCountsEveryMatchingTaskOnceInAlignedBlocks(int size) {
        List<ScriptExecutionTask> tasks = TASKS.subList(0, size);
        FakeTaskSource source = listing(tasks);
        for (Grouping grouping : Grouping.values()) {
            source.received.clear();
            StatisticsQuery query = new StatisticsQuery(TaskQuery.builder("p").build(), grouping,
                    ZoneId.of("Asia/Kolkata"));

            TaskStatistics statistics = walk(source, query, MAX);

            assertThat(statistics).isEqualTo(StatisticsOracle.of(tasks, query));
            assertThat(source.received).hasSize(Math.max(1, (size + 99) / 100));
            assertThat(source.received).allSatisfy(block -> {
                assertThat(block.offset() % 100).isZero();
                assertThat(block.limit()).isEqualTo(100);
            });
            assertThat(source.received.stream().map(TaskQuery::offset).distinct()).hasSize(source.received.size());
        }
    }

    @Test
    void filtersArePassedDownAndTheRestOfTheWalkIsPinnedToTheNewestTaskOfTheFirstBlock() {
        FakeTaskSource source = listing(TASKS);
        TaskQuery filters = TaskQuery.builder("p").status("FAILED").scriptName("e").build();
        StatisticsQuery query = new StatisticsQuery(filters, Grouping.POOL, ZoneId.of("UTC"));

        assertThat(walk(source, query, MAX)).isEqualTo(StatisticsOracle.of(TASKS, query));

        Instant newest = TASKS.stream().filter(filters::matches).map(ScriptExecutionTask::startTime)
                .max(Instant::compareTo).orElseThrow();
        assertThat(source.received.get(0).executeTimeEnd()).isNull();
        assertThat(source.received.subList(1, source.received.size()))
                .isNotEmpty()
                .allSatisfy(block -> {
                    assertThat(block.status()).isEqualTo(filters.status());
                    assertThat(block.scriptName()).isEqualTo("e");
                    assertThat(block.executeTimeEnd()).isEqualTo(newest);
                });
    }

    @Test
    void tasksStartingDuringTheWalkDoNotShiftItsBlocks() {
        // after the first block, 150 newer tasks arrive: without the pin, blocks would repeat and miss tasks
        List<ScriptExecutionTask> later = new ArrayList<>();
        for (ScriptExecutionTask task : StatisticsTestData.tasks(77, 150)) {
            later.add(new ScriptExecutionTask("later-" + task.id(), task.desktopPoolId(), task.desktopPoolName(),
                    task.scripts(), task.commandContent(), task.commandType(), Instant.parse("2030-01-01T00:00:00Z"),
                    null, task.status(), task.successNum(), task.failedNum(), task.skipNum()));
        }
        List<ScriptExecutionTask> all = new ArrayList<>(TASKS);
        all.addAll(later);
        TaskIndex before = indexOf(TASKS);
        TaskIndex after = indexOf(all);
        AtomicReference<TaskIndex> current = new AtomicReference<>(before);
        FakeTaskSource source = FakeTaskSource.answering(block -> {
            TaskPage page = current.get().page(block);
            current.set(after);
            return page;
        });
        StatisticsQuery query = new StatisticsQuery(TaskQuery.builder("p").build(), Grouping.SCRIPT, ZoneId.of("UTC"));

        assertThat(walk(source, query, MAX)).isEqualTo(StatisticsOracle.of(TASKS, query));
    }

    @Test
    void moreMatchingTasksThanTheLimitAreRefusedAfterTheFirstBlock() {
        FakeTaskSource source = listing(TASKS);
        StatisticsQuery query = new StatisticsQuery(TaskQuery.builder("p").build(), Grouping.DAY, ZoneId.of("UTC"));

        assertThatThrownBy(() -> walk(source, query, 1233))
                .isInstanceOfSatisfying(TooManyTasksToCountException.class, e -> {
                    assertThat(e.matching()).isEqualTo(1234);
                    assertThat(e.limit()).isEqualTo(1233);
                    assertThat(e.getMessage()).contains("1,234 tasks match in east", "at most 1,233",
                            "narrow the filters", "mirror the project");
                });
        assertThat(source.received).hasSize(1);
        assertThat(walk(source, query, 1234).total().tasks()).isEqualTo(1234);
    }

    @Test
    void aBlockThatFailsFailsTheWalk() {
        TaskIndex index = indexOf(TASKS);
        FakeTaskSource source = FakeTaskSource.answeringLater(block -> block.offset() == 700
                ? CompletableFuture.failedFuture(new TaskSourceThrottledException("east", 12))
                : CompletableFuture.completedFuture(index.page(block)));
        StatisticsQuery query = new StatisticsQuery(TaskQuery.builder("p").build(), Grouping.DAY, ZoneId.of("UTC"));

        assertThatThrownBy(() -> walk(source, query, MAX)).isInstanceOf(TaskSourceThrottledException.class);
    }

    @Test
    void blocksServedFromAStaleCopyMarkTheStatisticsStale() {
        TaskIndex index = indexOf(TASKS);
        FakeTaskSource source = FakeTaskSource.answering(block -> block.offset() == 300
                ? index.page(block).markedStale("east") : index.page(block));
        StatisticsQuery query = new StatisticsQuery(TaskQuery.builder("p").build(), Grouping.DAY, ZoneId.of("UTC"));

        TaskStatistics statistics = walk(source, query, MAX);

        assertThat(statistics.staleSources()).isEqualTo(Set.of("east"));
        assertThat(statistics.total().tasks()).isEqualTo(TASKS.size());
    }

    @Test
    void sourcesABlockSaysAreMissingBehindTheUpstreamAreMissingFromTheStatistics() {
        TaskIndex index = indexOf(TASKS);
        FakeTaskSource source = FakeTaskSource.answering(block -> block.offset() == 100
                ? index.page(block).withSourcesBehind(Set.of("east/west"), Set.of()) : index.page(block));
        StatisticsQuery query = new StatisticsQuery(TaskQuery.builder("p").build(), Grouping.DAY, ZoneId.of("UTC"));

        TaskStatistics statistics = walk(source, query, MAX);

        assertThat(statistics.missingSources()).isEqualTo(Set.of("east/west"));
        assertThat(statistics.staleSources()).isEmpty();
        assertThat(statistics.total().tasks()).isEqualTo(TASKS.size());
    }

    static TaskStatistics walk(FakeTaskSource source, StatisticsQuery query, int max) {
        try {
            return new ListedTaskStatistics("east", source, max).loadStatistics(query, Caller.ANONYMOUS)
                    .toCompletableFuture().join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private static TaskIndex indexOf(List<ScriptExecutionTask> tasks) {
        TaskIndex.Builder builder = TaskIndex.builder();
        tasks.forEach(builder::add);
        return builder.build();
    }
}
