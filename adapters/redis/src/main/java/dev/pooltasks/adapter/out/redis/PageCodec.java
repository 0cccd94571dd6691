package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.PageCache;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A cached copy as the bytes Redis keeps: compact, and readable by every replica, including one of another version
 * during a rolling upgrade. Hand-written rather than a general serializer because this format is a contract between
 * replicas: it names every field of a task explicitly (a renamed record component cannot change it silently), carries
 * a version (an unknown one reads as "no copy", so the tier loads and overwrites it), and keeps each repeated string
 * (pool ids and names, script ids and names, statuses) once, which makes a copy several times smaller than its JSON.
 *
 * <p>Layout: the frame of {@link CopyEnvelope} (version, {@code fetchedAtMillis}, packing) around a body written by
 * {@link CompactWriter} (the string table first): {@code totalCount}, the missing and stale sources, the mirror age (0
 * for none, else whole seconds + 1: an answer a chained pooltasks served from its mirror), and the tasks, every string
 * as its index in the table (index + 1 where it may be null, 0 for null), numbers as variable-length integers. Version
 * 2 added the mirror age; version 1 copies read as no copy.
 */
final class PageCodec {
    static final byte VERSION = 2;
    private static final String WHAT = "page copy";

    private PageCodec() {
    }

    static byte[] encode(PageCache.Copy copy) {
        return CopyEnvelope.seal(VERSION, copy.fetchedAtMillis(), body(copy.page()));
    }

    /** The copy these bytes hold; {@link IllegalArgumentException} if they are not a copy this version can read. */
    static PageCache.Copy decode(byte[] bytes) {
        CopyEnvelope.Opened opened = CopyEnvelope.open(bytes, VERSION, WHAT);
        try {
            return new PageCache.Copy(page(new CompactReader(opened.body())), opened.fetchedAtMillis());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a damaged " + WHAT, e);
        }
    }

    private static byte[] body(TaskPage page) {
        CompactWriter out = new CompactWriter();
        out.uint(page.totalCount());
        out.strings(page.missingSources());
        out.strings(page.staleSources());
        out.uint(page.mirrorAge() == null ? 0 : page.mirrorAge().getSeconds() + 1);
        out.uint(page.tasks().size());
        for (ScriptExecutionTask task : page.tasks()) {
            out.ref(task.id());
            out.ref(task.desktopPoolId());
            out.optionalRef(task.desktopPoolName());
            out.uint(task.scripts().size());
            for (Script script : task.scripts()) {
                out.ref(script.id());
                out.ref(script.name());
            }
            out.optionalRef(task.commandContent());
            out.optionalRef(task.commandType() == null ? null : task.commandType().value());
            out.instant(task.startTime());
            out.optionalInstant(task.endTime());
            out.ref(task.status().value());
            out.sint(task.successNum());
            out.sint(task.failedNum());
            out.sint(task.skipNum());
        }
        return out.body();
    }

    private static TaskPage page(CompactReader in) {
        int totalCount = Math.toIntExact(in.uint());
        Set<String> missing = in.stringSet();
        Set<String> stale = in.stringSet();
        long age = in.uint();
        int size = in.count();
        List<ScriptExecutionTask> tasks = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String id = in.ref();
            String poolId = in.ref();
            String poolName = in.optionalRef();
            int scriptCount = in.count();
            List<Script> scripts = new ArrayList<>(scriptCount);
            for (int s = 0; s < scriptCount; s++) {
                scripts.add(new Script(in.ref(), in.ref()));
            }
            String command = in.optionalRef();
            String commandType = in.optionalRef();
            Instant start = in.instant();
            Instant end = in.optionalInstant();
            TaskStatus status = new TaskStatus(in.ref());
            tasks.add(new ScriptExecutionTask(id, poolId, poolName, scripts, command,
                    commandType == null ? null : new CommandType(commandType), start, end, status,
                    Math.toIntExact(in.sint()), Math.toIntExact(in.sint()), Math.toIntExact(in.sint())));
        }
        in.end("last task");
        return new TaskPage(totalCount, tasks, missing, stale, age == 0 ? null : Duration.ofSeconds(age - 1));
    }
}
