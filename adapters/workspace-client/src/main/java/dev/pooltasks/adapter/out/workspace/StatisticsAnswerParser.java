package dev.pooltasks.adapter.out.workspace;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.pooltasks.api.server.model.ShowScriptExecutionTaskStatisticsResponse;
import dev.pooltasks.api.server.model.TaskCounts;
import dev.pooltasks.api.server.model.TaskCountsGroup;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.UtcTime;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a pooltasks upstream's 2xx statistics answer (the contract's extension) into statistics. It must be the answer
 * to the query asked (the same grouping and time zone), with every count present and consistent (the tasks by status
 * add up to the tasks) and its times as the API writes them; anything else is a
 * {@link MalformedUpstreamAnswerException}, as an unreadable list answer is.
 */
final class StatisticsAnswerParser {
    private final ObjectReader reader;

    /** @param json the application's ObjectMapper */
    StatisticsAnswerParser(ObjectMapper json) {
        this.reader = json.readerFor(ShowScriptExecutionTaskStatisticsResponse.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    TaskStatistics parse(byte[] body, StatisticsQuery query) {
        ShowScriptExecutionTaskStatisticsResponse answer;
        try {
            answer = reader.readValue(body);
        } catch (IOException | RuntimeException e) {
            throw new MalformedUpstreamAnswerException("unreadable statistics answer: " + e.getClass().getSimpleName());
        }
        if (answer == null || answer.getTotal() == null || answer.getGroups() == null) {
            throw new MalformedUpstreamAnswerException("statistics answer without total or groups");
        }
        if (!query.grouping().wireValue().equals(answer.getGroupBy())
                || !query.timeZone().getId().equals(answer.getTimeZone())) {
            throw new MalformedUpstreamAnswerException("statistics answer for another grouping or time zone");
        }
        try {
            TaskCounts total = answer.getTotal();
            List<TaskStatistics.Group> groups = new ArrayList<>(answer.getGroups().size());
            for (TaskCountsGroup group : answer.getGroups()) {
                if (group == null || group.getKey() == null) {
                    throw new MalformedUpstreamAnswerException("statistics group without a key");
                }
                groups.add(new TaskStatistics.Group(group.getKey(), group.getName(), counts(group.getTaskCount(),
                        group.getStatusCounts(), group.getSuccessNum(), group.getFailedNum(), group.getSkipNum(),
                        group.getFirstStartTime(), group.getLastStartTime())));
            }
            return new TaskStatistics(counts(total.getTaskCount(), total.getStatusCounts(), total.getSuccessNum(),
                    total.getFailedNum(), total.getSkipNum(), total.getFirstStartTime(), total.getLastStartTime()),
                    groups);
        } catch (IllegalArgumentException e) {
            // Counts that do not add up, or negative ones.
            throw new MalformedUpstreamAnswerException("inconsistent statistics answer");
        }
    }

    private static TaskStatistics.Counts counts(Long tasks, Map<String, Long> byStatus, Long successNum, Long failedNum,
                                                Long skipNum, String firstStart, String lastStart) {
        if (tasks == null || byStatus == null || successNum == null || failedNum == null || skipNum == null
                || byStatus.containsValue(null)) {
            throw new MalformedUpstreamAnswerException("statistics answer with a count missing");
        }
        return new TaskStatistics.Counts(tasks, byStatus, successNum, failedNum, skipNum, time(firstStart),
                time(lastStart));
    }

    private static Instant time(String text) {
        if (text == null) {
            return null;
        }
        Instant time = UtcTime.parse(text);
        if (time == null) {
            throw new MalformedUpstreamAnswerException("unreadable time in statistics answer");
        }
        return time;
    }
}
