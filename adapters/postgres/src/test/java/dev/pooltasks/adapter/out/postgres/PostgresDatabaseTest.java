package dev.pooltasks.adapter.out.postgres;

import dev.pooltasks.domain.port.out.MirrorStore.SyncState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening the mirror's database as the application does, on the real PostgreSQL. */
class PostgresDatabaseTest {
    private final String name = "test_db_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
            .toLowerCase(Locale.ROOT);
    private final List<PostgresDatabase> opened = new ArrayList<>();

    @AfterEach
    void dropSchema() throws SQLException {
        opened.forEach(PostgresDatabase::close);
        try (Connection connection = admin().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
    }

    private PostgresDatabase open(String url) {
        PostgresDatabase database = PostgresDatabase.open(new PostgresDatabase.Settings(url, Optional.of(TestSchema.USER),
                Optional.empty(), name, 2));   // the least allowed: a migration still has the connections it needs
        opened.add(database);
        return database;
    }

    private static PGSimpleDataSource admin() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(TestSchema.URL);
        source.setUser(TestSchema.USER);
        return source;
    }

    @Test
    void opensWithoutConnectingThenMigratesItsSchemaOnce() throws SQLException {
        PostgresDatabase database = open(TestSchema.URL + "?ApplicationName=" + name);
        assertThat(backends()).as("connections before first use").isZero();
        assertThat(database.migrate()).isEqualTo(1);
        assertThat(database.migrate()).isZero();
        assertThat(database.store().schema()).isEqualTo(name);
        assertThat(database.store().state("p")).isEqualTo(SyncState.INITIAL);
    }

    @Test
    void aReadNeverWaitsForeverOnTheSocketUnlessTheUrlSaysOtherwise() throws SQLException {
        try (Connection connection = open(TestSchema.URL).pool().getConnection()) {
            assertThat(connection.getNetworkTimeout()).isEqualTo(120_000);
        }
        try (Connection connection = open(TestSchema.URL + "?socketTimeout=30").pool().getConnection()) {
            assertThat(connection.getNetworkTimeout()).isEqualTo(30_000);
        }
    }

    @Test
    void connectionsTheServerEndedAreReplacedSoThePoolRecovers() throws SQLException {
        PostgresDatabase database = open(TestSchema.URL + "?ApplicationName=" + name);
        database.migrate();
        PostgresMirrorStore store = database.store();
        store.state("p");
        assertThat(backends()).isPositive();

        try (Connection connection = admin().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                    + name + "'");
        }
        // The pool holds at most 2 connections: each dead one may fail one call, then it is replaced.
        int failures = 0;
        boolean answered = false;
        while (!answered && failures <= 2) {
            try {
                store.state("p");
                answered = true;
            } catch (RuntimeException e) {
                failures++;
            }
        }
        assertThat(answered).as("answered after " + failures + " calls met a dead connection").isTrue();
        for (int i = 0; i < 20; i++) {
            assertThat(store.state("p")).isEqualTo(SyncState.INITIAL);
        }
    }

    @Test
    void anUnreachableDatabaseFailsItsCallsWithoutThePassword() {
        PostgresDatabase database = PostgresDatabase.open(new PostgresDatabase.Settings(
                "jdbc:postgresql://127.0.0.1:1/test", Optional.of("someone"), Optional.of("s3cret-pw"), name, 2));
        opened.add(database);
        assertThatThrownBy(database::migrate).satisfies(failure -> {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cret-pw");
            }
        });
    }

    @Test
    void settingsRejectWhatCannotWorkAndNeverPrintThePassword() {
        assertThatThrownBy(() -> new PostgresDatabase.Settings("jdbc:mysql://h/db", Optional.empty(), Optional.empty(),
                "pooltasks", 4)).hasMessageContaining("not a PostgreSQL JDBC URL");
        assertThatThrownBy(() -> new PostgresDatabase.Settings(TestSchema.URL, Optional.empty(), Optional.empty(),
                "Bad-Name", 4)).hasMessageContaining("schema name");
        assertThatThrownBy(() -> new PostgresDatabase.Settings(TestSchema.URL, Optional.empty(), Optional.empty(),
                "pooltasks", 1)).hasMessageContaining("at least 2");
        assertThat(new PostgresDatabase.Settings(TestSchema.URL, Optional.of("u"), Optional.of("s3cret-pw"), "pooltasks",
                4).toString()).doesNotContain("s3cret-pw").contains("username=u");
        assertThat(new PostgresDatabase.Settings(TestSchema.URL + "?user=u&password=s3cret-pw", Optional.empty(),
                Optional.empty(), "pooltasks", 4).toString()).doesNotContain("s3cret-pw").contains(TestSchema.URL);
    }

    private long backends() throws SQLException {
        try (Connection connection = admin().getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                     + name + "'")) {
            row.next();
            return row.getLong(1);
        }
    }
}
