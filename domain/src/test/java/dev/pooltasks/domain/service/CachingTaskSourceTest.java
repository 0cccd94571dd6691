package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.port.out.PageCache;
import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.port.out.TaskSourceThrottledException;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.pooltasks.domain.model.TaskBuilder.aTask;
import static dev.pooltasks.testing.Stages.await;
import static dev.pooltasks.testing.Stages.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The caching policy (keys, tiers, serving stale copies, hit and miss) over a plain in-test cache. How copies are kept
 * (single flight, expiry, the weight bound) is tested with the real cache in adapters/memory (LocalPageCacheTest).
 */
class CachingTaskSourceTest {
    private static final String NAME = "east";
    private static final String PROJECT = "project-east";
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final Duration STALE_FOR = Duration.ofSeconds(60);
    private static final Caller CALLER = new Caller("ak-1", "token-1", Set.of(Caller.ANY_PROJECT));
    private static final Instant BASE = Instant.parse("2024-03-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private final MapPageCache local = new MapPageCache(TTL, clock);
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

    CachingTaskSource cached(LoadScriptExecutionTasksPort source, Duration staleFor, PageCache... tiers) {
        return new CachingTaskSource(NAME, source, false, List.of(tiers), staleFor, clock, listener);
    }

    CachingTaskSource cached(LoadScriptExecutionTasksPort source, Duration staleFor) {
        return cached(source, staleFor, local);
    }

    CachingTaskSource cached(LoadScriptExecutionTasksPort source) {
        return cached(source, Duration.ZERO);
    }

    static TaskPage load(CachingTaskSource cache, TaskQuery query) {
        return await(cache.loadTasks(query, CALLER));
    }

    static PageCache.Key key(TaskQuery query) {
        return new PageCache.Key(NAME, query, null);
    }

    /** A source that answers from {@code upstream} while {@code down} is false, and fails with {@code failure} else. */
    static FakeTaskSource switchable(InMemoryUpstream upstream, AtomicBoolean down, RuntimeException failure) {
        return FakeTaskSource.answeringLater(q -> down.get()
                ? CompletableFuture.failedFuture(failure)
                : upstream.loadTasks(q, CALLER));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. What is cached under which key
    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class Keys {
        @Test
        void aFreshCopyIsServedWithoutCallingTheSource() {
            CachingTaskSource cache = cached(upstream);

            TaskPage first = load(cache, query());
            clock.advance(TTL.minusMillis(1));
            TaskPage second = load(cache, query());

            assertThat(second).isSameAs(first);
            assertThat(first).isEqualTo(upstream.answer(query()));
            assertThat(upstream.received).containsExactly(query());
            assertThat(lookups).containsExactly("east:miss", "east:hit");
            assertThat(local.lookedUp).containsExactly(key(query()), key(query()));
        }

        @Test
        void aCopyIsStampedWithTheTimeTheAnswerArrived() {
            upstream.holdingAnswers();
            CachingTaskSource cache = cached(upstream);
            CompletableFuture<TaskPage> answer = cache.loadTasks(query(), CALLER).toCompletableFuture();
            clock.advance(TTL.multipliedBy(3)); // the upstream is slow
            upstream.release();
            long arrivedAt = clock.millis();
            await(answer);

            assertThat(local.copies().get(key(query())).fetchedAtMillis()).isEqualTo(arrivedAt);
            clock.advance(TTL.minusMillis(1));
            assertThat(load(cache, query())).isSameAs(answer.join());
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
            CachingTaskSource cache = cached(upstream);

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
            CachingTaskSource cache = cached(both);

            TaskPage east = load(cache, query());
            TaskPage westPage = load(cache, TaskQuery.builder("project-west").build());

            assertThat(both.received).hasSize(2);
            assertThat(westPage.totalCount()).isEqualTo(3);
            assertThat(east.totalCount()).isEqualTo(250);
        }

        @Test
        void equalQueriesBuiltSeparatelyShareAnEntry() {
            CachingTaskSource cache = cached(upstream);
            TaskQuery one = TaskQuery.builder(PROJECT).taskIds(List.of("t-001", "t-002")).status("SUCCESS").build();
            TaskQuery same = TaskQuery.builder(PROJECT).taskIds(List.of("t-002", "t-001")).status("FINISH").build();

            TaskPage first = load(cache, one);
            TaskPage second = load(cache, same);

            assertThat(second).isSameAs(first);
            assertThat(upstream.received).hasSize(1);
        }

        @Test
        void aSourceCalledWithTheCallersOwnTokenIsCachedPerToken() {
            CachingTaskSource cache = new CachingTaskSource(NAME, upstream, true, List.of(local), Duration.ZERO,
                    clock, listener);
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
            assertThat(local.copies().keySet()).extracting(PageCache.Key::callerToken)
                    .containsExactlyInAnyOrder("token-a", "token-b", null);
        }

        @Test
        void anySourceCalledWithItsOwnCredentialsSharesItsCopiesAmongAllCallers() {
            CachingTaskSource cache = cached(upstream);
            Caller alice = new Caller("alice", "token-a", Set.of(Caller.ANY_PROJECT));
            Caller bob = new Caller("bob", "token-b", Set.of(Caller.ANY_PROJECT));

            TaskPage a = await(cache.loadTasks(query(), alice));
            TaskPage b = await(cache.loadTasks(query(), bob));
            TaskPage anonymous = await(cache.loadTasks(query(), Caller.ANONYMOUS));

            assertThat(b).isSameAs(a);
            assertThat(anonymous).isSameAs(a);
            assertThat(upstream.callers).containsExactly(alice);
            assertThat(local.copies().keySet()).containsExactly(key(query()));
            assertThat(lookups).containsExactly("east:miss", "east:hit", "east:hit");
        }

        @Test
        void sourcesSharingOneCacheKeepTheirCopiesApart() {
            InMemoryUpstream other = InMemoryUpstream.serving(PROJECT, tasks("o", 4));
            CachingTaskSource east = cached(upstream);
            CachingTaskSource west = new CachingTaskSource("west", other, false, List.of(local), Duration.ZERO,
                    clock, listener);

            TaskPage fromEast = load(east, query());
            TaskPage fromWest = load(west, query());

            assertThat(fromEast.totalCount()).isEqualTo(250);
            assertThat(fromWest.totalCount()).isEqualTo(4);
            assertThat(local.copies().keySet()).extracting(PageCache.Key::source).containsExactlyInAnyOrder(
                    "east", "west");
            assertThat(lookups).containsExactly("east:miss", "west:miss");
        }

        @Test
        void theListenerHearsTheSourcesName() {
            CachingTaskSource cache = new CachingTaskSource("upstream-x", upstream, false, List.of(local),
                    Duration.ZERO, clock, listener);

            load(cache, query());
            load(cache, query());

            assertThat(lookups).containsExactly("upstream-x:miss", "upstream-x:hit");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. Tiers: each tier's loader is the next tier's lookup
    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class Tiers {
        private final MapPageCache shared = new MapPageCache(TTL.multipliedBy(3), clock);

        @Test
        void aMissInEveryTierCallsTheSourceOnceAndEveryTierKeepsTheCopy() {
            CachingTaskSource cache = cached(upstream, Duration.ZERO, local, shared);

            TaskPage page = load(cache, query());

            assertThat(page).isEqualTo(upstream.answer(query()));
            assertThat(upstream.received).hasSize(1);
            assertThat(local.copies().get(key(query())).page()).isSameAs(page);
            assertThat(shared.copies().get(key(query())).page()).isSameAs(page);
            assertThat(lookups).containsExactly("east:miss");
        }

        @Test
        void aCopyInALaterTierIsAHitThatFillsTheNearerOne() {
            CachingTaskSource cache = cached(upstream, Duration.ZERO, local, shared);
            TaskPage kept = upstream.answer(query());
            shared.keep(key(query()), new PageCache.Copy(kept, clock.millis()));

            TaskPage page = load(cache, query());

            assertThat(page).isSameAs(kept);
            assertThat(upstream.received).isEmpty();
            assertThat(local.copies().get(key(query())).page()).isSameAs(kept);
            assertThat(lookups).containsExactly("east:hit");
        }

        @Test
        void aFreshCopyInTheNearestTierDoesNotAskTheOthers() {
            CachingTaskSource cache = cached(upstream, Duration.ZERO, local, shared);
            load(cache, query());
            clock.advance(TTL.minusMillis(1));

            load(cache, query());

            assertThat(local.lookedUp).hasSize(2);
            assertThat(shared.lookedUp).hasSize(1);
            assertThat(upstream.received).hasSize(1);
        }

        @Test
        void whenTheNearestCopyIsNoLongerFreshTheNextTierAnswersBeforeTheSourceIsAsked() {
            CachingTaskSource cache = cached(upstream, Duration.ZERO, local, shared);
            TaskPage first = load(cache, query());
            clock.advance(TTL.plusMillis(1));

            TaskPage second = load(cache, query());

            assertThat(second).isSameAs(first);
            assertThat(shared.lookedUp).hasSize(2);
            assertThat(upstream.received).hasSize(1);
            assertThat(lookups).containsExactly("east:miss", "east:hit");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. Failures
    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class Failures {
        @Test
        void aFailureKeepsItsTypeAndDetails() {
            TaskSourceRejectedException rejected = new TaskSourceRejectedException(NAME, 429, "{\"slow\":\"down\"}", 7);
            CachingTaskSource cache = cached(FakeTaskSource.failing(rejected));

            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isSameAs(rejected);
            assertThat(lookups).containsExactly("east:miss");
        }

        @Test
        void aSourceThatThrowsGivesAFailedAnswerAndIsCalledAgainNextTime() {
            upstream.failingWith(new IllegalStateException("bug")).throwingSynchronously();
            CachingTaskSource cache = cached(upstream);

            AtomicReference<CompletionStage<TaskPage>> answer = new AtomicReference<>();
            assertThatNoException().isThrownBy(() -> answer.set(cache.loadTasks(query(), CALLER)));
            assertThat(failureOf(answer.get())).isInstanceOf(IllegalStateException.class).hasMessage("bug");
            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isInstanceOf(IllegalStateException.class);
            assertThat(upstream.received).hasSize(2);
            assertThat(local.copies()).isEmpty();
        }

        @Test
        void aCacheThatFailsGivesAFailedAnswer() {
            IllegalStateException storeDown = new IllegalStateException("store down");
            local.down(storeDown);
            CachingTaskSource cache = cached(upstream);

            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isSameAs(storeDown);
            assertThat(upstream.received).isEmpty();
            assertThat(lookups).as("a failed lookup is a miss").containsExactly("east:miss");
        }

        @Test
        void aCacheThatThrowsGivesAFailedAnswerRatherThanThrowing() {
            IllegalStateException bug = new IllegalStateException("bug in a cache");
            PageCache throwing = new PageCache() {
                @Override
                public CompletionStage<Lookup> get(Key key, Function<Key, CompletionStage<Copy>> loader) {
                    throw bug;
                }

                @Override
                public CompletionStage<Optional<Copy>> lastCopy(Key key) {
                    throw bug;
                }
            };
            CachingTaskSource cache = cached(upstream, STALE_FOR, throwing);

            AtomicReference<CompletionStage<TaskPage>> answer = new AtomicReference<>();
            assertThatNoException().isThrownBy(() -> answer.set(cache.loadTasks(query(), CALLER)));
            assertThat(failureOf(answer.get())).isSameAs(bug);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. Serving the last good copy, stale
    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class ServeStale {
        private final AtomicBoolean down = new AtomicBoolean();
        private final TaskSourceUnavailableException failure = new TaskSourceUnavailableException(NAME, "down");
        private final FakeTaskSource source = switchable(upstream, down, failure);

        @Test
        void afterTheTtlAFailingSourceGivesTheLastGoodPageMarkedStale() {
            CachingTaskSource cache = cached(source, STALE_FOR);
            TaskPage good = load(cache, query());

            clock.advance(TTL.plusMillis(1));
            down.set(true);
            TaskPage stale = load(cache, query());

            assertThat(source.received).hasSize(2);
            assertThat(stale.tasks()).isEqualTo(good.tasks());
            assertThat(stale.totalCount()).isEqualTo(good.totalCount());
            assertThat(stale.missingSources()).isEqualTo(good.missingSources());
            assertThat(stale.staleSources()).containsExactly(NAME);
            assertThat(good.staleSources()).isEmpty();
            assertThat(lookups).containsExactly("east:miss", "east:miss");
        }

        @Test
        void theLastGoodPageIsServedAgainOnEachFailedRefreshUntilStaleForHasPassed() {
            CachingTaskSource cache = cached(source, STALE_FOR);
            Instant goodAt = clock.instant();
            TaskPage good = load(cache, query());
            down.set(true);

            clock.advance(TTL.plusMillis(1));
            TaskPage stale1 = load(cache, query());
            clock.advance(Duration.ofSeconds(20));
            TaskPage stale2 = load(cache, query());
            clock.set(goodAt.plus(STALE_FOR).minusMillis(1));
            TaskPage stale3 = load(cache, query());
            clock.set(goodAt.plus(STALE_FOR));
            Throwable tooOld = failureOf(cache.loadTasks(query(), CALLER));

            assertThat(List.of(stale1, stale2, stale3)).allSatisfy(stale -> {
                assertThat(stale.tasks()).isEqualTo(good.tasks());
                assertThat(stale.staleSources()).containsExactly(NAME);
            });
            assertThat(tooOld).isSameAs(failure);
            assertThat(source.received).as("every refresh asks the source").hasSize(5);
        }

        @ParameterizedTest(name = "HTTP {0}")
        @ValueSource(ints = {401, 403, 404})
        void aRefusalIsPassedOnNotOverruledByACopyKeptFromBefore(int status) {
            TaskSourceRejectedException refused = new TaskSourceRejectedException(NAME, status, "{\"no\":1}", -1);
            FakeTaskSource refusing = switchable(upstream, down, refused);
            CachingTaskSource cache = cached(refusing, STALE_FOR);
            load(cache, query());

            clock.advance(TTL.plusMillis(1));
            down.set(true);

            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isSameAs(refused);
            assertThat(refusing.received).hasSize(2);
        }

        @ParameterizedTest(name = "by the upstream: {0}")
        @ValueSource(booleans = {true, false})
        void aRateLimitIsAnsweredWithTheCopyKeptFromBeforeMarkedStale(boolean byTheUpstream) {
            RuntimeException notNow = byTheUpstream ? new TaskSourceRejectedException(NAME, 429, "{}", 5)
                    : new TaskSourceThrottledException(NAME, 5);
            FakeTaskSource limited = switchable(upstream, down, notNow);
            CachingTaskSource cache = cached(limited, STALE_FOR);
            TaskPage good = load(cache, query());

            clock.advance(TTL.plusMillis(1));
            down.set(true);
            TaskPage stale = load(cache, query());

            assertThat(stale.tasks()).isEqualTo(good.tasks());
            assertThat(stale.staleSources()).containsExactly(NAME);
            assertThat(limited.received).hasSize(2);
        }

        @Test
        void beyondStaleForTheFailurePropagates() {
            CachingTaskSource cache = cached(source, STALE_FOR);
            load(cache, query());

            clock.advance(STALE_FOR.plusSeconds(1));
            down.set(true);

            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isSameAs(failure);
        }

        @Test
        void withStaleForZeroTheFailurePropagatesWithoutLookingForACopy() {
            CachingTaskSource cache = cached(source, Duration.ZERO);
            load(cache, query());

            clock.advance(TTL.plusMillis(1));
            down.set(true);

            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isSameAs(failure);
            assertThat(local.askedForLastCopy).isEmpty();
        }

        @Test
        void withoutAGoodAnswerTheFailurePropagates() {
            CachingTaskSource cache = cached(source, STALE_FOR);
            down.set(true);

            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isSameAs(failure);
            assertThat(failureOf(cache.loadTasks(query(), CALLER))).isSameAs(failure);
        }

        @Test
        void aGoodAnswerForAnotherQueryIsNotServedStale() {
            CachingTaskSource cache = cached(source, STALE_FOR);
            load(cache, query());
            down.set(true);

            assertThat(failureOf(cache.loadTasks(query().withWindow(10, 10), CALLER))).isSameAs(failure);
        }

        @Test
        void aGoodAnswerForAnotherCallersTokenIsNotServedStaleWhereTokensAreKeyed() {
            CachingTaskSource cache = new CachingTaskSource(NAME, source, true, List.of(local), STALE_FOR, clock,
                    listener);
            load(cache, query());
            clock.advance(TTL.plusMillis(1));
            down.set(true);

            Caller other = new Caller("other", "other-token", Set.of(Caller.ANY_PROJECT));
            assertThat(failureOf(cache.loadTasks(query(), other))).isSameAs(failure);
            assertThat(await(cache.loadTasks(query(), CALLER)).staleSources()).containsExactly(NAME);
        }

        @Test
        void aNewerGoodAnswerReplacesTheOneServedStale() {
            CachingTaskSource cache = cached(source, STALE_FOR);
            load(cache, query());

            clock.advance(TTL.plusMillis(1));
            down.set(true);
            assertThat(load(cache, query()).staleSources()).containsExactly(NAME);
            clock.advance(Duration.ofSeconds(20)); // 30s after the first good answer
            down.set(false);
            upstream.replaceTasks(tasks("newer", 7));
            TaskPage newer = load(cache, query());
            clock.advance(Duration.ofSeconds(45)); // 75s after the first, 45s after the newer one
            down.set(true);
            TaskPage stale = load(cache, query());

            assertThat(newer.staleSources()).isEmpty();
            assertThat(newer.totalCount()).isEqualTo(7);
            assertThat(stale.tasks()).isEqualTo(newer.tasks());
            assertThat(stale.staleSources()).containsExactly(NAME);
        }

        @Test
        void markingStaleKeepsThePagesOwnMissingAndStaleSources() {
            TaskPage nested = new TaskPage(3, tasks("n", 3), Set.of("gone"), Set.of("old"));
            AtomicBoolean nestedDown = new AtomicBoolean();
            CachingTaskSource cache = cached(FakeTaskSource.answeringLater(q -> nestedDown.get()
                    ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(nested)), STALE_FOR);
            load(cache, query());

            clock.advance(TTL.plusMillis(1));
            nestedDown.set(true);
            TaskPage stale = load(cache, query());

            assertThat(stale.missingSources()).containsExactly("gone");
            assertThat(stale.staleSources()).containsExactlyInAnyOrder("old", NAME);
            assertThat(stale.tasks()).isEqualTo(nested.tasks());
        }

        @Test
        void theNewestCopyOfAnyTierIsServed() {
            MapPageCache shared = new MapPageCache(TTL, clock);
            CachingTaskSource cache = cached(source, STALE_FOR, local, shared);
            TaskPage older = new TaskPage(1, tasks("older", 1));
            TaskPage newer = new TaskPage(2, tasks("newer", 2));
            local.keep(key(query()), new PageCache.Copy(older, clock.millis() - TTL.toMillis() - 5_000));
            shared.keep(key(query()), new PageCache.Copy(newer, clock.millis() - TTL.toMillis() - 1_000));
            down.set(true);

            TaskPage stale = load(cache, query());

            assertThat(stale.tasks()).isEqualTo(newer.tasks());
            assertThat(stale.staleSources()).containsExactly(NAME);
            assertThat(source.received).hasSize(1);
        }

        @Test
        void aTierThatCannotTellIsPassedOver() {
            MapPageCache shared = new MapPageCache(TTL, clock);
            CachingTaskSource cache = cached(source, STALE_FOR, local, shared);
            TaskPage good = load(cache, query());
            clock.advance(TTL.plusMillis(1));
            down.set(true);
            shared.down(new IllegalStateException("shared store down"));

            TaskPage stale = load(cache, query());

            assertThat(stale.tasks()).isEqualTo(good.tasks());
            assertThat(stale.staleSources()).containsExactly(NAME);
            assertThat(shared.askedForLastCopy).hasSize(1);
        }

        @Test
        void whenTheCacheItselfFailsItsLastCopyIsStillServed() {
            CachingTaskSource cache = cached(source, STALE_FOR, local);
            TaskPage good = load(cache, query());
            int lookupsBefore = local.lookedUp.size();
            PageCache failingGet = new PageCache() {
                @Override
                public CompletionStage<Lookup> get(Key key, Function<Key, CompletionStage<Copy>> loader) {
                    return CompletableFuture.failedFuture(new IllegalStateException("store down"));
                }

                @Override
                public CompletionStage<Optional<Copy>> lastCopy(Key key) {
                    return local.lastCopy(key);
                }
            };
            CachingTaskSource overFailingGet = cached(source, STALE_FOR, failingGet);

            TaskPage stale = load(overFailingGet, query());

            assertThat(stale.tasks()).isEqualTo(good.tasks());
            assertThat(stale.staleSources()).containsExactly(NAME);
            assertThat(local.lookedUp).hasSize(lookupsBefore);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 5. A mirror's age grows while its answer is kept
    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class MirrorAge {
        private static final Duration SYNCED_AGO = Duration.ofSeconds(5);

        private final AtomicBoolean down = new AtomicBoolean();
        private final TaskPage mirrored = new TaskPage(3, tasks("m", 3), Set.of(), Set.of(), SYNCED_AGO);
        private final FakeTaskSource source = FakeTaskSource.answeringLater(q -> down.get()
                ? CompletableFuture.failedFuture(new TaskSourceUnavailableException(NAME, "down"))
                : CompletableFuture.completedFuture(mirrored));

        @Test
        void aFreshCopyIsOlderByTheTimeItWasKept() {
            CachingTaskSource cache = cached(source);

            TaskPage first = load(cache, query());
            clock.advance(Duration.ofMillis(3_250));
            TaskPage second = load(cache, query());

            assertThat(first.mirrorAge()).isEqualTo(SYNCED_AGO);
            assertThat(second.mirrorAge()).isEqualTo(SYNCED_AGO.plusMillis(3_250));
            assertThat(second.tasks()).isSameAs(first.tasks());
            assertThat(second.totalCount()).isEqualTo(first.totalCount());
            assertThat(source.received).hasSize(1);
        }

        @Test
        void theHeldAnswerIsAgedToo() {
            CachingTaskSource cache = cached(source);
            load(cache, query());
            clock.advance(Duration.ofSeconds(2));

            assertThat(cache.heldAnswer(query(), CALLER).mirrorAge()).isEqualTo(SYNCED_AGO.plusSeconds(2));
        }

        @Test
        void aCopyFromAnotherTierCountsFromWhenItArrivedThere() {
            MapPageCache shared = new MapPageCache(TTL, clock);
            shared.keep(key(query()), new PageCache.Copy(mirrored, clock.millis() - 4_000));
            CachingTaskSource cache = cached(source, Duration.ZERO, local, shared);

            TaskPage page = load(cache, query());

            assertThat(page.mirrorAge()).isEqualTo(SYNCED_AGO.plusSeconds(4));
            assertThat(source.received).isEmpty();
        }

        @Test
        void aStaleCopyServedWhenTheSourceFailsIsAgedAndMarkedStale() {
            CachingTaskSource cache = cached(source, STALE_FOR);
            load(cache, query());
            clock.advance(TTL.plusSeconds(20));
            down.set(true);

            TaskPage stale = load(cache, query());

            assertThat(stale.mirrorAge()).isEqualTo(SYNCED_AGO.plus(TTL).plusSeconds(20));
            assertThat(stale.staleSources()).containsExactly(NAME);
        }

        @Test
        void aPageNotFromAMirrorIsServedAsKept() {
            CachingTaskSource cache = cached(upstream);
            TaskPage first = load(cache, query());
            clock.advance(Duration.ofSeconds(3));

            TaskPage second = load(cache, query());

            assertThat(second).isSameAs(first);
            assertThat(second.mirrorAge()).isNull();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 6. Construction
    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class Construction {
        @Test
        void aNameASourceACacheAndAClockAreRequired() {
            assertThatThrownBy(() -> new CachingTaskSource(null, upstream, false, List.of(local), STALE_FOR, clock,
                    listener)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> new CachingTaskSource(NAME, null, false, List.of(local), STALE_FOR, clock,
                    listener)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> new CachingTaskSource(NAME, upstream, false, List.of(), STALE_FOR, clock,
                    listener)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tier");
            assertThatThrownBy(() -> new CachingTaskSource(NAME, upstream, false, List.of(local), STALE_FOR, null,
                    listener)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void aNegativeStaleForIsRejected() {
            assertThatThrownBy(() -> new CachingTaskSource(NAME, upstream, false, List.of(local),
                    Duration.ofSeconds(-1), clock, listener))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("serveStaleFor");
        }

        @Test
        void theSilentListenerCanBeUsed() {
            CachingTaskSource cache = new CachingTaskSource(NAME, upstream, false, List.of(local), STALE_FOR, clock,
                    CachingTaskSource.CacheListener.NONE);

            assertThat(load(cache, query())).isEqualTo(upstream.answer(query()));
        }
    }
}
