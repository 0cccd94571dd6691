package dev.pooltasks.app;

import io.restassured.path.json.JsonPath;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** What the statistics operation must answer for tasks given as wire JSON maps, computed plainly from the contract. */
public final class StatisticsExpectations {
    private StatisticsExpectations() {
    }

    /**
     * Asserts that {@code answer}'s total and its groups (the same keys, each with its tasks' counts) are those of
     * {@code tasks}, grouped by {@code groupBy} in {@code zone}; returns the answer's groups for further checks.
     */
    public static List<Map<String, Object>> assertTotalAndGroups(JsonPath answer, List<Map<String, Object>> tasks,
                                                                 String groupBy, ZoneId zone) {
        assertThat(answer.getMap("total")).isEqualTo(counts(tasks));
        Map<String, List<Map<String, Object>>> expected = new TreeMap<>();
        for (Map<String, Object> task : tasks) {
            keys(task, groupBy, zone).forEach(key -> expected.computeIfAbsent(key, k -> new ArrayList<>()).add(task));
        }
        List<Map<String, Object>> groups = answer.getList("groups");
        assertThat(groups).extracting(group -> group.get("key")).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Map<String, Object> group : groups) {
            Map<String, Object> counts = new HashMap<>(group);
            counts.remove("key");
            counts.remove("name");
            assertThat(counts).as("group %s", group.get("key")).isEqualTo(counts(expected.get((String) group.get("key"))));
        }
        return groups;
    }

    /** The counts of these tasks as the contract defines them, as plain JSON values. */
    public static Map<String, Object> counts(List<Map<String, Object>> tasks) {
        Map<String, Object> counts = new HashMap<>();
        counts.put("task_count", tasks.size());
        Map<String, Object> byStatus = new HashMap<>(Map.of("FINISH", 0, "FAILED", 0, "RUNNING", 0, "INIT", 0));
        tasks.forEach(task -> byStatus.merge((String) task.get("status"), 1, (a, b) -> (Integer) a + (Integer) b));
        counts.put("status_counts", byStatus);
        for (String field : List.of("success_num", "failed_num", "skip_num")) {
            counts.put(field, tasks.stream().mapToInt(task -> (Integer) task.get(field)).sum());
        }
        List<String> starts = tasks.stream().map(task -> (String) task.get("start_time")).sorted().toList();
        if (!starts.isEmpty()) {
            counts.put("first_start_time", starts.get(0));
            counts.put("last_start_time", starts.get(starts.size() - 1));
        }
        return counts;
    }

    @SuppressWarnings("unchecked")
    public static Set<String> keys(Map<String, Object> task, String groupBy, ZoneId zone) {
        Set<String> keys = new LinkedHashSet<>();
        switch (groupBy) {
            case "day" -> keys.add(Instant.parse((String) task.get("start_time")).atZone(zone).toLocalDate().toString());
            case "pool" -> keys.add((String) task.get("desktop_pool_id"));
            case "status" -> keys.add((String) task.get("status"));
            case "task_type" -> keys.add(task.get("command_content") != null
                    && ((List<?>) task.get("scripts")).isEmpty() ? "COMMAND" : "SCRIPT");
            case "script" -> {
                List<Map<String, Object>> scripts = (List<Map<String, Object>>) task.get("scripts");
                if (scripts.isEmpty()) {
                    keys.add("command:" + (task.get("command_type") == null ? "" : task.get("command_type")));
                }
                scripts.forEach(script -> keys.add((String) script.get("id")));
            }
            default -> throw new IllegalArgumentException(groupBy);
        }
        return keys;
    }
}
