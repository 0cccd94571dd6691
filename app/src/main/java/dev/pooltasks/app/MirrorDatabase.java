package dev.pooltasks.app;

import dev.pooltasks.adapter.out.postgres.PostgresDatabase;
import dev.pooltasks.adapter.out.postgres.PostgresMirrorStore;

/**
 * The mirrors' PostgreSQL ({@code pooltasks.postgres.*}), opened on first use, which only an upstream that is mirrored
 * makes: a run without a mirror loads none of the database's code and connects nowhere.
 */
final class MirrorDatabase {
    private final PooltasksConfig.Postgres config;
    private PostgresDatabase database;   // guarded by this
    private boolean migrated;            // guarded by this

    MirrorDatabase(PooltasksConfig.Postgres config) {
        this.config = config;
    }

    /** The store, in the schema the migrations create; fails with advice when no database is configured. */
    PostgresMirrorStore store() {
        return database().store();
    }

    /**
     * Creates or updates the mirror's schema, once per process, before the database's first use (a failed attempt is
     * made again by the next call); Flyway serialises concurrent replicas. Blocks.
     */
    synchronized void migrate() {
        if (!migrated) {
            database().migrate();
            migrated = true;
        }
    }

    private synchronized PostgresDatabase database() {
        if (database == null) {
            String url = config.url().orElseThrow(() -> new IllegalArgumentException(
                    "mirror mode (pooltasks.upstreams.<name>.mirror=true) needs PostgreSQL: set pooltasks.postgres.url "
                            + "(and pooltasks.postgres.username / password)"));
            database = PostgresDatabase.open(new PostgresDatabase.Settings(url, config.username(), config.password(),
                    config.schema(), config.maxConnections()));
        }
        return database;
    }

    /** Closes the pool if it was opened. */
    synchronized void close() {
        if (database != null) {
            database.close();
        }
    }
}
