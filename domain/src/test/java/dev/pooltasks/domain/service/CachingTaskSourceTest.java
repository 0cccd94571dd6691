package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.pooltasks.domain.model.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class CachingTaskSourceTest {
    private static final String NAME = "east";
    private static final String PROJECT = "project-east";
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration STALE_FOR = Duration.ofSeconds(60);
    private static final Caller CALLER = new Caller("ak-1", "token-1", Set.of(Caller.ANY_PROJECT));
    private static final Instant BASE = Instant.parse("2024-03-01T00:00:00Z");

    /** The nano clock; it starts negative, as System.nanoTime may. */
    private final AtomicLong clock = new AtomicLong(-7_000_000_000L);
    private final List<String> lookups = new CopyOnWriteArrayList<>();
    private final CachingTaskSource.CacheListener listener =
            (source, hit) -> lookups.add(source + ":" + (hit ? "hit" : "miss"));
    private final InMemoryUpstream upstream = InMemoryUpstream.serving(PROJECT, tasks("t", 250));

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------------

    static List<ScriptExecutionTask> tasks(String prefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> aTask().withId(String.format("%s-%03d", prefix, i)).startedAt(BASE.minusSeconds(i))
                        .inPool(i % 2 == 0 ? "pool-1" : "pool-2")
                        .withStatus(i % 3 == 0 ? TaskStatus.FAILED : TaskStatus.FINISH)
                        .build())
                .toList();
    }

    static TaskQuery query() {
        return TaskQuery.builder(PROJECT).build();
    }

    CachingTaskSource cache(LoadScriptExecutionTasksPort source, Duration staleFor) {
        return new CachingTaskSource(NAME, source, TTL, staleFor, clock::get, listener);
    }

    CachingTaskSource cache(LoadScriptExecutionTasksPort source) {
        return cache(source, Duration.ZERO);
    }

    void advance(Duration by) {
        clock.addAndGet(by.toNanos());
    }

    void advanceNanos(long nanos) {
        clock.addAndGet(nanos);
    }

    static TaskPage await(CompletionStage<TaskPage> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("expected an answer, got a failure", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no answer (hang guard, not a timing assertion)", e);
        }
    }

    static Throwable failureOf(CompletionStage<TaskPage> stage) {
        try {
            TaskPage page = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
            return fail("expected a failed answer, got " + page);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause;
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no answer (hang guard, not a timing assertion)", e);
        }
    }

    static TaskPage load(CachingTaskSource cache, TaskQuery query) {
        return await(cache.loadTasks(query, CALLER));
    }

    /** A source that answers from {@code upstream} while {@code down} is false, and fails with {@code failure} else. */
    static FakeTaskSource switchable(InMemoryUpstream upstream, AtomicBoolean down, RuntimeException failure) {
        return FakeTaskSource.answeringLater(q -> down.get()
                ? CompletableFuture.failedFuture(failure)
                : upstream.loadTasks(q, CALLER));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. Hits, misses, expiry, keys
    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class Caching {
        @Test
        void anIdenticalQueryWithinTheTtlIsServedFromTheCache() {
            CachingTaskSource cache = cache(upstream);

            TaskPage first = load(cache, query());
            advanceNanos(TTL.toNanos() - 1);
            TaskPage second = load(cache, query());

            assertThat(second).isSameAs(first);
            assertThat(first).isEqualTo(upstream.answer(query()));
            assertThat(upstream.received).containsExactly(query());
            assertThat(lookups).containsExactly("east:miss", "east:hit");
        }

        @Test
        void afterTheTtlTheQueryIsFetchedAgainAndCachedAnew() {
            CachingTaskSource cache = cache(upstream);
            TaskPage first = load(cache, query());
            upstream.replaceTasks(tasks("changed", 5));

            advanceNanos(TTL.toNanos() + 1);
            TaskPage second = load(cache, query());
            advanceNanos(TTL.toNanos() - 1);
            TaskPage third = load(cache, query());

            assertThat(second).isNotEqualTo(first).isEqualTo(upstream.answer(query()));
            assertThat(third).isSameAs(second);
            assertThat(upstream.received).hasSize(2);
            assertThat(lookups).containsExactly("east:miss", "east:miss", "east:hit");
        }

        @Test
        void theTtlCountsFromWhenTheAnswerArrived() {
            upstream.holdingAnswers();
            CachingTaskSource cache = cache(upstream);
            CompletableFuture<TaskPage> first = cache.loadTasks(query(), CALLER).toCompletableFuture();
            advance(TTL.multipliedBy(3)); // the upstream is slow
            upstream.release();

            advanceNanos(TTL.toNanos() - 1);
            TaskPage second = load(cache, query());

            assertThat(second).isSameAs(first.join());
            assertThat(upstream.received).hasSize(1);
        }

        static Stream<Arguments> otherQueries() {
            List<UnaryOperator<TaskQuery.Builder>> variations = List.of(
                    b -> b.desktopPoolId("pool-1"),
                    b -> b.status("FAILED"),
                    b -> b.scriptName("chrome"),
                    b -> b.scriptId("script-1"),
                    b -> b.taskType("SCRIPT"),
                    b -> b.taskIds(List.of("t-001")),
                    b -> b.executeTimeStart(BASE.minusSeconds(100)),
                    b -> b.executeTimeEnd(BASE.minusSeconds(100)),
                    b -> b.offset(10),
                    b -> b.limit(11),
                    b -> b.offset(100).limit(100));
            return IntStream.range(0, variations.size())
                    .mapToObj(i -> Arguments.of(i, variations.get(i).apply(TaskQuery.builder(PROJECT)).build()));
        }

        @ParameterizedTest(name = "[{0}] {1}")
        @MethodSource("otherQueries")
        void aQueryWithOtherFiltersOrAnotherWindowIsASeparateEntry(int index, TaskQuery other) {
            CachingTaskSource cache = cache(upstream);

            TaskPage plain = load(cache, query());
            TaskPage varied = load(cache, other);
            TaskPage plainAgain = load(cache, query());
            TaskPage variedAgain = load(cache, other);

            assertThat(other).isNotEqualTo(query());
            assertThat(upstream.received).containsExactly(query(), other);
            assertThat(varied).isEqualTo(upstream.answer(other));
            assertThat(plainAgain).isSameAs(plain);
            assertThat(variedAgain).isSameAs(varied);
            assertThat(lookups).containsExactly("east:miss", "east:miss", "east:hit", "east:hit");
        }

        @Test
        void anotherProjectIsASeparateEntry() {
            InMemoryUpstream west = InMemoryUpstream.serving("project-west", tasks("w", 3));
            FakeTaskSource both = FakeTaskSource.answeringLater(q -> q.projectId().equals(PROJECT)
                    ? upstream.loadTasks(q, CALLER) : west.loadTasks(q, CALLER));
            CachingTaskSource cache = cache(both);

            TaskPage east = load(cache, query());
            TaskPage westPage = load(cache, TaskQuery.builder("project-west").build());

            assertThat(both.received).hasSize(2);
            assertThat(westPage.totalCount()).isEqualTo(3);
            assertThat(east.totalCount()).isEqualTo(250);
        }

        @Test
        void equalQueriesBuiltSeparatelyShareAnEntry() {
            CachingTaskSource cache = cache(upstream);
            TaskQuery one = TaskQuery.builder(PROJECT).taskIds(List.of("t-001", "t-002")).status("SUCCESS").build();
            TaskQuery same = TaskQuery.builder(PROJECT).taskIds(List.of("t-002", "t-001")).status("FINISH").build();

            TaskPage first = load(cache, one);
            TaskPage second = load(cache, same);

            assertThat(second).isSameAs(first);
            assertThat(upstream.received).hasSize(1);
        }

        @Test
        void answersAreCachedPerCallerToken() {
            CachingTaskSource cache = cache(upstream);
            Caller alice = new Caller("alice", "token-a", Set.of(Caller.ANY_PROJECT));
            Caller aliceWithAnotherToken = new Caller("alice", "token-b", Set.of(Caller.ANY_PROJECT));
            Caller bobWithAlicesToken = new Caller("bob", "token-a", Set.of(Caller.ANY_PROJECT));
            Caller anonymous = Caller.ANONYMOUS;
            Caller carolWithoutToken = new Caller("carol", null, Set.of(Caller.ANY_PROJECT));

            TaskPage a = await(cache.loadTasks(query(), alice));
            TaskPage b = await(cache.loadTasks(query(), aliceWithAnotherToken));
            TaskPage sameToken = await(cache.loadTasks(query(), bobWithAlicesToken));
            TaskPage none = await(cache.loadTasks(query(), anonymous));
            TaskPage noneAgain = await(cache.loadTasks(query(), carolWithoutToken));

            assertThat(upstream.callers).containsExactly(alice, aliceWithAnotherToken, anonymous);
            assertThat(sameToken).isSameAs(a);
            assertThat(noneAgain).isSameAs(none);
            assertThat(b).isNotSameAs(a).isEqualTo(a);
            assertThat(lookups).containsExactly("east:miss", "east:miss", "east:hit", "east:miss", "east:hit");
        }

        @Test
        void theListenerHearsTheCachesName() {
            CachingTaskSource cache = new CachingTaskSource("upstream-x", upstream, TTL, Duration.ZERO, clock::get,
                    listener);

            load(cache, query());
            load(cache, query());

            assertThat(lookups).containsExactly("upstream-x:miss", "upstream-x:hit");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. Single flight
    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class SingleFlight {
        @ParameterizedTest(name = "{0} concurrent callers")
        @ValueSource(ints = {2, 16, 64})
        void concurrentIdenticalQueriesShareOneSourceCall(int callers) throws Exception {
            upstream.holdingAnswers();
            CachingTaskSource cache = cache(upstream);
            ExecutorService threads = Executors.newFixedThreadPool(Math.min(callers, 16));
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<CompletableFuture<CompletableFuture<TaskPage>>> calls = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    calls.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        return cache.loadTasks(query(), CALLER).toCompletableFuture();
                    }, threads));
                }
                start.countDown();
                List<CompletableFuture<TaskPage>> answers = new ArrayList<>();
                for (var call : calls) {
                    answers.add(call.get(30, TimeUnit.SECONDS));
                }

                assertThat(answers).noneMatch(CompletableFuture::isDone);
                assertThat(upstream.received).hasSize(1);
                assertThat(upstream.release()).isEqualTo(1);

                TaskPage page = await(answers.get(0));
                assertThat(answers).allSatisfy(answer -> assertThat(await(answer)).isSameAs(page));
                assertThat(page).isEqualTo(upstream.answer(query()));
                assertThat(upstream.received).hasSize(1);
                assertThat(lookups).hasSize(callers).containsOnlyOnce("east:miss");
            } finally {
                threads.shutdownNow();
            }
        }

        @Test
        void anAnswerInFlightIsSharedHoweverLongItTakes() {
            upstream.holdingAnswers();
            CachingTaskSource cache = cache(upstream);

            CompletableFuture<TaskPage> first = cache.loadTasks(query(), CALLER).toCompletableFuture();
            advance(TTL.multipliedBy(100));
            CompletableFuture<TaskPage> second = cache.loadTasks(query(), CALLER).toCompletableFuture();
            upstream.release();

            assertThat(upstream.received).hasSize(1);
            assertThat(await(second)).isSameAs(await(first));
            assertThat(lookups).containsExactly("east:miss", "east:hit");
        }

        @Test
        void anotherQueryWhileOneIsInFlightIsFetchedOnItsOwn() {
            upstream.holdingAnswers();
            CachingTaskSource cache = cache(upstream);
            TaskQuery other = query().withWindow(10, 10);

            CompletableFuture<TaskPage> first = cache.loadTasks(query(), CALLER).toCompletableFuture();
            CompletableFuture<TaskPage> second = cache.loadTasks(other, CALLER).toCompletableFuture();

            assertThat(upstream.received).containsExactly(query(), other);
            upstream.release();
            assertThat(await(first)).isEqualTo(upstream.answer(query()));
            assertThat(await(second)).isEqualTo(upstream.answer(other));
        }

        @Test
        void aFailureInFlightReachesEveryWaiterAndIsNotKept() {
            upstream.holdingAnswers().failingWith(new TaskSourceUnavailableException(NAME, "timeout"));
            CachingTaskSource cache = cache(upstream);

            List<CompletableFuture<TaskPage>> waiters = IntStream.range(0, 5)
                    .mapToObj(i -> cache.loadTasks(query(), CALLER).toCompletableFuture()).toList();
            upstream.release();

            assertThat(waiters).allSatisfy(waiter -> assertThat(failureOf(waiter))
                    .isInstanceOf(TaskSourceUnavailableException.class));
            upstream.failingWhen(q -> false, null);
            CompletableFuture<TaskPage> retry = cache.loadTasks(query(), CALLER).toCompletableFuture();
            upstream.release();
            assertThat(await(retry)).isEqualTo(upstream.answer(query()));
            assertThat(upstream.received).hasSize(2);
        }

        @Test
        void manyThreadsOverAFewQueriesFetchEachQueryOnce() throws Exception {
            ExecutorService upstreamThreads = Executors.newFixedThreadPool(3);
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                upstream.answeringOn(upstreamThreads);
                CachingTaskSource cache = cache(upstream);
                List<TaskQuery> queries = IntStream.range(0, 5).mapToObj(i -> query().withWindow(i * 20, 20)).toList();
                CountDownLatch start = new CountDownLatch(1);
                List<CompletableFuture<TaskPage>> answers = new CopyOnWriteArrayList<>();
                List<CompletableFuture<Void>> calls = IntStream.range(0, 400)
                        .mapToObj(i -> CompletableFuture.runAsync(() -> {
                            try {
                                start.await();
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                            TaskQuery q = queries.get(i % queries.size());
                            answers.add(cache.loadTasks(q, CALLER).toCompletableFuture()
                                    .thenApply(page -> {
                                        assertThat(page).isEqualTo(upstream.answer(q));
                                        return page;
                                    }));
                        }, callers))
                        .toList();
                start.countDown();
                CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

                assertThat(answers).hasSize(400).allSatisfy(answer -> await(answer));
                assertThat(upstream.received).hasSize(5).containsExactlyInAnyOrderElementsOf(queries);
                assertThat(lookups.stream().filter(l -> l.endsWith("miss"))).hasSize(5);
            } finally {
                callers.shutdownNow();
                upstreamThreads.shutdownNow();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. Failures are not cached
    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class Failures {
        @Test
        void aFailedAnswerMakesTheNextIdenticalQueryCallTheSourceAgain() {
            TaskSourceUnavailableException down = new TaskSourceUnavailableException(NAME, "connection refused");
            AtomicInteger calls = new AtomicInteger();
            FakeTaskSource source = FakeTaskSource.answeringLater(q -> calls.getAndIncrement() == 0
                    ? CompletableFuture.failedFuture(down)
                    : upstream.loadTasks(q, CALLER));
            CachingTaskSource cache = cache(source);

            Throwable first = failureOf(cache.loadTasks(query(), CALLER));
            TaskPage second = load(cache, query());
            TaskPage third = load(cache, query());

            assertThat(first).isSameAs(down);
            assertThat(second).isEqualTo(upstream.answer(query()));
            assertThat(third).isSameAs(second);
            assertThat(source.received).hasSize(2);
            assertThat(lookups).containsExactly("east:miss", "east:miss", "east:hit");
        }

        @Test
        void aFailureKeepsItsTypeAndDetails() {
            TaskSourceRejectedException rejected = new TaskSourceRejectedException(NAME, 429, "{\"slow\":\"down\"}", 7);
            CachingTaskSource cache = cache(FakeTaskSource.failing(rejected));

            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isSameAs(rejected);
        }

        @Test
        void aSourceThatThrowsGivesAFailedAnswerAndIsCalledAgainNextTime() {
            upstream.failingWith(new IllegalStateException("bug")).throwingSynchronously();
            CachingTaskSource cache = cache(upstream);

            AtomicReference<CompletionStage<TaskPage>> answer = new AtomicReference<>();
            assertThatNoException().isThrownBy(() -> answer.set(cache.loadTasks(query(), CALLER)));
            assertThat(failureOf(answer.get())).isInstanceOf(IllegalStateException.class).hasMessage("bug");
            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isInstanceOf(IllegalStateException.class);
            assertThat(upstream.received).hasSize(2);
        }

        @Test
        void aFailedRefreshIsNotKeptEither() {
            AtomicBoolean down = new AtomicBoolean();
            TaskSourceUnavailableException failure = new TaskSourceUnavailableException(NAME, "down");
            FakeTaskSource source = switchable(upstream, down, failure);
            CachingTaskSource cache = cache(source);
            load(cache, query());

            advance(TTL.plusNanos(1));
            down.set(true);
            Throwable refresh = failureOf(cache.loadTasks(query(), CALLER));
            down.set(false);
            TaskPage recovered = load(cache, query());

            assertThat(refresh).isSameAs(failure);
            assertThat(recovered).isEqualTo(upstream.answer(query()));
            assertThat(recovered.staleSources()).isEmpty();
            assertThat(source.received).hasSize(3);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. Serving the last good answer, stale
    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class ServeStale {
        private final AtomicBoolean down = new AtomicBoolean();
        private final TaskSourceUnavailableException failure = new TaskSourceUnavailableException(NAME, "down");
        private final FakeTaskSource source = switchable(upstream, down, failure);

        @Test
        void afterTheTtlAFailingSourceGivesTheLastGoodPageMarkedStale() {
            CachingTaskSource cache = cache(source, STALE_FOR);
            TaskPage good = load(cache, query());

            advance(TTL.plusNanos(1));
            down.set(true);
            TaskPage stale = load(cache, query());

            assertThat(source.received).hasSize(2);
            assertThat(stale.tasks()).isEqualTo(good.tasks());
            assertThat(stale.totalCount()).isEqualTo(good.totalCount());
            assertThat(stale.missingSources()).isEqualTo(good.missingSources());
            assertThat(stale.staleSources()).containsExactly(NAME);
            assertThat(good.staleSources()).isEmpty();
        }

        @Test
        void theLastGoodPageIsServedAgainOnEachFailedRefreshUntilStaleForHasPassed() {
            CachingTaskSource cache = cache(source, STALE_FOR);
            long goodAt = clock.get();
            TaskPage good = load(cache, query());
            down.set(true);

            advance(TTL.plusNanos(1));
            TaskPage stale1 = load(cache, query());
            advance(Duration.ofSeconds(20));
            TaskPage stale2 = load(cache, query());
            clock.set(goodAt + STALE_FOR.toNanos() - 1);
            TaskPage stale3 = load(cache, query());
            clock.set(goodAt + STALE_FOR.toNanos() + 1);
            Throwable tooOld = failureOf(cache.loadTasks(query(), CALLER));

            assertThat(List.of(stale1, stale2, stale3)).allSatisfy(stale -> {
                assertThat(stale.tasks()).isEqualTo(good.tasks());
                assertThat(stale.staleSources()).containsExactly(NAME);
            });
            assertThat(tooOld).isSameAs(failure);
            assertThat(source.received).as("every refresh asks the source").hasSize(5);
        }

        @Test
        void beyondStaleForTheFailurePropagates() {
            CachingTaskSource cache = cache(source, STALE_FOR);
            load(cache, query());

            advance(STALE_FOR.plusSeconds(1));
            down.set(true);

            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isSameAs(failure);
        }

        @Test
        void withStaleForZeroTheFailurePropagates() {
            CachingTaskSource cache = cache(source, Duration.ZERO);
            load(cache, query());

            advance(TTL.plusNanos(1));
            down.set(true);

            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isSameAs(failure);
        }

        @Test
        void withoutAGoodAnswerTheFailurePropagates() {
            CachingTaskSource cache = cache(source, STALE_FOR);
            down.set(true);

            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isSameAs(failure);
            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isSameAs(failure);
        }

        @Test
        void aGoodAnswerForAnotherQueryIsNotServedStale() {
            CachingTaskSource cache = cache(source, STALE_FOR);
            load(cache, query());
            down.set(true);

            assertThat(failureOf(cache.loadTasks(query().withWindow(10, 10), CALLER))).isSameAs(failure);
            Caller other = new Caller("other", "other-token", Set.of(Caller.ANY_PROJECT));
            assertThat(failureOf(cache.loadTasks(query(), other))).isSameAs(failure);
        }

        @Test
        void aNewerGoodAnswerReplacesTheOneServedStale() {
            CachingTaskSource cache = cache(source, STALE_FOR);
            load(cache, query());

            advance(TTL.plusNanos(1));
            down.set(true);
            assertThat(load(cache, query()).staleSources()).containsExactly(NAME);
            advance(Duration.ofSeconds(20)); // 30s after the first good answer
            down.set(false);
            upstream.replaceTasks(tasks("newer", 7));
            TaskPage newer = load(cache, query());
            advance(Duration.ofSeconds(45)); // 75s after the first, 45s after the newer one
            down.set(true);
            TaskPage stale = load(cache, query());

            assertThat(newer.staleSources()).isEmpty();
            assertThat(newer.totalCount()).isEqualTo(7);
            assertThat(stale.tasks()).isEqualTo(newer.tasks());
            assertThat(stale.staleSources()).containsExactly(NAME);
        }

        @Test
        void everyWaiterOnAFailedRefreshGetsTheStalePage() {
            List<CompletableFuture<TaskPage>> held = new CopyOnWriteArrayList<>();
            AtomicBoolean first = new AtomicBoolean(true);
            FakeTaskSource goodThenHeld = FakeTaskSource.answeringLater(q -> {
                if (first.getAndSet(false)) {
                    return upstream.loadTasks(q, CALLER);
                }
                CompletableFuture<TaskPage> later = new CompletableFuture<>();
                held.add(later);
                return later;
            });
            CachingTaskSource cache = cache(goodThenHeld, STALE_FOR);
            TaskPage good = load(cache, query());
            advance(TTL.plusNanos(1));

            List<CompletableFuture<TaskPage>> waiters = IntStream.range(0, 4)
                    .mapToObj(i -> cache.loadTasks(query(), CALLER).toCompletableFuture()).toList();
            assertThat(held).hasSize(1);
            assertThat(waiters).noneMatch(CompletableFuture::isDone);
            held.get(0).completeExceptionally(failure);

            assertThat(waiters).allSatisfy(waiter -> {
                assertThat(await(waiter).tasks()).isEqualTo(good.tasks());
                assertThat(await(waiter).staleSources()).containsExactly(NAME);
            });
            assertThat(goodThenHeld.received).hasSize(2);
        }

        @Test
        void markingStaleKeepsThePagesOwnMissingAndStaleSources() {
            TaskPage nested = new TaskPage(3, tasks("n", 3), Set.of("gone"), Set.of("old"));
            AtomicBoolean nestedDown = new AtomicBoolean();
            CachingTaskSource cache = cache(FakeTaskSource.answeringLater(q -> nestedDown.get()
                    ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(nested)), STALE_FOR);
            load(cache, query());

            advance(TTL.plusNanos(1));
            nestedDown.set(true);
            TaskPage stale = load(cache, query());

            assertThat(stale.missingSources()).containsExactly("gone");
            assertThat(stale.staleSources()).containsExactlyInAnyOrder("old", NAME);
            assertThat(stale.tasks()).isEqualTo(nested.tasks());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 5. Construction
    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class Construction {
        @ParameterizedTest(name = "ttl {0}")
        @ValueSource(longs = {0, -1, -10_000_000_000L})
        void aTtlThatIsNotPositiveIsRejected(long ttlNanos) {
            assertThatThrownBy(() -> new CachingTaskSource(NAME, upstream, Duration.ofNanos(ttlNanos), STALE_FOR,
                    clock::get, listener))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ttl");
        }

        @Test
        void theSmallestPositiveTtlIsAccepted() {
            CachingTaskSource cache = new CachingTaskSource(NAME, upstream, Duration.ofNanos(1), Duration.ZERO,
                    clock::get, listener);

            TaskPage first = load(cache, query());
            TaskPage second = load(cache, query());
            advanceNanos(1);
            load(cache, query());

            assertThat(second).isSameAs(first);
            assertThat(upstream.received).hasSize(2);
        }

        @Test
        void aNameAndASourceAreRequired() {
            assertThatThrownBy(() -> new CachingTaskSource(null, upstream, TTL, STALE_FOR, clock::get, listener))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> new CachingTaskSource(NAME, null, TTL, STALE_FOR, clock::get, listener))
                    .isInstanceOf(NullPointerException.class);
        }

        @Test
        void theSilentListenerCanBeUsed() {
            CachingTaskSource cache = new CachingTaskSource(NAME, upstream, TTL, STALE_FOR, clock::get,
                    CachingTaskSource.CacheListener.NONE);

            assertThat(load(cache, query())).isEqualTo(upstream.answer(query()));
        }
    }
}
