package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatistics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What another pooltasks's headers say of the sources behind it, as a gateway in front of it passes it on. */
class SourcesBehindTest {

    @Test
    void namesArePassedOnUnderTheUpstreamsNameAndTheAgeAsIs() {
        SourcesBehind behind = SourcesBehind.of("regional", "west, south", "north", "42");

        TaskPage page = behind.applyTo(new TaskPage(3, List.of(), Set.of("other"), Set.of()));

        assertThat(page.missingSources()).containsExactly("other", "regional/south", "regional/west");
        assertThat(page.staleSources()).containsExactly("regional/north");
        assertThat(page.mirrorAge()).isEqualTo(Duration.ofSeconds(42));
        assertThat(page.totalCount()).isEqualTo(3);
    }

    @Test
    void anAnswerWithoutTheHeadersIsLeftAsItIs() {
        TaskPage page = new TaskPage(1, List.of());

        assertThat(SourcesBehind.of("regional", null, null, null)).isSameAs(SourcesBehind.NONE);
        assertThat(SourcesBehind.NONE.applyTo(page)).isSameAs(page);
        assertThat(SourcesBehind.of("regional", "", " , ", null).applyTo(page)).isEqualTo(page);
    }

    @Test
    void statisticsGetTheMissingAndStaleNames() {
        TaskStatistics counted = new TaskStatistics(TaskStatistics.Counts.NONE, List.of());

        TaskStatistics marked = SourcesBehind.of("regional", "west", "north", "7").applyTo(counted);

        assertThat(marked.missingSources()).containsExactly("regional/west");
        assertThat(marked.staleSources()).containsExactly("regional/north");
        assertThat(marked.total()).isEqualTo(counted.total());
    }

    @Test
    void namesThatAreTooManyTooLongOrNotVisibleAsciiAreTheUpstreamsOwnName() {
        String many = IntStream.range(0, 100).mapToObj(i -> "m" + i).collect(Collectors.joining(","));
        String odd = "x".repeat(SourcesBehind.MAX_NAME_LENGTH + 1) + ",a b,caf\u00e9,tab\there,ok";

        SourcesBehind manyNames = SourcesBehind.of("regional", many, null, null);
        SourcesBehind oddNames = SourcesBehind.of("regional", odd, null, null);

        assertThat(manyNames.missing()).hasSize(SourcesBehind.MAX_NAMES + 1).contains("regional", "regional/m0",
                "regional/m31").doesNotContain("regional/m32");
        assertThat(oddNames.missing()).containsExactly("regional", "regional/ok");
    }

    @Test
    void anUnreadableAgeIsLeftOut() {
        for (String age : new String[] {"-1", "1.5", "soon", "", "1234567890123"}) {
            assertThat(SourcesBehind.of("regional", null, null, age).mirrorAge()).as(age).isNull();
        }
        assertThat(SourcesBehind.of("regional", null, null, " 0 ").mirrorAge()).isEqualTo(Duration.ZERO);
    }
}
