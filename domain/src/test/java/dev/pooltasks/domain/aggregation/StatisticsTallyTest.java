package dev.pooltasks.domain.aggregation;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.query.Grouping;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tally over task objects and the sum of tallies, against the brute-force {@link StatisticsOracle}. */
class StatisticsTallyTest {
    private static final List<ScriptExecutionTask> TASKS = StatisticsTestData.tasks(7, 2500);

    @ParameterizedTest
    @EnumSource(Grouping.class)
    void tasksCountedOneByOneInAnyOrderAgreeWithTheOracle(Grouping grouping) {
        List<ScriptExecutionTask> shuffled = new ArrayList<>(TASKS);
        Collections.shuffle(shuffled, new Random(grouping.ordinal()));
        for (TaskQuery filter : StatisticsTestData.filters(TASKS)) {
            for (ZoneId zone : StatisticsTestData.ZONES) {
                StatisticsQuery query = new StatisticsQuery(filter, grouping, zone);
                StatisticsTally tally = new StatisticsTally(grouping, zone);
                shuffled.stream().filter(filter::matches).forEach(tally::add);
                assertThat(tally.result()).as("%s", query).isEqualTo(StatisticsOracle.of(TASKS, query));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Grouping.class)
    void statisticsOfPartsAddUpToTheStatisticsOfTheWhole(Grouping grouping) {
        // parts that share pools, scripts and days (as a federation's members do), of uneven sizes, one empty
        List<List<ScriptExecutionTask>> parts = List.of(TASKS.subList(0, 1500), TASKS.subList(1500, 1501),
                TASKS.subList(1501, 1501), TASKS.subList(1501, TASKS.size()));
        for (TaskQuery filter : StatisticsTestData.filters(TASKS)) {
            StatisticsQuery query = new StatisticsQuery(filter, grouping, ZoneId.of("Europe/Berlin"));
            StatisticsTally sum = new StatisticsTally(grouping, query.timeZone());
            for (List<ScriptExecutionTask> part : parts) {
                sum.add(StatisticsOracle.of(part, query));
            }
            assertThat(sum.result()).as("%s", query).isEqualTo(StatisticsOracle.of(TASKS, query));
        }
    }

    @Test
    void aTaskThatRanAScriptTwiceCountsOnceInItsGroupAndCommandsGroupByType() {
        Instant start = Instant.parse("2026-11-01T10:00:00Z");
        ScriptExecutionTask twice = task("t1", start, List.of(new Script("s1", "B name"), new Script("s1", "A name"),
                new Script("s2", "Other")), null, null);
        ScriptExecutionTask bat = task("t2", start, List.of(), "dir", CommandType.BAT);
        ScriptExecutionTask untyped = task("t3", start, List.of(), "dir", null);
        StatisticsTally tally = new StatisticsTally(Grouping.SCRIPT, ZoneId.of("UTC"));
        List.of(twice, bat, untyped).forEach(tally::add);

        TaskStatistics result = tally.result();

        assertThat(result.total().tasks()).isEqualTo(3);
        assertThat(result.groups()).extracting(TaskStatistics.Group::key, TaskStatistics.Group::name,
                        group -> group.counts().tasks())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("command:", "Commands", 1L),
                        org.assertj.core.groups.Tuple.tuple("command:BAT", "BAT commands", 1L),
                        org.assertj.core.groups.Tuple.tuple("s1", "A name", 1L),
                        org.assertj.core.groups.Tuple.tuple("s2", "Other", 1L));
    }

    @Test
    void countsAlwaysListTheKnownStatusesFirstThenOthersByValue() {
        TaskStatistics.Counts counts = new TaskStatistics.Counts(5, Map.of("PAUSED", 2L, "FAILED", 1L, "ABORTED", 2L),
                0, 0, 0, Instant.EPOCH, Instant.EPOCH);
        assertThat(counts.byStatus().keySet()).containsExactly("FINISH", "FAILED", "RUNNING", "INIT", "ABORTED",
                "PAUSED");
        assertThat(counts.byStatus().get("FINISH")).isZero();
        assertThatThrownBy(() -> new TaskStatistics.Counts(4, Map.of("FAILED", 1L), 0, 0, 0, Instant.EPOCH,
                Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        assertThat(TaskStatistics.Counts.NONE.byStatus()).containsOnlyKeys("FINISH", "FAILED", "RUNNING", "INIT");
    }

    private static ScriptExecutionTask task(String id, Instant start, List<Script> scripts, String command,
                                            CommandType type) {
        return new ScriptExecutionTask(id, "pool", "Pool", scripts, command, type, start, null, TaskStatus.FAILED,
                1, 2, 3);
    }
}
