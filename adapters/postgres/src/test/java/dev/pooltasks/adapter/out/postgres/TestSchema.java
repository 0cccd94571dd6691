package dev.pooltasks.adapter.out.postgres;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A schema of its own in the machine's PostgreSQL (127.0.0.1:5432, database {@code test}, trust authentication; set
 * {@code pooltasks.test.jdbc-url} and {@code pooltasks.test.jdbc-user} to point elsewhere), migrated by Flyway as the
 * application migrates it, and dropped when closed. One per test class, so that test classes never share data.
 */
final class TestSchema implements AutoCloseable {
    static final String URL = System.getProperty("pooltasks.test.jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("pooltasks.test.jdbc-user", "postgres");

    final String name = "test_mirror_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
            .toLowerCase(Locale.ROOT);
    final DataSource dataSource;
    final MigrateResult migration;

    TestSchema() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(URL);
        source.setUser(USER);
        this.dataSource = source;
        this.migration = flyway().migrate();
    }

    Flyway flyway() {
        return Flyway.configure().dataSource(dataSource).schemas(name).createSchemas(true)
                .locations("classpath:" + PostgresMirrorStore.MIGRATIONS).load();
    }

    void execute(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
}
