import dev.pooltasks.adapter.out.sandbox.SandboxSettings;
import dev.pooltasks.adapter.out.sandbox.SandboxTaskStore;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Writes the tasks of a sandbox (the same seed, size and instant give the same tasks as a running sandbox) as rows of
 * the mirror's {@code task} table in PostgreSQL's COPY text format, so that bench/run.sh can give its SM target a
 * mirror of 1,000,000 tasks in seconds rather than a 10,000-call backfill:
 *
 * <pre>
 * CP=domain/target/classes:adapters/sandbox/target/classes
 * java -Xmx2g -cp $CP bench/MirrorFill.java SEED TASKS NOW PROJECT \
 *   | psql -c "\copy SCHEMA.task ($(java -cp $CP bench/MirrorFill.java --columns)) FROM STDIN"
 * </pre>
 * Columns: project_id, id, desktop_pool_id, desktop_pool_name, script_ids, script_names, command_content, command_type,
 * start_time, end_time, status, success_num, failed_num, skip_num, first_seen, last_seen, change_seq (1, 2, ...).
 */
public final class MirrorFill {
    public static final String COLUMNS = "project_id, id, desktop_pool_id, desktop_pool_name, script_ids, script_names, "
            + "command_content, command_type, start_time, end_time, status, success_num, failed_num, skip_num, "
            + "first_seen, last_seen, change_seq";

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--columns")) {
            System.out.println(COLUMNS);
            return;
        }
        if (args.length != 4) {
            System.err.println("usage: MirrorFill SEED TASKS NOW PROJECT   (columns: " + COLUMNS + ")");
            System.exit(2);
        }
        SandboxSettings settings = new SandboxSettings(args[3], Long.parseLong(args[0]), Integer.parseInt(args[1]),
                Instant.parse(args[2]));
        List<ScriptExecutionTask> tasks = SandboxTaskStore.generate(settings).allTasks();
        String seen = Instant.now().toString();
        try (Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 20)) {
            long sequence = 0;
            for (ScriptExecutionTask t : tasks) {
                StringBuilder row = new StringBuilder(512);
                field(row, settings.projectId());
                field(row, t.id());
                field(row, t.desktopPoolId());
                field(row, t.desktopPoolName());
                field(row, array(t.scripts().stream().map(Script::id).toList()));
                field(row, array(t.scripts().stream().map(Script::name).toList()));
                field(row, t.commandContent());
                field(row, t.commandType() == null ? null : t.commandType().value());
                field(row, t.startTime().toString());
                field(row, t.endTime() == null ? null : t.endTime().toString());
                field(row, t.status().value());
                field(row, String.valueOf(t.successNum()));
                field(row, String.valueOf(t.failedNum()));
                field(row, String.valueOf(t.skipNum()));
                field(row, seen);
                field(row, seen);
                row.append(++sequence).append('\n');
                out.write(row.toString());
            }
        }
    }

    /** A column value and its tab: COPY text escapes for backslash, tab, newline and carriage return; \N is null. */
    private static void field(StringBuilder row, String value) {
        if (value == null) {
            row.append("\\N");
        } else {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\' -> row.append("\\\\");
                    case '\t' -> row.append("\\t");
                    case '\n' -> row.append("\\n");
                    case '\r' -> row.append("\\r");
                    default -> row.append(c);
                }
            }
        }
        row.append('\t');
    }

    /** A text[] literal: every element double-quoted, with its quotes and backslashes escaped. */
    private static String array(List<String> values) {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            text.append(i == 0 ? "" : ",").append('"')
                    .append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return text.append('}').toString();
    }
}
