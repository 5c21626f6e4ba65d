package dev.bakecache.engine.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Transactions on a SQLite file that several processes share in WAL mode. Write with
 * {@link #immediate}: a deferred transaction that reads first and writes later fails at once with
 * {@code SQLITE_BUSY} if another process committed in between, and no busy timeout helps it;
 * {@code BEGIN IMMEDIATE} takes the write lock up front, so it waits out the busy timeout instead.
 */
public final class SqliteTransaction {

    private SqliteTransaction() {
    }

    /** A write transaction: {@code BEGIN IMMEDIATE}, see the class comment. */
    public static <T> T immediate(Connection connection, SqlWork<T> work) throws SQLException {
        return run(connection, "BEGIN IMMEDIATE", work);
    }

    /**
     * A deferred transaction ({@code BEGIN}): a read that must see one snapshot, or writes to this
     * connection's own temporary tables, which lock nothing shared.
     */
    public static <T> T deferred(Connection connection, SqlWork<T> work) throws SQLException {
        return run(connection, "BEGIN", work);
    }

    /** Runs {@code work} between {@code begin} and {@code COMMIT}, rolling back if it fails. */
    private static <T> T run(Connection connection, String begin, SqlWork<T> work) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(begin);
            boolean committed = false;
            try {
                T result = work.run(connection);
                statement.execute("COMMIT");
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    rollbackQuietly(statement);
                }
            }
        }
    }

    private static void rollbackQuietly(Statement statement) {
        try {
            statement.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // SQLite may already have rolled back (e.g. after SQLITE_FULL); nothing left to undo
        }
    }
}
