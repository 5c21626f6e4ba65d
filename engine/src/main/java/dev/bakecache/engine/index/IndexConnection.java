package dev.bakecache.engine.index;

import dev.bakecache.engine.sqlite.SqlWork;
import dev.bakecache.engine.sqlite.SqliteTransaction;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A {@link BlobIndex}'s one connection and the monitor around it. Every operation holds this
 * instance's monitor for its duration, so operations run one at a time and the index is safe to
 * share between threads; a failure becomes an {@link IndexException} naming the file and the
 * operation. The connection is only lent to the {@link SqlWork}, under the monitor.
 */
final class IndexConnection implements AutoCloseable {

    private final Path file;
    private final Connection connection;
    private boolean closed;

    IndexConnection(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    Path file() {
        return file;
    }

    /** Outside a transaction: each statement commits on its own, and a read sees the latest commit. */
    synchronized <T> T run(String operation, SqlWork<T> work) {
        ensureOpen();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new IndexException(file, operation, e);
        }
    }

    /** A write transaction on the shared database: {@link SqliteTransaction#immediate}. */
    <T> T write(String operation, SqlWork<T> work) {
        return run(operation, connection -> SqliteTransaction.immediate(connection, work));
    }

    /** {@link SqliteTransaction#deferred}: one snapshot to read, or writes to this connection's temporary tables only. */
    <T> T deferred(String operation, SqlWork<T> work) {
        return run(operation, connection -> SqliteTransaction.deferred(connection, work));
    }

    /** Runs {@code sql} unless the connection is closed, ignoring failure: for clean-up that closing would do too. */
    synchronized void executeQuietly(String sql) {
        if (closed) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException ignored) {
            // what it cleans up dies with the connection anyway
        }
    }

    /** Closes the connection. Idempotent; any later operation throws {@link IllegalStateException}. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IndexException(file, "close", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("blob index " + file + " is closed");
        }
    }
}
