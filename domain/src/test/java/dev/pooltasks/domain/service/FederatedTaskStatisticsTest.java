package dev.pooltasks.domain.service;

import dev.pooltasks.domain.aggregation.StatisticsOracle;
import dev.pooltasks.domain.aggregation.StatisticsTestData;
import dev.pooltasks.domain.index.TaskIndex;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.LoadTaskStatisticsPort;
import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.port.out.TaskSourceThrottledException;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.AccessDeniedException;
import dev.pooltasks.domain.query.Grouping;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.domain.query.TooManyTasksToCountException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A federation's statistics are its members' summed; failures as the federation's list has them; routing. */
class FederatedTaskStatisticsTest {
    private static final List<ScriptExecutionTask> EAST = StatisticsTestData.tasks(1, 900);
    private static final List<ScriptExecutionTask> WEST = StatisticsTestData.tasks(2, 400);
    private static final List<ScriptExecutionTask> SOUTH = StatisticsTestData.tasks(3, 0);

    /** A member counting from an index, recording the project ids it is asked for. */
    private record IndexMember(TaskIndex index, List<String> projects) implements LoadTaskStatisticsPort {
        static IndexMember of(List<ScriptExecutionTask> tasks) {
            TaskIndex.Builder builder = TaskIndex.builder();
            tasks.forEach(builder::add);
            return new IndexMember(builder.build(), new CopyOnWriteArrayList<>());
        }

        @Override
        public CompletableFuture<TaskStatistics> loadStatistics(StatisticsQuery query, Caller caller) {
            projects.add(query.projectId());
            return CompletableFuture.completedFuture(index.statistics(query));
        }
    }

    private static LoadTaskStatisticsPort failing(RuntimeException failure) {
        return (query, caller) -> CompletableFuture.failedFuture(failure);
    }

    private static FederatedTaskStatistics federation(boolean partial, LoadTaskStatisticsPort east,
                                                      LoadTaskStatisticsPort west, LoadTaskStatisticsPort south) {
        return new FederatedTaskStatistics("all", List.of(new FederatedTaskStatistics.Member("east", "p-east", east),
                new FederatedTaskStatistics.Member("west", "p-west", west),
                new FederatedTaskStatistics.Member("south", "p-south", south)), partial);
    }

    @ParameterizedTest
    @EnumSource(Grouping.class)
    void theMembersCountsAreSummedAsIfTheirTasksWereOneProject(Grouping grouping) {
        IndexMember east = IndexMember.of(EAST);
        IndexMember west = IndexMember.of(WEST);
        IndexMember south = IndexMember.of(SOUTH);
        List<ScriptExecutionTask> all = new ArrayList<>(EAST);
        all.addAll(WEST);
        for (TaskQuery filter : StatisticsTestData.filters(all)) {
            StatisticsQuery query = new StatisticsQuery(filter.withProjectAndWindow("all", 0, 0), grouping,
                    ZoneId.of("America/New_York"));
            TaskStatistics summed = load(federation(false, east, west, south), query);
            assertThat(summed).as("%s", query).isEqualTo(StatisticsOracle.of(all, query));
        }
        assertThat(east.projects()).containsOnly("p-east");
        assertThat(west.projects()).containsOnly("p-west");
        assertThat(south.projects()).containsOnly("p-south");
    }

    @Test
    void aFailedMemberFailsAStrictFederationNamingIt() {
        StatisticsQuery query = query("all");
        FederatedTaskStatistics strict = federation(false, IndexMember.of(EAST),
                failing(new TaskSourceUnavailableException("west", "down")),
                failing(new IllegalStateException("broken")));

        assertThatThrownBy(() -> load(strict, query))
                .isInstanceOfSatisfying(TaskSourceUnavailableException.class,
                        e -> assertThat(e.sources()).containsExactly("south", "west"));
    }

