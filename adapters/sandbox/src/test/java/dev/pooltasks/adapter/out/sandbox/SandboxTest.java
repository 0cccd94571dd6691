package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sandbox as served, generated in the background: it answers as the store it generates. */
class SandboxTest {
    private static final String PROJECT = "p";
    private static final SandboxSettings SETTINGS = new SandboxSettings(PROJECT, 7, 500,
            Instant.parse("2026-11-27T12:00:00Z"));

    @Test
    void answersAsTheGeneratedStoreOnceReady() {
        Sandbox sandbox = Sandbox.generate(SETTINGS);
        TaskQuery query = TaskQuery.builder(PROJECT).offset(3).limit(20).build();
        TaskPage page = sandbox.loadTasks(query, Caller.ANONYMOUS).toCompletableFuture().join();
        SandboxTaskStore store = SandboxTaskStore.generate(SETTINGS);

        assertThat(sandbox.ready()).isCompleted();
        assertThat(page).isEqualTo(store.page(query));
        StatisticsQuery byPool = StatisticsQuery.of(TaskQuery.builder(PROJECT).build(), "pool", null);
        assertThat(sandbox.loadStatistics(byPool, Caller.ANONYMOUS).toCompletableFuture().join())
                .isEqualTo(store.statistics(byPool));
        assertThat(sandbox.projectId()).isEqualTo(PROJECT);
        assertThat(sandbox.size()).isEqualTo(store.size()).isEqualTo(500);
    }

    @Test
    void anotherProjectIsNotFound() {
        Sandbox sandbox = Sandbox.generate(SETTINGS);
        assertThatThrownBy(() -> sandbox.loadTasks(TaskQuery.builder("other").build(), Caller.ANONYMOUS)
                .toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(ProjectNotFoundException.class);
    }

    @Test
    void liveTasksAreBornFromWhenTheSandboxWasMadeNotWhenItWasGenerated() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
        Sandbox sandbox = Sandbox.live(SETTINGS, 60, Duration.ofSeconds(30), clock);
        sandbox.ready().join();
        clock.advance(Duration.ofSeconds(10));
        LiveSandbox expected = new LiveSandbox(SandboxTaskStore.generate(SETTINGS), 60, Duration.ofSeconds(30),
                new MutableClock(Instant.parse("2026-11-29T10:00:00Z")));
        TaskQuery all = TaskQuery.builder(PROJECT).limit(100).build();

        assertThat(sandbox.loadTasks(all, Caller.ANONYMOUS).toCompletableFuture().join())
                .isEqualTo(expected.indexAt(clock.instant()).page(all));
    }

    @Test
    void liveSettingsAreCheckedWhenTheSandboxIsMade() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
        assertThatThrownBy(() -> Sandbox.live(SETTINGS, 0, Duration.ofSeconds(30), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("per minute");
        assertThatThrownBy(() -> Sandbox.live(SETTINGS, 60, Duration.ofSeconds(4), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 5 seconds");
    }
}
