package dev.pooltasks.domain.service;

import dev.pooltasks.domain.aggregation.StatisticsTally;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.LoadTaskStatisticsPort;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TooManyTasksToCountException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Statistics of a federation alias: every member counts its own project's tasks (in parallel) and the counts are
 * summed by the rules of {@link dev.pooltasks.domain.aggregation.StatisticsRules}, as the federation's list merges
 * the members' lists. When a member fails the answer fails as the list's does ({@link FederationFailure}), unless the
 * federation is partial: then the healthy members' counts are summed and the failed ones listed as missing. A member
 * whose tasks are too many to count fails the answer as it is, partial or not: the query needs narrowing, not the
 * member mending.
 */
public final class FederatedTaskStatistics implements LoadTaskStatisticsPort {
    private final String alias;
    private final List<Member> members;
    private final boolean partial;

    /** @param name the member's name in errors and headers (its upstream's name) */
    public record Member(String name, String projectId, LoadTaskStatisticsPort source) {
        public Member {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(projectId, "projectId");
            Objects.requireNonNull(source, "source");
        }
    }

    public FederatedTaskStatistics(String alias, List<Member> members, boolean partial) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("federation " + alias + " has no members");
        }
        this.alias = alias;
        this.members = List.copyOf(members);
        this.partial = partial;
    }

    @Override
    public CompletionStage<TaskStatistics> loadStatistics(StatisticsQuery query, Caller caller) {
        List<CompletableFuture<TaskStatistics>> answers = members.stream()
                .map(member -> load(member, query.withProject(member.projectId()), caller))
                .toList();
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .handle((ignored, anyFailure) -> sum(query, answers));
    }

    private TaskStatistics sum(StatisticsQuery query, List<CompletableFuture<TaskStatistics>> answers) {
        StatisticsTally tally = new StatisticsTally(query.grouping(), query.timeZone());
        Map<String, Throwable> failed = new LinkedHashMap<>();
        for (int m = 0; m < members.size(); m++) {
            CompletableFuture<TaskStatistics> answer = answers.get(m);
            if (!answer.isCompletedExceptionally()) {
                tally.add(answer.join());
                continue;
            }
            Throwable failure = Futures.cause(answer.handle((value, e) -> e).join());
            if (failure instanceof TooManyTasksToCountException) {
                throw new CompletionException(failure);
            }
            failed.put(members.get(m).name(), failure);
        }
        if (!failed.isEmpty() && (!partial || failed.size() == members.size())) {
            throw new CompletionException(FederationFailure.of(alias, failed));
        }
        failed.keySet().forEach(tally::missing);
        return tally.result();
    }

    private static CompletableFuture<TaskStatistics> load(Member member, StatisticsQuery query, Caller caller) {
        try {
            return member.source().loadStatistics(query, caller).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
