package dev.bakecache.schedules;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Creates the tables of Quartz's JDBC store in a PostgreSQL database that lacks them, from the
 * script Quartz ships. That script begins by dropping the tables, so schedulers starting together
 * on an empty database must not all run it: an advisory lock makes the others wait for the first,
 * and they then find the tables.
 */
final class QuartzTables {

    private static final String SCRIPT = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";
    /** The last table the script creates. */
    private static final String MARKER_TABLE = "qrtz_locks";
    /**
     * Arbitrary, but fixed: every scheduler must take the same lock. Not the job repository's key
     * (the jobs module creates Spring Batch's tables under its own): the two scripts touch
     * different tables, so neither has to wait for the other.
     */
    private static final long LOCK_KEY = 0x7172747aL; // "qrtz"

    private QuartzTables() {
    }

    /** @throws IllegalStateException naming {@code database} when the database refuses */
    static void createIfMissing(DataSource dataSource, String database) {
        try (Connection connection = dataSource.getConnection()) {
            advisoryLock(connection, "select pg_advisory_lock(?)");
            try {
                if (!hasMarkerTable(connection)) {
                    new ResourceDatabasePopulator(new ClassPathResource(SCRIPT)).populate(connection);
                }
            } finally {
                advisoryLock(connection, "select pg_advisory_unlock(?)");
            }
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException("cannot create the Quartz schedule (" + database + ") tables: "
                    + e.getMessage(), e);
        }
    }

    private static void advisoryLock(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, LOCK_KEY);
            statement.execute();
        }
    }

    private static boolean hasMarkerTable(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select to_regclass(?) is not null")) {
            statement.setString(1, MARKER_TABLE);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
