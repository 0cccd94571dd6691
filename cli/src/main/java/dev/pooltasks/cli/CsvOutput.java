package dev.pooltasks.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.pooltasks.client.model.Script;
import dev.pooltasks.client.model.ScriptExecutionTask;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * RFC 4180 CSV (Jackson's CSV writer): a header row, CRLF line ends, fields quoted when they hold a comma, a quote or
 * a line break, quotes doubled. One row per task, the API's fields in the contract's order; a task's scripts are two
 * columns, their ids and their names, each joined by {@value #JOIN}; absent values are empty.
 */
final class CsvOutput implements TaskOutput {
    static final String JOIN = "|";
    static final List<String> COLUMNS = List.of("id", "desktop_pool_id", "desktop_pool_name", "script_ids",
            "script_names", "command_content", "command_type", "start_time", "end_time", "status", "success_num",
            "failed_num", "skip_num");

    private final PrintWriter out;
    private SequenceWriter rows;

    CsvOutput(PrintWriter out) {
        this.out = out;
    }

    /** Starts the rows with the header row, once. */
    private SequenceWriter rows() throws IOException {
        if (rows != null) {
            return rows;
        }
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\r\n").setNullValue("");
        COLUMNS.forEach(schema::addColumn);
        CsvMapper mapper = new CsvMapper();
        mapper.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        // Quote exactly the fields that need it, instead of Jackson's shortcut of quoting every long one.
        mapper.enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
        rows = mapper.writerFor(String[].class).with(schema.build()).writeValues(out);
        return rows;
    }

    @Override
    public void task(ScriptExecutionTask task) throws IOException {
        List<Script> scripts = task.getScripts() == null ? List.of() : task.getScripts();
        rows().write(new String[] {
                task.getId(), task.getDesktopPoolId(), task.getDesktopPoolName(),
                join(scripts, Script::getId), join(scripts, Script::getName),
                task.getCommandContent(), task.getCommandType(), task.getStartTime(), task.getEndTime(),
                task.getStatus(), text(task.getSuccessNum()), text(task.getFailedNum()), text(task.getSkipNum())});
    }

    @Override
    public void finish(TaskSource.Listing listing) throws IOException {
        rows().close();
        flush();
    }

    @Override
    public void flush() throws IOException {
        if (rows != null) {
            rows.flush();
        }
        out.flush();
    }

    private static String join(List<Script> scripts, Function<Script, String> field) {
        return scripts.isEmpty() ? null
                : scripts.stream().map(field).map(v -> Objects.toString(v, "")).collect(Collectors.joining(JOIN));
    }

    private static String text(Integer number) {
        return number == null ? null : number.toString();
    }
}
