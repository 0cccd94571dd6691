import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Seeded upstream fixtures for bench/run.sh: REGIONS regions of TASKS tasks each, with the real field names, listed in
 * API order (start_time descending, then id ascending). Writes, for each region N, one page per requested window
 * (rN/o{offset}_l{limit}.json, served by nginx with try_files on $arg_offset/$arg_limit) plus the blocks a federation
 * reads: aligned (offset k*100, limit 100; with a cache) and up to each window's end (without one); rN/default.json;
 * the merged answer of all regions for each window (merged/o{offset}_l{limit}.json), and in merged/calls.tsv how many
 * block calls the uncached federation's merge needs for it.
 *
 * <p>Usage: java Fixtures.java OUT_DIR SEED TASKS_PER_REGION REGIONS "offset:limit offset:limit ..."; TASKS_PER_REGION
 * is one count for every region or one per region, comma-separated ("334,333,333").
 */
public class Fixtures {
    record Script(String id, String name) { }

    record Task(String id, String poolId, String poolName, List<Script> scripts, String commandContent,
                String commandType, long start, Long end, String status, int success, int failed, int skip) { }

    static final Comparator<Task> API_ORDER =
            Comparator.comparingLong((Task t) -> t.start).reversed().thenComparing(t -> t.id);
    static final long NOW = Instant.parse("2026-11-27T00:00:00Z").getEpochSecond();
    static final String[] SCRIPTS = {"Collect system logs", "Install Chrome", "Update Chrome policy",
            "Clear temp files", "Restart agent", "Rotate journal logs", "Install VPN client", "Map network drive"};
    static final String[][] COMMANDS = {{"ipconfig /all", "BAT"}, {"Get-Service | Select Name", "POWERSHELL"},
            {"df -h && uptime", "SHELL"}, {"gpupdate /force", "BAT"}};

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int regions = Integer.parseInt(args[3]);
        String[] counts = args[2].split(",");
        int[] perRegion = new int[regions];
        for (int r = 0; r < regions; r++) {
            perRegion[r] = Integer.parseInt(counts[counts.length == 1 ? 0 : r]);
        }
        int mostPerRegion = Arrays.stream(perRegion).max().orElse(0);
        TreeSet<String> windows = new TreeSet<>(List.of(args[4].trim().split("\\s+")));
        TreeSet<String> blocks = new TreeSet<>(windows);
        for (int k = 0; k * 100 <= mostPerRegion; k++) {
            blocks.add(k * 100 + ":100");
        }
        for (String window : windows) {
            long end = pageEnd(parse(window));
            for (int k = 0; k == 0 || k * 100L < end; k++) {
                blocks.add(k * 100 + ":" + blockLimit(end, k));
            }
        }
        Random random = new Random(seed);
        List<Long> usedTimes = new ArrayList<>();
        List<List<Task>> all = new ArrayList<>();
        for (int r = 1; r <= regions; r++) {
            List<Task> tasks = region(random, r, perRegion[r - 1], usedTimes);
            tasks.sort(API_ORDER);
            all.add(tasks);
            Path dir = Files.createDirectories(out.resolve("r" + r));
            for (String block : blocks) {
                int[] w = parse(block);
                write(dir.resolve("o" + w[0] + "_l" + w[1] + ".json"), page(tasks, tasks.size(), w[0], w[1]));
            }
            write(dir.resolve("default.json"), page(tasks, tasks.size(), 0, 10));
        }
        List<Task> merged = all.stream().flatMap(List::stream).sorted(API_ORDER).toList();
        Path dir = Files.createDirectories(out.resolve("merged"));
        StringBuilder calls = new StringBuilder();
        for (String window : windows) {
            int[] w = parse(window);
            write(dir.resolve("o" + w[0] + "_l" + w[1] + ".json"), page(merged, merged.size(), w[0], w[1]));
            calls.append(w[0]).append('\t').append(w[1]).append('\t').append(blockCalls(all, w[0], w[1])).append('\n');
        }
        write(dir.resolve("calls.tsv"), calls.toString());
        write(out.resolve("pools.txt"), String.join("\n", all.get(0).stream().map(Task::poolId).distinct().toList()) + "\n");
        System.out.println("fixtures: " + regions + " regions x " + args[2] + " tasks, " + windows.size()
                + " windows, " + blocks.size() + " blocks, in " + out);
    }

    /** Tasks the merge needs for a window: up to its end, none for limit 0. */
    static long pageEnd(int[] window) {
        return window[1] == 0 ? 0 : (long) window[0] + window[1];
    }

    /** The limit of block k read up to the page's end (at least 1: limit 0 still reads one task for the total). */
    static int blockLimit(long end, int k) {
        return (int) Math.max(1, Math.min(100, end - k * 100L));
    }

    /**
     * Block calls the federation's merge makes for a window without a cache: block 0 of every member, then the next
     * of a member as it runs out, each block ending no later than the page's end.
     */
    static int blockCalls(List<List<Task>> members, int offset, int limit) {
        int n = members.size();
        long end = pageEnd(new int[]{offset, limit});
        int[] blocks = new int[n];
        int[] have = new int[n];
        boolean[] exhausted = new boolean[n];
        int[] pos = new int[n];
        int calls = 0;
        for (int i = 0; i < n; i++) {
            load(members.get(i), i, blocks, have, exhausted, end);
            calls++;
        }
        for (long merged = 0; merged < end; merged++) {
            for (int i = 0; i < n; i++) {
                long loadedTo = blocks[i] * 100L;
                if (pos[i] == have[i] && !exhausted[i] && loadedTo < members.get(i).size() && loadedTo < end) {
                    load(members.get(i), i, blocks, have, exhausted, end);
                    calls++;
                }
            }
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (pos[i] < have[i] && (best < 0
                        || API_ORDER.compare(members.get(i).get(pos[i]), members.get(best).get(pos[best])) < 0)) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            pos[best]++;
        }
        return calls;
    }

    /** Loads member i's next block: counts the tasks it brings; a block that comes back short is the member's end. */
    private static void load(List<Task> member, int i, int[] blocks, int[] have, boolean[] exhausted, long end) {
        int limit = blockLimit(end, blocks[i]);
        int got = Math.max(0, Math.min(limit, member.size() - blocks[i] * 100));
        have[i] += got;
        exhausted[i] = got < limit;
        blocks[i]++;
    }

    static List<Task> region(Random random, int r, int count, List<Long> usedTimes) {
        List<String[]> pools = new ArrayList<>();
        String[] kinds = {"win10", "win11", "ubuntu2204", "euleros"};
        for (int p = 0; p < 4; p++) {
            pools.add(new String[]{uuid(random), "r" + r + "-" + kinds[p] + "-pool"});
        }
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] pool = pools.get(random.nextInt(pools.size()));
            // About 5 % of the tasks start in the same second as an earlier one (of any region): ties the id breaks.
            long start = !usedTimes.isEmpty() && random.nextInt(20) == 0
                    ? usedTimes.get(random.nextInt(usedTimes.size()))
                    : NOW - random.nextInt(30 * 86_400);
            usedTimes.add(start);
            int roll = random.nextInt(100);
            String status = roll < 55 ? "FINISH" : roll < 75 ? "FAILED" : roll < 90 ? "RUNNING" : "INIT";
            int desktops = 1 + random.nextInt(40);
            List<Script> scripts = new ArrayList<>();
            String command = null;
            String commandType = null;
            if (random.nextInt(10) < 7) {
                int n = 1 + random.nextInt(2);
                for (int s = 0; s < n; s++) {
                    scripts.add(new Script(uuid(random), SCRIPTS[random.nextInt(SCRIPTS.length)]));
                }
            } else {
                String[] c = COMMANDS[random.nextInt(COMMANDS.length)];
                command = c[0];
                commandType = c[1];
            }
            int records = desktops * Math.max(1, scripts.size());
            int success = 0, failed = 0, skip = 0;
            Long end = null;
            switch (status) {
                case "FINISH" -> {
                    skip = random.nextInt(3);
                    success = records - skip;
                    end = start + 10 + random.nextInt(3600);
                }
                case "FAILED" -> {
                    failed = 1 + random.nextInt(records);
                    skip = random.nextInt(records - failed + 1);
                    success = records - failed - skip;
                    end = start + 10 + random.nextInt(3600);
                }
                case "RUNNING" -> {
                    success = random.nextInt(records);
                    failed = random.nextInt(records - success + 1) / 4;
                }
                default -> { }
            }
            tasks.add(new Task(uuid(random), pool[0], pool[1], scripts, command, commandType, start, end, status,
                    success, failed, skip));
        }
        return tasks;
    }

    static String uuid(Random random) {
        long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    static int[] parse(String window) {
        String[] parts = window.split(":");
        return new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    static String page(List<Task> tasks, int total, int offset, int limit) {
        StringBuilder json = new StringBuilder("{\"total_count\":").append(total).append(",\"script_execution_tasks\":[");
        for (int i = offset; i < Math.min(tasks.size(), (long) offset + limit); i++) {
            if (i > offset) {
                json.append(',');
            }
            task(json, tasks.get(i));
        }
        return json.append("]}").toString();
    }

    static void task(StringBuilder json, Task t) {
        json.append("{\"id\":\"").append(t.id).append("\",\"desktop_pool_id\":\"").append(t.poolId)
                .append("\",\"desktop_pool_name\":\"").append(t.poolName).append("\",\"scripts\":[");
        for (int s = 0; s < t.scripts.size(); s++) {
            json.append(s > 0 ? "," : "").append("{\"id\":\"").append(t.scripts.get(s).id)
                    .append("\",\"name\":\"").append(t.scripts.get(s).name).append("\"}");
        }
        json.append(']');
        if (t.commandContent != null) {
            json.append(",\"command_content\":\"").append(t.commandContent)
                    .append("\",\"command_type\":\"").append(t.commandType).append('"');
        }
        json.append(",\"start_time\":\"").append(Instant.ofEpochSecond(t.start)).append('"');
        if (t.end != null) {
            json.append(",\"end_time\":\"").append(Instant.ofEpochSecond(t.end)).append('"');
        }
        json.append(",\"status\":\"").append(t.status).append("\",\"success_num\":").append(t.success)
                .append(",\"failed_num\":").append(t.failed).append(",\"skip_num\":").append(t.skip).append('}');
    }

    static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
