package dev.pooltasks.adapter.out.postgres;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A schema of its own in the machine's PostgreSQL (127.0.0.1:5432, database {@code test}, trust authentication; set
 * {@code pooltasks.test.jdbc-url} and {@code pooltasks.test.jdbc-user} to point elsewhere), opened and migrated as the
 * application does it ({@link PostgresDatabase}), and dropped when closed. One per test class, so that test classes
 * never share data. Statements of the tests' own go through a plain data source of the driver's.
 */
final class TestSchema implements AutoCloseable {
    static final String URL = System.getProperty("pooltasks.test.jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("pooltasks.test.jdbc-user", "postgres");

    final String name = "test_mirror_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
            .toLowerCase(Locale.ROOT);
    final DataSource dataSource;
    final PostgresDatabase database;
    final int migrationsExecuted;

    TestSchema() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(URL);
        source.setUser(USER);
        this.dataSource = source;
        this.database = PostgresDatabase.open(new PostgresDatabase.Settings(URL, Optional.of(USER), Optional.empty(),
                name, 8));
        this.migrationsExecuted = database.migrate();
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
        database.close();
        execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
}
