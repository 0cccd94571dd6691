package dev.pooltasks.domain.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.pooltasks.domain.model.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;

class TaskOrderTest {

    private static ScriptExecutionTask task(String id, String start) {
        return aTask().withId(id).startedAt(start).build();
    }

    @ParameterizedTest(name = "{0}@{1} vs {2}@{3} -> {4}")
    @CsvSource({
            // id A, start A,             id B, start B,             sign of compare(A, B)
            "a, 2021-10-02T00:00:00Z, b, 2021-10-01T00:00:00Z, -1",
            "b, 2021-10-02T00:00:00Z, a, 2021-10-01T00:00:00Z, -1",
            "a, 2021-10-01T00:00:00Z, b, 2021-10-02T00:00:00Z, 1",
            "a, 2021-10-01T00:00:00.001Z, a, 2021-10-01T00:00:00Z, -1",
            "a, 2021-10-01T00:00:00Z, b, 2021-10-01T00:00:00Z, -1",
            "b, 2021-10-01T00:00:00Z, a, 2021-10-01T00:00:00Z, 1",
            "a, 2021-10-01T00:00:00Z, a, 2021-10-01T00:00:00Z, 0",
            // ties break on the id as a string: lower-case hex UUIDs order like their numeric value
            "0fffffff-ffff-ffff-ffff-ffffffffffff, 2021-10-01T00:00:00Z, a0000000-0000-0000-0000-000000000000, 2021-10-01T00:00:00Z, -1",
            "9fffffff-ffff-ffff-ffff-ffffffffffff, 2021-10-01T00:00:00Z, a0000000-0000-0000-0000-000000000000, 2021-10-01T00:00:00Z, -1",
    })
    void newestFirstThenIdAscending(String idA, String startA, String idB, String startB, int sign) {
        int result = TaskOrder.NEWEST_FIRST.compare(task(idA, startA), task(idB, startB));

        assertThat(Integer.signum(result)).isEqualTo(sign);
    }

    @Test
    void sortsAShuffledListIntoApiOrder() {
        List<ScriptExecutionTask> expected = List.of(
                task("c", "2021-10-03T00:00:00Z"),
                task("a", "2021-10-02T00:00:00Z"),
                task("b", "2021-10-02T00:00:00Z"),
                task("z", "2021-10-02T00:00:00Z"),
                task("a1", "2021-10-01T23:59:59.999Z"),
                task("0", "2021-09-30T00:00:00Z"));
        List<ScriptExecutionTask> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(7));

        shuffled.sort(TaskOrder.NEWEST_FIRST);

        assertThat(shuffled).containsExactlyElementsOf(expected);
    }

    @Test
    void startTimeOutranksTheId() {
        ScriptExecutionTask olderSmallId = task("a", "2021-10-01T00:00:00Z");
        ScriptExecutionTask newerLargeId = task("z", "2021-10-01T00:00:01Z");

        assertThat(TaskOrder.NEWEST_FIRST.compare(newerLargeId, olderSmallId)).isNegative();
        assertThat(TaskOrder.NEWEST_FIRST.compare(olderSmallId, newerLargeId)).isPositive();
    }

    @Test
    void otherFieldsPlayNoPart() {
        Instant start = Instant.parse("2021-10-01T00:00:00Z");
        ScriptExecutionTask one = aTask().withId("x").startedAt(start).inPool("p1").withStatus(TaskStatus.FAILED)
                .build();
        ScriptExecutionTask two = aTask().withId("x").startedAt(start).inPool("p2").withStatus(TaskStatus.FINISH)
                .withNoScripts().build();

        assertThat(TaskOrder.NEWEST_FIRST.compare(one, two)).isZero();
    }

    @Test
    void comparingByPositionAgreesWithTheComparator() {
        List<ScriptExecutionTask> tasks = new ArrayList<>();
        Random random = new Random(11);
        for (int n = 0; n < 60; n++) {
            tasks.add(task(String.valueOf((char) ('a' + random.nextInt(4))),
                    Instant.parse("2021-10-01T00:00:00Z").plusSeconds(random.nextInt(3)).toString()));
        }
        for (int i = 0; i < tasks.size(); i++) {
            for (int j = 0; j < tasks.size(); j++) {
                assertThat(Integer.signum(TaskOrder.compare(tasks, i, tasks, j)))
                        .isEqualTo(Integer.signum(TaskOrder.NEWEST_FIRST.compare(tasks.get(i), tasks.get(j))));
            }
        }
    }

    @Test
    void encodedListsCompareByTheirSecondsAsTheComparatorDoes() {
        Random random = new Random(12);
        List<ScriptExecutionTask> whole = new ArrayList<>();
        List<ScriptExecutionTask> withFractions = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            Instant start = Instant.parse("2021-10-01T00:00:00Z").plusSeconds(random.nextInt(3));
            String id = String.valueOf((char) ('a' + random.nextInt(4)));
            whole.add(task(id, start.toString()));
            withFractions.add(task(id, start.plusMillis(random.nextInt(2) * 500L).toString()));
        }
        AtomicInteger made = new AtomicInteger();
        List<ScriptExecutionTask> encoded = new EncodedTaskList(whole, made);
        // both encoded (seconds), and an encoded list against a plain one whose times may have a fraction
        for (List<ScriptExecutionTask> other : List.of(encoded, withFractions)) {
            List<ScriptExecutionTask> otherMade = other == encoded ? whole : other;
            for (int i = 0; i < encoded.size(); i++) {
                for (int j = 0; j < other.size(); j++) {
                    int expected = Integer.signum(TaskOrder.NEWEST_FIRST.compare(whole.get(i), otherMade.get(j)));
                    assertThat(Integer.signum(TaskOrder.compare(encoded, i, other, j))).isEqualTo(expected);
                    assertThat(Integer.signum(TaskOrder.compare(other, j, encoded, i))).isEqualTo(-expected);
                }
            }
        }
        assertThat(made).as("tasks made by the comparisons").hasValue(0);
    }
}
