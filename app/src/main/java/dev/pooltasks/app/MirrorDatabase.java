package dev.pooltasks.app;

import dev.pooltasks.adapter.out.postgres.PostgresMirrorStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.InjectableInstance;
import org.flywaydb.core.Flyway;

/**
 * The mirrors' PostgreSQL: Quarkus's default datasource ({@code quarkus.datasource.*}) and its Flyway, whose first
 * schema ({@code quarkus.flyway.schemas}) holds the mirror's tables. Looked up only when an upstream is mirrored:
 * without a datasource URL the datasource is inactive, and nothing here is touched.
 */
final class MirrorDatabase {
    private final InjectableInstance<AgroalDataSource> dataSource;
    private final InjectableInstance<Flyway> flyway;

    MirrorDatabase(InjectableInstance<AgroalDataSource> dataSource, InjectableInstance<Flyway> flyway) {
        this.dataSource = dataSource;
        this.flyway = flyway;
    }

    /** The store, in the schema the migrations create; fails with advice when no datasource is configured. */
    PostgresMirrorStore store() {
        Flyway migrations;
        AgroalDataSource source;
        try {
            source = dataSource.get();
            migrations = flyway.get();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("mirror mode (pooltasks.upstreams.<name>.mirror=true) needs PostgreSQL: "
                    + "set quarkus.datasource.jdbc.url (and quarkus.datasource.username / password); "
                    + e.getClass().getSimpleName(), e);
        }
        String[] schemas = migrations.getConfiguration().getSchemas();
        if (schemas.length == 0) {
            throw new IllegalArgumentException("mirror mode needs quarkus.flyway.schemas: the schema of its tables");
        }
        return new PostgresMirrorStore(source, schemas[0]);
    }

    /** Creates or updates the mirror's schema (Flyway serialises concurrent replicas). Blocks. */
    void migrate() {
        flyway.get().migrate();
    }
}