    @Test
    void aPartialFederationSumsTheHealthyMembersAndNamesTheMissing() {
        StatisticsQuery query = query("all");
        FederatedTaskStatistics partial = federation(true, IndexMember.of(EAST),
                failing(new TaskSourceUnavailableException("west", "down")), IndexMember.of(SOUTH));

        TaskStatistics statistics = load(partial, query);

        assertThat(statistics.missingSources()).containsExactly("west");
        assertThat(statistics.total()).isEqualTo(StatisticsOracle.of(EAST, query).total());
        FederatedTaskStatistics noneLeft = federation(true, failing(new TaskSourceUnavailableException("east", "x")),
                failing(new TaskSourceUnavailableException("west", "x")),
                failing(new TaskSourceUnavailableException("south", "x")));
        assertThatThrownBy(() -> load(noneLeft, query)).isInstanceOf(TaskSourceUnavailableException.class);
    }

    @Test
    void refusalsTheCallerCanActOnArePassedOnAsTheListsAre() {
        StatisticsQuery query = query("all");
        String expired = "{\"error_code\":\"APIG.0307\",\"error_msg\":\"The token has expired\"}";
        FederatedTaskStatistics strict = federation(false, IndexMember.of(EAST),
                failing(new TaskSourceRejectedException("west", 401, expired, -1)),
                failing(new TaskSourceRejectedException("south", 401, "{}", -1)));
        FederatedTaskStatistics partial = federation(true,
                failing(new TaskSourceRejectedException("east", 429, "{}", 4)),
                failing(new TaskSourceThrottledException("west", 9)),
                failing(new TaskSourceThrottledException("south", 2)));

        assertThatThrownBy(() -> load(strict, query)).isInstanceOfSatisfying(TaskSourceRejectedException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.body()).isEqualTo(expired);
            assertThat(e.source()).isEqualTo("west,south");
        });
        assertThatThrownBy(() -> load(partial, query)).isInstanceOfSatisfying(TaskSourceThrottledException.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(9));
        // with a healthy member left, a partial federation answers without the refusing ones
        FederatedTaskStatistics oneLeft = federation(true, IndexMember.of(EAST),
                failing(new TaskSourceRejectedException("west", 401, expired, -1)), IndexMember.of(SOUTH));
        assertThat(load(oneLeft, query).missingSources()).containsExactly("west");
    }

    @Test
    void tooManyTasksInAMemberFailsEvenAPartialFederationAsItIs() {
        TooManyTasksToCountException tooMany = new TooManyTasksToCountException("west", 5000, 2000);
        FederatedTaskStatistics partial = federation(true, IndexMember.of(EAST), failing(tooMany),
                IndexMember.of(SOUTH));

        assertThatThrownBy(() -> load(partial, query("all"))).isSameAs(tooMany);
    }

    @Test
    void theServiceChecksAccessBeforeRoutingToTheProjectsSource() {
        ComputeTaskStatisticsService service = new ComputeTaskStatisticsService(Map.of("p-east", IndexMember.of(EAST)));
        Caller westOnly = new Caller("ops", null, Set.of("p-west"));

        assertThat(service.computeStatistics(query("p-east"), Caller.ANONYMOUS).toCompletableFuture().join().total()
                .tasks()).isEqualTo(EAST.size());
        assertThatThrownBy(() -> join(service.computeStatistics(query("p-east"), westOnly)))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> join(service.computeStatistics(query("p-west"), westOnly)))
                .isInstanceOf(ProjectNotFoundException.class);
    }

    private static StatisticsQuery query(String project) {
        return new StatisticsQuery(TaskQuery.builder(project).build(), Grouping.STATUS, ZoneId.of("UTC"));
    }

    private static TaskStatistics load(LoadTaskStatisticsPort source, StatisticsQuery query) {
        return join(source.loadStatistics(query, Caller.ANONYMOUS));
    }

    private static TaskStatistics join(java.util.concurrent.CompletionStage<TaskStatistics> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = e;
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw (RuntimeException) cause;
        }
    }
}
