package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskBuilder;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.port.out.TaskSourceThrottledException;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.domain.service.FederatedTaskSource.Reading;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

class FederatedTaskSourceTest {
    private static final int BLOCK = FederatedTaskSource.BLOCK_SIZE;
    private static final String ALIAS = "fed-alias";
    private static final Caller CALLER = new Caller("ak-test", "caller-token", Set.of(Caller.ANY_PROJECT));
    private static final Instant BASE = Instant.parse("2024-03-01T00:00:00Z");
    private static final TaskStatus[] STATUSES = {TaskStatus.FINISH, TaskStatus.FAILED, TaskStatus.RUNNING};
    /** For members that answer on other threads; daemon threads, so a hung test cannot keep the JVM alive. */
    private static final ExecutorService UPSTREAM_THREADS = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "upstream");
        thread.setDaemon(true);
        return thread;
    });

    @AfterAll
    static void stopThreads() {
        UPSTREAM_THREADS.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Test data and helpers
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * {@code count} random tasks of one member. Start times fall on a coarse grid shared by all members, so equal
     * start times are common within and across members and the id tie-break decides; ids start with random hex, so
     * the members' ids interleave. Pools, statuses, task types and script names vary, for filters to bite.
     */
    static List<ScriptExecutionTask> randomTasks(long seed, String member, int count) {
        Random random = new Random(seed * 1_000_003L + member.hashCode());
        int minutes = Math.max(3, count / 3);
        List<ScriptExecutionTask> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TaskBuilder task = aTask()
                    .withId(String.format("%03x-%s-%d", random.nextInt(0x1000), member, i))
                    .startedAt(BASE.minusSeconds(60L * random.nextInt(minutes)))
                    .inPool(random.nextInt(3) == 0 ? "pool-2" : "pool-1")
                    .withStatus(STATUSES[random.nextInt(STATUSES.length)]);
            switch (random.nextInt(4)) {
                case 0 -> task.withNoScripts().withCommand("ipconfig /all", CommandType.BAT);
                case 1 -> task.withScripts("s-clean", "Clean temp files");
                default -> task.withScripts("s-chrome", "Install Chrome");
            }
            tasks.add(task.build());
        }
        return tasks;
    }

    /** Tasks with ids {@code prefix-0000…} one second apart, newest first. */
    static List<ScriptExecutionTask> sequentialTasks(String prefix, int count, Instant newest) {
        return IntStream.range(0, count)
                .mapToObj(i -> aTask().withId(String.format("%s-%04d", prefix, i)).startedAt(newest.minusSeconds(i))
                        .build())
                .toList();
    }

    static String projectOf(String member) {
        return "project-of-" + member;
    }

    /** A federation under construction, with direct access to each member's in-memory upstream. */
    static final class Fixture {
        final Map<String, InMemoryUpstream> upstreams = new LinkedHashMap<>();
        final Map<String, Boolean> trusted = new LinkedHashMap<>();
        final List<FederatedTaskSource.Member> members = new ArrayList<>();

        Fixture member(String name, InMemoryUpstream upstream, boolean trustedOrder) {
            upstreams.put(name, upstream);
            trusted.put(name, trustedOrder);
            members.add(new FederatedTaskSource.Member(name, projectOf(name), upstream, trustedOrder));
            return this;
        }

        Fixture member(String name, List<ScriptExecutionTask> tasks) {
            return member(name, InMemoryUpstream.serving(projectOf(name), tasks), true);
        }

        InMemoryUpstream upstream(String name) {
            return upstreams.get(name);
        }

        FederatedTaskSource federation(boolean partial) {
            return federation(partial, Reading.ALIGNED_BLOCKS);
        }

        FederatedTaskSource federation(boolean partial, Reading reading) {
            return new FederatedTaskSource(ALIAS, members, partial, reading);
        }

        /** Every matching task of the named members (all when none named), merged in API order. */
        List<ScriptExecutionTask> oracle(TaskQuery query, String... only) {
            Collection<String> names = only.length == 0 ? upstreams.keySet() : List.of(only);
            return names.stream()
                    .flatMap(name -> upstreams.get(name).tasks().stream())
                    .filter(query::matches)
                    .sorted(TaskOrder.NEWEST_FIRST)
                    .toList();
        }

        Set<String> idsOf(String member) {
            Set<String> ids = new HashSet<>();
            upstreams.get(member).tasks().forEach(task -> ids.add(task.id()));
            return ids;
        }
    }

    static List<ScriptExecutionTask> window(List<ScriptExecutionTask> all, int offset, int limit) {
        int from = Math.min(all.size(), offset);
        return all.subList(from, Math.min(all.size(), from + limit));
    }

    static List<String> ids(List<ScriptExecutionTask> tasks) {
        return tasks.stream().map(ScriptExecutionTask::id).toList();
    }

    static TaskQuery query(int offset, int limit) {
        return TaskQuery.builder(ALIAS).offset(offset).limit(limit).build();
    }

    static TaskPage load(FederatedTaskSource federation, TaskQuery query) {
        return await(federation.loadTasks(query, CALLER));
    }

    static int ceilDiv(long a, int b) {
        return (int) ((a + b - 1) / b);
    }

    /**
     * Every block query a member received has the federated query's filters, its own project and a block window: a
     * whole block of 100, or in {@link Reading#UP_TO_PAGE_END} a trusted member's block ends at the page's end (one
     * task for limit 0).
     */
    static void assertBlockQueries(Fixture fixture, TaskQuery query, Reading reading) {
        long end = query.limit() == 0 ? 0 : (long) query.offset() + query.limit();
        fixture.upstreams.forEach((name, upstream) -> assertThat(upstream.received)
                .as("queries received by member %s", name)
                .isNotEmpty()
                .allSatisfy(received -> {
                    assertThat(received.projectId()).isEqualTo(projectOf(name));
                    assertThat(received.offset() % BLOCK).as("block offset %d", received.offset()).isZero();
                    int expectedLimit = reading == Reading.UP_TO_PAGE_END && fixture.trusted.get(name)
                            ? (int) Math.max(1, Math.min(BLOCK, end - received.offset())) : BLOCK;
                    assertThat(received.limit()).as("block limit at offset %d", received.offset())
                            .isEqualTo(expectedLimit);
                    assertThat(received.withProjectAndWindow(query.projectId(), query.offset(), query.limit()))
                            .as("filters passed down").isEqualTo(query);
                }));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1 + 3 + 5. Merge correctness against an oracle, with block bounds, over many shapes and windows
    // ---------------------------------------------------------------------------------------------------------------

    record Spec(String name, int count, boolean trusted) {
    }

    record Scenario(String name, long seed, List<Spec> specs, UnaryOperator<TaskQuery.Builder> filters, boolean async) {
        Fixture fixture() {
            Fixture fixture = new Fixture();
            for (Spec spec : specs) {
                InMemoryUpstream upstream = InMemoryUpstream.serving(projectOf(spec.name()),
                        randomTasks(seed, spec.name(), spec.count()));
                if (!spec.trusted()) {
                    upstream.shuffled(seed);
                }
                if (async) {
                    upstream.answeringOn(UPSTREAM_THREADS);
                }
                fixture.member(spec.name(), upstream, spec.trusted());
            }
            return fixture;
        }

        TaskQuery query(int offset, int limit) {
            return filters.apply(TaskQuery.builder(ALIAS)).offset(offset).limit(limit).build();
        }

        int total() {
            return fixture().oracle(query(0, 0)).size();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Spec trusted(String name, int count) {
        return new Spec(name, count, true);
    }

    static Spec untrusted(String name, int count) {
        return new Spec(name, count, false);
    }

    static final Scenario ONE_EMPTY = new Scenario("2 members, one empty", 1,
            List.of(trusted("a", 0), trusted("b", 230)), b -> b, false);
    static final Scenario INTERLEAVED = new Scenario("2 members interleaved", 2,
            List.of(trusted("a", 150), trusted("b", 180)), b -> b, false);
    static final Scenario TINY_AND_EMPTY = new Scenario("3 members: tiny, empty, large", 3,
            List.of(trusted("a", 1), trusted("b", 0), trusted("c", 420)), b -> b, false);
    static final Scenario BLOCK_SIZED = new Scenario("4 members of 100, 200, 99 and 1 tasks", 4,
            List.of(trusted("a", 100), trusted("b", 200), trusted("c", 99), trusted("d", 1)), b -> b, false);
    static final Scenario DEEP = new Scenario("4 members, 1060 tasks", 5,
            List.of(trusted("a", 420), trusted("b", 380), trusted("c", 0), trusted("d", 260)), b -> b, false);
    static final Scenario FILTERED_POOL = new Scenario("4 members filtered by pool", 6,
            List.of(trusted("a", 700), trusted("b", 560), trusted("c", 0), trusted("d", 300)),
            b -> b.desktopPoolId("pool-1"), false);
    static final Scenario FILTERED_MANY = new Scenario("3 members filtered by name, type and time", 7,
            List.of(trusted("a", 900), trusted("b", 650), trusted("c", 5)),
            b -> b.scriptName("CHROME").taskType("SCRIPT")
                    .executeTimeStart(BASE.minusSeconds(60 * 250)).executeTimeEnd(BASE.minusSeconds(60 * 10)), false);
    static final Scenario UNTRUSTED = new Scenario("untrusted shuffled members mixed with trusted", 8,
            List.of(trusted("a", 300), untrusted("b", 250), untrusted("c", 0), untrusted("d", 101)), b -> b, false);
    static final Scenario ASYNC = new Scenario("members answering on other threads", 9,
            List.of(trusted("a", 333), trusted("b", 0), trusted("c", 277), untrusted("d", 199)),
            b -> b.status("FAILED"), true);
    static final Scenario UNTRUSTED_FILTERED = new Scenario("untrusted members filtered by status", 10,
            List.of(untrusted("a", 480), untrusted("b", 333)), b -> b.status("FINISH"), true);

    static final List<Scenario> SCENARIOS = List.of(ONE_EMPTY, INTERLEAVED, TINY_AND_EMPTY, BLOCK_SIZED, DEEP,
            FILTERED_POOL, FILTERED_MANY, UNTRUSTED, ASYNC, UNTRUSTED_FILTERED);

    static Stream<Arguments> scenariosAndWindows() {
        return SCENARIOS.stream().flatMap(scenario -> {
            int total = scenario.total();
            List<int[]> windows = new ArrayList<>(List.of(
                    new int[]{0, 0}, new int[]{0, 1}, new int[]{0, 10}, new int[]{0, 100}, new int[]{3, 7},
                    new int[]{95, 10}, new int[]{99, 1}, new int[]{99, 2}, new int[]{100, 0}, new int[]{100, 1},
                    new int[]{100, 100}, new int[]{150, 100}, new int[]{195, 10}, new int[]{199, 3},
                    new int[]{250, 33}, new int[]{500, 100}, new int[]{990, 10}, new int[]{999, 2},
                    new int[]{Math.max(0, total - 1), 10}, new int[]{total, 10}, new int[]{total, 0},
                    new int[]{total + 1, 1}, new int[]{total + 500, 100}, new int[]{100_000, 0},
                    new int[]{100_000, 10}));
            return windows.stream().map(w -> Arguments.of(scenario, w[0], w[1]));
        });
    }

    @ParameterizedTest(name = "{0}: offset {1}, limit {2}")
    @MethodSource("scenariosAndWindows")
    void pageIsTheWindowOfAllMembersTasksMergedInApiOrder(Scenario scenario, int offset, int limit) {
        Fixture fixture = scenario.fixture();
        TaskQuery query = scenario.query(offset, limit);
        List<ScriptExecutionTask> all = fixture.oracle(query);

        TaskPage page = load(fixture.federation(false), query);

        assertThat(ids(page.tasks())).isEqualTo(ids(window(all, offset, limit)));
        assertThat(page.tasks()).isEqualTo(window(all, offset, limit));
        int memberTotals = fixture.upstreams.entrySet().stream()
                .mapToInt(member -> member.getValue().answer(query.withProjectAndWindow(
                        projectOf(member.getKey()), 0, 0)).totalCount())
                .sum();
        assertThat(page.totalCount()).isEqualTo(all.size()).isEqualTo(memberTotals);
        assertThat(page.missingSources()).isEmpty();
        assertThat(page.staleSources()).isEmpty();
        assertBlockQueries(fixture, query, Reading.ALIGNED_BLOCKS);
        assertThat(fixture.upstreams.values())
                .allSatisfy(upstream -> assertThat(upstream.callers).containsOnly(CALLER));
    }

    @ParameterizedTest(name = "{0}: offset {1}, limit {2}")
    @MethodSource("scenariosAndWindows")
    void readsMembersOnlyAsFarAsTheMergeNeeds(Scenario scenario, int offset, int limit) {
        Fixture fixture = scenario.fixture();
        TaskQuery query = scenario.query(offset, limit);
        List<ScriptExecutionTask> all = fixture.oracle(query);
        long end = limit == 0 ? 0 : (long) offset + limit;

        load(fixture.federation(false), query);

        fixture.upstreams.forEach((name, upstream) -> {
            List<Integer> offsets = upstream.offsetsReceived();
            int matching = fixture.oracle(query, name).size();
            if (fixture.trusted.get(name)) {
                // consecutive blocks from the first, each once
                assertThat(offsets).as("member %s's blocks", name)
                        .isEqualTo(IntStream.range(0, offsets.size()).mapToObj(i -> i * BLOCK).toList());
                assertThat(offsets.size()).as("member %s's block count for a page ending at %d", name, end)
                        .isBetween(1, Math.max(1, ceilDiv(end, BLOCK)));
                // never a block at or past the total the member reported
                assertThat(offsets.size()).as("member %s's block count for %d matching tasks", name, matching)
                        .isLessThanOrEqualTo(Math.max(1, ceilDiv(matching, BLOCK)));
                // and no further than its share of the first `end` merged tasks requires
                Set<String> own = fixture.idsOf(name);
                long share = all.subList(0, (int) Math.min(end, all.size())).stream()
                        .filter(task -> own.contains(task.id())).count();
                assertThat(offsets.size()).as("member %s holds %d of the first %d tasks", name, share, end)
                        .isLessThanOrEqualTo((int) (share / BLOCK) + 1);
            } else if (limit == 0) {
                // only the total is needed: the first block carries it
                assertThat(offsets).as("untrusted member %s's blocks for limit 0", name).containsExactly(0);
            } else {
                // read whole, each block once
                List<Integer> allBlocks = IntStream.range(0, Math.max(1, ceilDiv(matching, BLOCK)))
                        .mapToObj(i -> i * BLOCK).toList();
                assertThat(offsets).as("untrusted member %s's blocks", name)
                        .containsExactlyInAnyOrderElementsOf(allBlocks);
            }
        });
    }

    @Test
    void theRandomDataExercisesTheIdTieBreakAcrossMembers() {
        Fixture fixture = DEEP.fixture();
        List<ScriptExecutionTask> all = fixture.oracle(query(0, 0));
        long crossMemberTies = IntStream.range(1, all.size())
                .filter(i -> all.get(i).startTime().equals(all.get(i - 1).startTime()))
                .filter(i -> !all.get(i).id().split("-")[1].equals(all.get(i - 1).id().split("-")[1]))
                .count();
        assertThat(crossMemberTies).isGreaterThan(50);
    }

    @Test
    void theShuffledUpstreamReallyAnswersOutOfOrder() {
        InMemoryUpstream upstream = UNTRUSTED.fixture().upstream("b");
        List<ScriptExecutionTask> block = upstream.answer(TaskQuery.builder(projectOf("b")).limit(100).build()).tasks();
        assertThat(block).hasSize(100).isNotEqualTo(block.stream().sorted(TaskOrder.NEWEST_FIRST).toList());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. Paging consistency
    // ---------------------------------------------------------------------------------------------------------------

    static Stream<Arguments> walks() {
        return Stream.of(DEEP, UNTRUSTED, ASYNC, BLOCK_SIZED)
                .flatMap(scenario -> Stream.of(1, 7, 33, 100).map(limit -> Arguments.of(scenario, limit)));
    }

    @ParameterizedTest(name = "{0}: limit {1}")
    @MethodSource("walks")
    void walkingTheResultPageByPageListsEveryTaskOnceInOrder(Scenario scenario, int limit) {
        Fixture fixture = scenario.fixture();
        FederatedTaskSource federation = fixture.federation(false);
        List<ScriptExecutionTask> expected = fixture.oracle(scenario.query(0, 0));
        List<ScriptExecutionTask> walked = new ArrayList<>();

        for (int offset = 0; ; offset += limit) {
            TaskPage page = load(federation, scenario.query(offset, limit));
            assertThat(page.totalCount()).isEqualTo(expected.size());
            if (offset >= expected.size()) {
                assertThat(page.tasks()).isEmpty();
                break;
            }
            assertThat(page.tasks()).hasSize(Math.min(limit, expected.size() - offset));
            walked.addAll(page.tasks());
        }

        assertThat(ids(walked)).doesNotHaveDuplicates().isEqualTo(ids(expected));
    }

    // Reading up to the page's end (no cache in front of the members): the same pages from shorter blocks

    @ParameterizedTest(name = "{0}: offset {1}, limit {2}")
    @MethodSource("scenariosAndWindows")
    void readingUpToThePageEndGivesTheSamePageFromBlocksEndingThere(Scenario scenario, int offset, int limit) {
        Fixture fixture = scenario.fixture();
        TaskQuery query = scenario.query(offset, limit);
        List<ScriptExecutionTask> all = fixture.oracle(query);
        long end = limit == 0 ? 0 : (long) offset + limit;

        TaskPage page = load(fixture.federation(false, Reading.UP_TO_PAGE_END), query);

        assertThat(page.tasks()).isEqualTo(window(all, offset, limit));
        assertThat(page.totalCount()).isEqualTo(all.size());
        assertBlockQueries(fixture, query, Reading.UP_TO_PAGE_END);
        fixture.upstreams.forEach((name, upstream) -> {
            if (fixture.trusted.get(name)) {
                // consecutive blocks from the first, none past the page's end
                assertThat(upstream.offsetsReceived()).as("member %s's blocks", name).isEqualTo(IntStream
                        .range(0, upstream.received.size()).mapToObj(i -> i * BLOCK).toList());
                assertThat(upstream.received.size()).isBetween(1, Math.max(1, ceilDiv(end, BLOCK)));
            } else {
                // an untrusted member is still read whole
                int matching = fixture.oracle(query, name).size();
                assertThat(upstream.received.size()).isEqualTo(limit == 0 ? 1 : Math.max(1, ceilDiv(matching, BLOCK)));
            }
        });
    }

    @Test
    void readingUpToThePageEndAFirstPageOfTenAsksEachMemberForTen() {
        Fixture fixture = INTERLEAVED.fixture();

        TaskPage page = load(fixture.federation(false, Reading.UP_TO_PAGE_END), query(0, 10));

        assertThat(page.tasks()).isEqualTo(window(fixture.oracle(query(0, 0)), 0, 10));
        fixture.upstreams.forEach((name, upstream) -> assertThat(upstream.received).as(name).singleElement()
                .satisfies(received -> {
                    assertThat(received.offset()).isZero();
                    assertThat(received.limit()).isEqualTo(10);
                }));
    }

    @Test
    void readingUpToThePageEndAPageAcrossABlockBoundaryAsksOnlyForItsTail() {
        Fixture fixture = new Fixture()
                .member("new", sequentialTasks("new", 300, BASE))
                .member("old", sequentialTasks("old", 300, BASE.minusSeconds(10_000)));

        TaskPage page = load(fixture.federation(false, Reading.UP_TO_PAGE_END), query(95, 10));

        assertThat(ids(page.tasks())).containsExactly("new-0095", "new-0096", "new-0097", "new-0098", "new-0099",
                "new-0100", "new-0101", "new-0102", "new-0103", "new-0104");
        assertThat(fixture.upstream("new").received).extracting(TaskQuery::offset, TaskQuery::limit)
                .containsExactly(tuple(0, 100), tuple(100, 5));
        assertThat(fixture.upstream("old").received).extracting(TaskQuery::offset, TaskQuery::limit)
                .containsExactly(tuple(0, 100));
    }

    @Test
    void withACacheInFrontOfEachMemberWalkingTheResultFetchesNoBlockTwice() {
        Fixture fixture = DEEP.fixture();
        MutableClock clock = new MutableClock(BASE);
        MapPageCache pages = new MapPageCache(Duration.ofHours(1), clock);
        List<Boolean> lookups = new CopyOnWriteArrayList<>();
        List<FederatedTaskSource.Member> cached = fixture.members.stream()
                .map(member -> new FederatedTaskSource.Member(member.name(), member.projectId(),
                        new CachingTaskSource(member.name(), member.source(), false, List.of(pages), Duration.ZERO,
                                clock, (source, hit) -> lookups.add(hit)),
                        member.trustedOrder()))
                .toList();
        FederatedTaskSource federation = new FederatedTaskSource(ALIAS, cached, false, Reading.ALIGNED_BLOCKS);
        List<ScriptExecutionTask> expected = fixture.oracle(query(0, 0));
        List<ScriptExecutionTask> walked = new ArrayList<>();

        for (int offset = 0; offset < expected.size(); offset += 10) {
            clock.advance(Duration.ofMillis(1)); // a millisecond per page, far inside the hour
            walked.addAll(load(federation, query(offset, 10)).tasks());
        }

        assertThat(ids(walked)).isEqualTo(ids(expected));
        fixture.upstreams.forEach((name, upstream) -> {
            int blocks = Math.max(1, ceilDiv(upstream.tasks().size(), BLOCK));
            assertThat(upstream.offsetsReceived()).as("member %s's blocks", name)
                    .isEqualTo(IntStream.range(0, blocks).mapToObj(i -> i * BLOCK).toList());
        });
        int fetched = fixture.upstreams.values().stream().mapToInt(upstream -> upstream.received.size()).sum();
        assertThat(lookups).hasSizeGreaterThan(fetched);
        assertThat(lookups.stream().filter(hit -> !hit).count()).isEqualTo(fetched);
    }

    @Test
    void aMemberWhoseTasksAreAllOlderIsReadOnlyOnceEvenForADeepPage() {
        Fixture fixture = new Fixture()
                .member("new", sequentialTasks("new", 1_000, BASE))
                .member("old", sequentialTasks("old", 1_000, BASE.minusSeconds(10_000)));

        TaskPage page = load(fixture.federation(false), query(990, 10));

        assertThat(ids(page.tasks())).containsExactly("new-0990", "new-0991", "new-0992", "new-0993", "new-0994",
                "new-0995", "new-0996", "new-0997", "new-0998", "new-0999");
        assertThat(page.totalCount()).isEqualTo(2_000);
        assertThat(fixture.upstream("new").offsetsReceived())
                .isEqualTo(IntStream.range(0, 10).mapToObj(i -> i * BLOCK).toList());
        assertThat(fixture.upstream("old").offsetsReceived()).containsExactly(0);
    }

    @Test
    void aDeepPageOverMembersThatAnswerAtOnceCompletesWithoutExhaustingTheStack() throws Exception {
        // A member that answers synchronously (as a cache hit does) must not make the merge recurse once per block:
        // 500 blocks overflowed this caller's stack, and the overflow was swallowed: the answer stayed pending forever.
        int total = 50_000;
        FakeTaskSource member = FakeTaskSource.answering(q -> new TaskPage(total, IntStream
                .range(q.offset(), Math.min(total, q.offset() + q.limit()))
                .mapToObj(i -> aTask().withId(String.format("t%06d", i)).startedAt(BASE.minusSeconds(i)).build())
                .toList()));
        FederatedTaskSource federation = new FederatedTaskSource(ALIAS,
                List.of(new FederatedTaskSource.Member("m", "p", member, true)), false, Reading.ALIGNED_BLOCKS);
        AtomicReference<CompletableFuture<TaskPage>> answer = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();

        Thread caller = new Thread(null, () -> {
            try {
                answer.set(federation.loadTasks(query(total - 10, 10), CALLER).toCompletableFuture());
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "small-stack-caller", 256 * 1024);
        caller.start();
        caller.join();

        assertThat(thrown.get()).isNull();
        assertThat(answer.get()).as("answered by the time loadTasks returned, as every member answered at once")
                .isDone();
        TaskPage page = answer.get().join();
        assertThat(ids(page.tasks())).containsExactly("t049990", "t049991", "t049992", "t049993", "t049994",
                "t049995", "t049996", "t049997", "t049998", "t049999");
        assertThat(page.totalCount()).isEqualTo(total);
        assertThat(member.received).hasSize(total / BLOCK);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 4. limit 0
    // ---------------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "offset {0}")
    @ValueSource(ints = {0, 150, 1_251, 99_999})
    void limitZeroAnswersTheTotalWithOneBlockPerMemberAndNoTasks(int offset) {
        Fixture fixture = new Fixture()
                .member("a", randomTasks(11, "a", 250))
                .member("b", List.of())
                .member("c", randomTasks(11, "c", 1_001));

        TaskPage page = load(fixture.federation(false), query(offset, 0));

        assertThat(page.tasks()).isEmpty();
        assertThat(page.totalCount()).isEqualTo(1_251);
        fixture.upstreams.forEach((name, upstream) -> assertThat(upstream.received).as(name)
                .singleElement()
                .satisfies(q -> {
                    assertThat(q.offset()).isZero();
                    assertThat(q.limit()).isEqualTo(BLOCK);
                    assertThat(q.projectId()).isEqualTo(projectOf(name));
                }));
    }

    @Test
    void limitZeroWithAFilterCountsOnlyMatchingTasks() {
        Fixture fixture = new Fixture()
                .member("a", randomTasks(12, "a", 250))
                .member("b", randomTasks(12, "b", 120));
        TaskQuery query = TaskQuery.builder(ALIAS).status("FAILED").desktopPoolId("pool-2").limit(0).build();

        TaskPage page = load(fixture.federation(false), query);

        assertThat(page.tasks()).isEmpty();
        assertThat(page.totalCount()).isEqualTo(fixture.oracle(query).size()).isPositive().isLessThan(370);
        assertBlockQueries(fixture, query, Reading.ALIGNED_BLOCKS);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 5. Untrusted order
    // ---------------------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "offset {0}, limit {1}")
    @CsvSource({"0, 1", "0, 100", "95, 10", "340, 10", "549, 10", "560, 5"})
    void anUntrustedMemberIsReadWholeAndSortedHere(int offset, int limit) {
        Fixture fixture = new Fixture()
                .member("sorted", InMemoryUpstream.serving(projectOf("sorted"), randomTasks(21, "sorted", 200)), true)
                .member("shuffled", InMemoryUpstream.serving(projectOf("shuffled"), randomTasks(21, "shuffled", 350))
                        .shuffled(99), false);

        TaskPage page = load(fixture.federation(false), query(offset, limit));

        assertThat(page.tasks()).isEqualTo(window(fixture.oracle(query(0, 0)), offset, limit));
        assertThat(page.totalCount()).isEqualTo(550);
        assertThat(fixture.upstream("shuffled").offsetsReceived()).containsExactlyInAnyOrder(0, 100, 200, 300);
    }

    @Test
    void trustingAShuffledMemberWouldGiveAWrongPage() {
        // Control for the test above: the shuffled answers are out of order enough to break a trusted merge.
        Fixture fixture = new Fixture()
                .member("sorted", InMemoryUpstream.serving(projectOf("sorted"), randomTasks(21, "sorted", 200)), true)
                .member("shuffled", InMemoryUpstream.serving(projectOf("shuffled"), randomTasks(21, "shuffled", 350))
                        .shuffled(99), true);

        TaskPage page = load(fixture.federation(false), query(0, 100));

        assertThat(page.tasks()).isNotEqualTo(window(fixture.oracle(query(0, 0)), 0, 100));
    }

    @Test
    void anUntrustedMembersRemainingBlocksAreRequestedInParallel() {
        InMemoryUpstream shuffled = InMemoryUpstream.serving(projectOf("u"), randomTasks(22, "u", 350))
                .shuffled(5).holdingAnswers();
        Fixture fixture = new Fixture().member("u", shuffled, false).member("t", randomTasks(22, "t", 50));

        CompletableFuture<TaskPage> answer = fixture.federation(false).loadTasks(query(0, 20), CALLER)
                .toCompletableFuture();
        assertThat(shuffled.offsetsReceived()).containsExactly(0);
        assertThat(shuffled.release()).isEqualTo(1);

        assertThat(shuffled.offsetsReceived()).containsExactlyInAnyOrder(0, 100, 200, 300);
        assertThat(shuffled.pendingCount()).as("blocks 1-3 all asked before any is answered").isEqualTo(3);
        assertThat(answer).isNotDone();
        shuffled.releaseOne();
        shuffled.releaseOne();
        assertThat(answer).isNotDone();
        shuffled.releaseOne();

        assertThat(answer).isDone();
        assertThat(answer.join().tasks()).isEqualTo(window(fixture.oracle(query(0, 0)), 0, 20));
        assertThat(answer.join().totalCount()).isEqualTo(400);
    }

    @Test
    void anUntrustedMemberAnsweringDuplicatesAcrossBlocksListsEachTaskOnce() {
        // The shuffled member's data shifts between its blocks, so block 1 repeats a task of block 0.
        List<ScriptExecutionTask> tasks = randomTasks(23, "u", 150);
        InMemoryUpstream upstream = InMemoryUpstream.serving(projectOf("u"), tasks).shuffled(3).holdingAnswers();
        Fixture fixture = new Fixture().member("u", upstream, false);
        CompletableFuture<TaskPage> answer = fixture.federation(false).loadTasks(query(0, 100), CALLER)
                .toCompletableFuture();
        upstream.release();
        List<ScriptExecutionTask> shifted = new ArrayList<>(tasks);
        shifted.add(aTask().withId("brand-new").startedAt(BASE.plusSeconds(60)).build());
        upstream.replaceTasks(shifted);
        upstream.release();

        TaskPage page = answer.join();
        assertThat(ids(page.tasks())).doesNotHaveDuplicates().hasSize(100);
        assertThat(page.tasks()).isSortedAccordingTo(TaskOrder.NEWEST_FIRST);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 6. Failures
    // ---------------------------------------------------------------------------------------------------------------

    enum Failure {
        UNAVAILABLE(true, upstream -> upstream.failingWith(new TaskSourceUnavailableException("x", "refused"))),
        REJECTED(true, upstream -> upstream.failingWith(new TaskSourceRejectedException("x", 401, "{\"e\":1}", -1))),
        THROTTLED(true, upstream -> upstream.failingWith(new TaskSourceThrottledException("x", 3))),
        THROWN_AT_ONCE(true, upstream -> upstream.failingWith(new IllegalStateException("bug"))
                .throwingSynchronously()),
        UNAVAILABLE_LATER(true, upstream -> upstream.failingWith(new TaskSourceUnavailableException("x", "timeout"))
                .answeringOn(UPSTREAM_THREADS)),
        SECOND_BLOCK_ONLY(false, upstream -> upstream.failingWhen(q -> q.offset() == BLOCK,
                new TaskSourceUnavailableException("x", "timeout"))),
        SECOND_BLOCK_ONLY_LATER(false, upstream -> upstream.failingWhen(q -> q.offset() == BLOCK,
                new TaskSourceUnavailableException("x", "timeout")).answeringOn(UPSTREAM_THREADS));

        final boolean atFirstBlock;
        final Function<InMemoryUpstream, InMemoryUpstream> apply;

        Failure(boolean atFirstBlock, Function<InMemoryUpstream, InMemoryUpstream> apply) {
            this.atFirstBlock = atFirstBlock;
            this.apply = apply;
        }
    }

    /** Members a, b, c; the named ones fail. They hold the newest tasks, so a page soon reaches their 2nd block. */
    static Fixture withFailing(Failure failure, String... failing) {
        Set<String> failed = Set.of(failing);
        Fixture fixture = new Fixture();
        for (String name : List.of("a", "b", "c")) {
            boolean fails = failed.contains(name);
            InMemoryUpstream upstream = InMemoryUpstream.serving(projectOf(name), fails
                    ? sequentialTasks(name, 250, BASE.plusSeconds(100_000 * (name.charAt(0) - 'a' + 1)))
                    : randomTasks(31, name, 180));
            fixture.member(name, fails ? failure.apply.apply(upstream) : upstream, true);
        }
        return fixture;
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void withoutPartialAFailedMemberFailsTheAnswerNamingIt(Failure failure) {
        Fixture fixture = withFailing(failure, "b");

        Throwable thrown = failureOf(fixture.federation(false).loadTasks(query(140, 20), CALLER));

        assertFailedNaming(thrown, failure, "b");
        if (thrown instanceof TaskSourceUnavailableException) {
            assertThat(thrown.getMessage()).contains(ALIAS).contains("b");
        }
    }

    /**
     * The answer's failure when the named members failed it: a refusal of the caller's credentials (401) or a rate
     * limit is passed on naming them ({@link FederationFailure}); anything else makes the federation unavailable.
     */
    static void assertFailedNaming(Throwable thrown, Failure failure, String... names) {
        switch (failure) {
            case REJECTED -> assertThat(thrown).isInstanceOfSatisfying(TaskSourceRejectedException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(401);
                assertThat(e.body()).isEqualTo("{\"e\":1}");
                assertThat(e.source()).isEqualTo(String.join(",", names));
            });
            case THROTTLED -> assertThat(thrown).isInstanceOfSatisfying(TaskSourceThrottledException.class, e -> {
                assertThat(e.retryAfterSeconds()).isEqualTo(3);
                assertThat(e.source()).isEqualTo(String.join(",", names));
            });
            default -> assertThat(thrown).isInstanceOfSatisfying(TaskSourceUnavailableException.class,
                    e -> assertThat(e.sources()).containsExactlyInAnyOrder(names));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Failure.class, names = {"UNAVAILABLE", "REJECTED", "THROTTLED", "THROWN_AT_ONCE",
            "UNAVAILABLE_LATER"})
    void withoutPartialTwoFailedMembersAreBothNamed(Failure failure) {
        assertThat(failure.atFirstBlock).isTrue();
        Fixture fixture = withFailing(failure, "a", "c");

        Throwable thrown = failureOf(fixture.federation(false).loadTasks(query(300, 50), CALLER));

        assertFailedNaming(thrown, failure, "a", "c");
    }

    static Stream<Arguments> failuresInEachReading() {
        return Stream.of(Reading.values()).flatMap(reading -> Stream.of(Failure.values())
                .map(failure -> Arguments.of(failure, reading)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("failuresInEachReading")
    void partialAnswersWithTheHealthyMembersAndNamesTheMissingOne(Failure failure, Reading reading) {
        Fixture fixture = withFailing(failure, "b");
        TaskQuery query = query(140, 20);

        TaskPage page = load(fixture.federation(true, reading), query);

        assertThat(page.tasks()).isEqualTo(window(fixture.oracle(query, "a", "c"), 140, 20));
        assertThat(page.totalCount()).isEqualTo(360);
        assertThat(page.missingSources()).containsExactly("b");
        assertThat(page.staleSources()).isEmpty();
        assertThat(fixture.upstream("b").received).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void partialWithTwoOfThreeFailedAnswersWithTheLastOne(Failure failure) {
        Fixture fixture = withFailing(failure, "a", "c");
        TaskQuery query = query(170, 30);

        TaskPage page = load(fixture.federation(true), query);

        assertThat(page.tasks()).isEqualTo(window(fixture.oracle(query, "b"), 170, 30)).hasSize(10);
        assertThat(page.totalCount()).isEqualTo(180);
        assertThat(page.missingSources()).containsExactlyInAnyOrder("a", "c");
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void whenEveryMemberFailsEvenAPartialFederationFails(Failure failure) {
        Fixture fixture = withFailing(failure, "a", "b", "c");

        Throwable thrown = failureOf(fixture.federation(true).loadTasks(query(190, 10), CALLER));

        assertFailedNaming(thrown, failure, "a", "b", "c");
    }

    @Test
    void membersRefusingTheCallerAlikePassTheFirstOnesRefusalOnAndARefusalBesideAnOutageIsAnOutage() {
        String expired = "{\"error_code\":\"APIG.0307\",\"error_msg\":\"The token has expired\"}";
        Fixture refusing = new Fixture()
                .member("a", InMemoryUpstream.serving(projectOf("a"), randomTasks(41, "a", 30))
                        .failingWith(new TaskSourceRejectedException("a", 401, expired, -1)), true)
                .member("b", randomTasks(42, "b", 30))
                .member("c", InMemoryUpstream.serving(projectOf("c"), randomTasks(43, "c", 30))
                        .failingWith(new TaskSourceRejectedException("c", 401, "{}", -1)).answeringOn(UPSTREAM_THREADS),
                        true);
        Fixture mixed = new Fixture()
                .member("a", InMemoryUpstream.serving(projectOf("a"), randomTasks(41, "a", 30))
                        .failingWith(new TaskSourceRejectedException("a", 401, expired, -1)), true)
                .member("b", InMemoryUpstream.serving(projectOf("b"), randomTasks(42, "b", 30))
                        .failingWith(new TaskSourceUnavailableException("b", "refused")), true);

        assertThat(failureOf(refusing.federation(false).loadTasks(query(0, 10), CALLER)))
                .isInstanceOfSatisfying(TaskSourceRejectedException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.body()).isEqualTo(expired);
                    assertThat(e.source()).isEqualTo("a,c");
                });
        assertThat(load(refusing.federation(true), query(0, 10)).missingSources()).containsExactly("a", "c");
        assertThat(failureOf(mixed.federation(true).loadTasks(query(0, 10), CALLER)))
                .isInstanceOfSatisfying(TaskSourceUnavailableException.class,
                        e -> assertThat(e.sources()).containsExactly("a", "b"));
    }

    @Test
    void withoutPartialTheAnswerFailsAtTheFirstFailedBlockWithoutReadingFurther() {
        // c (newest) fails on its 2nd block; the answer fails then, before a's 2nd block (which would also fail) is
        // asked for, so only c is named.
        Fixture fixture = withFailing(Failure.SECOND_BLOCK_ONLY, "a", "c");

        Throwable thrown = failureOf(fixture.federation(false).loadTasks(query(300, 60), CALLER));

        assertThat(thrown).isInstanceOfSatisfying(TaskSourceUnavailableException.class,
                e -> assertThat(e.sources()).containsExactly("c"));
        assertThat(fixture.upstream("c").offsetsReceived()).containsExactly(0, 100);
        assertThat(fixture.upstream("a").offsetsReceived()).containsExactly(0);
    }

    @Test
    void aFailureInABlockThePageDoesNotNeedDoesNotMatter() {
        Fixture fixture = withFailing(Failure.SECOND_BLOCK_ONLY, "b");

        TaskPage page = load(fixture.federation(false), query(0, 50));

        assertThat(page.tasks()).isEqualTo(window(fixture.oracle(query(0, 0)), 0, 50));
        assertThat(page.totalCount()).isEqualTo(610);
        assertThat(fixture.upstream("b").offsetsReceived()).containsExactly(0);
    }

    @Test
    void aMemberThatFailsWithLimitZeroIsMissingFromTheTotal() {
        Fixture fixture = withFailing(Failure.UNAVAILABLE, "c");

        TaskPage page = load(fixture.federation(true), query(0, 0));

        assertThat(page.totalCount()).isEqualTo(360);
        assertThat(page.missingSources()).containsExactly("c");
    }

    @Test
    void anUntrustedMemberFailingOnALaterBlockIsMissing() {
        InMemoryUpstream broken = InMemoryUpstream.serving(projectOf("u"), randomTasks(32, "u", 300)).shuffled(1)
                .failingWhen(q -> q.offset() == 200, new TaskSourceUnavailableException("u", "reset"));
        Fixture fixture = new Fixture().member("u", broken, false).member("t", randomTasks(32, "t", 120));

        TaskPage partial = load(fixture.federation(true), query(0, 10));
        Throwable strict = failureOf(fixture.federation(false).loadTasks(query(0, 10), CALLER));

        assertThat(partial.missingSources()).containsExactly("u");
        assertThat(partial.tasks()).isEqualTo(window(fixture.oracle(query(0, 0), "t"), 0, 10));
        assertThat(partial.totalCount()).isEqualTo(120);
        assertThat(strict).isInstanceOfSatisfying(TaskSourceUnavailableException.class,
                e -> assertThat(e.sources()).containsExactly("u"));
    }

    @Test
    void aPartialAnswerWaitsForTheHealthyMembersAndThenNamesTheFailedOne() {
        InMemoryUpstream slow = InMemoryUpstream.serving(projectOf("slow"), randomTasks(33, "slow", 40))
                .holdingAnswers();
        Fixture fixture = new Fixture()
                .member("slow", slow, true)
                .member("down", InMemoryUpstream.serving(projectOf("down"), List.of())
                        .failingWith(new TaskSourceUnavailableException("down", "refused")), true);

        CompletableFuture<TaskPage> answer = fixture.federation(true).loadTasks(query(0, 10), CALLER)
                .toCompletableFuture();
        assertThat(answer).isNotDone();
        slow.release();

        assertThat(answer).isDone();
        assertThat(answer.join().missingSources()).containsExactly("down");
        assertThat(answer.join().tasks()).isEqualTo(window(fixture.oracle(query(0, 0), "slow"), 0, 10));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 7. Stale members
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void aMemberAnsweringStaleMarksThePageStaleWithTheMembersName() {
        Fixture fixture = new Fixture()
                .member("fresh", randomTasks(41, "fresh", 120))
                .member("old", InMemoryUpstream.serving(projectOf("old"), randomTasks(41, "old", 130))
                        .markingStale("old-cache"), true);

        TaskPage page = load(fixture.federation(false), query(0, 10));

        assertThat(page.staleSources()).containsExactly("old");
        assertThat(page.missingSources()).isEmpty();
        assertThat(page.tasks()).isEqualTo(window(fixture.oracle(query(0, 0)), 0, 10));
    }

    @ParameterizedTest(name = "trusted order: {0}")
    @ValueSource(booleans = {true, false})
    void sourcesAMembersAnswersSayAreMissingBehindItAreNamedMissing(boolean trustedOrder) {
        Fixture fixture = new Fixture()
                .member("plain", randomTasks(42, "plain", 120))
                .member("chained", InMemoryUpstream.serving(projectOf("chained"), randomTasks(42, "chained", 230))
                        .missingBehind("chained/west"), trustedOrder);

        TaskPage page = load(fixture.federation(false), query(95, 10));

        assertThat(page.missingSources()).containsExactly("chained/west");
        assertThat(page.staleSources()).isEmpty();
        assertThat(page.tasks()).isEqualTo(window(fixture.oracle(query(0, 0)), 95, 10));
        assertThat(page.totalCount()).isEqualTo(350);
    }

    @Test
    void aStaleLaterBlockMarksThePageStale() {
        InMemoryUpstream upstream = InMemoryUpstream.serving(projectOf("m"), sequentialTasks("m", 250, BASE))
                .markingStaleWhen(q -> q.offset() == 200, "m");
        Fixture fixture = new Fixture().member("m", upstream, true).member("n", randomTasks(42, "n", 10));

        assertThat(load(fixture.federation(false), query(0, 10)).staleSources()).isEmpty();
        assertThat(load(fixture.federation(false), query(240, 10)).staleSources()).containsExactly("m");
    }

    @Test
    void anUntrustedStaleMemberMarksThePageStale() {
        Fixture fixture = new Fixture()
                .member("u", InMemoryUpstream.serving(projectOf("u"), randomTasks(43, "u", 230)).shuffled(2)
                        .markingStaleWhen(q -> q.offset() == 100, "u"), false)
                .member("t", randomTasks(43, "t", 10));

        TaskPage page = load(fixture.federation(false), query(0, 5));

        assertThat(page.staleSources()).containsExactly("u");
    }

    @Test
    void aCachedMemberServingItsLastGoodAnswerMarksThePageStale() {
        MutableClock clock = new MutableClock(BASE);
        AtomicBoolean down = new AtomicBoolean();
        InMemoryUpstream upstream = InMemoryUpstream.serving(projectOf("c"), randomTasks(44, "c", 150));
        FakeTaskSource flaky = FakeTaskSource.answeringLater(q -> down.get()
                ? CompletableFuture.failedFuture(new TaskSourceUnavailableException("c", "down"))
                : upstream.loadTasks(q, CALLER));
        CachingTaskSource cache = new CachingTaskSource("c", flaky, false,
                List.of(new MapPageCache(Duration.ofSeconds(10), clock)), Duration.ofMinutes(5), clock,
                CachingTaskSource.CacheListener.NONE);
        Fixture fixture = new Fixture().member("d", randomTasks(44, "d", 10));
        FederatedTaskSource federation = new FederatedTaskSource(ALIAS, List.of(fixture.members.get(0),
                new FederatedTaskSource.Member("c", projectOf("c"), cache, true)), false, Reading.ALIGNED_BLOCKS);
        List<ScriptExecutionTask> expected = Stream.concat(upstream.tasks().stream(),
                fixture.upstream("d").tasks().stream()).sorted(TaskOrder.NEWEST_FIRST).toList();

        TaskPage first = load(federation, query(100, 50));
        down.set(true);
        clock.advance(Duration.ofSeconds(30));
        TaskPage second = load(federation, query(100, 50));

        assertThat(upstream.offsetsReceived()).as("both blocks of c were needed").containsExactly(0, 100);
        assertThat(flaky.received).hasSize(4);
        assertThat(first.staleSources()).isEmpty();
        assertThat(second.staleSources()).containsExactly("c");
        assertThat(second.tasks()).isEqualTo(first.tasks()).isEqualTo(window(expected, 100, 50));
        assertThat(second.totalCount()).isEqualTo(160);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 8. A member's data shifting between block fetches
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void aTaskInsertedAtTheTopBetweenBlocksIsNotListedTwice() {
        List<ScriptExecutionTask> original = sequentialTasks("m", 250, BASE);
        AtomicBoolean inserted = new AtomicBoolean();
        InMemoryUpstream upstream = InMemoryUpstream.serving(projectOf("m"), original)
                .afterEachAnswer((self, q) -> {
                    if (q.offset() == 0 && !inserted.getAndSet(true)) {
                        List<ScriptExecutionTask> more = new ArrayList<>(self.tasks());
                        more.add(aTask().withId("inserted").startedAt(BASE.plusSeconds(1)).build());
                        self.replaceTasks(more);
                    }
                });
        Fixture fixture = new Fixture().member("m", upstream, true);

        TaskPage page = load(fixture.federation(false), query(90, 20));

        assertThat(upstream.offsetsReceived()).containsExactly(0, 100);
        assertThat(upstream.answer(TaskQuery.builder(projectOf("m")).offset(100).limit(1).build()).tasks())
                .as("precondition: block 1 now starts with the last task of block 0")
                .containsExactly(original.get(99));
        assertThat(ids(page.tasks())).doesNotHaveDuplicates().isEqualTo(ids(window(original, 90, 20)));
    }

    @Test
    void tasksInsertedAtTheTopOfTwoMembersBetweenBlocksAreNotListedTwice() {
        Fixture fixture = new Fixture();
        for (String name : List.of("x", "y")) {
            AtomicBoolean inserted = new AtomicBoolean();
            fixture.member(name, InMemoryUpstream.serving(projectOf(name), randomTasks(51, name, 320))
                    .afterEachAnswer((self, q) -> {
                        if (q.offset() == 0 && !inserted.getAndSet(true)) {
                            List<ScriptExecutionTask> more = new ArrayList<>(self.tasks());
                            for (int i = 0; i < 3; i++) {
                                more.add(aTask().withId(name + "-new-" + i).startedAt(BASE.plusSeconds(9)).build());
                            }
                            self.replaceTasks(more);
                        }
                    }), true);
        }
        List<ScriptExecutionTask> before = fixture.oracle(query(0, 0));

        TaskPage page = load(fixture.federation(false), query(180, 100));

        assertThat(ids(page.tasks())).doesNotHaveDuplicates().hasSize(100);
        assertThat(page.tasks()).isSortedAccordingTo(TaskOrder.NEWEST_FIRST);
        assertThat(ids(page.tasks())).isEqualTo(ids(window(before, 180, 100)));
    }

    @Test
    void aTaskRemovedBetweenBlocksLeavesThePageInStrictOrder() {
        List<ScriptExecutionTask> original = sequentialTasks("m", 250, BASE);
        AtomicBoolean removed = new AtomicBoolean();
        InMemoryUpstream upstream = InMemoryUpstream.serving(projectOf("m"), original)
                .afterEachAnswer((self, q) -> {
                    if (q.offset() == 0 && !removed.getAndSet(true)) {
                        self.replaceTasks(self.tasks().subList(1, self.tasks().size()));
                    }
                });
        Fixture fixture = new Fixture().member("m", upstream, true);

        TaskPage page = load(fixture.federation(false), query(95, 10));

        assertThat(ids(page.tasks())).doesNotHaveDuplicates().hasSize(10);
        assertThat(page.tasks()).isSortedAccordingTo(TaskOrder.NEWEST_FIRST);
        assertThat(page.tasks()).isSubsetOf(original);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 9. Parallel fan-out, and concurrency
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void everyMembersFirstBlockIsRequestedBeforeAnyAnswers() {
        Fixture fixture = new Fixture();
        for (String name : List.of("a", "b", "c", "d")) {
            fixture.member(name, InMemoryUpstream.serving(projectOf(name), randomTasks(61, name, 150)).holdingAnswers(),
                    !name.equals("d"));
        }

        CompletableFuture<TaskPage> answer = fixture.federation(false).loadTasks(query(0, 10), CALLER)
                .toCompletableFuture();

        fixture.upstreams.forEach((name, upstream) -> {
            assertThat(upstream.offsetsReceived()).as(name).containsExactly(0);
            assertThat(upstream.pendingCount()).as(name).isEqualTo(1);
        });
        for (String name : List.of("a", "b", "c")) {
            fixture.upstream(name).release();
            assertThat(answer).as("after %s answered", name).isNotDone();
        }
        fixture.upstream("d").release(); // block 0 of the untrusted member; its block 1 follows
        assertThat(fixture.upstream("d").offsetsReceived()).containsExactly(0, 100);
        assertThat(answer).isNotDone();
        fixture.upstream("d").release();

        assertThat(answer).isDone();
        assertThat(answer.join().tasks()).isEqualTo(window(fixture.oracle(query(0, 0)), 0, 10));
    }

    @Test
    void answersCompletedOnAnotherThreadInAnyOrderGiveTheSamePage() throws Exception {
        Fixture fixture = new Fixture();
        for (String name : List.of("a", "b", "c")) {
            fixture.member(name, InMemoryUpstream.serving(projectOf(name), randomTasks(62, name, 330)).holdingAnswers(),
                    true);
        }
        TaskQuery query = query(420, 30);
        CompletableFuture<TaskPage> answer = fixture.federation(false).loadTasks(query, CALLER).toCompletableFuture();
        Random random = new Random(62);
        // release held answers from another thread, member by member in random order, until the answer is in
        Thread releaser = new Thread(() -> {
            List<InMemoryUpstream> members = new ArrayList<>(fixture.upstreams.values());
            while (!answer.isDone()) {
                InMemoryUpstream member = members.get(random.nextInt(members.size()));
                if (member.pendingCount() > 0) {
                    member.releaseOne();
                } else {
                    Thread.onSpinWait();
                }
            }
        }, "releaser");
        releaser.setDaemon(true);
        releaser.start();

        TaskPage page = await(answer);
        releaser.join(30_000);

        assertThat(page.tasks()).isEqualTo(window(fixture.oracle(query), 420, 30));
        assertThat(page.totalCount()).isEqualTo(990);
        assertBlockQueries(fixture, query, Reading.ALIGNED_BLOCKS);
    }

    @Test
    void concurrentQueriesOnOneFederationDoNotInterfere() throws Exception {
        Fixture fixture = ASYNC.fixture();
        FederatedTaskSource federation = fixture.federation(false);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<int[]> windows = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                windows.add(new int[]{(i * 37) % 400, 1 + (i * 13) % 100});
            }
            List<CompletableFuture<TaskPage>> answers = windows.stream()
                    .map(w -> CompletableFuture.supplyAsync(() -> ASYNC.query(w[0], w[1]), callers)
                            .thenCompose(q -> federation.loadTasks(q, CALLER)))
                    .toList();
            List<ScriptExecutionTask> all = fixture.oracle(ASYNC.query(0, 0));
            for (int i = 0; i < windows.size(); i++) {
                int[] w = windows.get(i);
                assertThat(await(answers.get(i)).tasks()).as("offset %d, limit %d", w[0], w[1])
                        .isEqualTo(window(all, w[0], w[1]));
            }
        } finally {
            callers.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Construction
    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class Construction {
        @Test
        void aFederationNeedsMembers() {
            assertThatThrownBy(() -> new FederatedTaskSource(ALIAS, List.of(), false, Reading.ALIGNED_BLOCKS))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ALIAS);
        }

        @Test
        void membersAreKeptInOrderAndCopied() {
            Fixture fixture = new Fixture().member("a", List.of()).member("b", List.of());
            List<FederatedTaskSource.Member> given = new ArrayList<>(fixture.members);
            FederatedTaskSource federation = new FederatedTaskSource(ALIAS, given, false, Reading.ALIGNED_BLOCKS);
            given.clear();

            assertThat(federation.members()).extracting(FederatedTaskSource.Member::name).containsExactly("a", "b");
        }

        @Test
        void aMemberNeedsANameAProjectAndASource() {
            InMemoryUpstream source = InMemoryUpstream.serving("p", List.of());
            assertThatThrownBy(() -> new FederatedTaskSource.Member(null, "p", source, true))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> new FederatedTaskSource.Member("n", null, source, true))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> new FederatedTaskSource.Member("n", "p", null, true))
                    .isInstanceOf(NullPointerException.class);
        }
    }
}
