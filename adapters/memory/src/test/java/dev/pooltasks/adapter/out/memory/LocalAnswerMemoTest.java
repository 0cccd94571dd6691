package dev.pooltasks.adapter.out.memory;

import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.AnswerMemo;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.pooltasks.adapter.out.memory.Pages.page;
import static dev.pooltasks.adapter.out.memory.Pages.query;
import static org.assertj.core.api.Assertions.assertThat;

class LocalAnswerMemoTest {
    private static final Duration KEEP_FOR = Duration.ofSeconds(5);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));

    private static AnswerMemo.Key key(int offset) {
        return new AnswerMemo.Key("fed", query(offset, 10));
    }

    private static AnswerMemo.Answer answer(long seed) {
        TaskPage block = page(seed, 100);
        return new AnswerMemo.Answer(new TaskPage(300, block.tasks().subList(0, 10)),
                List.of(new AnswerMemo.Part(0, query(0, 100), block), new AnswerMemo.Part(1, query(0, 100), block)));
    }

    private LocalAnswerMemo memo(long maxWeight) {
        return new LocalAnswerMemo(maxWeight, KEEP_FOR, clock);
    }

    @Test
    void anAnswerIsKeptUntilRemoved() {
        LocalAnswerMemo memo = memo(1 << 20);
        AnswerMemo.Answer answer = answer(1);
        memo.put(key(0), answer);

        assertThat(memo.get(key(0))).isSameAs(answer);
        assertThat(memo.get(key(10))).isNull();
        memo.remove(key(0));
        assertThat(memo.get(key(0))).isNull();
    }

    @Test
    void anAnswerIsDroppedOnceItsCopiesCannotBeFreshAnyMore() {
        LocalAnswerMemo memo = memo(1 << 20);
        memo.put(key(0), answer(1));

        clock.advance(KEEP_FOR.minusMillis(1));
        assertThat(memo.get(key(0))).isNotNull();
        clock.advance(Duration.ofMillis(1));
        assertThat(memo.get(key(0))).isNull();
    }

    @Test
    void theBodyEncodedAfterTheAnswerWasKeptIsWeighedAtTheNextLookupWithoutKeepingItLonger() {
        LocalAnswerMemo memo = memo(1 << 20);
        AnswerMemo.Answer answer = answer(1);
        memo.put(key(0), answer);
        long withoutBody = memo.weightBytes();

        answer.page().body(page -> new byte[6000]);
        clock.advance(Duration.ofSeconds(3));
        memo.get(key(0));

        assertThat(memo.weightBytes()).isEqualTo(withoutBody + PageWeight.body(new byte[6000]));
        clock.advance(Duration.ofSeconds(2));
        assertThat(memo.get(key(0))).as("still as old as its copies").isNull();
    }

    @Test
    void anAnswerWeighsAtLeastWhatItKeepsAliveItsCopiesIncluded() {
        // The page cache may have dropped the copies already: then this answer alone keeps them.
        LocalAnswerMemo memo = memo(1 << 24);
        AnswerMemo.Answer answer = answer(1);
        memo.put(key(0), answer);

        long measured = GraphLayout.parseInstance(answer).totalSize();
        assertThat(memo.weightBytes() - PageWeight.ENTRY_OVERHEAD).isGreaterThanOrEqualTo(measured);
    }

    @Test
    void aCopyNamedByTwoPartsIsCountedOnce() {
        TaskPage block = page(1, 100);
        TaskPage merged = new TaskPage(300, block.tasks().subList(0, 10));
        LocalAnswerMemo twice = memo(1 << 24);
        twice.put(key(0), new AnswerMemo.Answer(merged, List.of(new AnswerMemo.Part(0, query(0, 100), block),
                new AnswerMemo.Part(1, query(0, 100), block))));
        LocalAnswerMemo two = memo(1 << 24);
        two.put(key(0), new AnswerMemo.Answer(merged, List.of(new AnswerMemo.Part(0, query(0, 100), block),
                new AnswerMemo.Part(1, query(0, 100), page(2, 100)))));

        assertThat(two.weightBytes() - twice.weightBytes()).isEqualTo(PageWeight.page(page(2, 100)));
    }

    @Test
    void aCopyWeighedBeforeItsBodyWasKnownIsWeighedWithItAfterwards() {
        TaskPage block = page(1, 100);
        AnswerMemo.Answer answer = new AnswerMemo.Answer(new TaskPage(300, block.tasks().subList(0, 10)),
                List.of(new AnswerMemo.Part(0, query(0, 100), block)));
        LocalAnswerMemo memo = memo(1 << 24);
        memo.put(key(0), answer);
        long before = memo.weightBytes();

        block.body(page -> new byte[50_000]);
        memo.remove(key(0));
        memo.put(key(0), answer);

        assertThat(memo.weightBytes()).isEqualTo(before + PageWeight.body(new byte[50_000]));
    }

    @Test
    void theWeightBoundEvictsAnswersOneByOne() {
        LocalAnswerMemo probe = memo(1 << 20);
        probe.put(key(0), answer(1));
        long one = probe.weightBytes();
        LocalAnswerMemo memo = memo(3 * one + one / 2);

        for (int i = 0; i < 10; i++) {
            memo.put(key(i * 10), answer(1));
        }

        long kept = java.util.stream.IntStream.range(0, 10).filter(i -> memo.get(key(i * 10)) != null).count();
        assertThat(kept).isBetween(1L, 3L);
        assertThat(memo.weightBytes()).isLessThanOrEqualTo(3 * one + one / 2);
    }
}
