package dev.pooltasks.domain.port.out;

import dev.pooltasks.domain.model.ScriptExecutionTask;

import java.util.List;
import java.util.function.Consumer;

/**
 * What readers of a mirror read: every stored task once, then the changes after it, in the order they were committed,
 * by their change sequence numbers. Calls block; they are made off the request path. Any method may fail with an
 * unchecked exception when the store is unreachable.
 */
public interface MirrorFeed {

    /** The project's sync state ({@link MirrorStore.SyncState#INITIAL} for a project never synced). */
    MirrorStore.SyncState state(String projectId);

    /**
     * Streams every stored task of the project to {@code sink}, as of one moment.
     *
     * @return the highest change sequence number among them (0 when there are none): changes are those after it
     */
    long loadAll(String projectId, Consumer<ScriptExecutionTask> sink);

    /**
     * The tasks written (added or changed) after change sequence number {@code afterSequence}, oldest change first,
     * at most {@code max} of them.
     */
    Changes changesSince(String projectId, long afterSequence, int max);

    /**
     * @param tasks        the changed tasks, each in its current state
     * @param lastSequence the change sequence number of the last of them ({@code afterSequence} when there are none)
     * @param complete     whether these are all the changes there were (false when {@code max} cut them short)
     */
    record Changes(List<ScriptExecutionTask> tasks, long lastSequence, boolean complete) {
        public Changes {
            tasks = List.copyOf(tasks);
        }
    }
}
