package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;

/**
 * The list's answer with its body already encoded ({@link dev.pooltasks.domain.model.TaskPage#body}): written as is
 * by {@link EncodedTasksResponseWriter}, never bound or serialised again.
 */
final class EncodedTasksResponse extends ShowDesktopPoolsScriptExecTasksResponse {
    private final byte[] body;

    EncodedTasksResponse(byte[] body) {
        this.body = body;
    }

    byte[] body() {
        return body;
    }
}
