package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveSandboxTest {
    private static final String PROJECT = "live";
    private static final Instant START = Instant.parse("2026-11-29T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final SandboxTaskStore history = SandboxTaskStore.generate(new SandboxSettings(PROJECT, 5, 300,
            Instant.parse("2026-11-29T09:00:00Z")));
    private final LiveSandbox live = new LiveSandbox(history, 12, Duration.ofSeconds(60), clock);

    private TaskPage all() {
        return live.loadTasks(TaskQuery.builder(PROJECT).limit(100).build(), Caller.ANONYMOUS).toCompletableFuture()
                .join();
    }

    private Map<String, ScriptExecutionTask> liveTasks() {
        return live.indexAt(clock.instant()).tasks().stream().filter(t -> history.index().task(t.id()).isEmpty())
                .collect(Collectors.toMap(ScriptExecutionTask::id, Function.identity()));
    }

    @Test
    void statisticsCountTheSandboxAsItIsNow() {
        StatisticsQuery byStatus = StatisticsQuery.of(TaskQuery.builder(PROJECT).build(), "status", null);
        long before = statistics(byStatus).total().tasks();
        clock.advance(Duration.ofSeconds(50));
        TaskStatistics now = statistics(byStatus);
        assertThat(now.total().tasks()).isEqualTo(before + 10).isEqualTo(all().totalCount());
        assertThat(now).isEqualTo(live.indexAt(clock.instant()).statistics(byStatus));
        assertThat(now).isNotEqualTo(history.statistics(byStatus));
    }

    private TaskStatistics statistics(StatisticsQuery query) {
        return live.loadStatistics(query, Caller.ANONYMOUS).toCompletableFuture().join();
    }

    @Test
    void tasksStartAtTheConfiguredRateAndRunFromInitThroughRunningToTheirEnd() {
        assertThat(liveTasks()).hasSize(1); // the first starts at once
        clock.advance(Duration.ofSeconds(50));
        assertThat(liveTasks()).hasSize(11); // one every 5 s: at 0, 5, ..., 50 s
        assertThat(all().totalCount()).isEqualTo(311);

        ScriptExecutionTask first = liveTasks().values().stream().min((a, b) -> a.startTime().compareTo(b.startTime()))
                .orElseThrow();
        assertThat(first.startTime()).isEqualTo(START);
        int previousDone = -1;
        TaskStatus previous = null;
        for (int second = 0; second <= 70; second++) {
            ScriptExecutionTask now = live.liveTask(0, START.getEpochSecond() + second);
            int done = now.successNum() + now.failedNum() + now.skipNum();
            assertThat(done).as("counts only grow").isGreaterThanOrEqualTo(previousDone);
            if (previous != null && !previous.equals(now.status())) {
                assertThat(List.of(previous, now.status())).isIn(List.of(TaskStatus.INIT, TaskStatus.RUNNING),
                        List.of(TaskStatus.RUNNING, TaskStatus.FINISH), List.of(TaskStatus.RUNNING, TaskStatus.FAILED),
                        List.of(TaskStatus.INIT, TaskStatus.FINISH), List.of(TaskStatus.INIT, TaskStatus.FAILED));
            }
            boolean finished = now.status().equals(TaskStatus.FINISH) || now.status().equals(TaskStatus.FAILED);
            assertThat(now.endTime() != null).isEqualTo(finished);
            previousDone = done;
            previous = now.status();
        }
        assertThat(live.liveTask(0, START.getEpochSecond()).status()).isEqualTo(TaskStatus.INIT);
        assertThat(previous).isIn(TaskStatus.FINISH, TaskStatus.FAILED); // 60 s at most
    }

    @Test
    void aRepeatedQueryGetsTheSamePageUntilTheLiveSandboxChanges() {
        clock.advance(Duration.ofSeconds(30));
        TaskPage first = all();
        TaskPage sameSecond = all();
        clock.advance(Duration.ofSeconds(5)); // one more task born, others moved on
        TaskPage later = all();

        assertThat(sameSecond).isSameAs(first);
        assertThat(later).isNotSameAs(first);
        assertThat(later.totalCount()).isEqualTo(first.totalCount() + 1);
        assertThat(all()).isSameAs(later);
        assertThat(history.page(TaskQuery.builder(PROJECT).limit(100).build()))
                .isSameAs(history.page(TaskQuery.builder(PROJECT).limit(100).build()));
    }

    @Test
    void theHistoryStaysAsGeneratedAndAnswersAreTheSameWithinASecond() {
        clock.advance(Duration.ofMinutes(3));
        List<ScriptExecutionTask> historyNow = live.indexAt(clock.instant()).tasks().stream()
                .filter(t -> history.index().task(t.id()).isPresent()).toList();
        assertThat(historyNow).isEqualTo(history.allTasks());
        assertThat(all()).isEqualTo(all());
        assertThat(live.loadTasks(TaskQuery.builder("other").build(), Caller.ANONYMOUS).toCompletableFuture())
                .isCompletedExceptionally();
        assertThatThrownBy(() -> new LiveSandbox(history, 0, Duration.ofMinutes(1), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
