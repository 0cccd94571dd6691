package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.domain.model.TaskPage;

/**
 * The list's answer with its body already encoded ({@link dev.pooltasks.domain.model.TaskPage#body}): written as is
 * by {@link EncodedTasksResponseWriter}, never bound or serialised again, with the headers that describe the page's
 * sources. The writer sets those on the response it writes: the resource need not reach for the request's response
 * (a request-scoped proxy) when the page arrives.
 */
final class EncodedTasksResponse extends ShowDesktopPoolsScriptExecTasksResponse {
    private final byte[] body;
    /** Header values, null when absent. */
    private final String missingUpstreams;
    private final String staleUpstreams;
    private final String mirrorAge;

    EncodedTasksResponse(byte[] body, TaskPage page) {
        this.body = body;
        this.missingUpstreams = ScriptExecutionTasksResource.sourcesHeader(page.missingSources());
        this.staleUpstreams = ScriptExecutionTasksResource.sourcesHeader(page.staleSources());
        this.mirrorAge = page.mirrorAge() == null ? null : String.valueOf(page.mirrorAge().getSeconds());
    }

    byte[] body() {
        return body;
    }

    String missingUpstreams() {
        return missingUpstreams;
    }

    String staleUpstreams() {
        return staleUpstreams;
    }

    String mirrorAge() {
        return mirrorAge;
    }
}
