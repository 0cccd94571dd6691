package dev.pooltasks.domain.query;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A valid query for task statistics: the list's filters (a {@link TaskQuery} whose window plays no part: every
 * matching task counts), how to group the tasks, and the time zone whose calendar days {@link Grouping#DAY} counts in.
 * Build one from wire values with {@link #of}; an invalid value raises {@link InvalidParameterException}.
 *
 * @param filters  the list's filters and the project id; its window is always offset 0, limit 0
 * @param timeZone an IANA time zone (or a fixed offset); UTC when the caller names none
 */
public record StatisticsQuery(TaskQuery filters, Grouping grouping, ZoneId timeZone) {
    public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("UTC");
    static final int MAX_TIME_ZONE_LENGTH = 64;

    public StatisticsQuery {
        Objects.requireNonNull(filters, "filters");
        Objects.requireNonNull(grouping, "grouping");
        Objects.requireNonNull(timeZone, "timeZone");
        filters = filters.offset() == 0 && filters.limit() == 0 ? filters : filters.withWindow(0, 0);
    }

    /**
     * From wire values.
     *
     * @param groupBy  required: {@code day}, {@code pool}, {@code script}, {@code status} or {@code task_type}
     * @param timeZone null or empty for UTC
     */
    public static StatisticsQuery of(TaskQuery filters, String groupBy, String timeZone) {
        return new StatisticsQuery(filters, Grouping.parse(groupBy), timeZone(timeZone));
    }

    public String projectId() {
        return filters.projectId();
    }

    /** The same query for another project (a federation member's). */
    public StatisticsQuery withProject(String projectId) {
        return new StatisticsQuery(filters.withProjectAndWindow(projectId, 0, 0), grouping, timeZone);
    }

    private static ZoneId timeZone(String value) {
        String text = QueryValues.optionalText(QueryParameters.TIME_ZONE, value, MAX_TIME_ZONE_LENGTH);
        if (text == null) {
            return DEFAULT_TIME_ZONE;
        }
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            throw new InvalidParameterException(QueryParameters.TIME_ZONE,
                    "time_zone must be an IANA time zone id such as Asia/Shanghai or UTC");
        }
    }
}
