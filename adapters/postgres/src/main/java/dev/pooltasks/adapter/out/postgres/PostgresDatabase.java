package dev.pooltasks.adapter.out.postgres;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import org.flywaydb.core.Flyway;
import org.postgresql.Driver;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The mirror's PostgreSQL: a bounded pool of connections (Agroal) and the schema's migrations (Flyway), made only when
 * a mirror needs them, so that a run without one loads none of it. Opening connects nowhere: the pool connects on
 * first use, and connections PostgreSQL reports as broken (or that fail their background check) are replaced, so the
 * pool recovers by itself after an outage.
 */
public final class PostgresDatabase implements AutoCloseable {
    /** How long a read may wait on a database that vanished, unless the URL sets {@code socketTimeout} itself. */
    private static final String SOCKET_TIMEOUT_SECONDS = "120";

    private final AgroalDataSource pool;
    private final Flyway flyway;
    private final String schema;

    /**
     * Where and as whom to connect.
     *
     * @param jdbcUrl        {@code jdbc:postgresql://host:port/database}, with any of the driver's parameters
     * @param schema         the schema of the mirror's tables, created by the migrations if missing
     * @param maxConnections connections open at most; at least 2
     */
    public record Settings(String jdbcUrl, Optional<String> username, Optional<String> password, String schema,
                           int maxConnections) {
        public Settings {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            PostgresMirrorStore.checkSchema(schema);
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): "
                        + withoutParameters(jdbcUrl));
            }
            if (maxConnections < 2) {   // a Flyway migration holds two connections at once (its lock, its work)
                throw new IllegalArgumentException("maxConnections must be at least 2: " + maxConnections);
            }
        }

        /** Without the password, nor the URL's parameters (which may carry one). */
        @Override
        public String toString() {
            return "Settings[jdbcUrl=" + withoutParameters(jdbcUrl) + ", username=" + username.orElse("") + ", schema="
                    + schema + ", maxConnections=" + maxConnections + "]";
        }

        private static String withoutParameters(String url) {
            return url.split("[?;]", 2)[0];
        }
    }

    private PostgresDatabase(AgroalDataSource pool, String schema) {
        this.pool = pool;
        this.schema = schema;
        this.flyway = Flyway.configure(PostgresDatabase.class.getClassLoader()).dataSource(pool).schemas(schema)
                .createSchemas(true).locations("classpath:" + PostgresMirrorStore.MIGRATIONS).load();
    }

    /** The pool for these settings; connects on first use. */
    public static PostgresDatabase open(Settings settings) {
        AgroalDataSourceConfigurationSupplier configuration = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .initialSize(0).minSize(0).maxSize(settings.maxConnections())
                        .acquisitionTimeout(Duration.ofSeconds(5))
                        .exceptionSorter(new PostgreSQLExceptionSorter())
                        .connectionValidator(ConnectionValidator.defaultValidator())
                        .validationTimeout(Duration.ofMinutes(2))
                        .reapTimeout(Duration.ofMinutes(5))
                        .connectionFactoryConfiguration(factory -> {
                            factory.connectionProviderClass(Driver.class).jdbcUrl(settings.jdbcUrl())
                                    .loginTimeout(Duration.ofSeconds(10))
                                    .jdbcProperty("socketTimeout", SOCKET_TIMEOUT_SECONDS);
                            settings.username().ifPresent(user -> factory.principal(new NamePrincipal(user)));
                            settings.password().ifPresent(password -> factory.credential(new SimplePassword(password)));
                            return factory;
                        }));
        try {
            return new PostgresDatabase(AgroalDataSource.from(configuration), settings.schema());
        } catch (SQLException e) {
            throw new IllegalStateException("the mirror's connection pool could not be made: " + e.getMessage(), e);
        }
    }

    /** Creates or updates the schema; concurrent replicas are serialised by Flyway. Blocks. */
    public int migrate() {
        return flyway.migrate().migrationsExecuted;
    }

    /** The store in this database's schema (run {@link #migrate()} before its first use). */
    public PostgresMirrorStore store() {
        return new PostgresMirrorStore(pool, schema);
    }

    /** The pool itself, for this package's tests. */
    DataSource pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.close();
    }
}
