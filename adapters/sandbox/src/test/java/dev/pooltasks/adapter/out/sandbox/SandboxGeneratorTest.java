package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.model.TaskStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator's columns, checked directly over many tasks of several seeds. */
class SandboxGeneratorTest {
    private static final long NOW = Instant.parse("2026-11-27T12:00:00Z").getEpochSecond();
    private static final int COUNT = 60_000;

    private static TaskColumns generate(long seed) {
        SandboxGenerator generator = new SandboxGenerator(seed, new SandboxCatalogue(new SplittableRandom(seed)));
        TaskColumns columns = new TaskColumns(COUNT);
        IntStream.range(0, COUNT).parallel().forEach(i -> generator.generate(i, NOW, columns));
        return columns;
    }

    private static TaskStatus status(TaskColumns columns, int i) {
        return TaskColumns.STATUSES.get(columns.status[i]);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42, 2021, -7})
    void aTaskHasAnEndExactlyWhenItIsFinishedAndItEndsByNow(long seed) {
        TaskColumns columns = generate(seed);
        List<String> broken = new ArrayList<>();
        int endedEarly = 0;
        for (int i = 0; i < COUNT; i++) {
            TaskStatus status = status(columns, i);
            boolean finished = status.equals(TaskStatus.FINISH) || status.equals(TaskStatus.FAILED);
            long start = columns.startSecond[i];
            int duration = columns.durationSeconds[i];
            if (finished != (duration >= 0) || (finished && (duration < 1 || start + duration > NOW))) {
                broken.add("#" + i + " " + status + " start=" + start + " duration=" + duration);
            }
            if (finished && start + duration == NOW) {
                endedEarly++;
            }
        }

        assertThat(broken).as("tasks whose end_time contradicts their status").isEmpty();
        assertThat(endedEarly).as("runs that ended before their planned duration, right now").isPositive();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42})
    void generationIsDeterministicPerIndex(long seed) {
        TaskColumns one = generate(seed);
        TaskColumns two = generate(seed);

        assertThat(two.startSecond).isEqualTo(one.startSecond);
        assertThat(two.durationSeconds).isEqualTo(one.durationSeconds);
        assertThat(two.pool).isEqualTo(one.pool);
        assertThat(two.scripts).isEqualTo(one.scripts);
        assertThat(two.command).isEqualTo(one.command);
        assertThat(two.status).isEqualTo(one.status);
        assertThat(two.successNum).isEqualTo(one.successNum);
        assertThat(two.failedNum).isEqualTo(one.failedNum);
        assertThat(two.skipNum).isEqualTo(one.skipNum);
    }
}
