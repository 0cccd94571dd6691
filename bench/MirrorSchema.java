import dev.pooltasks.adapter.out.postgres.PostgresDatabase;

import java.util.Optional;

/**
 * Creates a mirror's schema the way a mirroring gateway does at its first start (the postgres adapter's Flyway
 * migrations), so that bench/run.sh can fill its tables before the gateway starts:
 *
 * <pre>
 * java -cp "app/target/quarkus-app/lib/main/*" bench/MirrorSchema.java JDBC_URL USER SCHEMA
 * </pre>
 */
public final class MirrorSchema {
    public static void main(String[] args) {
        try (PostgresDatabase database = PostgresDatabase.open(new PostgresDatabase.Settings(args[0],
                Optional.of(args[1]), Optional.empty(), args[2], 2))) {
            System.out.println(database.migrate() + " migration(s) run in schema " + args[2]);
        }
    }
}
