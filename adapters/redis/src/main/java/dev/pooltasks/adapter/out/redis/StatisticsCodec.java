package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.StatisticsCache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cached statistics copy as the bytes Redis keeps, written as {@link PageCodec} writes pages and for the same
 * reasons: every field named explicitly, a version of its own, each repeated string (status values, group names) once.
 *
 * <p>Layout: the frame of {@link CopyEnvelope} around a body written by {@link CompactWriter}: the total's counts, the
 * groups (each its key, its name or none, its counts), then the missing and stale sources. Counts are the number of
 * tasks, the statuses with their numbers (every listed one, in order), success, failed and skip sums, and the first and
 * last start (none when there is no task).
 */
final class StatisticsCodec {
    static final byte VERSION = 1;
    private static final String WHAT = "statistics copy";

    private StatisticsCodec() {
    }

    static byte[] encode(StatisticsCache.Copy copy) {
        TaskStatistics statistics = copy.statistics();
        CompactWriter out = new CompactWriter();
        counts(out, statistics.total());
        out.uint(statistics.groups().size());
        for (TaskStatistics.Group group : statistics.groups()) {
            out.ref(group.key());
            out.optionalRef(group.name());
            counts(out, group.counts());
        }
        out.strings(statistics.missingSources());
        out.strings(statistics.staleSources());
        return CopyEnvelope.seal(VERSION, copy.fetchedAtMillis(), out.body());
    }

    /** The copy these bytes hold; {@link IllegalArgumentException} if they are not a copy this version can read. */
    static StatisticsCache.Copy decode(byte[] bytes) {
        CopyEnvelope.Opened opened = CopyEnvelope.open(bytes, VERSION, WHAT);
        try {
            CompactReader in = new CompactReader(opened.body());
            TaskStatistics.Counts total = counts(in);
            int size = in.count();
            List<TaskStatistics.Group> groups = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                groups.add(new TaskStatistics.Group(in.ref(), in.optionalRef(), counts(in)));
            }
            Set<String> missing = in.stringSet();
            Set<String> stale = in.stringSet();
            in.end("stale sources");
            TaskStatistics statistics = new TaskStatistics(total, groups, missing, stale);
            return new StatisticsCache.Copy(statistics, opened.fetchedAtMillis());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a damaged " + WHAT, e);
        }
    }

    private static void counts(CompactWriter out, TaskStatistics.Counts counts) {
        out.uint(counts.tasks());
        out.uint(counts.byStatus().size());
        counts.byStatus().forEach((status, tasks) -> {
            out.ref(status);
            out.uint(tasks);
        });
        out.sint(counts.successNum());
        out.sint(counts.failedNum());
        out.sint(counts.skipNum());
        out.optionalInstant(counts.firstStart());
        out.optionalInstant(counts.lastStart());
    }

    private static TaskStatistics.Counts counts(CompactReader in) {
        long tasks = in.uint();
        int statuses = in.count();
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (int i = 0; i < statuses; i++) {
            byStatus.put(in.ref(), in.uint());
        }
        // The record checks what a damaged copy could break: the statuses add up to the tasks, starts exactly when any.
        return new TaskStatistics.Counts(tasks, byStatus, in.sint(), in.sint(), in.sint(), in.optionalInstant(),
                in.optionalInstant());
    }
}
