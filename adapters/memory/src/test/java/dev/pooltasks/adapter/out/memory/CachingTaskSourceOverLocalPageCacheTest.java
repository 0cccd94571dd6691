package dev.pooltasks.adapter.out.memory;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.domain.service.CachingTaskSource;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static dev.pooltasks.testing.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The domain's caching policy over the real cache: what single flight means for callers, hits and stale copies. */
class CachingTaskSourceOverLocalPageCacheTest {
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration STALE_FOR = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private final LocalPageCache pages = new LocalPageCache(64L << 20, TTL, STALE_FOR, clock);
    private final List<CompletableFuture<TaskPage>> held = new CopyOnWriteArrayList<>();
    private final List<TaskQuery> received = new CopyOnWriteArrayList<>();
    private final List<Boolean> hits = new CopyOnWriteArrayList<>();
    /** A source whose answers wait until the test completes them. */
    private final LoadScriptExecutionTasksPort source = (query, caller) -> {
        received.add(query);
        CompletableFuture<TaskPage> answer = new CompletableFuture<>();
        held.add(answer);
        return answer;
    };
    private final CachingTaskSource cached = new CachingTaskSource("east", source, false, List.of(pages), STALE_FOR,
            clock, (name, hit) -> hits.add(hit));

    private List<CompletableFuture<TaskPage>> askTimes(int times) {
        return IntStream.range(0, times)
                .mapToObj(i -> cached.loadTasks(Pages.query(0, 100), Caller.ANONYMOUS).toCompletableFuture())
                .toList();
    }

    @Test
    void concurrentIdenticalQueriesShareOneSourceCallAndCountOneMiss() throws Exception {
        List<CompletableFuture<TaskPage>> answers = askTimes(8);
        assertThat(received).hasSize(1);
        TaskPage page = Pages.page(1, 100);
        held.get(0).complete(page);

        for (CompletableFuture<TaskPage> answer : answers) {
            assertThat(await(answer)).isSameAs(page);
        }
        assertThat(hits).hasSize(8).containsOnlyOnce(false);
    }

    @Test
    void theHeldAnswerIsTheFreshCopyALookupWouldGiveAndCountsAsAHit() throws Exception {
        TaskQuery query = Pages.query(0, 100);
        List<CompletableFuture<TaskPage>> first = askTimes(1);
        assertThat(cached.heldAnswer(query, Caller.ANONYMOUS)).as("only a load in flight").isNull();
        TaskPage page = Pages.page(3, 100);
        held.get(0).complete(page);
        await(first.get(0));

        assertThat(cached.heldAnswer(query, Caller.ANONYMOUS)).isSameAs(page)
                .isSameAs(await(cached.loadTasks(query, Caller.ANONYMOUS)));
        assertThat(hits).containsExactly(false, true, true);
        clock.advance(TTL);
        assertThat(cached.heldAnswer(query, Caller.ANONYMOUS)).as("no longer fresh").isNull();
        assertThat(received).hasSize(1);
    }

    @Test
    void everyCallerWaitingOnAFailedRefreshGetsTheLastGoodPageMarkedStale() throws Exception {
        List<CompletableFuture<TaskPage>> first = askTimes(1);
        TaskPage good = Pages.page(2, 50);
        held.get(0).complete(good);
        await(first.get(0));
        clock.advance(TTL);

        List<CompletableFuture<TaskPage>> waiters = askTimes(4);
        assertThat(received).hasSize(2);
        assertThat(waiters).noneMatch(CompletableFuture::isDone);
        held.get(1).completeExceptionally(new TaskSourceUnavailableException("east", "down"));

        for (CompletableFuture<TaskPage> waiter : waiters) {
            TaskPage stale = await(waiter);
            assertThat(stale.tasks()).isEqualTo(good.tasks());
            assertThat(stale.staleSources()).containsExactly("east");
        }
        assertThat(hits).as("the refresh was a miss for every caller: none got a cached answer")
                .containsExactly(false, false, false, false, false);
    }
}
