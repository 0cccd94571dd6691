package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskType;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;

/**
 * The embedded upstream: seeded tasks of one project, kept in API order (newest first, then id) with the positions of
 * the tasks of each pool, status, task type and script, as lists and bitmaps (see {@link Selection}), so that a
 * filtered page costs a slice of a list, a walk over a short one, or an intersection of bitmaps 64 tasks at a time,
 * rather than a look at each candidate task. Immutable once built, so it serves concurrent queries without locking.
 */
public final class SandboxTaskStore implements LoadScriptExecutionTasksPort {
    private final String projectId;
    private final SandboxCatalogue catalogue;
    private final TaskIds ids;
    private final TaskColumns columns;
    /** Generation index of the task at each position of the API order. */
    private final int[] byPosition;
    private final int[] positionOf;
    private final Postings postings;

    private SandboxTaskStore(SandboxSettings settings) {
        this.projectId = settings.projectId();
        java.util.SplittableRandom random = new java.util.SplittableRandom(settings.seed());
        this.catalogue = new SandboxCatalogue(random);
        this.ids = new TaskIds(settings.seed());
        this.columns = new TaskColumns(settings.taskCount());
        SandboxGenerator generator = new SandboxGenerator(settings.seed(), catalogue);
        long now = settings.now().getEpochSecond();
        IntStream.range(0, settings.taskCount()).parallel().forEach(i -> generator.generate(i, now, columns));
        this.byPosition = apiOrder(now);
        this.positionOf = new int[byPosition.length];
        for (int position = 0; position < byPosition.length; position++) {
            positionOf[byPosition[position]] = position;
        }
        this.postings = new Postings(columns, byPosition, catalogue);
    }

    public static SandboxTaskStore generate(SandboxSettings settings) {
        return new SandboxTaskStore(settings);
    }

    public String projectId() {
        return projectId;
    }

    public int size() {
        return byPosition.length;
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        try {
            return CompletableFuture.completedFuture(page(query));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Answers a query at once: the sandbox is in memory. */
    public TaskPage page(TaskQuery query) {
        if (!projectId.equals(query.projectId())) {
            throw new ProjectNotFoundException(query.projectId());
        }
        int from = query.executeTimeEnd() == null ? 0 : firstPositionStartingAtOrBefore(query.executeTimeEnd().getEpochSecond());
        int to = query.executeTimeStart() == null ? byPosition.length
                : firstPositionStartingAtOrBefore(ceilSecond(query.executeTimeStart()) - 1);
        Selection selection = Selection.of(query, this);
        if (selection == null || from >= to) {
            return new TaskPage(0, List.of());
        }
        return selection.page(from, to, query.offset(), query.limit(), this::task);
    }

    /** All tasks in API order; for tests that check answers against a plain filter over everything. */
    public List<ScriptExecutionTask> allTasks() {
        List<ScriptExecutionTask> all = new ArrayList<>(byPosition.length);
        for (int position = 0; position < byPosition.length; position++) {
            all.add(task(position));
        }
        return all;
    }

    ScriptExecutionTask task(int position) {
        int i = byPosition[position];
        SandboxCatalogue.Pool pool = catalogue.pools.get(columns.pool[i]);
        int packed = columns.scripts[i];
        List<Script> scripts = new ArrayList<>(ScriptPacking.count(packed));
        for (int s = 0; s < ScriptPacking.count(packed); s++) {
            scripts.add(catalogue.scripts.get(ScriptPacking.index(packed, s)).script());
        }
        SandboxCatalogue.Command command = columns.command[i] < 0 ? null : catalogue.commands.get(columns.command[i]);
        long start = columns.startSecond[i];
        int duration = columns.durationSeconds[i];
        return new ScriptExecutionTask(ids.id(i), pool.id(), pool.name(), scripts,
                command == null ? null : command.content(), command == null ? null : command.type(),
                Instant.ofEpochSecond(start), duration < 0 ? null : Instant.ofEpochSecond(start + duration),
                TaskColumns.STATUSES.get(columns.status[i]),
                columns.successNum[i], columns.failedNum[i], columns.skipNum[i]);
    }

    /** The position of a task id, or -1 when no task has it. */
    int positionOfId(String id) {
        int i = ids.index(id, byPosition.length);
        return i < 0 ? -1 : positionOf[i];
    }

    int poolIndex(String poolId) {
        return IntStream.range(0, catalogue.pools.size())
                .filter(p -> catalogue.pools.get(p).id().equals(poolId)).findFirst().orElse(-1);
    }

    int scriptIndex(String scriptId) {
        return IntStream.range(0, catalogue.scripts.size())
                .filter(s -> catalogue.scripts.get(s).script().id().equals(scriptId)).findFirst().orElse(-1);
    }

    BitSet scriptsNamed(TaskQuery query) {
        BitSet matching = new BitSet();
        for (int s = 0; s < catalogue.scripts.size(); s++) {
            if (query.nameMatches(catalogue.scripts.get(s).script())) {
                matching.set(s);
            }
        }
        return matching;
    }

    Postings postings() {
        return postings;
    }

    private static long ceilSecond(Instant instant) {
        return instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
    }

    /** The first position whose task started at or before {@code second} (positions run from newest to oldest). */
    private int firstPositionStartingAtOrBefore(long second) {
        int low = 0;
        int high = byPosition.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (columns.startSecond[byPosition[mid]] <= second) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /** Generation indices sorted newest first, then by id; ids compare as their two unsigned halves. */
    private int[] apiOrder(long now) {
        int size = columns.size();
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) {
            keys[i] = ((now - columns.startSecond[i]) << 22) | i;
        }
        Arrays.parallelSort(keys);
        int[] order = new int[size];
        for (int position = 0; position < size; position++) {
            order[position] = (int) (keys[position] & ((1 << 22) - 1));
        }
        int runStart = 0;
        for (int position = 1; position <= size; position++) {
            if (position == size || columns.startSecond[order[position]] != columns.startSecond[order[runStart]]) {
                if (position - runStart > 1) {
                    sortRunById(order, runStart, position);
                }
                runStart = position;
            }
        }
        return order;
    }

    private void sortRunById(int[] order, int from, int to) {
        Integer[] run = new Integer[to - from];
        for (int k = from; k < to; k++) {
            run[k - from] = order[k];
        }
        Arrays.sort(run, (a, b) -> {
            long lowA = ids.low(a);
            long lowB = ids.low(b);
            int byHigh = Long.compareUnsigned(ids.high(lowA), ids.high(lowB));
            return byHigh != 0 ? byHigh : Long.compareUnsigned(lowA, lowB);
        });
        for (int k = from; k < to; k++) {
            order[k] = run[k - from];
        }
    }

    static boolean isScriptTask(TaskColumns columns, int i) {
        return columns.command[i] < 0;
    }

    static TaskType taskType(TaskColumns columns, int i) {
        return isScriptTask(columns, i) ? TaskType.SCRIPT : TaskType.COMMAND;
    }
}
