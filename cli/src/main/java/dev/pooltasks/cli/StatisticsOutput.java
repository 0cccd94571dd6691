package dev.pooltasks.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.pooltasks.client.ApiClient;
import dev.pooltasks.client.model.ShowScriptExecutionTaskStatisticsResponse;
import dev.pooltasks.client.model.TaskCounts;
import dev.pooltasks.client.model.TaskCountsGroup;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Task statistics in one of the {@code --output} formats.
 *
 * <ul>
 *   <li>table: a row per group, then the total, and a line saying how many tasks and when they started, e.g.
 *   <pre>
 * POOL              TASKS  FINISH  FAILED RUNNING    INIT  OK/FAIL/SKIP
 * finance-win11         2       1       1       0       0  183/12/2
 * total                 3       2       1       0       0  301/14/2
 * 3 tasks, started 2026-11-24 03:10 to 2026-11-26 09:14 UTC
 *   </pre>
 *   A pool's or script's row shows its name (its key when it has none), any other row its key (a day, a status as
 *   tasks show it, a task type); one column per status the total has. Columns are as wide as their cells; the
 *   names give way (cut with "…") so that a line fits 79 columns while the numbers, never cut, leave room.</li>
 *   <li>json: the API's answer as one JSON object on one line, written with the generated client's mapper.</li>
 *   <li>csv: a header row, then a row per group with its key and name, its counts per status (one column per status,
 *   named as the status) and the rest of the API's fields; no total row (json and the table have it).</li>
 * </ul>
 */
final class StatisticsOutput {
    /** The statuses every answer has, in the API's order; others an upstream reports follow, by name. */
    static final List<String> STATUSES = List.of("FINISH", "FAILED", "RUNNING", "INIT");
    /** The widest a table's line gets while its numbers leave room: an 80-column terminal does not wrap it. */
    private static final int WIDTH = 79;
    private static final int MIN_LABEL = 12;
    /** The narrowest a count's column is, so that the headings stand apart ("RUNNING" and a space). */
    private static final int MIN_COUNT = 7;
    private static final DateTimeFormatter START_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    private StatisticsOutput() {
    }

    static void write(OutputFormat format, ShowScriptExecutionTaskStatisticsResponse statistics, PrintWriter out)
            throws IOException {
        switch (format) {
            case TABLE -> table(statistics, out);
            case JSON -> {
                out.print(ApiClient.createDefaultObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                        .writeValueAsString(statistics));
                out.print('\n');
            }
            case CSV -> csv(statistics, out);
        }
        out.flush();
    }

    private static void table(ShowScriptExecutionTaskStatisticsResponse statistics, PrintWriter out) {
        List<String> statuses = statuses(statistics.getTotal());
        boolean named = "pool".equals(statistics.getGroupBy()) || "script".equals(statistics.getGroupBy());
        List<String[]> rows = new ArrayList<>();
        rows.add(heading(label(statistics), statuses));
        long inGroups = 0;
        for (TaskCountsGroup group : statistics.getGroups()) {
            String label = named && group.getName() != null && !group.getName().isBlank() ? group.getName()
                    : group.getKey();
            rows.add(cells(label, group.getTaskCount(), group.getStatusCounts(), group.getSuccessNum(),
                    group.getFailedNum(), group.getSkipNum(), statuses));
            inGroups += group.getTaskCount();
        }
        TaskCounts total = statistics.getTotal();
        rows.add(cells("total", total.getTaskCount(), total.getStatusCounts(), total.getSuccessNum(),
                total.getFailedNum(), total.getSkipNum(), statuses));
        layOut(rows).forEach(out::println);

        long tasks = total.getTaskCount();
        StringBuilder summary = new StringBuilder(tasks == 0 ? "no tasks" : tasks + (tasks == 1 ? " task" : " tasks"));
        if (tasks > 0 && total.getFirstStartTime() != null && total.getLastStartTime() != null) {
            summary.append(", started ").append(start(total.getFirstStartTime())).append(" to ")
                    .append(start(total.getLastStartTime())).append(" UTC");
        }
        out.println(summary);
        if (inGroups > tasks) {
            out.println("(a task that ran several scripts counts in each of their rows)");
        }
    }

