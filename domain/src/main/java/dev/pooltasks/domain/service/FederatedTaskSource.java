package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.TaskQuery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;

/**
 * One project id (an alias) over several members, each an (upstream, project) pair. A query fans out to every member
 * in parallel and their tasks are merged into the API order; {@code total_count} is the sum and the window applies to
 * the merged order. Every filter is passed down.
 *
 * <p>Members are read in aligned blocks of {@value #BLOCK_SIZE} ({@code offset} a multiple of 100, {@code limit} 100),
 * fetched only as far as the merge needs them: a page ending at position {@code p} costs at most
 * {@code ceil(p / 100)} blocks per member, and with a caching source in front of each member, walking a result page by
 * page fetches no block twice. A member whose order is not trusted is read whole (all its blocks, in parallel) and
 * sorted here. Within one answer a member's tasks are kept strictly increasing in API order, so a task that moved
 * between two block fetches is not listed twice.
 *
 * <p>When a member fails the whole answer fails, naming the failed members, unless the federation is
 * {@code partial}: then the healthy members answer and the failed ones are listed in {@link TaskPage#missingSources()}.
 */
public final class FederatedTaskSource implements LoadScriptExecutionTasksPort {
    public static final int BLOCK_SIZE = 100;

    private final String alias;
    private final List<Member> members;
    private final boolean partial;

    /**
     * @param name         the member's name in errors and headers (its upstream's name)
     * @param projectId    the project id to ask the member for
     * @param trustedOrder whether the member lists tasks in API order
     */
    public record Member(String name, String projectId, LoadScriptExecutionTasksPort source, boolean trustedOrder) {
        public Member {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(projectId, "projectId");
            Objects.requireNonNull(source, "source");
        }
    }

