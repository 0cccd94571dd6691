package dev.pooltasks.cli;

import dev.pooltasks.client.model.Script;
import dev.pooltasks.client.model.ScriptExecutionTask;
import picocli.CommandLine.Help.Ansi.Style;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Tasks as aligned columns that fit an 80-column terminal (79 characters, so that no terminal wraps):
 *
 * <pre>
 * START (UTC) STATUS  OK/FAIL/SKIP POOL             SCRIPT / COMMAND     ID
 * 11-27 02:59 FAILED  231/9/0      testlab-ubuntu2… Collect system logs  ba2f5c85
 * </pre>
 *
 * The start time is UTC to the minute, the year left out (tasks are listed newest first); a task with several
 * scripts shows the first and how many more ("Install Chrome +2"), a command task its command after "$ "; the id is
 * its first 8 characters (json and csv carry whole ids). Text is cut with "…" by terminal columns (CJK characters
 * count two) and cleaned of control characters. Status is coloured when {@code colour} is on.
 */
final class TableOutput implements TaskOutput {
    private static final int START = 11;
    private static final int STATUS = 7;
    private static final int COUNTS = 12;
    private static final int POOL = 16;
    private static final int WHAT = 20;
    private static final int ID = 8;
    private static final DateTimeFormatter START_FORMAT = DateTimeFormatter.ofPattern("MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);
    private static final Map<String, Style> STATUS_COLOURS = Map.of(
            "FINISH", Style.fg_green, "FAILED", Style.fg_red, "RUNNING", Style.fg_yellow, "INIT", Style.fg_cyan);

    private final PrintWriter out;
    private final boolean colour;
    private boolean headerWritten;

    TableOutput(PrintWriter out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    private void header() {
        if (headerWritten) {
            return;
        }
        headerWritten = true;
        out.println(TextCells.cell("START (UTC)", START) + ' ' + TextCells.cell("STATUS", STATUS) + ' '
                + TextCells.cell("OK/FAIL/SKIP", COUNTS) + ' ' + TextCells.cell("POOL", POOL) + ' '
                + TextCells.cell("SCRIPT / COMMAND", WHAT) + ' ' + "ID");
    }

    @Override
    public void task(ScriptExecutionTask task) {
        header();
        String counts = task.getSuccessNum() + "/" + task.getFailedNum() + "/" + task.getSkipNum();
        String pool = task.getDesktopPoolName() != null ? task.getDesktopPoolName() : task.getDesktopPoolId();
        out.println(TextCells.cell(start(task.getStartTime()), START) + ' ' + status(task.getStatus()) + ' '
                + counts + " ".repeat(Math.max(0, COUNTS - counts.length())) + ' '
                + TextCells.cell(TextCells.printable(pool), POOL) + ' ' + TextCells.cell(what(task), WHAT) + ' '
                + shortId(task.getId()));
    }

    @Override
    public void finish(TaskSource.Listing listing) {
        header();
        if (listing.listed() == 0) {
            out.println(listing.total() == 0 ? "no tasks"
                    : listing.offset() < listing.total() ? listing.total() + " matching tasks"
                    : "no tasks at offset " + listing.offset() + " of " + listing.total());
        } else if (listing.all()) {
            out.println(listing.listed() + (listing.listed() == 1 ? " task" : " tasks"));
        } else {
            out.println("tasks " + (listing.offset() + 1) + "-" + (listing.offset() + listing.listed()) + " of "
                    + listing.total());
        }
        flush();
    }

    @Override
    public void flush() {
        out.flush();
    }

    /** MM-dd HH:mm in UTC, or the value as it came when it is not an instant. */
    private static String start(String startTime) {
        try {
            return START_FORMAT.format(Instant.parse(startTime));
        } catch (DateTimeParseException | NullPointerException e) {
            return TextCells.printable(startTime);
        }
    }

    /** The id's first characters, like a short commit hash: enough to tell tasks apart on screen. */
    private static String shortId(String id) {
        String printable = TextCells.printable(id);
        return printable.codePointCount(0, printable.length()) <= ID ? printable
                : printable.substring(0, printable.offsetByCodePoints(0, ID));
    }

    private String status(String status) {
        String word = TextCells.truncate(TextCells.printable(status), STATUS);
        String padding = " ".repeat(STATUS - TextCells.width(word));
        Style style = STATUS_COLOURS.get(word);
        return colour && style != null ? style.on() + word + style.off() + padding : word + padding;
    }

    /** The first script and how many more, or "$ " and the command; "-" when the task has neither. */
    private static String what(ScriptExecutionTask task) {
        List<Script> scripts = task.getScripts();
        if (scripts != null && !scripts.isEmpty()) {
            String more = scripts.size() > 1 ? " +" + (scripts.size() - 1) : "";
            Script first = scripts.get(0);
            String name = TextCells.printable(first.getName() != null ? first.getName() : first.getId());
            return TextCells.truncate(name, WHAT - more.length()) + more;
        }
        if (task.getCommandContent() != null) {
            return "$ " + TextCells.printable(task.getCommandContent());
        }
        return "-";
    }
}
