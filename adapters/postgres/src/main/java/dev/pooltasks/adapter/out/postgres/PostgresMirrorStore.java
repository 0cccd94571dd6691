package dev.pooltasks.adapter.out.postgres;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.LeaseLostException;
import dev.pooltasks.domain.port.out.MirrorFeed;
import dev.pooltasks.domain.port.out.MirrorStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The mirror's store and change feed on PostgreSQL, through plain JDBC on the application's pooled DataSource, in the
 * schema the migrations ({@value #MIGRATIONS}) created. Tasks are upserted with {@code INSERT ... ON CONFLICT}; a write
 * that adds or changes a task gives it the next number of a sequence ({@code change_seq}), which readers follow. The
 * sync lease is a row with an expiry ({@code sync_state.lease_holder}, {@code lease_expires_at}) rather than an
 * advisory lock: it needs no connection held for the syncer's lifetime, works through any connection pool, and a
 * syncer that dies or is cut off loses it after a known time. Every write locks the project's state row first and
 * checks the lease in the same transaction, which also serialises one project's writes, so their change numbers grow
 * in commit order.
 *
 * <p>Instants are stored at microsecond precision (PostgreSQL's). Calls block; every statement but the streaming read
 * of a whole project has a time limit.
 */
public final class PostgresMirrorStore implements MirrorStore, MirrorFeed {
    /** Where the Flyway migrations of this schema are on the classpath. */
    public static final String MIGRATIONS = "db/pooltasks-mirror";
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final int STATEMENT_TIMEOUT_SECONDS = 60;
    private static final int FETCH_SIZE = 10_000;
    private static final String TASK_COLUMNS = "id, desktop_pool_id, desktop_pool_name, script_ids, script_names, "
            + "command_content, command_type, start_time, end_time, status, success_num, failed_num, skip_num";
    /** The same columns as the feed reads them: times as epoch microseconds, cheaper to read than timestamps. */
    private static final String TASK_COLUMNS_READ = "id, desktop_pool_id, desktop_pool_name, script_ids, script_names, "
            + "command_content, command_type, (extract(epoch from start_time) * 1000000)::int8, "
            + "(extract(epoch from end_time) * 1000000)::int8, status, success_num, failed_num, skip_num, change_seq";

    private final DataSource dataSource;
    private final String schema;

    /**
     * @param schema the schema the migrations ran in (lower case letters, digits and underscores)
     */
    public PostgresMirrorStore(DataSource dataSource, String schema) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.schema = checkSchema(schema);
    }

    /** The schema name if it is one the store's statements may name unquoted. */
    static String checkSchema(String schema) {
        if (schema == null || !SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("the mirror's schema name must be lower case letters, digits and "
                    + "underscores, starting with a letter or underscore: " + schema);
        }
        return schema;
    }

    public String schema() {
        return schema;
    }

    @Override
    public SyncState state(String projectId) {
        try (Connection connection = dataSource.getConnection()) {
            return readState(connection, projectId);
        } catch (SQLException e) {
            throw failure("read the sync state", e);
        }
    }

    @Override
    public boolean acquireLease(String projectId, String holder, Instant now, Duration duration) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            ensureState(connection, projectId);
            try (PreparedStatement update = prepare(connection, "UPDATE " + table("sync_state")
                    + " SET lease_holder = ?, lease_expires_at = ? WHERE project_id = ?"
                    + " AND (lease_holder IS NULL OR lease_holder = ? OR lease_expires_at < ?)")) {
                update.setString(1, holder);
                setInstant(update, 2, now.plus(duration));
                update.setString(3, projectId);
                update.setString(4, holder);
                setInstant(update, 5, now);
                return update.executeUpdate() == 1;
            }
        } catch (SQLException e) {
            throw failure("take the sync lease", e);
        }
    }

    @Override
    public void releaseLease(String projectId, String holder) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = prepare(connection, "UPDATE " + table("sync_state")
                     + " SET lease_holder = NULL, lease_expires_at = NULL WHERE project_id = ? AND lease_holder = ?")) {
            connection.setAutoCommit(true);
            update.setString(1, projectId);
            update.setString(2, holder);
            update.executeUpdate();
        } catch (SQLException e) {
            throw failure("release the sync lease", e);
        }
    }

    @Override
    public int commit(String projectId, String holder, List<ScriptExecutionTask> tasks, SyncState next, Instant now,
                      Duration lease) {
        return inLeasedTransaction(projectId, holder, now, lease, "commit tasks", connection -> {
            int changed = upsert(connection, projectId, tasks, now);
            if (next != null) {
                writeState(connection, projectId, next);
            }
            return changed;
        });
    }

    @Override
    public int purge(String projectId, String holder, Instant startedBefore, SyncState next, Instant now,
                     Duration lease) {
        return inLeasedTransaction(projectId, holder, now, lease, "delete old tasks", connection -> {
            int deleted;
            try (PreparedStatement delete = prepare(connection, "DELETE FROM " + table("task")
                    + " WHERE project_id = ? AND start_time < ?")) {
                delete.setString(1, projectId);
                setInstant(delete, 2, startedBefore);
                deleted = delete.executeUpdate();
            }
            writeState(connection, projectId, next);
            return deleted;
        });
    }

    @Override
    public List<String> unfinishedTaskIds(String projectId, Instant seenSince) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = prepare(connection, "SELECT id FROM " + table("task")
                     + " WHERE project_id = ? AND status IN ('INIT', 'RUNNING') AND last_seen >= ?")) {
            select.setString(1, projectId);
            setInstant(select, 2, seenSince);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw failure("list unfinished tasks", e);
        }
    }

    @Override
    public long loadAll(String projectId, Consumer<ScriptExecutionTask> sink) {
        try (Connection connection = dataSource.getConnection()) {
            // A cursor (fetch size without autocommit) streams the rows rather than reading them all at once.
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement("SELECT " + TASK_COLUMNS_READ + " FROM "
                    + table("task") + " WHERE project_id = ?")) {
                select.setFetchSize(FETCH_SIZE);
                select.setString(1, projectId);
                long last = 0;
                ScriptLists scriptLists = new ScriptLists();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        sink.accept(task(rows, scriptLists));
                        last = Math.max(last, rows.getLong(14));
                    }
                }
                return last;
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("load the mirror", e);
        }
    }

    @Override
    public Changes changesSince(String projectId, long afterSequence, int max) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = prepare(connection, "SELECT " + TASK_COLUMNS_READ + " FROM " + table("task")
                     + " WHERE project_id = ? AND change_seq > ? ORDER BY change_seq LIMIT ?")) {
            select.setString(1, projectId);
            select.setLong(2, afterSequence);
            select.setInt(3, max + 1);
            List<ScriptExecutionTask> tasks = new ArrayList<>();
            long last = afterSequence;
            boolean complete = true;
            ScriptLists scriptLists = new ScriptLists();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (tasks.size() == max) {
                        complete = false;
                        break;
                    }
                    tasks.add(task(rows, scriptLists));
                    last = rows.getLong(14);
                }
            }
            return new Changes(tasks, last, complete);
        } catch (SQLException e) {
            throw failure("read changes", e);
        }
    }

    /** Runs {@code work} in a transaction that holds the project's state row and checks the lease first. */
    private int inLeasedTransaction(String projectId, String holder, Instant now, Duration lease, String what,
                                    Work work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock = prepare(connection, "SELECT lease_holder, lease_expires_at FROM "
                        + table("sync_state") + " WHERE project_id = ? FOR UPDATE")) {
                    lock.setString(1, projectId);
                    try (ResultSet row = lock.executeQuery()) {
                        if (!row.next() || !holder.equals(row.getString(1)) || instant(row, 2).isBefore(now)) {
                            throw new LeaseLostException(projectId, holder);
                        }
                    }
                }
                int result = work.run(connection);
                try (PreparedStatement extend = prepare(connection, "UPDATE " + table("sync_state")
                        + " SET lease_expires_at = ? WHERE project_id = ?")) {
                    setInstant(extend, 1, now.plus(lease));
                    extend.setString(2, projectId);
                    extend.executeUpdate();
                }
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Upserts the tasks (the last of several with one id) and says how many were added or changed. */
    private int upsert(Connection connection, String projectId, List<ScriptExecutionTask> tasks, Instant now)
            throws SQLException {
        if (tasks.isEmpty()) {
            return 0;
        }
        Map<String, ScriptExecutionTask> byId = new LinkedHashMap<>();
        tasks.forEach(task -> byId.put(task.id(), task));
        // Rows that keep their number kept it from earlier writes: numbers from here on mark this write's changes.
        long floor;
        try (PreparedStatement next = prepare(connection, "SELECT nextval('" + schema + ".task_change_seq')");
             ResultSet row = next.executeQuery()) {
            row.next();
            floor = row.getLong(1);
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table("task")).append(" AS t (project_id, ")
                .append(TASK_COLUMNS).append(", first_seen, last_seen, change_seq) VALUES ");
        String row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nextval('" + schema + ".task_change_seq'))";
        for (int i = 0; i < byId.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(row);
        }
        String fields = "desktop_pool_id, desktop_pool_name, script_ids, script_names, command_content, command_type, "
                + "start_time, end_time, status, success_num, failed_num, skip_num";
        sql.append(" ON CONFLICT (project_id, id) DO UPDATE SET (").append(fields).append(", last_seen) = (")
                .append(prefixed("excluded.", fields)).append(", excluded.last_seen), change_seq = CASE WHEN (")
                .append(prefixed("t.", fields)).append(") IS DISTINCT FROM (").append(prefixed("excluded.", fields))
                .append(") THEN excluded.change_seq ELSE t.change_seq END RETURNING change_seq");
        try (PreparedStatement insert = prepare(connection, sql.toString())) {
            int p = 1;

            for (ScriptExecutionTask task : byId.values()) {
                insert.setString(p++, projectId);
                insert.setString(p++, task.id());
                insert.setString(p++, task.desktopPoolId());
                insert.setString(p++, task.desktopPoolName());
                insert.setArray(p++, connection.createArrayOf("text",
                        task.scripts().stream().map(Script::id).toArray()));
                insert.setArray(p++, connection.createArrayOf("text",
                        task.scripts().stream().map(Script::name).toArray()));
                insert.setString(p++, task.commandContent());
                insert.setString(p++, task.commandType() == null ? null : task.commandType().value());
                setInstant(insert, p++, task.startTime());
                setInstant(insert, p++, task.endTime());
                insert.setString(p++, task.status().value());
                insert.setInt(p++, task.successNum());
                insert.setInt(p++, task.failedNum());
                insert.setInt(p++, task.skipNum());
                setInstant(insert, p++, now);
                setInstant(insert, p++, now);
            }
            int changed = 0;
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    if (rows.getLong(1) > floor) {
                        changed++;
                    }
                }
            }
            return changed;
        }
    }

    private void ensureState(Connection connection, String projectId) throws SQLException {
        try (PreparedStatement insert = prepare(connection, "INSERT INTO " + table("sync_state")
                + " (project_id) VALUES (?) ON CONFLICT (project_id) DO NOTHING")) {
            insert.setString(1, projectId);
            insert.executeUpdate();
        }
    }

    private SyncState readState(Connection connection, String projectId) throws SQLException {
        Map<String, Walk> walks = new LinkedHashMap<>();
        try (PreparedStatement select = prepare(connection, "SELECT kind, upper_bound, skip_at_bound, lower_bound, "
                + "newest, tasks, calls, remaining, started_at FROM " + table("sync_walk") + " WHERE project_id = ?")) {
            select.setString(1, projectId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    walks.put(rows.getString(1), new Walk(instant(rows, 2), rows.getInt(3), instant(rows, 4),
                            instant(rows, 5), rows.getLong(6), rows.getLong(7), rows.getLong(8), instant(rows, 9)));
                }
            }
        }
        try (PreparedStatement select = prepare(connection, "SELECT backfill_done, watermark, last_reconciled_at, "
                + "last_cycle_at, last_cycle_calls, last_purged_at, purge_generation FROM " + table("sync_state")
                + " WHERE project_id = ?")) {
            select.setString(1, projectId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return SyncState.INITIAL;
                }
                return new SyncState(row.getBoolean(1), walks.get("backfill"), instant(row, 2),
                        walks.get("new_tasks"), walks.get("reconciliation"), instant(row, 3), instant(row, 4),
                        row.getInt(5), instant(row, 6), row.getLong(7));
            }
        }
    }

    private void writeState(Connection connection, String projectId, SyncState state) throws SQLException {
        try (PreparedStatement update = prepare(connection, "UPDATE " + table("sync_state") + " SET backfill_done = ?, "
                + "watermark = ?, last_reconciled_at = ?, last_cycle_at = ?, last_cycle_calls = ?, last_purged_at = ?, "
                + "purge_generation = ? WHERE project_id = ?")) {
            update.setBoolean(1, state.backfillDone());
            setInstant(update, 2, state.watermark());
            setInstant(update, 3, state.lastReconciledAt());
            setInstant(update, 4, state.lastCycleAt());
            update.setInt(5, state.lastCycleCalls());
            setInstant(update, 6, state.lastPurgedAt());
            update.setLong(7, state.purgeGeneration());
            update.setString(8, projectId);
            update.executeUpdate();
        }
        try (PreparedStatement delete = prepare(connection, "DELETE FROM " + table("sync_walk")
                + " WHERE project_id = ?")) {
            delete.setString(1, projectId);
            delete.executeUpdate();
        }
        Map<String, Walk> walks = new LinkedHashMap<>();
        walks.put("backfill", state.backfill());
        walks.put("new_tasks", state.newTasks());
        walks.put("reconciliation", state.reconciliation());
        walks.values().removeIf(Objects::isNull);
        if (walks.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = prepare(connection, "INSERT INTO " + table("sync_walk") + " (project_id, kind, "
                + "upper_bound, skip_at_bound, lower_bound, newest, tasks, calls, remaining, started_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, Walk> entry : walks.entrySet()) {
                Walk walk = entry.getValue();
                insert.setString(1, projectId);
                insert.setString(2, entry.getKey());
                setInstant(insert, 3, walk.upperBound());
                insert.setInt(4, walk.skip());
                setInstant(insert, 5, walk.floor());
                setInstant(insert, 6, walk.newest());
                insert.setLong(7, walk.tasks());
                insert.setLong(8, walk.calls());
                insert.setLong(9, walk.remaining());
                setInstant(insert, 10, walk.startedAt());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** A task from a row of {@link #TASK_COLUMNS_READ}. */
    private static ScriptExecutionTask task(ResultSet row, ScriptLists scriptLists) throws SQLException {
        List<Script> scripts = scriptLists.of(row.getString(4), row.getString(5));
        String commandType = row.getString(7);
        long endMicros = row.getLong(9);
        Instant end = row.wasNull() ? null : micros(endMicros);
        return new ScriptExecutionTask(row.getString(1), row.getString(2), row.getString(3), scripts,
                row.getString(6), commandType == null ? null : new CommandType(commandType), micros(row.getLong(8)),
                end, new TaskStatus(row.getString(10)), row.getInt(11), row.getInt(12), row.getInt(13));
    }

    /**
     * The script lists of one read, from the arrays' text literals: most tasks share a few lists, so each distinct
     * pair of literals is parsed once (pgjdbc's own array reading was most of the time it took to load a mirror). At
     * most {@value #MAX_SHARED} lists are kept, for the length of one read.
     */
    static final class ScriptLists {
        static final int MAX_SHARED = 10_000;
        private final Map<String, List<Script>> shared = new HashMap<>();

        List<Script> of(String idsLiteral, String namesLiteral) {
            String key = idsLiteral + (char) 0 + namesLiteral;
            List<Script> scripts = shared.get(key);
            if (scripts == null) {
                List<String> ids = ArrayLiteral.parse(idsLiteral);
                List<String> names = ArrayLiteral.parse(namesLiteral);
                if (ids.size() != names.size()) {
                    throw new IllegalStateException("a task's script_ids and script_names differ in length");
                }
                List<Script> parsed = new ArrayList<>(ids.size());
                for (int s = 0; s < ids.size(); s++) {
                    parsed.add(new Script(ids.get(s), names.get(s)));
                }
                scripts = List.copyOf(parsed);
                if (shared.size() < MAX_SHARED) {
                    shared.put(key, scripts);
                }
            }
            return scripts;
        }
    }

    private static Instant micros(long epochMicros) {
        return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Instants go as OffsetDateTime in UTC: exact for timestamptz, whatever the JVM's time zone. */
    private static void setInstant(PreparedStatement statement, int parameter, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(parameter, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(parameter, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
    }

    private static String prefixed(String prefix, String columns) {
        return prefix + columns.replace(", ", ", " + prefix);
    }

    private String table(String name) {
        return schema + "." + name;
    }

    private static PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
        return statement;
    }

    private static MirrorStoreException failure(String what, SQLException e) {
        return new MirrorStoreException("PostgreSQL: could not " + what + ": " + e.getMessage(), e);
    }

    private interface Work {
        int run(Connection connection) throws SQLException;
    }
}
