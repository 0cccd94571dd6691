package dev.pooltasks.app.gateway;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Fake tasks as an upstream puts them on the wire (JSON maps with the contract's snake_case fields). Start times are
 * drawn from a narrow range, so that tasks of different upstreams share start times and the id tie-break matters.
 */
final class FakeTasks {
    static final Instant BASE = Instant.parse("2026-11-20T12:00:00Z");
    static final DateTimeFormatter WIRE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String[] STATUSES = {"FINISH", "FAILED", "RUNNING", "INIT"};

    /** The API order: start_time descending, then id ascending (wire times sort as text). */
    static final Comparator<Map<String, Object>> API_ORDER =
            Comparator.comparing((Map<String, Object> task) -> (String) task.get("start_time")).reversed()
                    .thenComparing(task -> (String) task.get("id"));

    private FakeTasks() {
    }

    /** {@code count} tasks with ids {@code prefix-0000…}, seeded, in no particular order. */
    static List<Map<String, Object>> generate(String prefix, int count, long seed) {
        Random random = new Random(seed);
        int minutes = Math.max(10, count / 2);
        List<Map<String, Object>> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant start = BASE.minusSeconds(60L * random.nextInt(minutes));
            String status = STATUSES[i % STATUSES.length];
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("id", String.format("%s-%04d", prefix, i));
            task.put("desktop_pool_id", "pool-" + (i % 3));
            task.put("desktop_pool_name", "pool-name-" + (i % 3));
            if (i % 5 == 4) {
                task.put("scripts", List.of());
                task.put("command_content", "ipconfig /flushdns");
                task.put("command_type", "BAT");
            } else {
                Map<String, Object> script = new LinkedHashMap<>();
                script.put("id", "script-" + (i % 7));
                script.put("name", "Script " + (i % 7));
                task.put("scripts", List.of(script));
            }
            task.put("start_time", WIRE_TIME.format(start));
            if (status.equals("FINISH") || status.equals("FAILED")) {
                task.put("end_time", WIRE_TIME.format(start.plusSeconds(300)));
            }
            task.put("status", status);
            task.put("success_num", random.nextInt(50));
            task.put("failed_num", random.nextInt(5));
            task.put("skip_num", random.nextInt(3));
            tasks.add(task);
        }
        return tasks;
    }

    /** All tasks of all lists in the API order: what a federation over them must list. */
    @SafeVarargs
    static List<Map<String, Object>> merged(List<Map<String, Object>>... lists) {
        return Stream.of(lists).flatMap(List::stream).sorted(API_ORDER).toList();
    }

    static List<String> ids(List<Map<String, Object>> tasks) {
        return tasks.stream().map(task -> (String) task.get("id")).toList();
    }
}
