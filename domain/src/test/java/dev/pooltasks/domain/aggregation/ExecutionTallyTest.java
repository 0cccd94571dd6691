package dev.pooltasks.domain.aggregation;

import dev.pooltasks.domain.model.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.pooltasks.domain.aggregation.RecordState.FAILED;
import static dev.pooltasks.domain.aggregation.RecordState.PENDING;
import static dev.pooltasks.domain.aggregation.RecordState.RUNNING;
import static dev.pooltasks.domain.aggregation.RecordState.SKIPPED_BY_THRESHOLD;
import static dev.pooltasks.domain.aggregation.RecordState.SKIPPED_UNAVAILABLE;
import static dev.pooltasks.domain.aggregation.RecordState.SUCCEEDED;
import static dev.pooltasks.domain.aggregation.RecordState.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ExecutionTallyTest {

    /** Records as {@code count × state} pairs, e.g. {@code records(3, SUCCEEDED, 1, FAILED)}. */
    private static RecordState[] records(Object... countStatePairs) {
        List<RecordState> states = new ArrayList<>();
        for (int i = 0; i < countStatePairs.length; i += 2) {
            int count = (Integer) countStatePairs[i];
            RecordState state = (RecordState) countStatePairs[i + 1];
            states.addAll(Collections.nCopies(count, state));
        }
        return states.toArray(RecordState[]::new);
    }

    private static TaskOutcome outcome(TaskStatus status, int success, int failed, int skip) {
        return new TaskOutcome(status, success, failed, skip);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // INIT: no record has started
                arguments("no records at all", records(), outcome(TaskStatus.INIT, 0, 0, 0)),
                arguments("one pending", records(1, PENDING), outcome(TaskStatus.INIT, 0, 0, 0)),
                arguments("all pending", records(50, PENDING), outcome(TaskStatus.INIT, 0, 0, 0)),
                arguments("pending and unavailable only", records(10, PENDING, 2, SKIPPED_UNAVAILABLE),
                        outcome(TaskStatus.INIT, 0, 0, 2)),
                // RUNNING: something pending or running, and something started
                arguments("one running", records(1, RUNNING), outcome(TaskStatus.RUNNING, 0, 0, 0)),
                arguments("running and pending", records(2, RUNNING, 5, PENDING), outcome(TaskStatus.RUNNING, 0, 0, 0)),
                arguments("succeeded and pending", records(3, SUCCEEDED, 5, PENDING),
                        outcome(TaskStatus.RUNNING, 3, 0, 0)),
                arguments("failed and pending", records(1, FAILED, 5, PENDING), outcome(TaskStatus.RUNNING, 0, 1, 0)),
                arguments("timed out and pending", records(1, TIMED_OUT, 1, PENDING),
                        outcome(TaskStatus.RUNNING, 0, 1, 0)),
                arguments("succeeded and running", records(7, SUCCEEDED, 1, RUNNING),
                        outcome(TaskStatus.RUNNING, 7, 0, 0)),
                arguments("all failed but one running", records(9, FAILED, 1, RUNNING),
                        outcome(TaskStatus.RUNNING, 0, 9, 0)),
                arguments("running, unavailable and pending", records(1, RUNNING, 1, SKIPPED_UNAVAILABLE, 1, PENDING),
                        outcome(TaskStatus.RUNNING, 0, 0, 1)),
                arguments("running with threshold skips", records(1, FAILED, 1, RUNNING, 4, SKIPPED_BY_THRESHOLD),
                        outcome(TaskStatus.RUNNING, 0, 1, 4)),
                arguments("every state", records(1, PENDING, 1, RUNNING, 1, SUCCEEDED, 1, FAILED, 1, TIMED_OUT,
                        1, SKIPPED_BY_THRESHOLD, 1, SKIPPED_UNAVAILABLE), outcome(TaskStatus.RUNNING, 1, 2, 2)),
                // FAILED: aborted by the threshold, or no executed record succeeded
                arguments("aborted by threshold", records(5, SUCCEEDED, 3, FAILED, 40, SKIPPED_BY_THRESHOLD),
                        outcome(TaskStatus.FAILED, 5, 3, 40)),
                arguments("aborted, mostly success", records(100, SUCCEEDED, 1, SKIPPED_BY_THRESHOLD),
                        outcome(TaskStatus.FAILED, 100, 0, 1)),
                arguments("aborted by timeouts", records(2, TIMED_OUT, 1, SKIPPED_BY_THRESHOLD, 1, SKIPPED_UNAVAILABLE),
                        outcome(TaskStatus.FAILED, 0, 2, 2)),
                arguments("all failed", records(12, FAILED), outcome(TaskStatus.FAILED, 0, 12, 0)),
                arguments("all timed out", records(4, TIMED_OUT), outcome(TaskStatus.FAILED, 0, 4, 0)),
                arguments("failed and timed out", records(4, TIMED_OUT, 3, FAILED), outcome(TaskStatus.FAILED, 0, 7, 0)),
                arguments("failed and unavailable", records(2, FAILED, 2, SKIPPED_UNAVAILABLE),
                        outcome(TaskStatus.FAILED, 0, 2, 2)),
                arguments("all unavailable", records(6, SKIPPED_UNAVAILABLE), outcome(TaskStatus.FAILED, 0, 0, 6)),
                arguments("one unavailable", records(1, SKIPPED_UNAVAILABLE), outcome(TaskStatus.FAILED, 0, 0, 1)),
                arguments("only threshold skips", records(3, SKIPPED_BY_THRESHOLD),
                        outcome(TaskStatus.FAILED, 0, 0, 3)),
                // FINISH: everything else
                arguments("one succeeded", records(1, SUCCEEDED), outcome(TaskStatus.FINISH, 1, 0, 0)),
                arguments("all succeeded", records(120, SUCCEEDED), outcome(TaskStatus.FINISH, 120, 0, 0)),
                arguments("mostly success, some failures, some unavailable",
                        records(118, SUCCEEDED, 2, FAILED, 1, TIMED_OUT, 3, SKIPPED_UNAVAILABLE),
                        outcome(TaskStatus.FINISH, 118, 3, 3)),
                arguments("one success among failures", records(1, SUCCEEDED, 99, FAILED),
                        outcome(TaskStatus.FINISH, 1, 99, 0)),
                arguments("one success among unavailable", records(1, SUCCEEDED, 99, SKIPPED_UNAVAILABLE),
                        outcome(TaskStatus.FINISH, 1, 0, 99)));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("table")
    void outcomeOfRecords(String name, RecordState[] states, TaskOutcome expected) {
        assertThat(ExecutionTally.of(states).outcome()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} in any order -> {2}")
    @MethodSource("table")
    void theOrderOfRecordsDoesNotMatter(String name, RecordState[] states, TaskOutcome expected) {
        List<RecordState> shuffled = new ArrayList<>(List.of(states));
        Collections.shuffle(shuffled, new Random(name.hashCode()));
        ExecutionTally tally = new ExecutionTally();
        shuffled.forEach(tally::add);

        assertThat(tally.outcome()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(RecordState.class)
    void everyRecordIsCountedAtMostOnce(RecordState state) {
        TaskOutcome outcome = ExecutionTally.of(state, state, state).outcome();

        int counted = outcome.successNum() + outcome.failedNum() + outcome.skipNum();
        boolean inFlight = state == PENDING || state == RUNNING;
        assertThat(counted).isEqualTo(inFlight ? 0 : 3);
    }

    @Test
    void addIsFluentAndOutcomeCanBeAskedRepeatedly() {
        ExecutionTally tally = new ExecutionTally();

        assertThat(tally.add(PENDING)).isSameAs(tally);
        assertThat(tally.outcome().status()).isEqualTo(TaskStatus.INIT);

        tally.add(SUCCEEDED);
        assertThat(tally.outcome()).isEqualTo(outcome(TaskStatus.RUNNING, 1, 0, 0));
        assertThat(tally.outcome()).isEqualTo(outcome(TaskStatus.RUNNING, 1, 0, 0));

        tally.add(SUCCEEDED);
        assertThat(tally.outcome().status()).isEqualTo(TaskStatus.RUNNING);
    }

    @Test
    void aTaskProgressesThroughTheStatuses() {
        ExecutionTally tally = ExecutionTally.of(records(3, PENDING));
        assertThat(tally.outcome().status()).isEqualTo(TaskStatus.INIT);

        tally = ExecutionTally.of(records(1, RUNNING, 2, PENDING));
        assertThat(tally.outcome().status()).isEqualTo(TaskStatus.RUNNING);

        tally = ExecutionTally.of(records(2, SUCCEEDED, 1, FAILED));
        assertThat(tally.outcome()).isEqualTo(outcome(TaskStatus.FINISH, 2, 1, 0));
    }

    @Test
    void largeRunsAreTallied() {
        ExecutionTally tally = new ExecutionTally();
        for (int i = 0; i < 1_000_000; i++) {
            tally.add(i % 100 == 0 ? FAILED : i % 101 == 0 ? SKIPPED_UNAVAILABLE : SUCCEEDED);
        }

        TaskOutcome outcome = tally.outcome();

        assertThat(outcome.status()).isEqualTo(TaskStatus.FINISH);
        assertThat(outcome.successNum() + outcome.failedNum() + outcome.skipNum()).isEqualTo(1_000_000);
        assertThat(outcome.failedNum()).isEqualTo(10_000);
    }
}
