package dev.pooltasks.domain.index;

import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class PageMemoTest {
    private static final List<ScriptExecutionTask> TASKS = new RandomTasks(15).tasks(20);

    private static TaskQuery query(int offset) {
        return TaskQuery.builder("p").offset(offset).limit(10).build();
    }

    private static Supplier<TaskPage> page(int tasks, AtomicInteger computed) {
        return () -> {
            computed.incrementAndGet();
            return new TaskPage(100, TASKS.subList(0, tasks));
        };
    }

    @Test
    void aRepeatedQueryGetsTheSamePageComputedOnce() {
        PageMemo memo = new PageMemo(1 << 20);
        AtomicInteger computed = new AtomicInteger();

        TaskPage first = memo.get(query(0), page(10, computed));
        TaskPage again = memo.get(query(0), page(10, computed));
        TaskPage other = memo.get(query(10), page(10, computed));

        assertThat(again).isSameAs(first);
        assertThat(other).isNotSameAs(first);
        assertThat(computed).hasValue(2);
        assertThat(memo.weight()).isEqualTo(2 * (PageMemo.ENTRY_BYTES + 10 * PageMemo.TASK_BYTES));
    }

    @Test
    void aPageEncodedAfterItWasKeptIsWeighedAgainWithItsBodyOnce() {
        PageMemo memo = new PageMemo(1 << 20);
        AtomicInteger computed = new AtomicInteger();
        TaskPage page = memo.get(query(0), page(2, computed));
        page.body(p -> new byte[500]);

        memo.get(query(0), page(2, computed));
        memo.get(query(0), page(2, computed));

        assertThat(memo.weight()).isEqualTo(PageMemo.ENTRY_BYTES + 2 * PageMemo.TASK_BYTES + 500);
    }

    @Test
    void theOldestPagesAreEvictedOneByOneToStayWithinTheWeight() {
        long one = PageMemo.ENTRY_BYTES + 10 * PageMemo.TASK_BYTES;
        PageMemo memo = new PageMemo(3 * one);
        AtomicInteger computed = new AtomicInteger();
        TaskPage first = memo.get(query(0), page(10, computed));
        memo.get(query(10), page(10, computed));
        memo.get(query(20), page(10, computed));

        memo.get(query(30), page(10, computed));

        assertThat(memo.size()).isEqualTo(3);
        assertThat(memo.weight()).isEqualTo(3 * one);
        assertThat(memo.get(query(10), page(10, computed))).as("still kept").isNotNull();
        assertThat(computed).hasValue(4);
        assertThat(memo.get(query(0), page(10, computed))).as("the oldest was evicted").isNotSameAs(first);
        assertThat(computed).hasValue(5);
    }

    @Test
    void anIndexAnswersARepeatedQueryWithTheSamePageAndAChangedIndexWithANewOne() {
        TaskIndex index = TaskIndexOracleTest.indexOf(new RandomTasks(16).tasks(500), 1);
        TaskQuery query = TaskQuery.builder("p").offset(40).limit(20).build();

        TaskPage first = index.page(query);
        TaskIndex changed = index.withChanges(new RandomTasks(17).tasks(1));

        assertThat(index.page(query)).isSameAs(first);
        assertThat(index.withChanges(List.of()).page(query)).as("no change: the same index").isSameAs(first);
        assertThat(changed.page(query)).isNotSameAs(first);
        assertThat(changed.page(query)).isSameAs(changed.page(query));
    }
}
