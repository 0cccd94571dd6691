package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.EncodedTasks;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.AnswerMemo;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>Members are read in blocks of at most {@value #BLOCK_SIZE} starting at multiples of 100, fetched only as far as
 * the merge needs them: a page ending at position {@code p} costs at most {@code ceil(p / 100)} blocks per member.
 * How long a block is depends on {@link Reading}: whole aligned blocks when a cache in front of each member can reuse
 * them (walking a result page by page then fetches no block twice), or no further than the page's end when nothing
 * would reuse the rest. A member whose order is not trusted is read whole (all its blocks, in parallel) and sorted
 * here. Within one answer a member's tasks are kept strictly increasing in API order, so a task that moved between two
 * block fetches is not listed twice.
 *
 * <p>When a member fails the whole answer fails, naming the failed members (or passing on a refusal the caller can act
 * on: {@link FederationFailure}), unless the federation is {@code partial}: then the healthy members answer and the
 * failed ones are listed in {@link TaskPage#missingSources()}.
 * Sources a member's own answers say are missing behind it (another pooltasks fronting a partial federation) are
 * listed there too.
 *
 * <p>With an {@link AnswerMemo}, a complete answer (no member missing, stale or mirrored) is kept with the copies it was
 * merged from. The same query again is answered with the same page, whose body is encoded already, when every member
 * still holds the very copy it gave ({@link LoadScriptExecutionTasksPort#heldAnswer}: a cache hands out the same copy
 * while it is fresh); otherwise it is merged again as usual.
 */
public final class FederatedTaskSource implements LoadScriptExecutionTasksPort {
    public static final int BLOCK_SIZE = 100;

    /** How far each block a member is asked for reaches. */
    public enum Reading {
        /** Every block is {@code offset = k * 100, limit = 100}: the blocks a cache in front of a member can reuse. */
        ALIGNED_BLOCKS,
        /**
         * Blocks end at the page's end (a first page of 10 asks each member for 10, not 100): the cheapest read when
         * nothing keeps the rest of a block.
         */
        UP_TO_PAGE_END
    }

    private final String alias;
    private final List<Member> members;
    private final boolean partial;
    private final Reading reading;
    private final AnswerMemo memo;

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

    public FederatedTaskSource(String alias, List<Member> members, boolean partial, Reading reading) {
        this(alias, members, partial, reading, AnswerMemo.NONE);
    }

    /** @param memo keeps merged answers; only worth it when every member is behind a cache that reuses its copies */
    public FederatedTaskSource(String alias, List<Member> members, boolean partial, Reading reading,
                               AnswerMemo memo) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("federation " + alias + " has no members");
        }
        this.alias = alias;
        this.members = List.copyOf(members);
        this.partial = partial;
        this.reading = Objects.requireNonNull(reading, "reading");
        this.memo = Objects.requireNonNull(memo, "memo");
    }

    public List<Member> members() {
        return members;
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        if (memo == AnswerMemo.NONE) {
            return new Merge(query, caller, null).run();
        }
        AnswerMemo.Key key = new AnswerMemo.Key(alias, query);
        AnswerMemo.Answer kept = memo.get(key);
        if (kept != null) {
            if (stillHeld(kept, caller)) {
                return CompletableFuture.completedFuture(kept.page());
            }
            memo.remove(key);
        }
        return new Merge(query, caller, key).run();
    }

    /** Whether every member still holds, ready, the very copy the answer was merged from. */
    private boolean stillHeld(AnswerMemo.Answer kept, Caller caller) {
        for (AnswerMemo.Part part : kept.parts()) {
            if (members.get(part.member()).source().heldAnswer(part.query(), caller) != part.copy()) {
                return false;
            }
        }
        return true;
    }

    /** The state of one query's merge. Steps run one after another, each after the fetches it waited for. */
    private final class Merge {
        private final TaskQuery query;
        private final Caller caller;
        /** Where to keep the answer; null: not kept. */
        private final AnswerMemo.Key key;
        private final List<Cursor> cursors;
        private final Set<String> missing = new TreeSet<>();
        private final CompletableFuture<TaskPage> result = new CompletableFuture<>();
        /** The page's tasks so far, each as its block and its index there (made into tasks only if need be). */
        private final Taken page = new Taken();
        /** The merge so far, kept between steps so that each step goes on from where the last one stopped. */
        private List<Cursor> merging = List.of();
        private long merged;

        Merge(TaskQuery query, Caller caller, AnswerMemo.Key key) {
            this.query = query;
            this.caller = caller;
            this.key = key;
            List<Cursor> all = new ArrayList<>(members.size());
            for (int i = 0; i < members.size(); i++) {
                all.add(new Cursor(i, members.get(i), query, caller, reading, key != null));
            }
            this.cursors = List.copyOf(all);
        }

        CompletableFuture<TaskPage> run() {
            List<CompletableFuture<Void>> fetches = new ArrayList<>(cursors.size());
            for (Cursor cursor : cursors) {
                fetches.add(cursor.loadFirst());
            }
            whenAll(fetches);
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
            if (!live.equals(merging)) {
                // the first step, or a member of a partial federation failed since: merge again without it
                merging = live;
                live.forEach(Cursor::rewind);
                page.clear();
                merged = 0;
            }
            long needed = pageEnd(query);
            while (merged < needed) {
                List<CompletableFuture<Void>> fetches = new ArrayList<>();
                for (Cursor cursor : live) {
                    if (!cursor.hasNext() && cursor.hasMore()) {
                        fetches.add(cursor.loadNext());
                    }
                }
                if (!fetches.isEmpty()) {
                    return CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new));
                }
                Cursor best = null;
                for (Cursor cursor : live) {
                    if (cursor.hasNext() && (best == null || TaskOrder.compare(cursor.headBlock(),
                            cursor.indexRead, best.headBlock(), best.indexRead) < 0)) {
                        best = cursor;
                    }
                }
                if (best == null) {
                    break;
                }
                if (merged >= query.offset()) {
                    page.add(best.headBlock(), best.indexRead);
                }
                best.take();
                merged++;
            }
            // Loops, not streams: this runs for every federated answer, and setting up a stream costs more than these.
            long total = 0;
            Set<String> missingNow = missing;
            Set<String> stale = new TreeSet<>();
            // Of mirrored members, the oldest copy says how old the answer may be.
            Duration mirrorAge = null;
            for (Cursor cursor : live) {
                total += cursor.total;
                if (cursor.stale) {
                    stale.add(cursor.member.name());
                }
                if (cursor.missingBehind != null) {
                    if (missingNow == missing) {
                        missingNow = new TreeSet<>(missing);
                    }
                    missingNow.addAll(cursor.missingBehind);
                }
                if (cursor.mirrorAge != null && (mirrorAge == null || cursor.mirrorAge.compareTo(mirrorAge) > 0)) {
                    mirrorAge = cursor.mirrorAge;
                }
            }
            TaskPage answer = new TaskPage((int) Math.min(Integer.MAX_VALUE, total), page.tasks(), missingNow, stale,
                    mirrorAge);
            // Only a complete answer from fresh copies is kept; a mirror's carries an age that changes.
            if (key != null && missingNow.isEmpty() && stale.isEmpty() && mirrorAge == null) {
                List<AnswerMemo.Part> parts = new ArrayList<>();
                cursors.forEach(cursor -> parts.addAll(cursor.read));
                memo.put(key, new AnswerMemo.Answer(answer, parts));
            }
            result.complete(answer);
            return null;
        }

        /** The cursors still in the answer, or null once the answer has failed. */
        private List<Cursor> healthyCursors() {
            boolean anyFailed = false;
            for (Cursor cursor : cursors) {
                anyFailed |= cursor.failure != null;
            }
            if (!anyFailed) {
                return cursors; // the usual case, on every step of every answer: nothing to make
            }
            List<Cursor> healthy = new ArrayList<>(cursors.size());
            Map<String, Throwable> failures = new LinkedHashMap<>();
            for (Cursor cursor : cursors) {
                if (cursor.failure == null) {
                    healthy.add(cursor);
                } else {
                    failures.put(cursor.member.name(), cursor.failure);
                }
            }
            if (!partial || healthy.isEmpty()) {
                result.completeExceptionally(FederationFailure.of(alias, failures));
                return null;
            }
            missing.addAll(failures.keySet());
            return healthy;
        }
    }

    /** How many merged tasks the page needs: up to its end, or none when only the total is asked for. */
    private static long pageEnd(TaskQuery query) {
        return query.limit() == 0 ? 0 : (long) query.offset() + query.limit();
    }

    /**
     * What one member has answered so far for one query, and how far the merge has read it. Blocks are kept as they
     * came and read in place, so a merge touches only the tasks it takes, not every task of a cached block.
     */
    private static final class Cursor {
        final int memberIndex;
        final Member member;
        final TaskQuery query;
        final Caller caller;
        final Reading reading;
        final List<List<ScriptExecutionTask>> blocks = new ArrayList<>();
        int blockRead;
        int indexRead;
        /** The last task taken: its block and its index there; null before the first. */
        List<ScriptExecutionTask> lastBlock;
        int lastIndex;
        int total;
        int blocksLoaded;
        boolean exhausted;
        boolean stale;
        /** Sources the member's answers say are missing behind it; null while none are. */
        Set<String> missingBehind;
        Duration mirrorAge;
        Throwable failure;
        /** The blocks this merge read, in order, when its answer may be kept; null otherwise. */
        final List<AnswerMemo.Part> read;

        Cursor(int memberIndex, Member member, TaskQuery query, Caller caller, Reading reading, boolean noteReads) {
            this.memberIndex = memberIndex;
            this.member = member;
            this.query = query;
            this.caller = caller;
            this.reading = reading;
            this.read = noteReads ? new ArrayList<>() : null;
        }

        /**
         * Whether a loaded task of the member is left to read, then at {@code indexRead} of {@link #headBlock()}. A
         * task not strictly after the last one taken is skipped: it moved between two block fetches and was listed
         * already.
         */
        boolean hasNext() {
            while (blockRead < blocks.size()) {
                List<ScriptExecutionTask> block = blocks.get(blockRead);
                while (indexRead < block.size()) {
                    if (lastBlock == null || TaskOrder.compare(lastBlock, lastIndex, block, indexRead) < 0) {
                        return true;
                    }
                    indexRead++;
                }
                blockRead++;
                indexRead = 0;
            }
            return false;
        }

        /** The block of the next task, after {@link #hasNext()} said there is one. */
        List<ScriptExecutionTask> headBlock() {
            return blocks.get(blockRead);
        }

        /** Takes the next task, after {@link #hasNext()} said there is one. */
        void take() {
            lastBlock = blocks.get(blockRead);
            lastIndex = indexRead;
            indexRead++;
        }

        void rewind() {
            blockRead = 0;
            indexRead = 0;
            lastBlock = null;
        }

        boolean hasMore() {
            long loadedTo = (long) blocksLoaded * BLOCK_SIZE;
            return failure == null && !exhausted && loadedTo < total
                    && (reading == Reading.ALIGNED_BLOCKS || loadedTo < pageEnd(query));
        }

        CompletableFuture<Void> loadFirst() {
            if (member.trustedOrder() || query.limit() == 0) {
                // limit=0 needs only the member's total, which its first block carries.
                return loadNext();
            }
            return block(0).thenCompose(first -> {
                int blockCount = (int) Math.min(Integer.MAX_VALUE / BLOCK_SIZE,
                        (first.totalCount() + (long) BLOCK_SIZE - 1) / BLOCK_SIZE);
                List<CompletableFuture<TaskPage>> rest = IntStream.range(1, blockCount).mapToObj(this::block).toList();
                return CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
                    noteRead(0, first);
                    for (int i = 0; i < rest.size(); i++) {
                        noteRead(i + 1, rest.get(i).join());
                    }
                    Map<String, ScriptExecutionTask> byId = new LinkedHashMap<>();
                    first.tasks().forEach(task -> byId.putIfAbsent(task.id(), task));
                    rest.forEach(block -> block.join().tasks().forEach(task -> byId.putIfAbsent(task.id(), task)));
                    blocks.add(byId.values().stream().sorted(TaskOrder.NEWEST_FIRST).toList());
                    total = first.totalCount();
                    stale = !first.staleSources().isEmpty() || rest.stream().anyMatch(b -> !b.join().staleSources().isEmpty());
                    noteMirrorAgeAndMissing(first);
                    rest.forEach(block -> noteMirrorAgeAndMissing(block.join()));
                    blocksLoaded = Math.max(1, blockCount);
                    exhausted = true;
                    return (Void) null;
                });
            }).exceptionally(this::fail);
        }

        CompletableFuture<Void> loadNext() {
            int index = blocksLoaded;
            int limit = blockLimit(index);
            return block(index).thenAccept(block -> {
                noteRead(index, block);
                append(block, limit);
            }).exceptionally(this::fail);
        }

        /** A member read whole needs every block in full; otherwise a block need not reach past the page's end. */
        private int blockLimit(int index) {
            if (reading == Reading.ALIGNED_BLOCKS || !member.trustedOrder()) {
                return BLOCK_SIZE;
            }
            // at least 1: limit=0 needs only the member's total, and a window of one carries it in any upstream
            return (int) Math.max(1, Math.min(BLOCK_SIZE, pageEnd(query) - (long) index * BLOCK_SIZE));
        }

        private TaskQuery blockQuery(int index) {
            return query.withProjectAndWindow(member.projectId(), index * BLOCK_SIZE, blockLimit(index));
        }

        private CompletableFuture<TaskPage> block(int index) {
            try {
                return member.source().loadTasks(blockQuery(index), caller).toCompletableFuture();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        private void noteRead(int index, TaskPage block) {
            if (read != null) {
                read.add(new AnswerMemo.Part(memberIndex, blockQuery(index), block));
            }
        }

        private void append(TaskPage block, int limit) {
            total = block.totalCount();
            stale |= !block.staleSources().isEmpty();
            noteMirrorAgeAndMissing(block);
            blocksLoaded++;
            blocks.add(block.tasks());
            if (block.tasks().size() < limit) {
                exhausted = true;
            }
        }

        private void noteMirrorAgeAndMissing(TaskPage block) {
            if (block.mirrorAge() != null && (mirrorAge == null || block.mirrorAge().compareTo(mirrorAge) > 0)) {
                mirrorAge = block.mirrorAge();
            }
            if (!block.missingSources().isEmpty()) {
                if (missingBehind == null) {
                    missingBehind = new TreeSet<>();
                }
                missingBehind.addAll(block.missingSources());
            }
        }

        private Void fail(Throwable e) {
            failure = e;
            return null;
        }
    }

    /** Tasks taken for a page, each as its block and its index there. */
    private static final class Taken {
        private final List<List<ScriptExecutionTask>> blocks = new ArrayList<>();
        private int[] indexes = new int[16];

        void add(List<ScriptExecutionTask> block, int index) {
            if (blocks.size() == indexes.length) {
                indexes = Arrays.copyOf(indexes, indexes.length * 2);
            }
            indexes[blocks.size()] = index;
            blocks.add(block);
        }

        void clear() {
            blocks.clear();
        }

        /** The tasks: still encoded when every block is, so that the answer copies their bytes; else made. */
        List<ScriptExecutionTask> tasks() {
            int[] at = Arrays.copyOf(indexes, blocks.size());
            EncodedTasks[] encoded = new EncodedTasks[at.length];
            boolean allEncoded = true;
            for (int i = 0; i < at.length && allEncoded; i++) {
                if (blocks.get(i) instanceof EncodedTasks block) {
                    encoded[i] = block;
                } else {
                    allEncoded = false;
                }
            }
            if (allEncoded) {
                return new MergedTasks(encoded, at);
            }
            List<ScriptExecutionTask> tasks = new ArrayList<>(at.length);
            for (int i = 0; i < at.length; i++) {
                tasks.add(blocks.get(i).get(at[i]));
            }
            return tasks;
        }
    }

    /** A merged page's tasks over the encoded blocks they came from: task i is {@code at[i]} of {@code blocks[i]}. */
    private static final class MergedTasks extends AbstractList<ScriptExecutionTask> implements EncodedTasks {
        private final EncodedTasks[] blocks;
        private final int[] at;

        MergedTasks(EncodedTasks[] blocks, int[] at) {
            this.blocks = blocks;
            this.at = at;
        }

        @Override
        public ScriptExecutionTask get(int index) {
            return blocks[index].get(at[index]);
        }

        @Override
        public int size() {
            return at.length;
        }

        @Override
        public long startSecond(int index) {
            return blocks[index].startSecond(at[index]);
        }

        @Override
        public String id(int index) {
            return blocks[index].id(at[index]);
        }

        @Override
        public byte[] bytes(int index) {
            return blocks[index].bytes(at[index]);
        }

        @Override
        public int from(int index) {
            return blocks[index].from(at[index]);
        }

        @Override
        public int to(int index) {
            return blocks[index].to(at[index]);
        }
    }
}
