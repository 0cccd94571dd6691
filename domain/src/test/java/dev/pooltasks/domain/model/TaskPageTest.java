package dev.pooltasks.domain.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static dev.pooltasks.domain.model.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A page's data invariants and the answer body it carries. */
class TaskPageTest {
    private final TaskPage page = new TaskPage(7, List.of(aTask().build()), Set.of("b", "a"), Set.of());

    @Test
    void encodesItsBodyOnceAndKeepsIt() {
        AtomicInteger encodings = new AtomicInteger();
        Function<TaskPage, byte[]> encoder = p -> {
            encodings.incrementAndGet();
            return ("{\"total_count\":" + p.totalCount() + "}").getBytes(StandardCharsets.UTF_8);
        };

        byte[] first = page.body(encoder);
        byte[] again = page.body(encoder);

        assertThat(encodings).hasValue(1);
        assertThat(again).isSameAs(first);
        assertThat(page.knownBody()).isSameAs(first);
    }

    @Test
    void aKnownBodyIsSentAsIsAndSurvivesHeaderOnlyChanges() {
        byte[] upstream = "{\"total_count\":7,\"script_execution_tasks\":[]}".getBytes(StandardCharsets.UTF_8);
        TaskPage forwarded = page.withBody(upstream);

        assertThat(forwarded.body(p -> {
            throw new AssertionError("must not encode a page whose body is known");
        })).isSameAs(upstream);
        assertThat(forwarded.markedStale("x").knownBody()).isSameAs(upstream);
        assertThat(forwarded.withMirrorAge(Duration.ofSeconds(3)).knownBody()).isSameAs(upstream);
        assertThat(page.knownBody()).as("the original page is unchanged").isNull();
    }

    @Test
    void equalityIsOverTheDataNotTheBody() {
        TaskPage same = new TaskPage(7, List.of(aTask().build()), Set.of("a", "b"), Set.of());
        same.body(p -> new byte[] {1});

        assertThat(same).isEqualTo(page).hasSameHashCodeAs(page);
        assertThat(page.withBody(new byte[] {2})).isEqualTo(page);
        assertThat(page.markedStale("c")).isNotEqualTo(page);
        assertThat(page.missingSources()).containsExactly("a", "b");
    }

    @Test
    void aPageKnownByItsBodyDecodesItsTasksOnlyWhenReadAndOnce() {
        byte[] upstream = "{...}".getBytes(StandardCharsets.UTF_8);
        List<ScriptExecutionTask> tasks = List.of(aTask().withId("t1").build(), aTask().withId("t2").build());
        AtomicInteger decodings = new AtomicInteger();
        TaskPage forwarded = TaskPage.decodedOnDemand(9, 2, () -> {
            decodings.incrementAndGet();
            return tasks;
        }, upstream);

        assertThat(forwarded.body(p -> {
            throw new AssertionError("must not encode a page whose body is known");
        })).isSameAs(upstream);
        assertThat(forwarded.tasks()).hasSize(2).isNotEmpty();
        assertThat(decodings).as("its size and its body need no decoding").hasValue(0);

        assertThat(forwarded.tasks()).containsExactlyElementsOf(tasks);
        assertThat(forwarded.tasks().get(1).id()).isEqualTo("t2");
        assertThat(forwarded).isEqualTo(new TaskPage(9, tasks)).hasSameHashCodeAs(new TaskPage(9, tasks));
        assertThat(decodings).hasValue(1);
        assertThatThrownBy(() -> forwarded.tasks().add(tasks.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aDecoderGivingAnotherNumberOfTasksThanAnnouncedIsABug() {
        TaskPage forwarded = TaskPage.decodedOnDemand(9, 3, () -> List.of(aTask().build()), new byte[] {1});

        assertThatThrownBy(() -> forwarded.tasks().get(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsANegativeCountAndClampsANegativeMirrorAge() {
        assertThatThrownBy(() -> new TaskPage(-1, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(page.withMirrorAge(Duration.ofSeconds(-2)).mirrorAge()).isEqualTo(Duration.ZERO);
        assertThat(new TaskPage(0, List.of(), Set.of(), Set.of(), Duration.ofSeconds(-1)).mirrorAge())
                .isEqualTo(Duration.ZERO);
    }
}
