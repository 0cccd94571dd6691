package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.LeaseLostException;
import dev.pooltasks.domain.port.out.MirrorFeed;
import dev.pooltasks.domain.port.out.MirrorStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Test double for the mirror's store and feed, one project's worth per project id, with the semantics the ports
 * define: conditional writes under a lease, idempotent upserts with change sequence numbers, last-seen times. A commit
 * can be made to fail (a crash or a database outage at that point): nothing of it is kept.
 */
final class FakeMirrorStore implements MirrorStore, MirrorFeed {
    record Stored(ScriptExecutionTask task, Instant firstSeen, Instant lastSeen, long sequence) {
    }

    private final Map<String, SyncState> states = new HashMap<>();
    private final Map<String, Map<String, Stored>> tasks = new HashMap<>();
    private final Map<String, String> leaseHolders = new HashMap<>();
    private final Map<String, Instant> leaseExpiries = new HashMap<>();
    private long sequence;
    private int commits;
    private int failCommit = -1;
    private boolean down;

    /** The {@code n}-th commit from now (0: the next) fails, writing nothing. */
    synchronized void failCommit(int n) {
        failCommit = commits + n;
    }

    /** Every call fails, as a database that is down. */
    synchronized void down(boolean value) {
        down = value;
    }

    synchronized int commits() {
        return commits;
    }

    synchronized List<ScriptExecutionTask> tasks(String projectId) {
        return project(projectId).values().stream().map(Stored::task).sorted(TaskOrder.NEWEST_FIRST).toList();
    }

    synchronized Stored stored(String projectId, String id) {
        return project(projectId).get(id);
    }

    synchronized String leaseHolder(String projectId) {
        return leaseHolders.get(projectId);
    }

    @Override
    public synchronized SyncState state(String projectId) {
        checkUp();
        return states.getOrDefault(projectId, SyncState.INITIAL);
    }

    @Override
    public synchronized boolean acquireLease(String projectId, String holder, Instant now, Duration duration) {
        checkUp();
        String current = leaseHolders.get(projectId);
        if (current != null && !current.equals(holder) && now.isBefore(leaseExpiries.get(projectId))) {
            return false;
        }
        leaseHolders.put(projectId, holder);
        leaseExpiries.put(projectId, now.plus(duration));
        return true;
    }

    @Override
    public synchronized void releaseLease(String projectId, String holder) {
        checkUp();
        if (holder.equals(leaseHolders.get(projectId))) {
            leaseHolders.remove(projectId);
            leaseExpiries.remove(projectId);
        }
    }

    @Override
    public synchronized int commit(String projectId, String holder, List<ScriptExecutionTask> upserts, SyncState next,
                                   Instant now, Duration lease) {
        checkUp();
        checkLease(projectId, holder, now);
        if (commits++ == failCommit) {
            throw new IllegalStateException("commit failed (simulated)");
        }
        Map<String, Stored> stored = project(projectId);
        int changed = 0;
        for (ScriptExecutionTask task : upserts) {
            Stored before = stored.get(task.id());
            if (before == null) {
                stored.put(task.id(), new Stored(task, now, now, ++sequence));
                changed++;
            } else if (!before.task().equals(task)) {
                stored.put(task.id(), new Stored(task, before.firstSeen(), now, ++sequence));
                changed++;
            } else {
                stored.put(task.id(), new Stored(task, before.firstSeen(), now, before.sequence()));
            }
        }
        if (next != null) {
            states.put(projectId, next);
        }
        leaseExpiries.put(projectId, now.plus(lease));
        return changed;
    }

    @Override
    public synchronized List<String> unfinishedTaskIds(String projectId, Instant seenSince) {
        checkUp();
        return project(projectId).values().stream()
                .filter(s -> s.task().status().equals(TaskStatus.INIT) || s.task().status().equals(TaskStatus.RUNNING))
                .filter(s -> !s.lastSeen().isBefore(seenSince))
                .map(s -> s.task().id()).toList();
    }

    @Override
    public synchronized int purge(String projectId, String holder, Instant startedBefore, SyncState next, Instant now,
                                  Duration lease) {
        checkUp();
        checkLease(projectId, holder, now);
        Map<String, Stored> stored = project(projectId);
        int before = stored.size();
        stored.values().removeIf(s -> s.task().startTime().isBefore(startedBefore));
        states.put(projectId, next);
        return before - stored.size();
    }

    @Override
    public synchronized long loadAll(String projectId, Consumer<ScriptExecutionTask> sink) {
        checkUp();
        project(projectId).values().forEach(s -> sink.accept(s.task()));
        return project(projectId).values().stream().mapToLong(Stored::sequence).max().orElse(0);
    }

    @Override
    public synchronized Changes changesSince(String projectId, long afterSequence, int max) {
        checkUp();
        List<Stored> changed = project(projectId).values().stream().filter(s -> s.sequence() > afterSequence)
                .sorted(Comparator.comparingLong(Stored::sequence)).toList();
        List<Stored> taken = changed.subList(0, Math.min(max, changed.size()));
        long last = taken.isEmpty() ? afterSequence : taken.get(taken.size() - 1).sequence();
        return new Changes(new ArrayList<>(taken.stream().map(Stored::task).toList()), last,
                taken.size() == changed.size());
    }

    private void checkLease(String projectId, String holder, Instant now) {
        if (!holder.equals(leaseHolders.get(projectId)) || now.isAfter(leaseExpiries.get(projectId))) {
            throw new LeaseLostException(projectId, holder);
        }
    }

    private void checkUp() {
        if (down) {
            throw new IllegalStateException("the database is down (simulated)");
        }
    }

    private Map<String, Stored> project(String projectId) {
        return tasks.computeIfAbsent(projectId, p -> new HashMap<>());
    }
}
