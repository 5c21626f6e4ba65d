package dev.bakecache.engine.index;

import dev.bakecache.engine.sqlite.DamagedSqliteFile;
import dev.bakecache.engine.sqlite.SqliteFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Opening the index file behind {@link BlobIndex#open} and {@link BlobIndex#openOrRecreate}:
 * connecting ({@link SqliteFile}), checking that the database is an index of ours
 * ({@link IndexSchema}), and rebuilding one that is missing, empty or damaged.
 *
 * <p><b>Files.</b> Beside {@code index.sqlite}: SQLite's {@code -wal} and {@code -shm}, and
 * {@code index.sqlite.lock}, which serialises creating and rebuilding the index across processes;
 * a damaged index is kept as {@code index.sqlite.corrupt-<timestamp>}.
 */
final class IndexFile {

    /**
     * Serialises creation and recovery within this JVM; the lock file does it across processes.
     * (A JVM may hold only one {@link FileLock} on a file, so threads must queue before taking it.)
     */
    private static final Object RECOVERY_MONITOR = new Object();

    private IndexFile() {
    }

    static BlobIndex open(Path file) {
        Path path = file.toAbsolutePath();
        createParent(path);
        if (isMissingOrEmpty(path)) {
            // creating: queue behind any process that is rebuilding the index right now
            return withRecoveryLock(path, () -> opened(path, connectAndPrepare(path, true)));
        }
        return opened(path, connectAndPrepare(path, true));
    }

    static BlobIndex openOrRecreate(Path file, Supplier<Iterator<IndexEntry>> rebuildSource, IntegrityCheck check) {
        Objects.requireNonNull(rebuildSource, "rebuildSource");
        Objects.requireNonNull(check, "check");
        Path path = file.toAbsolutePath();
        createParent(path);
        Probe first = probe(path, check);
        if (first.healthy()) {
            return opened(path, first.connection());
        }
        return withRecoveryLock(path, () -> {
            // another process may have repaired it while we waited for the lock
            Probe again = probe(path, check);
            if (again.healthy()) {
                return opened(path, again.connection());
            }
            return rebuildInPlace(path, again, rebuildSource);
        });
    }

    private static BlobIndex opened(Path path, Connection connection) {
        return new BlobIndex(new IndexConnection(path, connection), null);
    }

    /**
     * Connects and applies the per-connection settings. With {@code createSchema}, a database
     * without tables gets the schema; otherwise the schema version must be ours.
     */
    private static Connection connectAndPrepare(Path path, boolean createSchema) {
        Connection connection;
        try {
            connection = SqliteFile.connect(path);
        } catch (SQLException e) {
            throw openFailed(path, e);
        }
        try {
            int version = IndexSchema.userVersion(connection);
            if (version == 0 && createSchema) {
                IndexSchema.create(connection, path);
            } else {
                IndexSchema.require(connection, path, version);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            SqliteFile.closeQuietly(connection);
            throw openFailed(path, e);
        }
    }

    private static IndexException openFailed(Path path, Exception e) {
        if (e instanceof SqliteFile.WalRefused refused) {
            return new IndexException(path, "switch to WAL mode",
                    "SQLite kept journal mode '" + refused.journalMode() + "'; the index needs WAL (is the cache on a"
                            + " network file system? keep cache.local.path on a local disk)",
                    null, false);
        }
        return e instanceof IndexException index ? index : new IndexException(path, "open", e);
    }

    /** An existing file's state: healthy (with its open connection) or the reason it needs rebuilding. */
    private record Probe(Connection connection, IndexRebuild.Cause cause, String reason) {
        boolean healthy() {
            return connection != null;
        }

        static Probe problem(IndexRebuild.Cause cause, String reason) {
            return new Probe(null, cause, reason);
        }
    }

    private static Probe probe(Path path, IntegrityCheck check) {
        if (!Files.exists(path)) {
            return Probe.problem(IndexRebuild.Cause.MISSING, "index file missing");
        }
        if (isMissingOrEmpty(path)) {
            return Probe.problem(IndexRebuild.Cause.EMPTY, "index file empty");
        }
        Connection connection = null;
        try {
            connection = SqliteFile.connect(path);
            int version = IndexSchema.userVersion(connection);
            if (version == 0 && IndexSchema.hasNoTables(connection)) {
                SqliteFile.closeQuietly(connection);
                return Probe.problem(IndexRebuild.Cause.EMPTY, "index database has no tables");
            }
            if (version > IndexSchema.VERSION) {
                IndexSchema.require(connection, path, version);  // throws: a newer bake-cache's index is not ours to replace
            }
            if (version == 0 || !IndexSchema.hasBlobsTable(connection)) {
                SqliteFile.closeQuietly(connection);
                return Probe.problem(IndexRebuild.Cause.NOT_AN_INDEX, version == 0
                        ? "not a bake-cache index: tables but no schema version"
                        : "not a bake-cache index: schema version " + version + " but no blobs table");
            }
            String problems = integrityProblems(connection, check);
            if (problems != null) {
                SqliteFile.closeQuietly(connection);
                return Probe.problem(IndexRebuild.Cause.CORRUPT, "integrity check failed: " + problems);
            }
            IndexSchema.require(connection, path, version);
            return new Probe(connection, null, null);
        } catch (SQLException | RuntimeException e) {
            if (connection != null) {
                SqliteFile.closeQuietly(connection);
            }
            if (IndexException.isCorruption(e)) {
                return Probe.problem(IndexRebuild.Cause.CORRUPT, "index file corrupt: " + e.getMessage());
            }
            // busy, locked, I/O, newer schema: not damage, and not ours to destroy
            throw openFailed(path, e);
        }
    }

    /** Null when the check passes (or is {@link IntegrityCheck#NONE}), else the first problems SQLite listed. */
    private static String integrityProblems(Connection connection, IntegrityCheck check) throws SQLException {
        String pragma = switch (check) {
            case NONE -> null;
            case QUICK -> "PRAGMA quick_check(5)";
            case FULL -> "PRAGMA integrity_check(5)";
        };
        if (pragma == null) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(pragma)) {
            while (rows.next()) {
                lines.add(rows.getString(1));
            }
        }
        return lines.equals(List.of("ok")) ? null : String.join("; ", lines);
    }

    /** The rebuild {@link BlobIndex#openOrRecreate} describes: built beside the file, then renamed over it. */
    private static BlobIndex rebuildInPlace(Path path, Probe problem, Supplier<Iterator<IndexEntry>> source) {
        Path staging = path.resolveSibling(path.getFileName() + ".rebuild-" + UUID.randomUUID());
        long entries;
        try {
            IndexConnection fresh = new IndexConnection(staging, connectAndPrepare(staging, true));
            try (BlobIndex index = new BlobIndex(fresh, null)) {
                entries = index.replaceAll(Objects.requireNonNull(source.get(), "rebuild source iterator"));
                fresh.run("checkpoint the rebuilt index", connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                    }
                    return null;
                });
            }
            // closing the last connection checkpointed the WAL into the file; any leftovers are empty
            deleteSidecars(staging);
        } catch (RuntimeException e) {
            deleteQuietly(staging);
            deleteSidecars(staging);
            throw e;
        }

        Path aside = null;
        try {
            if (problem.cause() == IndexRebuild.Cause.CORRUPT || problem.cause() == IndexRebuild.Cause.NOT_AN_INDEX) {
                aside = DamagedSqliteFile.moveAside(path);
            } else {
                Files.deleteIfExists(path);
            }
            // a WAL left beside a replaced file would be replayed into the new one
            deleteSidecars(path);
            Files.move(staging, path, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new IndexException(path, "put the rebuilt index in place", e);
        }
        IndexRebuild rebuild = new IndexRebuild(problem.cause(), problem.reason(), aside, entries);
        return new BlobIndex(new IndexConnection(path, connectAndPrepare(path, false)), rebuild);
    }

    private static void deleteSidecars(Path path) {
        for (String suffix : SqliteFile.SIDECAR_SUFFIXES) {
            deleteQuietly(path.resolveSibling(path.getFileName() + suffix));
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a stray temp file is harmless; the next rebuild uses a new name
        }
    }

    private static boolean isMissingOrEmpty(Path path) {
        try {
            return Files.size(path) == 0;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            throw new IndexException(path, "read the file size", e);
        }
    }

    private static void createParent(Path path) {
        Path parent = path.getParent();
        if (parent != null) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new IndexException(path, "create the directory " + parent, e);
            }
        }
    }

    /**
     * Runs {@code action} holding {@code <index>.lock}, an OS lock that serialises index creation and
     * recovery across processes. The lock file is never deleted: deleting it would let two processes
     * lock two different files of the same name.
     */
    private static BlobIndex withRecoveryLock(Path path, Supplier<BlobIndex> action) {
        Path lockFile = path.resolveSibling(path.getFileName() + ".lock");
        synchronized (RECOVERY_MONITOR) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                return action.get();
            } catch (IOException e) {
                throw new IndexException(path, "lock " + lockFile, e);
            }
        }
    }
}
