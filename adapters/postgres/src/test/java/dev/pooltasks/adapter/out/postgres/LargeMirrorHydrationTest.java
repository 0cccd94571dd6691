package dev.pooltasks.adapter.out.postgres;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.domain.service.MirroredTaskSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica loading a large mirror ({@code pooltasks.test.large-mirror-tasks}, 1,000,000 by default) from PostgreSQL
 * into its index, as it does at start. The time it takes is printed (measured, not asserted: the README and the
 * benchmark report it); the test checks that what is served agrees with SQL over the same rows.
 */
class LargeMirrorHydrationTest {
    private static final int TASKS = Integer.getInteger("pooltasks.test.large-mirror-tasks", 1_000_000);
    private static final String PROJECT = "large";
    private static TestSchema schema;

    @BeforeAll
    static void fill() {
        schema = new TestSchema();
        long started = System.nanoTime();
        // Generated in SQL: pools, one to three scripts or a command, every status, start times over 30 days.
        schema.execute("INSERT INTO " + schema.name + ".task (project_id, id, desktop_pool_id, desktop_pool_name, "
                + "script_ids, script_names, command_content, command_type, start_time, end_time, status, success_num, "
                + "failed_num, skip_num, first_seen, last_seen, change_seq) "
                + "SELECT '" + PROJECT + "', md5(i::text)::uuid::text, 'pool-' || (i % 8), 'pool name ' || (i % 8), "
                + "CASE WHEN i % 3 = 0 THEN '{}'::text[] ELSE (SELECT array_agg('script-' || ((i + k * 7) % 26)) "
                + "  FROM generate_series(0, i % 3) k) END, "
                + "CASE WHEN i % 3 = 0 THEN '{}'::text[] ELSE (SELECT array_agg('Script number ' || ((i + k * 7) % 26)) "
                + "  FROM generate_series(0, i % 3) k) END, "
                + "CASE WHEN i % 3 = 0 THEN 'echo ' || (i % 50) END, CASE WHEN i % 3 = 0 THEN 'SHELL' END, "
                + "timestamptz '2026-11-20 12:00:00+00' - (i * 2.592 || ' seconds')::interval, "
                + "CASE WHEN i % 17 = 1 THEN NULL ELSE timestamptz '2026-11-20 12:00:00+00' - (i * 2.592 - 60 || ' seconds')::interval END, "
                + "CASE WHEN i % 17 = 1 THEN 'RUNNING' WHEN i % 11 = 0 THEN 'FAILED' ELSE 'FINISH' END, "
                + "i % 200, i % 7, i % 3, now(), now(), nextval('" + schema.name + ".task_change_seq') "
                + "FROM generate_series(1, " + TASKS + ") i");
        schema.execute("INSERT INTO " + schema.name + ".sync_state (project_id, backfill_done, last_cycle_at) "
                + "VALUES ('" + PROJECT + "', true, now())");
        schema.execute("ANALYZE " + schema.name + ".task");
        System.out.printf("LargeMirrorHydrationTest: %,d tasks inserted in %,d ms%n", TASKS,
                (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    private long sql(String condition) {
        String query = "SELECT count(*) FROM " + schema.name + ".task WHERE project_id = '" + PROJECT + "'" + condition;
        try (Connection connection = schema.dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    @Test
    void aReplicaLoadsTheWholeMirrorAndServesWhatSqlSees() {
        PostgresMirrorStore store = schema.database.store();
        MirroredTaskSource source = new MirroredTaskSource(PROJECT, "upstream", store, null,
                Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC));
        long started = System.nanoTime();
        source.hydrate();
        long millis = (System.nanoTime() - started) / 1_000_000;
        Runtime runtime = Runtime.getRuntime();
        System.out.printf("LargeMirrorHydrationTest: %,d tasks loaded into the index in %,d ms (heap used %,d MB)%n",
                TASKS, millis, (runtime.totalMemory() - runtime.freeMemory()) >> 20);

        assertThat(source.serving()).isTrue();
        assertThat(source.status().orElseThrow().tasks()).isEqualTo(TASKS);
        record Case(TaskQuery query, String sql) {
        }
        for (Case c : List.of(
                new Case(TaskQuery.builder(PROJECT).limit(0).build(), ""),
                new Case(TaskQuery.builder(PROJECT).status("FAILED").limit(0).build(), " AND status = 'FAILED'"),
                new Case(TaskQuery.builder(PROJECT).taskType("COMMAND").desktopPoolId("pool-3").limit(0).build(),
                        " AND task_type = 'COMMAND' AND desktop_pool_id = 'pool-3'"),
                new Case(TaskQuery.builder(PROJECT).scriptName("number 1").status("RUNNING").limit(0).build(),
                        " AND status = 'RUNNING' AND EXISTS (SELECT 1 FROM unnest(script_names) n "
                                + "WHERE n ILIKE '%number 1%')"),
                new Case(TaskQuery.builder(PROJECT).executeTimeStart("2026-11-10T00:00:00Z")
                        .executeTimeEnd("2026-11-12T00:00:00Z").limit(0).build(),
                        " AND start_time BETWEEN '2026-11-10T00:00:00Z' AND '2026-11-12T00:00:00Z'"))) {
            TaskPage page = source.loadTasks(c.query(), Caller.ANONYMOUS).toCompletableFuture().join();
            assertThat((long) page.totalCount()).as(c.sql()).isEqualTo(sql(c.sql())).isPositive();
        }
        TaskPage newest = source.loadTasks(TaskQuery.builder(PROJECT).limit(1).build(), Caller.ANONYMOUS)
                .toCompletableFuture().join();
        assertThat(newest.tasks().get(0).startTime()).isEqualTo(Instant.parse("2026-11-20T11:59:57.408Z"));
    }
}
