package dev.pooltasks.domain.service;

import dev.pooltasks.domain.aggregation.StatisticsTally;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.LoadTaskStatisticsPort;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TooManyTasksToCountException;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Statistics of a federation alias: every member counts its own project's tasks (in parallel) and the counts are
 * summed by the rules of {@link dev.pooltasks.domain.aggregation.StatisticsRules}, as the federation's list merges
 * the members' lists. When a member fails the answer fails, naming the failed members, unless the federation is
 * partial: then the healthy members' counts are summed and the failed ones listed as missing. A member whose tasks are
 * too many to count fails the answer as it is, partial or not: the query needs narrowing, not the member mending.
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
        Set<String> failed = new TreeSet<>();
        for (int m = 0; m < members.size(); m++) {
            CompletableFuture<TaskStatistics> answer = answers.get(m);
            if (!answer.isCompletedExceptionally()) {
                tally.add(answer.join());
                continue;
            }
            Throwable failure = unwrap(answer.handle((value, e) -> e).join());
            if (failure instanceof TooManyTasksToCountException) {
                throw new CompletionException(failure);
            }
            failed.add(members.get(m).name());
        }
        if (!failed.isEmpty() && (!partial || failed.size() == members.size())) {
            throw new CompletionException(new TaskSourceUnavailableException(failed,
                    "federation " + alias + ": upstream(s) " + String.join(", ", failed) + " unavailable"));
        }
        failed.forEach(tally::missing);
        return tally.result();
    }

    private static CompletableFuture<TaskStatistics> load(Member member, StatisticsQuery query, Caller caller) {
        try {
            return member.source().loadStatistics(query, caller).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
