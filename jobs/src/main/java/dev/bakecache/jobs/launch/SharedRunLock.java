package dev.bakecache.jobs.launch;

import dev.bakecache.jobs.repository.JobRepositoryLocation;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The file lock's counterpart across machines that share a PostgreSQL job repository: a
 * session-level advisory lock per job and options. PostgreSQL drops it when the holder's
 * connection goes, so a killed run's lock never outlives it, and the next run may resume it.
 */
final class SharedRunLock implements AutoCloseable {

    private final Connection connection;

    private SharedRunLock(Connection connection) {
        this.connection = connection;
    }

    /** @return the lock, or null when another process holds it */
    static SharedRunLock tryAcquire(JobRepositoryLocation location, String fingerprint) throws IOException {
        try {
            Connection connection = DriverManager.getConnection(location.jdbcUrl(), location.user(), location.password());
            try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
                statement.setLong(1, Long.parseUnsignedLong(fingerprint, 16));
                try (ResultSet rs = statement.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return new SharedRunLock(connection);
                    }
                }
            }
            connection.close();
            return null;
        } catch (SQLException e) {
            throw new IOException("cannot reach the job repository " + location.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close(); // ends the session, which releases the lock
        } catch (SQLException e) {
            throw new IOException("cannot release the job lock: " + e.getMessage(), e);
        }
    }
}
