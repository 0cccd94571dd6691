package dev.pooltasks.domain.index;

import dev.pooltasks.domain.aggregation.StatisticsOracle;
import dev.pooltasks.domain.aggregation.StatisticsTestData;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.query.Grouping;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The index's statistics, counted from its columns, against the brute-force {@link StatisticsOracle}. */
class TaskIndexStatisticsTest {
    private static final List<ScriptExecutionTask> TASKS = StatisticsTestData.tasks(2027, 4000);
    private static final TaskIndex INDEX = TaskIndexOracleTest.indexOf(TASKS, 3);

    @ParameterizedTest
    @EnumSource(Grouping.class)
    void everyFilterAndZoneAgreesWithTheOracle(Grouping grouping) {
        List<TaskQuery> filters = StatisticsTestData.filters(QueryOracle.sorted(TASKS));
        for (TaskQuery filter : filters) {
            for (ZoneId zone : StatisticsTestData.ZONES) {
                StatisticsQuery query = new StatisticsQuery(filter, grouping, zone);
                TaskStatistics expected = StatisticsOracle.of(TASKS, query);
                assertThat(INDEX.statistics(query)).as("%s", query).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Grouping.class)
    void randomFilterCombinationsAgreeWithTheOracle(Grouping grouping) {
        TaskIndexOracleTest.combinations(QueryOracle.sorted(TASKS), 41 + grouping.ordinal(), 40)
                .forEach(arguments -> {
                    TaskQuery filter = (TaskQuery) arguments.get()[1];
                    StatisticsQuery query = new StatisticsQuery(filter, grouping, ZoneId.of("Asia/Shanghai"));
                    assertThat(INDEX.statistics(query)).as("%s", arguments.get()[0])
                            .isEqualTo(StatisticsOracle.of(TASKS, query));
                });
    }

    @Test
    void theGroupsOfEveryGroupingAddUpToTheTotal() {
        StatisticsQuery byStatus = new StatisticsQuery(TaskQuery.builder("p").build(), Grouping.STATUS, ZoneId.of("UTC"));
        TaskStatistics statistics = INDEX.statistics(byStatus);
        assertThat(statistics.total().tasks()).isEqualTo(TASKS.size());
        for (Grouping grouping : List.of(Grouping.DAY, Grouping.POOL, Grouping.STATUS, Grouping.TASK_TYPE)) {
            TaskStatistics grouped = INDEX.statistics(new StatisticsQuery(byStatus.filters(), grouping,
                    ZoneId.of("America/New_York")));
            assertThat(grouped.groups().stream().mapToLong(group -> group.counts().tasks()).sum())
                    .as("tasks of the %s groups", grouping).isEqualTo(TASKS.size());
            assertThat(grouped.groups().stream().mapToLong(group -> group.counts().failedNum()).sum())
                    .isEqualTo(TASKS.stream().mapToLong(ScriptExecutionTask::failedNum).sum());
        }
    }

    @Test
    void anIndexWithChangesCountsItsNewTasks() {
        List<ScriptExecutionTask> more = StatisticsTestData.tasks(99, 300);
        TaskIndex changed = INDEX.withChanges(more);
        List<ScriptExecutionTask> all = new java.util.ArrayList<>(TASKS);
        all.addAll(more);
        StatisticsQuery query = new StatisticsQuery(TaskQuery.builder("p").build(), Grouping.SCRIPT, ZoneId.of("UTC"));
        // more's ids may repeat some of TASKS' (both generators draw from one id scheme): the index keeps the last
        List<ScriptExecutionTask> expectedTasks = QueryOracle.sorted(changed.tasks());
        assertThat(changed.statistics(query)).isEqualTo(StatisticsOracle.of(expectedTasks, query));
        assertThat(INDEX.statistics(query)).isEqualTo(StatisticsOracle.of(TASKS, query));
        assertThat(all).hasSizeGreaterThanOrEqualTo(changed.size());
    }
}
