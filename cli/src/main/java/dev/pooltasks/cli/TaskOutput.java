package dev.pooltasks.cli;

import dev.pooltasks.client.model.ScriptExecutionTask;

import java.io.IOException;

/**
 * Writes tasks to standard output in one format, as they arrive. A format's header comes with the first task, or
 * with {@link #finish} when there is none, so that a call that fails at once leaves standard output empty.
 */
interface TaskOutput {
    void task(ScriptExecutionTask task) throws IOException;

    /** After the last task; also flushes. */
    void finish(TaskSource.Listing listing) throws IOException;

    /** Makes what was written so far visible, e.g. after each page or before an error. */
    void flush() throws IOException;
}
