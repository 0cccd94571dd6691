package dev.pooltasks.domain.query;

import dev.pooltasks.domain.model.ComponentWiseEquality;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.model.TaskType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Parsing and validation of wire values by {@link TaskQuery#builder(String)}. */
class TaskQueryBuilderTest {
    private static final String PROJECT = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";

    private static TaskQuery.Builder builder() {
        return TaskQuery.builder(PROJECT);
    }

    /** Builds and expects an {@link InvalidParameterException} naming {@code parameter}. */
    private static InvalidParameterException rejected(String parameter, UnaryOperator<TaskQuery.Builder> configure) {
        InvalidParameterException e = catchThrowableOfType(InvalidParameterException.class,
                () -> configure.apply(builder()).build());
        assertThat(e).as("expected rejection of %s", parameter).isNotNull();
        assertThat(e.parameter()).isEqualTo(parameter);
        assertThat(e.getMessage()).isNotBlank().contains(parameter);
        return e;
    }

    @Nested
    class Defaults {
        @Test
        void aBareQueryHasNoFiltersOffsetZeroAndLimitTen() {
            TaskQuery query = builder().build();

            assertThat(query.projectId()).isEqualTo(PROJECT);
            assertThat(query.offset()).isZero();
            assertThat(query.limit()).isEqualTo(10).isEqualTo(TaskQuery.DEFAULT_LIMIT);
            assertThat(query.desktopPoolId()).isNull();
            assertThat(query.scriptId()).isNull();
            assertThat(query.scriptName()).isNull();
            assertThat(query.status()).isNull();
            assertThat(query.taskType()).isNull();
            assertThat(query.executeTimeStart()).isNull();
            assertThat(query.executeTimeEnd()).isNull();
            assertThat(query.taskIds()).isEmpty();
        }

        @Test
        void nullOffsetAndLimitMeanTheDefaults() {
            TaskQuery query = builder().offset(7).limit(3).offset(null).limit(null).build();

            assertThat(query.offset()).isZero();
            assertThat(query.limit()).isEqualTo(10);
        }

        @Test
        void withWindowKeepsTheFiltersAndReplacesOnlyTheWindow() {
            TaskQuery query = builder().desktopPoolId("pool").status("FAILED").taskIds(List.of("a", "b"))
                    .offset(3).limit(4).build();

            TaskQuery moved = query.withWindow(20, 50);

            assertThat(moved).isEqualTo(new TaskQuery(PROJECT, "pool", null, null, TaskStatus.FAILED, null,
                    null, null, query.taskIds(), 20, 50));
        }

        @Test
        void withWindowValidatesTheNewWindow() {
            TaskQuery query = builder().build();

            assertThat(catchThrowableOfType(InvalidParameterException.class, () -> query.withWindow(0, 101))
                    .parameter()).isEqualTo("limit");
            assertThat(catchThrowableOfType(InvalidParameterException.class, () -> query.withWindow(-1, 10))
                    .parameter()).isEqualTo("offset");
        }
    }

    @Nested
    class ProjectId {
        @ParameterizedTest
        @NullAndEmptySource
        void isRequired(String projectId) {
            InvalidParameterException e = catchThrowableOfType(InvalidParameterException.class,
                    () -> TaskQuery.builder(projectId).build());

            assertThat(e).isNotNull();
            assertThat(e.parameter()).isEqualTo("project_id");
        }

        @Test
        void isLimitedTo255Characters() {
            assertThat(TaskQuery.builder("p".repeat(255)).build().projectId()).hasSize(255);

            InvalidParameterException e = catchThrowableOfType(InvalidParameterException.class,
                    () -> TaskQuery.builder("p".repeat(256)).build());
            assertThat(e.parameter()).isEqualTo("project_id");
        }

        @Test
        void mustNotContainControlCharacters() {
            InvalidParameterException e = catchThrowableOfType(InvalidParameterException.class,
                    () -> TaskQuery.builder("proj\nect").build());
            assertThat(e.parameter()).isEqualTo("project_id");
        }
    }

    @Nested
    class OffsetAndLimit {
        @ParameterizedTest(name = "limit {0} is accepted")
        @ValueSource(ints = {0, 1, 10, 99, 100})
        void limitFromZeroToHundredIsAccepted(int limit) {
            assertThat(builder().limit(limit).build().limit()).isEqualTo(limit);
        }

        @ParameterizedTest(name = "limit {0} is rejected")
        @ValueSource(ints = {-1, 101, Integer.MIN_VALUE, Integer.MAX_VALUE})
        void limitOutsideZeroToHundredIsRejected(int limit) {
            rejected("limit", b -> b.limit(limit));
        }

        @ParameterizedTest(name = "offset {0} is accepted")
        @ValueSource(ints = {0, 1, 5000, Integer.MAX_VALUE})
        void nonNegativeOffsetIsAccepted(int offset) {
            assertThat(builder().offset(offset).build().offset()).isEqualTo(offset);
        }

        @ParameterizedTest(name = "offset {0} is rejected")
        @ValueSource(ints = {-1, Integer.MIN_VALUE})
        void negativeOffsetIsRejected(int offset) {
            rejected("offset", b -> b.offset(offset));
        }
    }

    @Nested
    class Status {
        @ParameterizedTest(name = "status \"{0}\" selects {1}")
        @CsvSource({
                "SUCCESS, FINISH",
                "FAILED,  FAILED",
                "RUNNING, RUNNING",
                "WAITING, INIT",
                "FINISH,  FINISH",
                "INIT,    INIT",
                "success, FINISH",
                "Success, FINISH",
                "failed,  FAILED",
                "running, RUNNING",
                "waiting, INIT",
                "WaItInG, INIT",
                "finish,  FINISH",
                "init,    INIT",
        })
        void vocabularyMapsToTaskStatuses(String wire, String taskStatus) {
            TaskQuery query = builder().status(wire).build();

            assertThat(query.status()).isEqualTo(new TaskStatus(taskStatus));
        }

        @ParameterizedTest(name = "status \"{0}\" is rejected")
        @ValueSource(strings = {"DONE", "SUCCESS;DROP", "SUCCEEDED", "FAIL", "PENDING", "SKIPPED", "SUCCESS,FAILED",
                "*", "1", "ÄUCCESS"})
        void anythingElseIsRejected(String wire) {
            rejected("status", b -> b.status(wire));
        }

        @Test
        void controlCharactersAreRejected() {
            rejected("status", b -> b.status("SUCCESS\u0000"));
        }

        @ParameterizedTest
        @NullAndEmptySource
        void absentOrEmptyMeansAnyStatus(String wire) {
            assertThat(builder().status(wire).build().status()).isNull();
        }

        @Test
        void aTypedStatusIsTakenAsIs() {
            assertThat(builder().status(new TaskStatus("PAUSED")).build().status()).isEqualTo(new TaskStatus("PAUSED"));
        }
    }

    @Nested
    class TaskTypeFilter {
        @ParameterizedTest(name = "task_type \"{0}\" is {1}")
        @CsvSource({"SCRIPT, SCRIPT", "script, SCRIPT", "Script, SCRIPT", "COMMAND, COMMAND", "command, COMMAND",
                "cOmMaNd, COMMAND"})
        void scriptOrCommandIgnoringCase(String wire, TaskType expected) {
            assertThat(builder().taskType(wire).build().taskType()).isEqualTo(expected);
        }

        @ParameterizedTest(name = "task_type \"{0}\" is rejected")
        @ValueSource(strings = {"SCRIPTS", "CMD", "SHELL", "BOTH", "SCRIPT|COMMAND", "0"})
        void anythingElseIsRejected(String wire) {
            rejected("task_type", b -> b.taskType(wire));
        }

        @ParameterizedTest
        @NullAndEmptySource
        void absentOrEmptyMeansAnyType(String wire) {
            assertThat(builder().taskType(wire).build().taskType()).isNull();
        }
    }

    @Nested
    class ExecuteTime {
        static Stream<Arguments> acceptedFormats() {
            return Stream.of(
                    Arguments.of("2021-10-01T12:00:00Z", Instant.parse("2021-10-01T12:00:00Z")),
                    Arguments.of("2021-10-01T12:00:00.123Z", Instant.parse("2021-10-01T12:00:00.123Z")),
                    Arguments.of("2021-10-01T12:00:00.123456789Z", Instant.parse("2021-10-01T12:00:00.123456789Z")),
                    Arguments.of("2021-10-01T20:00:00+08:00", Instant.parse("2021-10-01T12:00:00Z")),
                    Arguments.of("2021-10-01T07:30:00-04:30", Instant.parse("2021-10-01T12:00:00Z")),
                    Arguments.of("2021-10-01T12:00:00+00:00", Instant.parse("2021-10-01T12:00:00Z")),
                    Arguments.of("2021-10-01T20:00:00.5+08:00", Instant.parse("2021-10-01T12:00:00.5Z")));
        }

        @ParameterizedTest(name = "execute_time_start \"{0}\" is {1}")
        @MethodSource("acceptedFormats")
        void startAcceptsIsoWithOffset(String wire, Instant expected) {
            assertThat(builder().executeTimeStart(wire).build().executeTimeStart()).isEqualTo(expected);
        }

        @ParameterizedTest(name = "execute_time_end \"{0}\" is {1}")
        @MethodSource("acceptedFormats")
        void endAcceptsIsoWithOffset(String wire, Instant expected) {
            assertThat(builder().executeTimeEnd(wire).build().executeTimeEnd()).isEqualTo(expected);
        }

        @Test
        void offsetFormIsTheSameInstantAsUtcForm() {
            Instant utc = builder().executeTimeStart("2021-10-01T12:00:00Z").build().executeTimeStart();
            Instant shifted = builder().executeTimeStart("2021-10-01T20:00:00+08:00").build().executeTimeStart();

            assertThat(shifted).isEqualTo(utc);
        }

        @ParameterizedTest(name = "\"{0}\" is rejected")
        @ValueSource(strings = {"2021-10-01", "2021-10-01T12:00:00", "garbage", "12:00:00Z", "2021-13-01T12:00:00Z",
                "2021-10-32T12:00:00Z", "2021-10-01 12:00:00Z", "1633089600", "2021-10-01T25:00:00Z",
                "2021-10-01T12:00:00+25:00"})
        void malformedTimesAreRejectedNamingTheParameter(String wire) {
            rejected("execute_time_start", b -> b.executeTimeStart(wire));
            rejected("execute_time_end", b -> b.executeTimeEnd(wire));
        }

        @Test
        void overlongTimeIsRejected() {
            String longValue = "2021-10-01T12:00:00." + "1".repeat(60) + "Z";
            rejected("execute_time_start", b -> b.executeTimeStart(longValue));
        }

        @Test
        void controlCharactersAreRejected() {
            rejected("execute_time_end", b -> b.executeTimeEnd("2021-10-01T12:00:00Z\u0007"));
        }

        @ParameterizedTest
        @NullAndEmptySource
        void absentOrEmptyMeansUnbounded(String wire) {
            TaskQuery query = builder().executeTimeStart(wire).executeTimeEnd(wire).build();

            assertThat(query.executeTimeStart()).isNull();
            assertThat(query.executeTimeEnd()).isNull();
        }

        @Test
        void startAfterEndIsRejectedNamingTheStart() {
            rejected("execute_time_start", b -> b.executeTimeStart("2021-10-01T12:00:01Z")
                    .executeTimeEnd("2021-10-01T12:00:00Z"));
        }

        @Test
        void startAfterEndByANanosecondIsRejected() {
            rejected("execute_time_start", b -> b.executeTimeStart("2021-10-01T12:00:00.000000001Z")
                    .executeTimeEnd("2021-10-01T12:00:00Z"));
        }

        @Test
        void startAfterEndIsDetectedAcrossOffsets() {
            // 20:00:01+08:00 is 12:00:01Z, after 12:00:00Z
            rejected("execute_time_start", b -> b.executeTimeStart("2021-10-01T20:00:01+08:00")
                    .executeTimeEnd("2021-10-01T12:00:00Z"));
        }

        @Test
        void startEqualToEndIsAccepted() {
            TaskQuery query = builder().executeTimeStart("2021-10-01T20:00:00+08:00")
                    .executeTimeEnd("2021-10-01T12:00:00Z").build();

            assertThat(query.executeTimeStart()).isEqualTo(query.executeTimeEnd());
        }

        @Test
        void eitherBoundAloneIsAccepted() {
            assertThat(builder().executeTimeStart("2099-01-01T00:00:00Z").build().executeTimeEnd()).isNull();
            assertThat(builder().executeTimeEnd("1999-01-01T00:00:00Z").build().executeTimeStart()).isNull();
        }
    }

    @Nested
    class TaskIds {
        private static List<String> ids(int count) {
            return IntStream.range(0, count).mapToObj(i -> "task-" + i).collect(Collectors.toList());
        }

        @Test
        void exactlyHundredDistinctIdsAreAccepted() {
            assertThat(builder().taskIds(ids(100)).build().taskIds()).hasSize(100);
        }

        @Test
        void moreThanHundredDistinctIdsAreRejected() {
            rejected("task_id", b -> b.taskIds(ids(101)));
        }

        @Test
        void theLimitAppliesAcrossSeveralCalls() {
            rejected("task_id", b -> b.taskIds(ids(60)).taskIds(ids(101).subList(60, 101)));
        }

        @Test
        void duplicatesCollapseAndDoNotCountTowardsTheLimit() {
            List<String> values = new ArrayList<>(ids(100));
            values.addAll(ids(100));
            values.add("task-7");

            TaskQuery query = builder().taskIds(values).build();

            assertThat(query.taskIds()).hasSize(100).containsExactlyElementsOf(ids(100));
        }

        @Test
        void emptyAndNullValuesAreIgnored() {
            TaskQuery query = builder().taskIds(Arrays.asList("", "a", null, "", "b", "a")).build();

            assertThat(query.taskIds()).containsExactly("a", "b");
        }

        @Test
        void onlyEmptyValuesMeanAnyId() {
            assertThat(builder().taskIds(List.of("", "")).build().taskIds()).isEmpty();
            assertThat(builder().taskIds(null).build().taskIds()).isEmpty();
            assertThat(builder().taskIds(Collections.emptyList()).build().taskIds()).isEmpty();
        }

        @Test
        void idsAreLimitedTo255Characters() {
            assertThat(builder().taskIds(List.of("x".repeat(255))).build().taskIds()).hasSize(1);
            rejected("task_id", b -> b.taskIds(List.of("ok", "x".repeat(256))));
        }

        @Test
        void idsWithControlCharactersAreRejected() {
            rejected("task_id", b -> b.taskIds(List.of("abc\r\ndef")));
        }

        @Test
        void theQueryKeepsAnUnmodifiableCopy() {
            List<String> values = new ArrayList<>(List.of("a"));
            TaskQuery query = builder().taskIds(values).build();
            values.add("b");

            assertThat(query.taskIds()).containsExactly("a");
            assertThatCode(() -> query.taskIds().add("c")).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class TextFilters {
        static Stream<Arguments> limits() {
            return Stream.of(
                    Arguments.of("desktop_pool_id", 255, (Setter) TaskQuery.Builder::desktopPoolId),
                    Arguments.of("script_id", 255, (Setter) TaskQuery.Builder::scriptId),
                    Arguments.of("script_name", 1000, (Setter) TaskQuery.Builder::scriptName));
        }

        @FunctionalInterface
        interface Setter {
            TaskQuery.Builder set(TaskQuery.Builder builder, String value);
        }

        @ParameterizedTest(name = "{0} accepts {1} characters")
        @MethodSource("limits")
        void acceptsUpToTheLimit(String parameter, int max, Setter setter) {
            assertThatCode(() -> setter.set(builder(), "a".repeat(max)).build()).doesNotThrowAnyException();
        }

        @ParameterizedTest(name = "{0} rejects more than {1} characters")
        @MethodSource("limits")
        void rejectsBeyondTheLimit(String parameter, int max, Setter setter) {
            rejected(parameter, b -> setter.set(b, "a".repeat(max + 1)));
        }

        static Stream<Arguments> controlCharacters() {
            return limits().flatMap(a -> Stream.of("\u0000", "\t", "\n", "\r", "\u001b", "\u007f", "\u0085")
                    .map(c -> Arguments.of(a.get()[0], a.get()[2], c)));
        }

        @ParameterizedTest(name = "{0} rejects control character {index}")
        @MethodSource("controlCharacters")
        void rejectsControlCharacters(String parameter, Setter setter, String control) {
            rejected(parameter, b -> setter.set(b, "Install" + control + "Chrome"));
        }

        @ParameterizedTest(name = "{0}: empty means absent")
        @MethodSource("limits")
        void emptyMeansAbsent(String parameter, int max, Setter setter) {
            TaskQuery query = setter.set(builder(), "").build();

            assertThat(query).isEqualTo(builder().build());
        }

        @Test
        void valuesAreKeptVerbatim() {
            TaskQuery query = builder().desktopPoolId(" pool ").scriptId("Script-ID").scriptName("  Install Ch")
                    .build();

            assertThat(query.desktopPoolId()).isEqualTo(" pool ");
            assertThat(query.scriptId()).isEqualTo("Script-ID");
            assertThat(query.scriptName()).isEqualTo("  Install Ch");
        }

        @Test
        void nonAsciiTextIsAccepted() {
            assertThat(builder().scriptName("安装 Chrome — ü").build().scriptName()).isEqualTo("安装 Chrome — ü");
        }

        @Test
        void aLaterEmptyValueClearsAnEarlierOne() {
            assertThat(builder().desktopPoolId("p").desktopPoolId("").build().desktopPoolId()).isNull();
            assertThat(builder().status("FAILED").status("").build().status()).isNull();
        }
    }

    @Test
    void allFiltersTogether() {
        TaskQuery query = builder()
                .desktopPoolId("pool-1")
                .scriptId("script-1")
                .scriptName("chrome")
                .status("success")
                .taskType("script")
                .executeTimeStart("2021-10-01T00:00:00Z")
                .executeTimeEnd("2021-10-31T23:59:59.999Z")
                .taskIds(List.of("t1", "t2"))
                .offset(20)
                .limit(100)
                .build();

        assertThat(query).isEqualTo(new TaskQuery(PROJECT, "pool-1", "script-1", "chrome", TaskStatus.FINISH,
                TaskType.SCRIPT, Instant.parse("2021-10-01T00:00:00Z"), Instant.parse("2021-10-31T23:59:59.999Z"),
                new java.util.LinkedHashSet<>(List.of("t1", "t2")), 20, 100));
    }

    @Test
    void queriesAreEqualByEveryComponent() {
        Instant start = Instant.parse("2021-10-01T00:00:00Z");
        Instant end = Instant.parse("2021-10-31T23:59:59.999Z");
        ComponentWiseEquality.assertComponentWise(TaskQuery.class,
                new Object[]{PROJECT, "pool-1", "script-1", "chrome", TaskStatus.FINISH, TaskType.SCRIPT, start, end,
                        java.util.Set.of("t1", "t2"), 20, 100},
                new Object[]{"1a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5", null, null, null, null, null, null, null,
                        java.util.Set.of("t1"), 21, 99});
        ComponentWiseEquality.assertComponentWise(TaskQuery.class,
                new Object[]{PROJECT, null, null, null, null, null, null, null, java.util.Set.of(), 0, 10},
                new Object[]{"1a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5", "pool-1", "script-1", "chrome", TaskStatus.FAILED,
                        TaskType.COMMAND, start, end, java.util.Set.of("t1"), 1, 11});
    }
}
