package dev.bakecache.jobs.repository;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Applies a schema script that ships in a jar (Spring Batch's) to a PostgreSQL database
 * when its marker table is missing. An advisory lock makes processes that start together on an
 * empty database wait for the first one instead of all running the script.
 */
public final class PostgresSchema {

    /** Arbitrary, but fixed: every bake-cache process must take the same lock. */
    private static final long LOCK_KEY = 0x62616b65L; // "bake"

    private PostgresSchema() {
    }

    /** @throws IllegalStateException naming {@code what} when the database refuses */
    public static void createIfMissing(DataSource dataSource, String markerTable, String script, String what) {
        try (Connection connection = dataSource.getConnection()) {
            advisoryLock(connection, "select pg_advisory_lock(?)");
            try {
                if (!hasTable(connection, markerTable)) {
                    new ResourceDatabasePopulator(new ClassPathResource(script)).populate(connection);
                }
            } finally {
                advisoryLock(connection, "select pg_advisory_unlock(?)");
            }
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException("cannot create the " + what + " tables: " + e.getMessage(), e);
        }
    }

    private static void advisoryLock(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, LOCK_KEY);
            statement.execute();
        }
    }

    private static boolean hasTable(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select to_regclass(?) is not null")) {
            statement.setString(1, table.toLowerCase(java.util.Locale.ROOT));
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
