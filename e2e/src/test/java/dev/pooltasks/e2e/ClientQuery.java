package dev.pooltasks.e2e;

import dev.pooltasks.client.ApiException;
import dev.pooltasks.client.ApiResponse;
import dev.pooltasks.client.api.DesktopPoolScriptTasksApi;
import dev.pooltasks.client.model.ScriptExecutionTask;
import dev.pooltasks.client.model.ShowDesktopPoolsScriptExecTasksResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One call of the generated client, built field by field instead of through its twelve positional arguments. */
final class ClientQuery {
    String projectId = RunningPooltasks.PROJECT_ID;
    String desktopPoolId;
    String scriptId;
    String scriptName;
    String status;
    String taskType;
    String executeTimeStart;
    String executeTimeEnd;
    List<String> taskIds;
    Integer offset;
    Integer limit;
    Map<String, String> headers;

    static ClientQuery query() {
        return new ClientQuery();
    }

    ClientQuery project(String value) { projectId = value; return this; }
    ClientQuery pool(String value) { desktopPoolId = value; return this; }
    ClientQuery scriptId(String value) { scriptId = value; return this; }
    ClientQuery scriptName(String value) { scriptName = value; return this; }
    ClientQuery status(String value) { status = value; return this; }
    ClientQuery taskType(String value) { taskType = value; return this; }
    ClientQuery start(String value) { executeTimeStart = value; return this; }
    ClientQuery end(String value) { executeTimeEnd = value; return this; }
    ClientQuery taskIds(List<String> value) { taskIds = value; return this; }
    ClientQuery offset(Integer value) { offset = value; return this; }
    ClientQuery limit(Integer value) { limit = value; return this; }
    ClientQuery headers(Map<String, String> value) { headers = value; return this; }

    private ClientQuery copy() {
        ClientQuery copy = new ClientQuery();
        copy.projectId = projectId;
        copy.desktopPoolId = desktopPoolId;
        copy.scriptId = scriptId;
        copy.scriptName = scriptName;
        copy.status = status;
        copy.taskType = taskType;
        copy.executeTimeStart = executeTimeStart;
        copy.executeTimeEnd = executeTimeEnd;
        copy.taskIds = taskIds;
        copy.offset = offset;
        copy.limit = limit;
        copy.headers = headers;
        return copy;
    }

    ShowDesktopPoolsScriptExecTasksResponse call(DesktopPoolScriptTasksApi api) throws ApiException {
        return api.showDesktopPoolsScriptExecTasks(projectId, null, desktopPoolId, scriptId, scriptName, status,
                taskType, executeTimeStart, executeTimeEnd, taskIds, offset, limit, headers);
    }

    ApiResponse<ShowDesktopPoolsScriptExecTasksResponse> callWithHttpInfo(DesktopPoolScriptTasksApi api)
            throws ApiException {
        return api.showDesktopPoolsScriptExecTasksWithHttpInfo(projectId, null, desktopPoolId, scriptId, scriptName,
                status, taskType, executeTimeStart, executeTimeEnd, taskIds, offset, limit, headers);
    }

    /**
     * Every matching task, read page by page with the given limit. Checks on the way that each page reports the same
     * total_count and is as long as it should be, and that the pages add up to that total.
     */
    List<ScriptExecutionTask> fetchAll(DesktopPoolScriptTasksApi api, int pageSize) throws ApiException {
        List<ScriptExecutionTask> all = new ArrayList<>();
        Integer total = null;
        int offset = 0;
        // Bounded: a server that never stops returning pages fails the size checks below long before this ends.
        for (int page = 0; page < 100_000; page++) {
            ShowDesktopPoolsScriptExecTasksResponse response = copy().offset(offset).limit(pageSize).call(api);
            if (total == null) {
                total = response.getTotalCount();
                assertThat(total).as("total_count").isNotNull().isNotNegative();
            }
            assertThat(response.getTotalCount()).as("total_count of the page at offset %d", offset).isEqualTo(total);
            int expectedSize = Math.max(0, Math.min(pageSize, total - offset));
            assertThat(response.getScriptExecutionTasks()).as("page at offset %d of %d", offset, total)
                    .hasSize(expectedSize);
            all.addAll(response.getScriptExecutionTasks());
            offset += pageSize;
            if (offset >= total) {
                break;
            }
        }
        assertThat(all).hasSize(total);
        return all;
    }
}
