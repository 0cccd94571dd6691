package dev.pooltasks.cli;

import java.util.List;

/**
 * The API's filters, as query parameters (null: not sent).
 *
 * @param poolId     desktop_pool_id
 * @param scriptId   script_id
 * @param scriptName script_name
 * @param status     status (filter vocabulary: SUCCESS, FAILED, RUNNING, WAITING)
 * @param taskType   task_type (SCRIPT, COMMAND)
 * @param time       execute_time_start and execute_time_end
 * @param taskIds    task_id, repeated; null or empty for none
 */
record TaskFilter(String poolId, String scriptId, String scriptName, String status, String taskType, TimeBounds time,
                  List<String> taskIds) {
}
