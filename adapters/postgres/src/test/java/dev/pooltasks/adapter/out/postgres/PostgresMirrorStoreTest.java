package dev.pooltasks.adapter.out.postgres;

import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.LeaseLostException;
import dev.pooltasks.domain.port.out.MirrorFeed;
import dev.pooltasks.domain.port.out.MirrorStore.SyncState;
import dev.pooltasks.domain.port.out.MirrorStore.Walk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store on the real PostgreSQL, each test in a project of its own within this class's schema. */
class PostgresMirrorStoreTest {
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Instant NOW = Tasks.NOW;
    private static TestSchema schema;
    private static PostgresMirrorStore store;

    @BeforeAll
    static void migrate() {
        schema = new TestSchema();
        store = schema.database.store();
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    private static String project(String name) {
        return name + "-" + System.nanoTime();
    }

    private static List<ScriptExecutionTask> sorted(List<ScriptExecutionTask> tasks) {
        return tasks.stream().sorted(TaskOrder.NEWEST_FIRST).toList();
    }

    private static List<ScriptExecutionTask> loadAll(String project) {
        List<ScriptExecutionTask> tasks = new ArrayList<>();
        store.loadAll(project, tasks::add);
        return sorted(tasks);
    }

    private long scalar(String sql) {
        try (Connection connection = schema.dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Test
    void theMigrationsCreateTheDocumentedSchemaOnceAndAgainDoNothing() {
        assertThat(schema.migrationsExecuted).isEqualTo(1);
        assertThat(schema.database.migrate()).isZero();
        for (String table : List.of("task", "sync_state", "sync_walk", "task_script", "script")) {
            assertThat(scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema.name
                    + "' AND table_name = '" + table + "'")).as(table).isEqualTo(1);
        }
    }

    @Test
    void tasksRoundTripExactlyAndUpsertsAreIdempotent() {
        String project = project("roundtrip");
        List<ScriptExecutionTask> tasks = Tasks.random(500, 1);
        assertThat(store.acquireLease(project, "a", NOW, LEASE)).isTrue();

        assertThat(store.commit(project, "a", tasks, null, NOW, LEASE)).isEqualTo(500);
        assertThat(loadAll(project)).isEqualTo(sorted(tasks));
        long sequence = scalar("SELECT max(change_seq) FROM " + schema.name + ".task WHERE project_id = '" + project + "'");

        Instant later = NOW.plusSeconds(30);
        assertThat(store.commit(project, "a", tasks, null, later, LEASE)).isZero();
        assertThat(loadAll(project)).isEqualTo(sorted(tasks));
        assertThat(scalar("SELECT max(change_seq) FROM " + schema.name + ".task WHERE project_id = '" + project + "'"))
                .isEqualTo(sequence);
        assertThat(scalar("SELECT count(*) FROM " + schema.name + ".task WHERE project_id = '" + project
                + "' AND last_seen = first_seen + interval '30 seconds'")).isEqualTo(500);

        ScriptExecutionTask changed = Tasks.withStatus(tasks.get(7), TaskStatus.FAILED, 3);
        List<ScriptExecutionTask> again = new ArrayList<>(tasks.subList(0, 20));
        again.set(7, changed);
        again.add(changed); // twice in one write: the last counts once
        assertThat(store.commit(project, "a", again, null, later, LEASE)).isEqualTo(1);
        MirrorFeed.Changes changes = store.changesSince(project, sequence, 1000);
        assertThat(changes.tasks()).containsExactly(changed);
        assertThat(changes.complete()).isTrue();
        assertThat(changes.lastSequence()).isGreaterThan(sequence);
    }

    @Test
    void theChangeFeedListsWritesInCommitOrderAndSaysWhenItWasCutShort() {
        String project = project("feed");
        store.acquireLease(project, "a", NOW, LEASE);
        List<ScriptExecutionTask> tasks = Tasks.random(30, 2);
        store.commit(project, "a", tasks.subList(0, 10), null, NOW, LEASE);
        List<ScriptExecutionTask> loaded = new ArrayList<>();
        long after = store.loadAll(project, loaded::add);
        assertThat(loaded).hasSize(10);

        store.commit(project, "a", tasks.subList(10, 20), null, NOW, LEASE);
        ScriptExecutionTask first = Tasks.withStatus(tasks.get(0), TaskStatus.RUNNING, 1);
        store.commit(project, "a", List.of(first), null, NOW, LEASE);
        store.commit(project, "a", tasks.subList(20, 30), null, NOW, LEASE);

        MirrorFeed.Changes all = store.changesSince(project, after, 100);
        List<ScriptExecutionTask> expected = new ArrayList<>(tasks.subList(10, 20));
        expected.add(first);
        expected.addAll(tasks.subList(20, 30));
        assertThat(all.tasks().subList(10, 11)).containsExactly(first);
        assertThat(all.tasks()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(all.tasks().subList(0, 10)).containsExactlyInAnyOrderElementsOf(tasks.subList(10, 20));

        MirrorFeed.Changes some = store.changesSince(project, after, 15);
        assertThat(some.complete()).isFalse();
        assertThat(some.tasks()).hasSize(15);
        MirrorFeed.Changes rest = store.changesSince(project, some.lastSequence(), 15);
        assertThat(rest.complete()).isTrue();
        assertThat(rest.tasks()).hasSize(6);
        assertThat(store.changesSince(project, rest.lastSequence(), 15).tasks()).isEmpty();
        assertThat(store.changesSince(project, rest.lastSequence(), 15).lastSequence()).isEqualTo(rest.lastSequence());
    }

    @Test
    void stateAndWalksRoundTrip() {
        String project = project("state");
        assertThat(store.state(project)).isEqualTo(SyncState.INITIAL);
        store.acquireLease(project, "a", NOW, LEASE);
        assertThat(store.state(project)).isEqualTo(SyncState.INITIAL);
        Walk backfill = new Walk(NOW.minusSeconds(100), 3, null, NOW, 1200, 12, 400, NOW.minusSeconds(500));
        Walk reconciliation = new Walk(null, 0, NOW.minus(Duration.ofDays(1)), null, 0, 0, 0, NOW);
        SyncState state = SyncState.INITIAL.withBackfill(backfill, true).withWatermark(NOW.minusSeconds(7))
                .withReconciliation(reconciliation).withLastReconciledAt(NOW.minusSeconds(3600))
                .withCycle(NOW, 4).withPurge(NOW.minusSeconds(60));
        store.commit(project, "a", List.of(), state, NOW, LEASE);
        assertThat(store.state(project)).isEqualTo(state);
        SyncState next = state.withReconciliation(null).withNewTasks(Walk.from(NOW.minusSeconds(120), NOW));
        store.commit(project, "a", List.of(), next, NOW, LEASE);
        assertThat(store.state(project)).isEqualTo(next);
    }

    @Test
    void rowsAndStateCommitTogetherOrNotAtAll() {
        String project = project("atomic");
        store.acquireLease(project, "a", NOW, LEASE);
        List<ScriptExecutionTask> tasks = Tasks.random(40, 3);
        SyncState first = SyncState.INITIAL.withBackfill(new Walk(NOW, 1, null, NOW, 20, 1, 20, NOW), false);
        store.commit(project, "a", tasks.subList(0, 20), first, NOW, LEASE);

        // The walk row is written after the tasks and the state: make its insert fail, as a crash at that point would.
        schema.execute("CREATE FUNCTION " + schema.name + ".refuse() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN IF NEW.tasks = 666 THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$");
        schema.execute("CREATE TRIGGER refuse BEFORE INSERT ON " + schema.name + ".sync_walk FOR EACH ROW EXECUTE "
                + "FUNCTION " + schema.name + ".refuse()");
        try {
            SyncState second = first.withBackfill(new Walk(NOW, 2, null, NOW, 666, 2, 0, NOW), true)
                    .withWatermark(NOW).withCycle(NOW, 2);
            assertThatThrownBy(() -> store.commit(project, "a", tasks.subList(20, 40), second, NOW, LEASE))
                    .isInstanceOf(MirrorStoreException.class).hasMessageContaining("refused");
        } finally {
            schema.execute("DROP TRIGGER refuse ON " + schema.name + ".sync_walk");
            schema.execute("DROP FUNCTION " + schema.name + ".refuse()");
        }
        assertThat(store.state(project)).isEqualTo(first);
        assertThat(loadAll(project)).isEqualTo(sorted(tasks.subList(0, 20)));
    }

    @Test
    void oneHolderAtATimeTakeoverAfterExpiryAndNoWritesWithoutTheLease() {
        String project = project("lease");
        assertThat(store.acquireLease(project, "a", NOW, LEASE)).isTrue();
        assertThat(store.acquireLease(project, "b", NOW.plusSeconds(59), LEASE)).isFalse();
        assertThat(store.acquireLease(project, "a", NOW.plusSeconds(30), LEASE)).isTrue(); // renewed to 90 s
        assertThat(store.acquireLease(project, "b", NOW.plusSeconds(89), LEASE)).isFalse();
        assertThat(store.acquireLease(project, "b", NOW.plusSeconds(91), LEASE)).isTrue();

        List<ScriptExecutionTask> tasks = Tasks.random(5, 4);
        assertThatThrownBy(() -> store.commit(project, "a", tasks, SyncState.INITIAL.withCycle(NOW, 1),
                NOW.plusSeconds(92), LEASE)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> store.purge(project, "a", NOW, SyncState.INITIAL, NOW.plusSeconds(92), LEASE))
                .isInstanceOf(LeaseLostException.class);
        assertThat(loadAll(project)).isEmpty();
        assertThat(store.state(project)).isEqualTo(SyncState.INITIAL);

        // b's commit extends its lease; a lease that ran out refuses even its own holder's writes
        store.commit(project, "b", tasks, null, NOW.plusSeconds(100), LEASE);
        assertThat(store.acquireLease(project, "a", NOW.plusSeconds(159), LEASE)).isFalse();
        assertThatThrownBy(() -> store.commit(project, "b", tasks, null, NOW.plusSeconds(161), LEASE))
                .isInstanceOf(LeaseLostException.class);

        assertThat(store.acquireLease(project, "b", NOW.plusSeconds(162), LEASE)).isTrue();
        store.releaseLease(project, "a"); // not a's to release
        assertThat(store.acquireLease(project, "a", NOW.plusSeconds(163), LEASE)).isFalse();
        store.releaseLease(project, "b");
        assertThat(store.acquireLease(project, "a", NOW.plusSeconds(163), LEASE)).isTrue();
    }

    @Test
    void replicasRacingForAFreeLeaseGetItOnce() throws Exception {
        String project = project("race");
        int replicas = 8;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> taken = new ArrayList<>();
            for (int r = 0; r < replicas; r++) {
                String holder = "replica-" + r;
                Callable<Boolean> take = () -> {
                    start.await();
                    return store.acquireLease(project, holder, NOW, LEASE);
                };
                taken.add(pool.submit(take));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> result : taken) {
                winners += result.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unfinishedTasksSeenRecentlyAndRetentionDeletesOldTasks() {
        String project = project("unfinished");
        store.acquireLease(project, "a", NOW, LEASE);
        List<ScriptExecutionTask> tasks = Tasks.random(200, 5);
        store.commit(project, "a", tasks.subList(0, 100), null, NOW.minus(Duration.ofDays(2)), Duration.ofDays(3));
        store.commit(project, "a", tasks.subList(100, 200), null, NOW, LEASE);
        List<String> expected = tasks.subList(100, 200).stream()
                .filter(t -> t.status().equals(TaskStatus.RUNNING) || t.status().equals(TaskStatus.INIT))
                .map(ScriptExecutionTask::id).toList();
        assertThat(expected).isNotEmpty();
        assertThat(store.unfinishedTaskIds(project, NOW.minus(Duration.ofDays(1))))
                .containsExactlyInAnyOrderElementsOf(expected);

        Instant cut = NOW.minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        SyncState purged = SyncState.INITIAL.withPurge(NOW);
        int deleted = store.purge(project, "a", cut, purged, NOW, LEASE);
        List<ScriptExecutionTask> kept = tasks.stream().filter(t -> !t.startTime().isBefore(cut)).toList();
        assertThat(deleted).isEqualTo(200 - kept.size()).isPositive();
        assertThat(loadAll(project)).isEqualTo(sorted(kept));
        assertThat(store.state(project).purgeGeneration()).isEqualTo(1);
    }

    @Test
    void theViewsListEachTaskScriptAndEachScriptWithItsLatestName() {
        String project = project("views");
        store.acquireLease(project, "a", NOW, LEASE);
        List<ScriptExecutionTask> tasks = Tasks.random(300, 6);
        store.commit(project, "a", tasks, null, NOW, LEASE);
        long scripts = tasks.stream().mapToLong(t -> t.scripts().size()).sum();
        assertThat(scalar("SELECT count(*) FROM " + schema.name + ".task_script WHERE project_id = '" + project + "'"))
                .isEqualTo(scripts);
        assertThat(scalar("SELECT count(*) FROM " + schema.name + ".script WHERE project_id = '" + project + "'"))
                .isEqualTo(tasks.stream().flatMap(t -> t.scripts().stream()).map(s -> s.id()).distinct().count());
        assertThat(scalar("SELECT count(*) FROM " + schema.name + ".task WHERE project_id = '" + project
                + "' AND task_type = 'COMMAND'"))
                .isEqualTo(tasks.stream().filter(t -> t.taskType().name().equals("COMMAND")).count());
        ScriptExecutionTask newest = tasks.stream().filter(t -> !t.scripts().isEmpty())
                .max(Comparator.comparing(ScriptExecutionTask::startTime)).orElseThrow();
        assertThat(scalar("SELECT position FROM " + schema.name + ".task_script WHERE project_id = '" + project
                + "' AND task_id = '" + newest.id() + "' AND script_id = '" + newest.scripts().get(0).id() + "'"))
                .isEqualTo(1);
    }
}