    /**
     * The rows as lines: the label left-aligned, the counts right-aligned in columns as wide as their widest cell
     * (at least {@link #MIN_COUNT}), then two spaces and ok/failed/skipped. Numbers are never cut; the label column
     * takes what is left of {@link #WIDTH}, at least {@link #MIN_LABEL} and no more than its longest cell, and longer
     * labels end in "…".
     */
    private static List<String> layOut(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        Arrays.fill(widths, 1, columns - 1, MIN_COUNT);
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], TextCells.width(row[i]));
            }
        }
        int fixed = 2 + widths[columns - 1];
        for (int i = 1; i < columns - 1; i++) {
            fixed += 1 + widths[i];
        }
        int label = Math.min(widths[0], Math.max(MIN_LABEL, WIDTH - fixed));
        List<String> lines = new ArrayList<>(rows.size());
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(TextCells.cell(row[0], label));
            for (int i = 1; i < columns - 1; i++) {
                line.append(" ".repeat(1 + widths[i] - TextCells.width(row[i]))).append(row[i]);
            }
            lines.add(line.append("  ").append(row[columns - 1]).toString());
        }
        return lines;
    }

    private static String[] heading(String label, List<String> statuses) {
        List<String> cells = new ArrayList<>(List.of(label, "TASKS"));
        statuses.forEach(status -> cells.add(TextCells.printable(status)));
        cells.add("OK/FAIL/SKIP");
        return cells.toArray(String[]::new);
    }

    private static String[] cells(String label, Long tasks, Map<String, Long> statusCounts, Long ok, Long failed,
                                  Long skipped, List<String> statuses) {
        List<String> cells = new ArrayList<>(List.of(TextCells.printable(label), text(tasks)));
        statuses.forEach(status -> cells.add(text(statusCounts == null ? null : statusCounts.get(status))));
        cells.add(text(ok) + "/" + text(failed) + "/" + text(skipped));
        return cells.toArray(String[]::new);
    }

    /** The first column's heading: what a row is. */
    private static String label(ShowScriptExecutionTaskStatisticsResponse statistics) {
        return switch (String.valueOf(statistics.getGroupBy())) {
            case "day" -> "DAY (" + TextCells.printable(statistics.getTimeZone()) + ")";
            case "pool" -> "POOL";
            case "script" -> "SCRIPT / COMMAND";
            case "status" -> "STATUS";
            case "task_type" -> "TASK TYPE";
            default -> TextCells.printable(statistics.getGroupBy()).toUpperCase(Locale.ROOT);
        };
    }

    private static void csv(ShowScriptExecutionTaskStatisticsResponse statistics, PrintWriter out) throws IOException {
        List<String> statuses = statuses(statistics.getTotal());
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\r\n").setNullValue("");
        schema.addColumn("key").addColumn("name").addColumn("task_count");
        statuses.forEach(schema::addColumn);
        List.of("success_num", "failed_num", "skip_num", "first_start_time", "last_start_time")
                .forEach(schema::addColumn);
        CsvMapper mapper = new CsvMapper();
        mapper.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        mapper.enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
        try (SequenceWriter rows = mapper.writerFor(String[].class).with(schema.build()).writeValues(out)) {
            for (TaskCountsGroup group : statistics.getGroups()) {
                List<String> row = new ArrayList<>(List.of(group.getKey(), nullToEmpty(group.getName()),
                        text(group.getTaskCount())));
                statuses.forEach(status -> row.add(text(group.getStatusCounts() == null ? null
                        : group.getStatusCounts().get(status))));
                row.add(text(group.getSuccessNum()));
                row.add(text(group.getFailedNum()));
                row.add(text(group.getSkipNum()));
                row.add(nullToEmpty(group.getFirstStartTime()));
                row.add(nullToEmpty(group.getLastStartTime()));
                rows.write(row.toArray(String[]::new));
            }
        }
    }

    /** The four statuses, then any other the total counts, by name. */
    static List<String> statuses(TaskCounts total) {
        List<String> statuses = new ArrayList<>(STATUSES);
        if (total.getStatusCounts() != null) {
            new TreeSet<>(total.getStatusCounts().keySet()).stream().filter(status -> !STATUSES.contains(status))
                    .forEach(statuses::add);
        }
        return statuses;
    }

    private static String text(Long number) {
        return number == null ? "0" : number.toString();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    /** yyyy-MM-dd HH:mm in UTC, or the value as it came when it is not an instant. */
    private static String start(String startTime) {
        try {
            return START_FORMAT.format(Instant.parse(startTime));
        } catch (DateTimeParseException e) {
            return TextCells.printable(startTime);
        }
    }
}
