package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.TaskQuery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Test double for an upstream that speaks the API: it serves one project from an in-memory list of tasks, applying
 * {@link TaskQuery#matches}, {@link TaskOrder#NEWEST_FIRST} and the offset/limit window, and answers the total count.
 * It records every query it receives. Variants: answers in a shuffled order (an upstream whose order is not trusted),
 * answers completed on an executor or held until {@link #release()}, answers marked stale, failures (for every query or
 * chosen ones), and a hook that runs after each answer (to change the data between two block fetches).
 */
final class InMemoryUpstream implements LoadScriptExecutionTasksPort {
    final List<TaskQuery> received = new CopyOnWriteArrayList<>();
    final List<Caller> callers = new CopyOnWriteArrayList<>();

    private final String projectId;
    private volatile List<ScriptExecutionTask> sorted;
    /** The matching tasks by filters (the query with window 0/0): block after block asks for the same filters. */
    private final Map<TaskQuery, List<ScriptExecutionTask>> matchingByFilters = new ConcurrentHashMap<>();
    private volatile Long shuffleSeed;
    private volatile Function<TaskQuery, RuntimeException> failure = query -> null;
    private volatile boolean throwSynchronously;
    private volatile Function<TaskQuery, Set<String>> staleSources = query -> Set.of();
    private volatile Set<String> missingBehind = Set.of();
    private volatile Executor executor;
    private volatile boolean held;
    private volatile BiConsumer<InMemoryUpstream, TaskQuery> afterAnswer = (upstream, query) -> { };
    private final List<Runnable> pending = new ArrayList<>();

    private InMemoryUpstream(String projectId, List<ScriptExecutionTask> tasks) {
        this.projectId = projectId;
        replaceTasks(tasks);
    }

    static InMemoryUpstream serving(String projectId, List<ScriptExecutionTask> tasks) {
        return new InMemoryUpstream(projectId, tasks);
    }

    /** Answers each page in a shuffled order (total count and page contents stay right; only the order is lost). */
    InMemoryUpstream shuffled(long seed) {
        shuffleSeed = seed;
        return this;
    }

    /** Every answer fails with {@code e}. */
    InMemoryUpstream failingWith(RuntimeException e) {
        return failingWhen(query -> true, e);
    }

    /** Answers to the queries that {@code when} accepts fail with {@code e}. */
    InMemoryUpstream failingWhen(Predicate<TaskQuery> when, RuntimeException e) {
        failure = query -> when.test(query) ? e : null;
        return this;
    }

    /** Failures are thrown from {@link #loadTasks} itself rather than returned as a failed answer. */
    InMemoryUpstream throwingSynchronously() {
        throwSynchronously = true;
        return this;
    }

    /** Answers carry these stale sources (as a cache in front of the upstream would mark them). */
    InMemoryUpstream markingStale(String... sources) {
        return markingStaleWhen(query -> true, sources);
    }

    /** Answers carry these missing sources (as another pooltasks fronting a partial federation would). */
    InMemoryUpstream missingBehind(String... sources) {
        missingBehind = Set.of(sources);
        return this;
    }

    /** Answers to the queries that {@code when} accepts carry these stale sources. */
    InMemoryUpstream markingStaleWhen(Predicate<TaskQuery> when, String... sources) {
        Set<String> stale = Set.of(sources);
        staleSources = query -> when.test(query) ? stale : Set.of();
        return this;
    }

    /** Answers are computed and completed on {@code executor}, not on the calling thread. */
    InMemoryUpstream answeringOn(Executor value) {
        executor = value;
        return this;
    }

    /** Answers are held until {@link #release()} or {@link #releaseOne()}. */
    InMemoryUpstream holdingAnswers() {
        held = true;
        return this;
    }

    /** Runs after each answer is computed (before it is delivered). */
    InMemoryUpstream afterEachAnswer(BiConsumer<InMemoryUpstream, TaskQuery> hook) {
        afterAnswer = hook;
        return this;
    }

    void replaceTasks(List<ScriptExecutionTask> newTasks) {
        sorted = newTasks.stream().sorted(TaskOrder.NEWEST_FIRST).toList();
        matchingByFilters.clear();
    }

    /** All tasks, in API order. */
    List<ScriptExecutionTask> tasks() {
        return sorted;
    }

    /** Offsets of the received queries, in the order received. */
    List<Integer> offsetsReceived() {
        return received.stream().map(TaskQuery::offset).toList();
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    /** Completes every held answer (in the order asked); returns how many. Answers held meanwhile are not included. */
    int release() {
        List<Runnable> now;
        synchronized (this) {
            now = new ArrayList<>(pending);
            pending.clear();
        }
        now.forEach(Runnable::run);
        return now.size();
    }

    /** Completes the oldest held answer. */
    void releaseOne() {
        Runnable first;
        synchronized (this) {
            first = pending.remove(0);
        }
        first.run();
    }

    /** The answer this upstream gives to {@code query}, in API order (the oracle for one upstream). */
    TaskPage answer(TaskQuery query) {
        List<ScriptExecutionTask> all = sorted;
        List<ScriptExecutionTask> matching = matchingByFilters.computeIfAbsent(query.withWindow(0, 0),
                filters -> all.stream().filter(filters::matches).toList());
        int from = (int) Math.min(matching.size(), (long) query.offset());
        int to = (int) Math.min(matching.size(), (long) from + query.limit());
        List<ScriptExecutionTask> page = new ArrayList<>(matching.subList(from, to));
        if (shuffleSeed != null) {
            Collections.shuffle(page, new Random(shuffleSeed + query.offset()));
        }
        return new TaskPage(matching.size(), page, missingBehind, staleSources.apply(query));
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        received.add(query);
        callers.add(caller);
        RuntimeException fails = !projectId.equals(query.projectId())
                ? new ProjectNotFoundException(query.projectId()) : failure.apply(query);
        if (fails != null && throwSynchronously) {
            throw fails;
        }
        CompletableFuture<TaskPage> result = new CompletableFuture<>();
        Runnable complete = () -> {
            if (fails != null) {
                result.completeExceptionally(fails);
                return;
            }
            TaskPage page = answer(query);
            afterAnswer.accept(this, query);
            result.complete(page);
        };
        if (held) {
            synchronized (this) {
                pending.add(complete);
            }
        } else if (executor != null) {
            executor.execute(complete);
        } else {
            complete.run();
        }
        return result;
    }
}
