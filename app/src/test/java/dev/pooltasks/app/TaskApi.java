package dev.pooltasks.app;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Calls the endpoint the way a client would and reads answers as plain JSON maps, independent of our DTOs. */
final class TaskApi {
    static final String PROJECT = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";
    static final String PATH = "/v2/{project_id}/desktop-pools/script-execution-tasks/detail";

    private TaskApi() {
    }

    static Response get(Object... queryPairs) {
        return getInProject(PROJECT, queryPairs);
    }

    static Response getInProject(String project, Object... queryPairs) {
        RequestSpecification request = given().pathParam("project_id", project);
        for (int i = 0; i < queryPairs.length; i += 2) {
            request = request.queryParam((String) queryPairs[i], queryPairs[i + 1]);
        }
        return request.when().get(PATH);
    }

    static List<Map<String, Object>> tasks(Response response) {
        return response.then().statusCode(200).extract().jsonPath().getList("script_execution_tasks");
    }

    static int total(Response response) {
        return response.then().statusCode(200).extract().jsonPath().getInt("total_count");
    }

    /** Every task matching the filters, fetched page by page with the given limit. */
    static List<Map<String, Object>> walk(int limit, Object... filterPairs) {
        List<Map<String, Object>> all = new ArrayList<>();
        int total;
        int offset = 0;
        do {
            Object[] pairs = new Object[filterPairs.length + 4];
            System.arraycopy(filterPairs, 0, pairs, 0, filterPairs.length);
            pairs[filterPairs.length] = "offset";
            pairs[filterPairs.length + 1] = offset;
            pairs[filterPairs.length + 2] = "limit";
            pairs[filterPairs.length + 3] = limit;
            Response response = get(pairs);
            total = total(response);
            List<Map<String, Object>> page = tasks(response);
            if (page.size() > limit) {
                throw new AssertionError("page of " + page.size() + " tasks for limit " + limit);
            }
            if (page.isEmpty()) {
                break;
            }
            all.addAll(page);
            offset += limit;
        } while (offset < total);
        if (all.size() != total) {
            throw new AssertionError("walked " + all.size() + " tasks but total_count is " + total);
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> scripts(Map<String, Object> task) {
        Object scripts = task.get("scripts");
        return scripts == null ? List.of() : (List<Map<String, Object>>) scripts;
    }
}
