package dev.pooltasks.adapter.out.memory;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.PageCache;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Instant;
import java.util.Collection;

/**
 * A conservative estimate, in bytes, of the heap an entry of {@link LocalPageCache} retains: the copy (page, tasks,
 * scripts, strings, instants, source sets, its answer body once known), its key (the query with its filters and task ids, the caller token) and
 * the cache's own bookkeeping for the entry.
 *
 * <p>Objects are counted as a 64-bit JVM lays them out without compressed references, its largest layout: 16-byte
 * object headers, 24-byte array headers, 8-byte references, sizes rounded up to 8 bytes. On the usual heaps (under
 * 32 GiB, compressed references) the real objects are smaller, so the estimate errs on the side of the bound. Strings
 * count one byte per character when every character is Latin-1 (compact strings) and two otherwise. Objects that
 * several entries may share (a pool name, the source name, a status) are counted in each entry; only enum constants
 * are not. {@code PageWeightTest} measures real object graphs to check that the estimate stays above them.
 */
final class PageWeight {
    static final int HEADER = 16;
    static final int ARRAY_HEADER = 24;
    static final int REFERENCE = 8;
    /**
     * Caffeine's node (key, value, weights, access and expiry links, timestamps), the map's node and table slot, the
     * entry's future and its slot key: measured about 200 bytes with compressed references, counted generously.
     */
    static final int ENTRY_OVERHEAD = 320;
    static final int INSTANT = object(8 + 4);
    /** A {@code List.copyOf} list object (its array counted separately). */
    private static final int LIST = object(REFERENCE + 4);
    /** An unmodifiable sorted set over a TreeSet over a TreeMap, without entries. */
    private static final int SORTED_SET = object(2 * REFERENCE) + object(REFERENCE) + object(8 * REFERENCE + 8);
    private static final int TREE_ENTRY = object(5 * REFERENCE + 1);
    /** An unmodifiable set over a LinkedHashSet over a LinkedHashMap, without entries and table. */
    private static final int LINKED_SET = object(REFERENCE) + object(REFERENCE) + object(6 * REFERENCE + 16);
    static final int LINKED_ENTRY = object(5 * REFERENCE + 4);
    /** A cache's copy record: its value's reference and its fetch time. */
    static final int COPY = object(REFERENCE + 8);
    private static final int KEY = object(3 * REFERENCE);
    private static final int QUERY = object(9 * REFERENCE + 2 * 4);
    private static final int PAGE = object(5 * REFERENCE + 4);
    private static final int TASK = object(9 * REFERENCE + 3 * 4);
    private static final int SCRIPT = object(2 * REFERENCE);
    /** A {@link TaskStatus} or {@link CommandType}: a record around its name (each upstream answer has its own). */
    private static final int NAMED_VALUE = object(REFERENCE);
    private static final int STRING = object(REFERENCE + 4 + 2);

    private PageWeight() {
    }

    /** The estimated bytes retained by an entry holding {@code copy} under {@code key}. */
    static long of(PageCache.Key key, PageCache.Copy copy) {
        return ENTRY_OVERHEAD + key(key) + COPY + page(copy.page());
    }

    static long key(PageCache.Key key) {
        return KEY + string(key.source()) + string(key.callerToken()) + query(key.query());
    }

    static long query(TaskQuery query) {
        long bytes = QUERY + string(query.projectId()) + string(query.desktopPoolId()) + string(query.scriptId())
                + string(query.scriptName()) + status(query.status())
                + instant(query.executeTimeStart()) + instant(query.executeTimeEnd())
                + LINKED_SET + hashTable(query.taskIds().size());
        for (String id : query.taskIds()) {
            bytes += LINKED_ENTRY + string(id);
        }
        return bytes;
    }

    static long page(TaskPage page) {
        long bytes = PAGE + list(page.tasks()) + sortedSet(page.missingSources()) + sortedSet(page.staleSources())
                + body(page.knownBody());
        for (ScriptExecutionTask task : page.tasks()) {
            bytes += task(task);
        }
        return bytes;
    }

    /** The page's answer body, once it is known (encoded, or sent by its upstream). */
    static long body(byte[] body) {
        return body == null ? 0 : align(ARRAY_HEADER + (long) body.length);
    }

    static long task(ScriptExecutionTask task) {
        long bytes = TASK + string(task.id()) + string(task.desktopPoolId()) + string(task.desktopPoolName())
                + string(task.commandContent()) + instant(task.startTime()) + instant(task.endTime())
                + status(task.status()) + commandType(task.commandType()) + list(task.scripts());
        for (Script script : task.scripts()) {
            bytes += SCRIPT + string(script.id()) + string(script.name());
        }
        return bytes;
    }

    static long string(String value) {
        if (value == null) {
            return 0;
        }
        int bytesPerChar = 1;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0xFF) {
                bytesPerChar = 2;
                break;
            }
        }
        return STRING + align(ARRAY_HEADER + (long) bytesPerChar * value.length());
    }

    private static long status(TaskStatus status) {
        return status == null ? 0 : NAMED_VALUE + string(status.value());
    }

    private static long commandType(CommandType type) {
        return type == null ? 0 : NAMED_VALUE + string(type.value());
    }

    private static long instant(Instant instant) {
        return instant == null ? 0 : INSTANT;
    }

    /** A hash table holding {@code entries}: none while empty, at least 16 slots, at most four per entry. */
    static long hashTable(int entries) {
        return entries == 0 ? 0 : array(Math.max(16, 4 * entries));
    }

    static long list(Collection<?> elements) {
        return LIST + array(elements.size());
    }

    static long sortedSet(Collection<String> elements) {
        long bytes = SORTED_SET;
        for (String element : elements) {
            bytes += TREE_ENTRY + string(element);
        }
        return bytes;
    }

    /** An array of {@code length} references. */
    static long array(int length) {
        return align(ARRAY_HEADER + (long) REFERENCE * length);
    }

    static int object(int fieldBytes) {
        return (int) align(HEADER + fieldBytes);
    }

    static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
