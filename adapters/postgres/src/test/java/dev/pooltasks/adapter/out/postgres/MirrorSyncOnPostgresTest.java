package dev.pooltasks.adapter.out.postgres;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.domain.service.MirrorSync;
import dev.pooltasks.domain.service.MirroredTaskSource;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The domain's sync and a reader's copy over the real store: what the ports promise, end to end. */
class MirrorSyncOnPostgresTest {
    private static final String PROJECT = "synced";
    private static final MirrorSync.Settings SETTINGS = new MirrorSync.Settings(PROJECT, Duration.ofMinutes(2),
            Duration.ofHours(24), Duration.ofHours(1), null, Duration.ofSeconds(60), Duration.ofSeconds(10));
    private static TestSchema schema;
    private static PostgresMirrorStore store;

    private final MutableClock clock = new MutableClock(Tasks.NOW);
    private final Upstream upstream = new Upstream();

    @BeforeAll
    static void migrate() {
        schema = new TestSchema();
        store = schema.database.store();
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    @Test
    void aSyncedMirrorServesWhatTheUpstreamHasAndOneSyncerAtATimeWrites() {
        List<ScriptExecutionTask> history = Tasks.random(2_345, 11);
        history.forEach(upstream::put);
        MirrorSync a = new MirrorSync(SETTINGS, upstream, store, "a", clock, MirrorSync.Listener.NONE);
        MirrorSync b = new MirrorSync(SETTINGS, upstream, store, "b", clock, MirrorSync.Listener.NONE);
        MirroredTaskSource reader = new MirroredTaskSource(PROJECT, "upstream", store, null, clock);

        assertThat(a.runCycle().outcome()).isEqualTo(MirrorSync.Outcome.SYNCED);
        assertThat(upstream.calls.get()).isEqualTo(24);
        assertThat(b.runCycle().outcome()).isEqualTo(MirrorSync.Outcome.STANDBY);
        reader.hydrate();
        assertThat(all(reader)).isEqualTo(upstream.all());

        clock.advance(Duration.ofSeconds(30));
        ScriptExecutionTask unfinished = history.stream().filter(t -> t.status().equals(TaskStatus.RUNNING))
                .findFirst().orElseThrow();
        upstream.put(Tasks.withStatus(unfinished, TaskStatus.FINISH, 99));
        upstream.put(new ScriptExecutionTask("brand-new", "pool-1", null, List.of(), "ls", null,
                Tasks.NOW.plusSeconds(5), null, TaskStatus.INIT, 0, 0, 0));
        MirrorSync.Cycle cycle = a.runCycle();
        assertThat(cycle.outcome()).isEqualTo(MirrorSync.Outcome.SYNCED);
        long unfinishedCount = history.stream().filter(t -> t.status().equals(TaskStatus.RUNNING)
                || t.status().equals(TaskStatus.INIT)).count();
        assertThat(cycle.calls()).isEqualTo(1 + (int) Math.ceil(unfinishedCount / 100.0));
        assertThat(cycle.changed()).isEqualTo(2);
        assertThat(reader.refresh()).isEqualTo(2);
        assertThat(all(reader)).isEqualTo(upstream.all());
        TaskPage page = reader.loadTasks(TaskQuery.builder(PROJECT).limit(1).build(), Caller.ANONYMOUS)
                .toCompletableFuture().join();
        assertThat(page.mirrorAge()).isEqualTo(Duration.ZERO);

        clock.advance(Duration.ofSeconds(61)); // a stopped renewing: b takes over
        assertThat(b.runCycle().outcome()).isEqualTo(MirrorSync.Outcome.SYNCED);
        assertThat(a.runCycle().outcome()).isEqualTo(MirrorSync.Outcome.STANDBY);
        assertThat(reader.refresh()).isZero();
        assertThat(all(reader)).isEqualTo(upstream.all());
    }

    private static List<ScriptExecutionTask> all(MirroredTaskSource reader) {
        List<ScriptExecutionTask> tasks = new ArrayList<>();
        for (int offset = 0; ; offset += 100) {
            TaskPage page = reader.loadTasks(TaskQuery.builder(PROJECT).offset(offset).limit(100).build(),
                    Caller.ANONYMOUS).toCompletableFuture().join();
            tasks.addAll(page.tasks());
            if (offset + 100 >= page.totalCount()) {
                return tasks;
            }
        }
    }

    /** An upstream with the API's semantics over a map of tasks; counts its calls. */
    private static final class Upstream implements LoadScriptExecutionTasksPort {
        final Map<String, ScriptExecutionTask> tasks = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();

        void put(ScriptExecutionTask task) {
            tasks.put(task.id(), task);
        }

        List<ScriptExecutionTask> all() {
            return tasks.values().stream().sorted(TaskOrder.NEWEST_FIRST).toList();
        }

        @Override
        public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
            calls.incrementAndGet();
            List<ScriptExecutionTask> matching = all().stream().filter(query::matches).toList();
            int from = Math.min(matching.size(), query.offset());
            int to = Math.min(matching.size(), from + query.limit());
            return CompletableFuture.completedFuture(new TaskPage(matching.size(), matching.subList(from, to)));
        }
    }
}
