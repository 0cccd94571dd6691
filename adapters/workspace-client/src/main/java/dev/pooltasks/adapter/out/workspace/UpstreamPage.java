package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.domain.model.TaskPage;

/**
 * A page an upstream answered, checked and read, together with the bytes it came in, so that a caller may forward
 * them instead of writing the page again.
 *
 * @param page the tasks, read from {@code body}
 * @param body the answer body exactly as received; not copied: never modify it
 */
public record UpstreamPage(TaskPage page, byte[] body) {
}
