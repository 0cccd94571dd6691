package dev.pooltasks.app.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a stub answer like an upstream of this API: the page of its task list selected by the request's
 * {@code offset} and {@code limit} (defaults 0 and 10), with the true {@code total_count}. Filters are not applied:
 * the tests check that they are passed down, not how the upstream applies them. Status, delays and headers of the
 * stub are kept.
 */
final class PagesTransformer implements ResponseDefinitionTransformerV2 {
    static final String NAME = "pages";
    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile List<Map<String, Object>> tasks = List.of();

    /** Serves these tasks from now on, in the API order. */
    void serve(List<Map<String, Object>> newTasks) {
        tasks = newTasks.stream().sorted(FakeTasks.API_ORDER).toList();
    }

    /** The tasks served, in the API order. */
    List<Map<String, Object>> tasks() {
        return tasks;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        List<Map<String, Object>> all = tasks;
        int offset = intParameter(request, "offset", 0);
        int limit = intParameter(request, "limit", 10);
        int from = (int) Math.min(all.size(), Math.max(0, offset));
        int to = (int) Math.min(all.size(), (long) from + Math.max(0, limit));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total_count", all.size());
        page.put("script_execution_tasks", all.subList(from, to));
        try {
            return ResponseDefinitionBuilder.like(serveEvent.getResponseDefinition()).but()
                    .withHeader("Content-Type", "application/json")
                    .withBody(JSON.writeValueAsString(page))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int intParameter(Request request, String name, int absent) {
        QueryParameter parameter = request.queryParameter(name);
        return parameter == null || !parameter.isPresent() ? absent : Integer.parseInt(parameter.firstValue());
    }
}
