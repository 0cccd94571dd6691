package dev.pooltasks.cli;

import java.io.PrintWriter;

/** The {@code --output} formats. */
enum OutputFormat {
    /** Aligned columns for an 80-column terminal; status coloured on a terminal. */
    TABLE,
    /** JSON Lines: one task object per line, with the API's fields. */
    JSON,
    /** RFC 4180 CSV with a header row. */
    CSV;

    TaskOutput writer(PrintWriter out, boolean colour) {
        return switch (this) {
            case TABLE -> new TableOutput(out, colour);
            case JSON -> new JsonLinesOutput(out);
            case CSV -> new CsvOutput(out);
        };
    }
}
