package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.AnswerMemo;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.port.out.PageCache;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.service.FederatedTaskSource.Reading;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static dev.pooltasks.domain.service.FederatedTaskSourceTest.load;
import static dev.pooltasks.domain.service.FederatedTaskSourceTest.projectOf;
import static dev.pooltasks.domain.service.FederatedTaskSourceTest.query;
import static dev.pooltasks.domain.service.FederatedTaskSourceTest.randomTasks;
import static dev.pooltasks.domain.service.FederatedTaskSourceTest.window;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A federation over cached members keeps its complete answers with the copies they came from, and answers a repeated
 * query with the same page only while every one of those copies is still the one its cache hands out.
 */
class FederatedAnswerMemoTest {
    private static final Caller CALLER = new Caller("ak-test", "caller-token", Set.of(Caller.ANY_PROJECT));
    private static final Instant BASE = Instant.parse("2024-03-01T00:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(BASE);
    private final MapPageCache pages = new MapPageCache(TTL, clock);
    private final MapMemo memo = new MapMemo();
    private final InMemoryUpstream a = InMemoryUpstream.serving(projectOf("a"), randomTasks(7, "a", 150));
    private final InMemoryUpstream b = InMemoryUpstream.serving(projectOf("b"), randomTasks(7, "b", 120));

    /** The memo as a plain map: what is kept and dropped, not how (the bound is LocalAnswerMemo's). */
    static final class MapMemo implements AnswerMemo {
        final Map<Key, Answer> answers = new ConcurrentHashMap<>();

        @Override
        public Answer get(Key key) {
            return answers.get(key);
        }

        @Override
        public void put(Key key, Answer answer) {
            answers.put(key, answer);
        }

        @Override
        public void remove(Key key) {
            answers.remove(key);
        }
    }

    private FederatedTaskSource.Member cachedMember(String name, LoadScriptExecutionTasksPort source,
                                                    Duration serveStaleFor) {
        return new FederatedTaskSource.Member(name, projectOf(name), new CachingTaskSource(name, source, false,
                List.of(pages), serveStaleFor, clock, CachingTaskSource.CacheListener.NONE), true);
    }

    private FederatedTaskSource federation(List<FederatedTaskSource.Member> members, boolean partial) {
        return new FederatedTaskSource("fed", members, partial, Reading.ALIGNED_BLOCKS, memo);
    }

    private FederatedTaskSource federation() {
        return federation(List.of(cachedMember("a", a, Duration.ZERO), cachedMember("b", b, Duration.ZERO)), false);
    }

    private List<ScriptExecutionTask> all() {
        return Stream.concat(a.tasks().stream(), b.tasks().stream()).sorted(TaskOrder.NEWEST_FIRST).toList();
    }

    @Test
    void aRepeatedQueryGetsTheSamePageWithItsBodyWithoutCallingTheMembers() {
        FederatedTaskSource federation = federation();

        TaskPage first = load(federation, query(95, 10));
        byte[] body = first.body(page -> "encoded".getBytes(StandardCharsets.UTF_8));
        clock.advance(Duration.ofSeconds(5));
        TaskPage again = load(federation, query(95, 10));

        assertThat(again).isSameAs(first);
        assertThat(again.knownBody()).isSameAs(body);
        assertThat(first.tasks()).isEqualTo(window(all(), 95, 10));
        assertThat(a.offsetsReceived()).doesNotHaveDuplicates();
        assertThat(b.offsetsReceived()).doesNotHaveDuplicates();
        AnswerMemo.Answer kept = memo.answers.get(new AnswerMemo.Key("fed", query(95, 10)));
        assertThat(kept.parts()).as("every block the answer came from, once")
                .hasSize(a.received.size() + b.received.size());
    }

    @Test
    void aRefreshedBlockGivesANewAnswerFromTheNewCopy() {
        FederatedTaskSource federation = federation();
        TaskPage first = load(federation, query(0, 10));
        List<ScriptExecutionTask> changed = randomTasks(8, "a", 150);
        a.replaceTasks(changed);

        clock.advance(TTL); // a's and b's first blocks are no longer fresh: fetched again
        TaskPage second = load(federation, query(0, 10));
        TaskPage third = load(federation, query(0, 10));

        assertThat(second).isNotSameAs(first);
        assertThat(second.tasks()).isEqualTo(window(all(), 0, 10));
        assertThat(third).isSameAs(second);
        assertThat(a.offsetsReceived()).containsExactly(0, 0);
    }

    @Test
    void onlyOneMembersNewCopyIsEnoughForANewAnswer() {
        FederatedTaskSource federation = federation();
        TaskPage first = load(federation, query(0, 10));
        PageCache.Key bKey = pages.copies().keySet().stream().filter(key -> key.source().equals("b")).findFirst()
                .orElseThrow();
        PageCache.Copy bCopy = pages.copies().get(bKey);
        // b's copy replaced by an equal one fetched later (as after a refresh): a different copy
        pages.keep(bKey, new PageCache.Copy(new TaskPage(bCopy.page().totalCount(), bCopy.page().tasks()),
                clock.millis()));

        TaskPage second = load(federation, query(0, 10));

        assertThat(second).isNotSameAs(first).isEqualTo(first);
        assertThat(b.offsetsReceived()).as("b's new copy came from the cache, not b").containsExactly(0);
    }

    @Test
    void anAnswerWithAStaleCopyIsNeverKept() {
        AtomicBoolean down = new AtomicBoolean();
        FakeTaskSource flaky = FakeTaskSource.answeringLater(q -> down.get()
                ? CompletableFuture.failedFuture(new TaskSourceUnavailableException("b", "down"))
                : b.loadTasks(q, CALLER));
        FederatedTaskSource federation = federation(List.of(cachedMember("a", a, Duration.ZERO),
                cachedMember("b", flaky, Duration.ofMinutes(5))), false);
        TaskPage fresh = load(federation, query(0, 10));

        down.set(true);
        clock.advance(TTL);
        TaskPage stale = load(federation, query(0, 10));
        TaskPage staleAgain = load(federation, query(0, 10));

        assertThat(stale.staleSources()).containsExactly("b");
        assertThat(stale).isNotSameAs(fresh);
        assertThat(staleAgain).isNotSameAs(stale);
        assertThat(staleAgain.staleSources()).containsExactly("b");
        assertThat(memo.answers).isEmpty();
        assertThat(flaky.received).as("b asked once per lookup, never twice for one answer").hasSize(3);
    }

    @Test
    void aPartialAnswerIsNeverKept() {
        InMemoryUpstream failing = InMemoryUpstream.serving(projectOf("c"), randomTasks(7, "c", 10))
                .failingWith(new TaskSourceUnavailableException("c", "down"));
        FederatedTaskSource federation = federation(List.of(cachedMember("a", a, Duration.ZERO),
                cachedMember("c", failing, Duration.ZERO)), true);

        TaskPage first = load(federation, query(0, 10));
        TaskPage second = load(federation, query(0, 10));

        assertThat(first.missingSources()).containsExactly("c");
        assertThat(second).isNotSameAs(first);
        assertThat(memo.answers).isEmpty();
    }

    @Test
    void anAnswerWithSourcesMissingBehindAMemberIsNeverKept() {
        InMemoryUpstream chained = InMemoryUpstream.serving(projectOf("c"), randomTasks(8, "c", 10))
                .missingBehind("c/west");
        FederatedTaskSource federation = federation(List.of(cachedMember("a", a, Duration.ZERO),
                cachedMember("c", chained, Duration.ZERO)), false);

        TaskPage first = load(federation, query(0, 10));
        TaskPage second = load(federation, query(0, 10));

        assertThat(first.missingSources()).containsExactly("c/west");
        assertThat(second).isNotSameAs(first).isEqualTo(first);
        assertThat(memo.answers).isEmpty();
    }

    @Test
    void membersNotBehindACacheNeverGiveTheSameCopyTwice() {
        FederatedTaskSource federation = new FederatedTaskSource("fed", List.of(
                new FederatedTaskSource.Member("a", projectOf("a"), a, true),
                new FederatedTaskSource.Member("b", projectOf("b"), b, true)), false, Reading.ALIGNED_BLOCKS, memo);

        TaskPage first = load(federation, query(0, 10));
        TaskPage second = load(federation, query(0, 10));

        assertThat(second).isNotSameAs(first).isEqualTo(first);
        assertThat(a.offsetsReceived()).as("asked once per answer, not again to merge").containsExactly(0, 0);
    }
}
