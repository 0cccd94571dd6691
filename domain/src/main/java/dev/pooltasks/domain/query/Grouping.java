package dev.pooltasks.domain.query;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How task statistics group tasks: the {@code group_by} values of the statistics operation. */
public enum Grouping {
    /** The calendar day of the task's start, in the query's time zone. */
    DAY,
    /** The task's desktop pool id. */
    POOL,
    /** Each distinct script id the task ran; a task without scripts, its command type. */
    SCRIPT,
    /** The task's status. */
    STATUS,
    /** SCRIPT or COMMAND. */
    TASK_TYPE;

    /** The wire value: {@code day}, {@code pool}, {@code script}, {@code status}, {@code task_type}. */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Grouping parse(String value) {
        String text = QueryValues.optionalText(QueryParameters.GROUP_BY, value, TaskQuery.MAX_KEYWORD_LENGTH);
        if (text == null) {
            throw new InvalidParameterException(QueryParameters.GROUP_BY, "group_by is required: one of " + choices());
        }
        for (Grouping grouping : values()) {
            if (grouping.wireValue().equalsIgnoreCase(text.trim())) {
                return grouping;
            }
        }
        throw new InvalidParameterException(QueryParameters.GROUP_BY, "group_by must be one of " + choices());
    }

    private static String choices() {
        return Arrays.stream(values()).map(Grouping::wireValue).collect(Collectors.joining(", "));
    }
}