    public FederatedTaskSource(String alias, List<Member> members, boolean partial) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("federation " + alias + " has no members");
        }
        this.alias = alias;
        this.members = List.copyOf(members);
        this.partial = partial;
    }

    public List<Member> members() {
        return members;
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        return new Merge(query, caller).run();
    }

    /** The state of one query's merge. Steps run one after another, each after the fetches it waited for. */
    private final class Merge {
        private final TaskQuery query;
        private final Caller caller;
        private final List<Cursor> cursors;
        private final Set<String> missing = new TreeSet<>();
        private final CompletableFuture<TaskPage> result = new CompletableFuture<>();

        Merge(TaskQuery query, Caller caller) {
            this.query = query;
            this.caller = caller;
            this.cursors = members.stream().map(member -> new Cursor(member, query, caller)).toList();
        }

        CompletableFuture<TaskPage> run() {
            whenAll(cursors.stream().map(Cursor::loadFirst).toList());
            return result;
        }

        /**
         * Steps once the fetches are in, and on as long as the blocks each step asks for are already there (a cache
         * hit answers at once): looping rather than nesting a callback per block keeps a deep page off the stack.
         */
        private void whenAll(List<CompletableFuture<Void>> fetches) {
            CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)).whenComplete((ignored, failure) -> {
                try {
                    CompletableFuture<Void> next = step();
                    while (next != null && next.isDone()) {
                        next = step();
                    }
                    if (next != null) {
                        whenAll(List.of(next));
                    }
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
        }

        /**
         * Merges what is loaded; either asks for more blocks and returns them, to step again once they are in, or
         * completes the answer and returns null.
         */
        private CompletableFuture<Void> step() {
            List<Cursor> live = healthyCursors();
            if (live == null) {
                return null;
            }
            long needed = query.limit() == 0 ? 0 : (long) query.offset() + query.limit();
            int[] positions = new int[live.size()];
            List<ScriptExecutionTask> page = new ArrayList<>(query.limit());
            long merged = 0;
            while (merged < needed) {
                List<CompletableFuture<Void>> fetches = new ArrayList<>();
                for (int i = 0; i < live.size(); i++) {
                    if (positions[i] == live.get(i).items.size() && live.get(i).hasMore()) {
                        fetches.add(live.get(i).loadNext());
                    }
                }
                if (!fetches.isEmpty()) {
                    return CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new));
                }
                int best = -1;
                for (int i = 0; i < live.size(); i++) {
                    if (positions[i] < live.get(i).items.size() && (best < 0 || TaskOrder.NEWEST_FIRST.compare(
                            live.get(i).items.get(positions[i]), live.get(best).items.get(positions[best])) < 0)) {
                        best = i;
                    }
                }
                if (best < 0) {
                    break;
                }
                if (merged >= query.offset()) {
                    page.add(live.get(best).items.get(positions[best]));
                }
                positions[best]++;
                merged++;
            }
            long total = live.stream().mapToLong(cursor -> cursor.total).sum();
            Set<String> stale = new TreeSet<>();
            live.stream().filter(cursor -> cursor.stale).forEach(cursor -> stale.add(cursor.member.name()));
            result.complete(new TaskPage((int) Math.min(Integer.MAX_VALUE, total), page, missing, stale));
            return null;
        }

        /** The cursors still in the answer, or null once the answer has failed. */
        private List<Cursor> healthyCursors() {
            List<Cursor> failed = cursors.stream().filter(cursor -> cursor.failure != null).toList();
            if (failed.isEmpty()) {
                return cursors;
            }
            Set<String> names = new TreeSet<>();
            failed.forEach(cursor -> names.add(cursor.member.name()));
            if (!partial || failed.size() == cursors.size()) {
                result.completeExceptionally(new TaskSourceUnavailableException(names,
                        "federation " + alias + ": upstream(s) " + String.join(", ", names) + " unavailable"));
                return null;
            }
            missing.addAll(names);
            return cursors.stream().filter(cursor -> cursor.failure == null).toList();
        }
    }

    /** What one member has answered so far for one query. */
    private static final class Cursor {
        final Member member;
        final TaskQuery query;
        final Caller caller;
        final List<ScriptExecutionTask> items = new ArrayList<>();
        int total;
        int blocksLoaded;
        boolean exhausted;
        boolean stale;
        Throwable failure;

        Cursor(Member member, TaskQuery query, Caller caller) {
            this.member = member;
            this.query = query;
            this.caller = caller;
        }

        boolean hasMore() {
            return failure == null && !exhausted && (long) blocksLoaded * BLOCK_SIZE < total;
        }

        CompletableFuture<Void> loadFirst() {
            if (member.trustedOrder() || query.limit() == 0) {
                // limit=0 needs only the member's total, which its first block carries.
                return loadNext();
            }
            return block(0).thenCompose(first -> {
                int blocks = (int) Math.min(Integer.MAX_VALUE / BLOCK_SIZE,
                        (first.totalCount() + (long) BLOCK_SIZE - 1) / BLOCK_SIZE);
                List<CompletableFuture<TaskPage>> rest = IntStream.range(1, blocks).mapToObj(this::block).toList();
                return CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
                    Map<String, ScriptExecutionTask> byId = new LinkedHashMap<>();
                    first.tasks().forEach(task -> byId.putIfAbsent(task.id(), task));
                    rest.forEach(block -> block.join().tasks().forEach(task -> byId.putIfAbsent(task.id(), task)));
                    items.addAll(byId.values().stream().sorted(TaskOrder.NEWEST_FIRST).toList());
                    total = first.totalCount();
                    stale = !first.staleSources().isEmpty() || rest.stream().anyMatch(b -> !b.join().staleSources().isEmpty());
                    blocksLoaded = Math.max(1, blocks);
                    exhausted = true;
                    return (Void) null;
                });
            }).exceptionally(this::fail);
        }

        CompletableFuture<Void> loadNext() {
            return block(blocksLoaded).thenAccept(this::append).exceptionally(this::fail);
        }

        private CompletableFuture<TaskPage> block(int index) {
            TaskQuery blockQuery = query.withProjectAndWindow(member.projectId(), index * BLOCK_SIZE, BLOCK_SIZE);
            try {
                return member.source().loadTasks(blockQuery, caller).toCompletableFuture();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        private void append(TaskPage block) {
            total = block.totalCount();
            stale |= !block.staleSources().isEmpty();
            blocksLoaded++;
            Comparator<ScriptExecutionTask> order = TaskOrder.NEWEST_FIRST;
            for (ScriptExecutionTask task : block.tasks()) {
                if (items.isEmpty() || order.compare(items.get(items.size() - 1), task) < 0) {
                    items.add(task);
                }
            }
            if (block.tasks().size() < BLOCK_SIZE) {
                exhausted = true;
            }
        }

        private Void fail(Throwable e) {
            failure = e;
            return null;
        }
    }
}
