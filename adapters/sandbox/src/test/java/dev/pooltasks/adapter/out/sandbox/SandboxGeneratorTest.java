package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator's tasks, checked directly over many tasks of several seeds. */
class SandboxGeneratorTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final int COUNT = 60_000;

    private static List<ScriptExecutionTask> generate(long seed) {
        SandboxGenerator generator = new SandboxGenerator(seed, new SandboxCatalogue(new SplittableRandom(seed)));
        return IntStream.range(0, COUNT).parallel().mapToObj(i -> generator.generate(i, NOW.getEpochSecond()))
                .toList();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42, 2021, -7})
    void aTaskHasAnEndExactlyWhenItIsFinishedAndItEndsByNow(long seed) {
        List<ScriptExecutionTask> tasks = generate(seed);
        List<String> broken = new ArrayList<>();
        int endedEarly = 0;
        for (int i = 0; i < COUNT; i++) {
            ScriptExecutionTask task = tasks.get(i);
            TaskStatus status = task.status();
            boolean finished = status.equals(TaskStatus.FINISH) || status.equals(TaskStatus.FAILED);
            Instant end = task.endTime();
            if (finished != (end != null) || (finished && (!end.isAfter(task.startTime()) || end.isAfter(NOW)))) {
                broken.add("#" + i + " " + status + " start=" + task.startTime() + " end=" + end);
            }
            if (finished && end.equals(NOW)) {
                endedEarly++;
            }
        }

        assertThat(broken).as("tasks whose end_time contradicts their status").isEmpty();
        assertThat(endedEarly).as("runs that ended before their planned duration, right now").isPositive();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42})
    void generationIsDeterministicPerIndex(long seed) {
        assertThat(generate(seed)).isEqualTo(generate(seed));
    }
}
