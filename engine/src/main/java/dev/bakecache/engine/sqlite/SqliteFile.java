package dev.bakecache.engine.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * Connections to the engine's SQLite files (the blob index, the metrics), which builds, the CLI and
 * maintenance jobs use at once, each process with its own connection. Every connection runs in WAL
 * mode (readers never block the writer), with {@code synchronous=NORMAL} (a power cut may lose the
 * last commits, never corrupt the file) and a {@linkplain #BUSY_TIMEOUT busy timeout}, so a writer
 * waits for another process's transaction instead of failing. Write with
 * {@link SqliteTransaction#immediate}.
 *
 * <p>Beside each file SQLite keeps its {@linkplain #SIDECAR_SUFFIXES sidecars} {@code -wal} and
 * {@code -shm}.
 */
public final class SqliteFile {

    /** How long an operation waits for another process's write transaction before failing. */
    public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What SQLite appends to the file's name for its write-ahead log and shared-memory index: files
     * that belong to the database and move or go with it (a WAL left beside a replaced file would be
     * replayed into the new one).
     */
    public static final List<String> SIDECAR_SUFFIXES = List.of("-wal", "-shm");

    private SqliteFile() {
    }

    /**
     * Opens a connection to {@code path} (creating an empty file if there is none) with the settings
     * of the class comment. Fails with {@link WalRefused} when SQLite cannot use WAL there.
     */
    public static Connection connect(Path path) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + path);
        try {
            configure(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static void configure(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // first, before anything touches the file, so even the journal-mode switch waits its turn
            statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT.toMillis());
            try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
                String actual = mode.next() ? mode.getString(1) : "?";
                if (!"wal".equalsIgnoreCase(actual)) {
                    throw new WalRefused(actual);
                }
            }
            statement.execute("PRAGMA synchronous = NORMAL");
        }
    }

    public static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing to release that closing could not
        }
    }

    /**
     * SQLite kept another journal mode than WAL, typically on a network file system (WAL needs memory
     * shared between the processes). The engine counts on WAL for readers beside a writer, so the
     * connection is refused rather than used without it.
     */
    public static final class WalRefused extends SQLException {

        private final String journalMode;

        WalRefused(String journalMode) {
            super("SQLite kept journal mode '" + journalMode + "' instead of WAL"
                    + " (is the file on a network file system? keep it on a local disk)");
            this.journalMode = journalMode;
        }

        /** The journal mode SQLite reported, e.g. {@code delete}. */
        public String journalMode() {
            return journalMode;
        }
    }
}
