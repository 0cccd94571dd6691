package dev.pooltasks.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pooltasks.client.ApiClient;
import dev.pooltasks.client.model.ScriptExecutionTask;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * JSON Lines: each task as one line holding the API's task object (snake_case fields in the contract's order, absent
 * fields left out), written with the generated client's own mapper. Streams page by page; {@code jq -s} makes an
 * array of it.
 */
final class JsonLinesOutput implements TaskOutput {
    private final PrintWriter out;
    private final ObjectMapper mapper = ApiClient.createDefaultObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    JsonLinesOutput(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void task(ScriptExecutionTask task) throws IOException {
        out.print(mapper.writeValueAsString(task));
        out.print('\n');
    }

    @Override
    public void finish(TaskSource.Listing listing) {
        flush();
    }

    @Override
    public void flush() {
        out.flush();
    }
}
