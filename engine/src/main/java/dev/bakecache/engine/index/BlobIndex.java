package dev.bakecache.engine.index;

import dev.bakecache.engine.compress.BlobFormat;
import dev.bakecache.engine.evict.EvictionPolicy;
import dev.bakecache.engine.store.BlobKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The local tier's blob index ({@code cas/index.sqlite}): one row per stored blob or chunk with its
 * sizes, compression and use, so that eviction can pick victims and report totals without walking
 * the blob directories. The blob files are the truth; the index is a cache of them and can always
 * be rebuilt from a directory scan ({@link #replaceAll}, {@link #openOrRecreate}).
 *
 * <p><b>Several processes.</b> Builds, the CLI and maintenance jobs may use one cache at once, each
 * with its own connection to the file. The database runs in WAL mode (readers never block the
 * writer), with {@code synchronous=NORMAL} (a power cut may lose the last commits, never corrupt the
 * file; a lost row is re-added by reconciliation) and a {@linkplain #DEFAULT_BUSY_TIMEOUT busy
 * timeout} so a writer waits for another process's transaction instead of failing. Every write
 * transaction starts with {@code BEGIN IMMEDIATE}: a deferred transaction that reads first and
 * writes later fails at once with {@code SQLITE_BUSY} in WAL mode if another process committed in
 * between, and no busy timeout helps it.
 *
 * <p><b>Threads.</b> An instance holds one connection and is safe to share between threads: every
 * operation holds the instance's monitor for its duration, so operations run one at a time.
 * {@link #forEach} and {@link #replaceAll} take it per batch and call out to the caller's consumer
 * or iterator without it, so a long reconciliation does not stall other threads.
 *
 * <p><b>Schema.</b> Table {@code blobs(kind, hash, size, stored_size, compression, created,
 * last_accessed, access_count, claimed)}, primary key {@code (kind, hash)}, times in epoch milliseconds,
 * {@code kind} and {@code compression} as enum names. One index per eviction order, each ending in
 * the implicit row id, so every {@link #evictionPage} query seeks in an index and stops after
 * {@code limit} rows instead of sorting the table. Table {@code removals} holds one number, the
 * {@linkplain #removalGeneration removal generation}. {@code PRAGMA user_version} holds
 * {@link #SCHEMA_VERSION}; a file with a higher version belongs to a newer bake-cache and is refused
 * rather than touched.
 *
 * <p><b>Files.</b> Beside {@code index.sqlite}: SQLite's {@code -wal} and {@code -shm}, and
 * {@code index.sqlite.lock}, which serialises creating and rebuilding the index across processes;
 * a damaged index is kept as {@code index.sqlite.corrupt-<timestamp>}.
 */
public final class BlobIndex implements AutoCloseable {

    /** Written to {@code PRAGMA user_version}; bump it with a migration when the schema changes. */
    public static final int SCHEMA_VERSION = 3;

    /** How long an operation waits for another process's write transaction before failing. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(30);

    /** Hashes per {@code IN (...)} list; well under SQLite's limit on bound parameters. */
    static final int IN_CHUNK = 500;

    /** Rows per JDBC batch, per {@link #forEach} page and per {@link #replaceAll} staging transaction. */
    private static final int BATCH = 1000;

    private static final String COLUMNS =
            "kind, hash, size, stored_size, compression, created, last_accessed, access_count";
    /** What {@link #entry} reads after the row id: the written columns and {@code claimed}, which only {@link #recordUse} sets. */
    private static final String READ_COLUMNS = COLUMNS + ", claimed";

    /** One row: the removal generation (docs/adr/0017). */
    private static final String REMOVALS_TABLE = """
            CREATE TABLE IF NOT EXISTS removals (
              only_row   INTEGER PRIMARY KEY CHECK (only_row = 1),
              generation INTEGER NOT NULL
            )""";
    private static final String BUMP_REMOVALS = "UPDATE removals SET generation = generation + 1";

    private static final List<String> SCHEMA = List.of(
            """
            CREATE TABLE IF NOT EXISTS blobs (
              kind          TEXT    NOT NULL,
              hash          TEXT    NOT NULL,
              size          INTEGER NOT NULL,
              stored_size   INTEGER NOT NULL,
              compression   TEXT    NOT NULL,
              created       INTEGER NOT NULL,
              last_accessed INTEGER NOT NULL,
              access_count  INTEGER NOT NULL DEFAULT 0,
              claimed       INTEGER NOT NULL DEFAULT 0,
              PRIMARY KEY (kind, hash)
            )""",
            // one index per eviction order; SQLite appends the row id, our final tie-breaker
            "CREATE INDEX IF NOT EXISTS blobs_by_last_accessed ON blobs (last_accessed)",
            "CREATE INDEX IF NOT EXISTS blobs_by_access_count ON blobs (access_count, last_accessed)",
            "CREATE INDEX IF NOT EXISTS blobs_by_created ON blobs (created)",
            "CREATE INDEX IF NOT EXISTS blobs_by_stored_size ON blobs (stored_size DESC, last_accessed)",
            REMOVALS_TABLE);


    private static final String UPSERT = "INSERT INTO %s (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (kind, hash) DO UPDATE SET size = excluded.size, stored_size = excluded.stored_size,"
            + " compression = excluded.compression, last_accessed = max(last_accessed, excluded.last_accessed)";

    /**
     * Serialises creation and recovery within this JVM; the lock file does it across processes.
     * (A JVM may hold only one {@link FileLock} on a file, so threads must queue before taking it.)
     */
    private static final Object RECOVERY_MONITOR = new Object();

    private final Path file;
    private final Connection connection;
    private final IndexRebuild rebuild;
    /** One {@link #replaceAll} at a time per instance: they share the connection's staging table. */
    private final ReentrantLock replaceLock = new ReentrantLock();
    private boolean closed;

    private BlobIndex(Path file, Connection connection, IndexRebuild rebuild) {
        this.file = file;
        this.connection = connection;
        this.rebuild = rebuild;
    }

    // ------------------------------------------------------------------------------------------
    // opening

    /**
     * Opens the index at {@code file}, creating the file and schema if absent. Fails with an
     * {@link IndexException} when the file is damaged ({@link IndexException#corrupt()}), is some
     * other database, or was written by a newer bake-cache; {@link #openOrRecreate} recovers from
     * the first two.
     */
    public static BlobIndex open(Path file) {
        Path path = file.toAbsolutePath();
        createParent(path);
        if (isMissingOrEmpty(path)) {
            // creating: queue behind any process that is rebuilding the index right now
            return withRecoveryLock(path, () -> new BlobIndex(path, connectAndPrepare(path, true), null));
        }
        return new BlobIndex(path, connectAndPrepare(path, true), null);
    }

    /** {@link #openOrRecreate(Path, Supplier, IntegrityCheck)} with {@link IntegrityCheck#QUICK}. */
    public static BlobIndex openOrRecreate(Path file, Supplier<Iterator<IndexEntry>> rebuildSource) {
        return openOrRecreate(file, rebuildSource, IntegrityCheck.QUICK);
    }

    /**
     * Opens the index at {@code file}, rebuilding it from {@code rebuildSource} (typically a scan of
     * the blob directories) when it is missing, empty, damaged or not an index at all.
     * {@link #rebuild()} tells whether that happened, and why.
     *
     * <p>A damaged or foreign file is not deleted but moved aside to
     * {@code index.sqlite.corrupt-<UTC timestamp>} (with its {@code -wal}/{@code -shm} files), for a
     * post-mortem. The new index is built in a temporary file beside it and renamed into place, so
     * other processes see either the old file or the complete new one, and a crash during the
     * rebuild leaves nothing half-built behind. Recovery holds {@code index.sqlite.lock} (an OS file
     * lock) so that processes finding the same damage rebuild once, one after the other re-checking.
     *
     * <p>A busy or locked database is not damage: it fails as with {@link #open}, and nothing is
     * rebuilt. Neither is a file from a newer bake-cache.
     *
     * @param check how far to trust an existing file before using it; see {@link IntegrityCheck}
     */
    public static BlobIndex openOrRecreate(
            Path file, Supplier<Iterator<IndexEntry>> rebuildSource, IntegrityCheck check) {
        Objects.requireNonNull(rebuildSource, "rebuildSource");
        Objects.requireNonNull(check, "check");
        Path path = file.toAbsolutePath();
        createParent(path);
        Probe first = probe(path, check);
        if (first.healthy()) {
            return new BlobIndex(path, first.connection(), null);
        }
        return withRecoveryLock(path, () -> {
            // another process may have repaired it while we waited for the lock
            Probe again = probe(path, check);
            if (again.healthy()) {
                return new BlobIndex(path, again.connection(), null);
            }
            return rebuildInPlace(path, again, rebuildSource);
        });
    }

    /** The index file this instance works on. */
    public Path file() {
        return file;
    }

    /** Whether {@link #openOrRecreate} had to rebuild the index to open it. */
    public boolean rebuilt() {
        return rebuild != null;
    }

    /** Why and how {@link #openOrRecreate} rebuilt the index; empty when it opened the existing one. */
    public Optional<IndexRebuild> rebuild() {
        return Optional.ofNullable(rebuild);
    }

    // ------------------------------------------------------------------------------------------
    // writing

    /**
     * Adds the entries, or updates the ones already present, in one transaction. An existing
     * entry keeps its {@code created} and {@code accessCount}: storing a blob again is not a new
     * blob. Its sizes and compression are replaced, and {@code lastAccessed} becomes the later of
     * the two (storing it again is a use; an older time never moves it back).
     */
    public void upsertAll(Collection<IndexEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        write("upsert " + entries.size() + " entries", () -> {
            try (PreparedStatement upsert = connection.prepareStatement(UPSERT.formatted("main.blobs"))) {
                addInBatches(upsert, entries.iterator());
            }
            return null;
        });
    }

    /**
     * Records one use of each listed entry at {@code when}: {@code access_count + 1}, and
     * {@code last_accessed = when} unless it is already later (processes report out of order).
     * A hash listed twice counts twice; hashes the index does not hold are ignored.
     *
     * @return how many rows were updated
     */
    public int recordAccess(BlobKind kind, Collection<String> hashes, Instant when) {
        return updateInBatches("record access to", kind, hashes, when,
                "UPDATE blobs SET last_accessed = max(last_accessed, ?), access_count = access_count + 1"
                        + " WHERE kind = ? AND hash = ?");
    }

    /**
     * Moves {@code claimed} of each listed entry to {@code when} unless it is already later: an
     * ingest about to name the blobs in a manifest is not a read, but eviction and garbage
     * collection must see that they are wanted (docs/adr/0008). {@code claimed} is in no index, so
     * a claim of thousands of blobs does not rewrite the eviction indexes (docs/adr/0015): the
     * sweeps read it per row, and eviction folds it into {@code last_accessed} ({@link #foldClaims})
     * before it picks victims.
     *
     * @return how many rows were updated
     */
    public int recordUse(BlobKind kind, Collection<String> hashes, Instant when) {
        return updateInBatches("record use of", kind, hashes, when,
                "UPDATE blobs SET claimed = max(claimed, ?) WHERE kind = ? AND hash = ?");
    }

    /**
     * Moves {@code last_accessed} up to {@code claimed} wherever a claim is the later use, so that
     * every entry has its true place in the eviction orders: one statement over the table (the
     * claims are in no index), run by eviction before it reads its first page.
     *
     * @return how many rows moved
     */
    public int foldClaims() {
        return write("fold claims into the times of last use", () -> {
            try (Statement fold = connection.createStatement()) {
                return fold.executeUpdate("UPDATE blobs SET last_accessed = claimed WHERE claimed > last_accessed");
            }
        });
    }

    /** Runs {@code sql} (parameters: time, kind, hash) for each hash in one write transaction. */
    private int updateInBatches(String what, BlobKind kind, Collection<String> hashes, Instant when, String sql) {
        Objects.requireNonNull(kind, "kind");
        long millis = when.toEpochMilli();
        if (hashes.isEmpty()) {
            return 0;
        }
        return write(what + " " + hashes.size() + " " + kind + " entries", () -> {
            int updated = 0;
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                int pending = 0;
                for (String hash : hashes) {
                    update.setLong(1, millis);
                    update.setString(2, kind.name());
                    update.setString(3, Objects.requireNonNull(hash, "hash"));
                    update.addBatch();
                    if (++pending == BATCH) {
                        updated += sum(update.executeBatch());
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    updated += sum(update.executeBatch());
                }
            }
            return updated;
        });
    }

    /**
     * Deletes the listed entries in one transaction; hashes the index does not hold are ignored.
     * Moves the {@linkplain #removalGeneration removal generation} on: call it before deleting the
     * files, not after.
     *
     * @return how many rows were deleted
     */
    public int removeAll(BlobKind kind, Collection<String> hashes) {
        Objects.requireNonNull(kind, "kind");
        List<String> distinct = List.copyOf(new LinkedHashSet<>(hashes));
        if (distinct.isEmpty()) {
            return 0;
        }
        return write("remove " + distinct.size() + " " + kind + " entries", () -> {
            int removed = 0;
            for (int from = 0; from < distinct.size(); from += IN_CHUNK) {
                List<String> chunk = distinct.subList(from, Math.min(from + IN_CHUNK, distinct.size()));
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM blobs WHERE kind = ? AND hash IN (" + placeholders(chunk.size()) + ")")) {
                    bindKindAndHashes(delete, kind, chunk);
                    removed += delete.executeUpdate();
                }
            }
            bumpRemovals(); // even for rows that were not there: callers remove the files too
            return removed;
        });
    }

    /** Decides, for one entry about to be removed, whether its file may go; see {@link #removeUnusedSince}. */
    @FunctionalInterface
    public interface FileRemoval {
        /** Deletes the entry's file unless it turns out to be in use; true when the entry should go. */
        boolean remove(IndexEntry entry) throws IOException;
    }

    /**
     * Removes those of the listed entries that nobody used since {@code cutoff} (both
     * {@code last_accessed} and {@code claimed} before it), and their files, in one write transaction: {@code removal}
     * is called for each such entry while the transaction holds the database's write lock, and
     * only the entries it approves are deleted.
     *
     * <p>Holding the write lock is what makes this safe against a concurrent ingest: an ingest
     * records a use of every blob its manifest names ({@link #recordUse}, itself a write
     * transaction) and only then checks that they all exist. Either its record commits first, and
     * this transaction sees a recent {@code claimed} and keeps the blob, or this one commits
     * first, and the ingest's check finds the blob gone (docs/adr/0008). The same transaction moves
     * the {@linkplain #removalGeneration removal generation} on when it removes anything.
     *
     * @return the removed entries
     */
    public List<IndexEntry> removeUnusedSince(BlobKind kind, Collection<String> hashes, Instant cutoff,
                                              FileRemoval removal) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(removal, "removal");
        List<String> distinct = List.copyOf(new LinkedHashSet<>(hashes));
        List<IndexEntry> removed = new ArrayList<>();
        for (int from = 0; from < distinct.size(); from += IN_CHUNK) {
            List<String> chunk = distinct.subList(from, Math.min(from + IN_CHUNK, distinct.size()));
            removed.addAll(write("remove " + chunk.size() + " unused " + kind + " entries", () -> {
                List<IndexEntry> idle = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement("SELECT rowid, " + READ_COLUMNS
                        + " FROM blobs WHERE kind = ? AND hash IN (" + placeholders(chunk.size()) + ")"
                        + " AND last_accessed < ? AND claimed < ?")) {
                    bindKindAndHashes(select, kind, chunk);
                    select.setLong(chunk.size() + 2, cutoff.toEpochMilli());
                    select.setLong(chunk.size() + 3, cutoff.toEpochMilli());
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            idle.add(entry(rows));
                        }
                    }
                }
                List<IndexEntry> gone = new ArrayList<>();
                try (PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM blobs WHERE kind = ? AND hash = ?")) {
                    for (IndexEntry entry : idle) {
                        if (removeFile(removal, entry)) {
                            delete.setString(1, kind.name());
                            delete.setString(2, entry.hash());
                            delete.addBatch();
                            gone.add(entry);
                        }
                    }
                    if (!gone.isEmpty()) {
                        delete.executeBatch();
                        bumpRemovals();
                    }
                }
                return gone;
            }));
        }
        return removed;
    }

    private boolean removeFile(FileRemoval removal, IndexEntry entry) throws SQLException {
        try {
            return removal.remove(entry);
        } catch (IOException e) {
            // SqlWork may only throw SQLException; the cause keeps the path and the reason
            throw new SQLException("cannot delete the file of " + entry.kind() + " " + entry.hash(), e);
        }
    }

    /**
     * Makes {@code entries} the index's whole content, atomically: other connections see the old
     * content until the new one is complete. Used when the index is rebuilt from a scan of the blob
     * files. The entries are staged in a temporary table of this connection, in transactions of
     * {@value #BATCH} that lock nothing shared, so a slow scan holds up neither other processes
     * nor other threads; only the final swap takes the write lock. An entry listed twice is
     * merged as by {@link #upsertAll}. If the iterator throws, the index is left as it was.
     *
     * <p>Blobs stored by other processes while the scan runs may or may not be in the result,
     * depending on whether the scan had passed their shard; reconciliation adds them later.
     *
     * @return how many entries the index now holds
     */
    public long replaceAll(Iterator<IndexEntry> entries) {
        Objects.requireNonNull(entries, "entries");
        replaceLock.lock();
        try {
            run("create the rebuild staging table", () -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TEMP TABLE IF NOT EXISTS blobs_rebuild ("
                            + "kind TEXT NOT NULL, hash TEXT NOT NULL, size INTEGER NOT NULL,"
                            + " stored_size INTEGER NOT NULL, compression TEXT NOT NULL, created INTEGER NOT NULL,"
                            + " last_accessed INTEGER NOT NULL, access_count INTEGER NOT NULL,"
                            + " PRIMARY KEY (kind, hash))");
                    statement.execute("DELETE FROM temp.blobs_rebuild");
                }
                return null;
            });
            try {
                long staged = 0;
                while (entries.hasNext()) {
                    List<IndexEntry> batch = new ArrayList<>(BATCH);
                    while (batch.size() < BATCH && entries.hasNext()) {
                        batch.add(Objects.requireNonNull(entries.next(), "rebuild entry"));
                    }
                    staged += batch.size();
                    transaction("stage rebuild entries " + (staged - batch.size() + 1) + ".." + staged, "BEGIN", () -> {
                        try (PreparedStatement insert = connection.prepareStatement(UPSERT.formatted("temp.blobs_rebuild"))) {
                            addInBatches(insert, batch.iterator());
                        }
                        return null;
                    });
                }
                return write("replace the index with " + staged + " rebuilt entries", () -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.executeUpdate("DELETE FROM main.blobs");
                        statement.executeUpdate("DELETE FROM main.removals");
                        statement.executeUpdate(startRemovals()); // another index now: nothing found before counts
                        statement.executeUpdate("INSERT INTO main.blobs (" + COLUMNS + ") SELECT " + COLUMNS
                                + " FROM temp.blobs_rebuild");
                        try (ResultSet count = statement.executeQuery("SELECT count(*) FROM main.blobs")) {
                            count.next();
                            return count.getLong(1);
                        }
                    }
                });
            } finally {
                dropStagingTableQuietly();
            }
        } finally {
            replaceLock.unlock();
        }
    }

    private void bumpRemovals() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(BUMP_REMOVALS);
        }
    }

    /** The removals row of a new index: a random start, so a rebuilt index never repeats an old generation. */
    private static String startRemovals() {
        return "INSERT INTO removals (only_row, generation) VALUES (1, "
                + ThreadLocalRandom.current().nextLong(1L << 62) + ")";
    }

    // ------------------------------------------------------------------------------------------
    // reading

    /**
     * A number that moves on in every transaction that removes entries ({@link #removeAll},
     * {@link #removeUnusedSince}, {@link #replaceAll}) and differs between index files. While it
     * stays the same, nothing was removed: a writer that found its blobs stored, after recording
     * their use, need not look for them again (docs/adr/0017).
     */
    public long removalGeneration() {
        return read("read the removal generation", () -> {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT generation FROM removals")) {
                if (!rows.next()) {
                    throw new SQLException("the removals table has no row");
                }
                return rows.getLong(1);
            }
        });
    }

    public Optional<IndexEntry> find(BlobKind kind, String hash) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hash, "hash");
        return read("find " + kind + " " + hash, () -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT rowid, " + READ_COLUMNS + " FROM blobs WHERE kind = ? AND hash = ?")) {
                select.setString(1, kind.name());
                select.setString(2, hash);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(entry(rows)) : Optional.<IndexEntry>empty();
                }
            }
        });
    }

    public boolean contains(BlobKind kind, String hash) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hash, "hash");
        return read("look up " + kind + " " + hash, () -> {
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT 1 FROM blobs WHERE kind = ? AND hash = ?")) {
                select.setString(1, kind.name());
                select.setString(2, hash);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    /**
     * Which of {@code hashes} the index holds for {@code kind}, looked up {@value #IN_CHUNK} at a
     * time. The answer of one call is not a snapshot: another process may add or remove entries
     * between chunks.
     */
    public Set<String> containing(BlobKind kind, Collection<String> hashes) {
        Objects.requireNonNull(kind, "kind");
        List<String> distinct = List.copyOf(new LinkedHashSet<>(hashes));
        Set<String> found = new HashSet<>();
        for (int from = 0; from < distinct.size(); from += IN_CHUNK) {
            List<String> chunk = distinct.subList(from, Math.min(from + IN_CHUNK, distinct.size()));
            read("look up " + chunk.size() + " " + kind + " entries", () -> {
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT hash FROM blobs WHERE kind = ? AND hash IN (" + placeholders(chunk.size()) + ")")) {
                    bindKindAndHashes(select, kind, chunk);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            found.add(rows.getString(1));
                        }
                    }
                }
                return null;
            });
        }
        return found;
    }

    /** The first page of {@link #evictionPage}: the best {@code limit} candidates under {@code policy}. */
    public List<IndexEntry> evictionCandidates(EvictionPolicy policy, int limit) {
        return evictionPage(policy, limit, null).entries();
    }

    /**
     * Up to {@code limit} entries in the order {@code policy} gives them up, starting after
     * {@code after} (null: from the start). Blobs and chunks are ranked together.
     * <ul>
     *   <li>{@code LRU}: {@code last_accessed} ascending;</li>
     *   <li>{@code LFU}: {@code access_count} ascending, then {@code last_accessed} ascending;</li>
     *   <li>{@code FIFO}: {@code created} ascending;</li>
     *   <li>{@code LARGEST_FIRST}: {@code stored_size} descending, then {@code last_accessed} ascending;</li>
     * </ul>
     * and the row id last, so the order is total and paging never repeats or skips an entry.
     * Paging is by key, not offset (see {@link EvictionCursor}): an evictor can delete a page's
     * entries, or decide to keep some, and then ask for the page after {@link EvictionPage#next()}.
     */
    public EvictionPage evictionPage(EvictionPolicy policy, int limit, EvictionCursor after) {
        Objects.requireNonNull(policy, "policy");
        if (limit < 1) {
            throw new IllegalArgumentException("eviction page limit must be at least 1, got " + limit);
        }
        if (after != null && after.policy() != policy) {
            throw new IllegalArgumentException("eviction cursor " + after.toToken() + " belongs to policy "
                    + after.policy().id() + ", not " + policy.id());
        }
        List<String> steps = evictionQueries(policy, after != null);
        long[] cursorKeys = after == null ? new long[0] : new long[] {after.key1(), after.key2()};
        // a read transaction, so that the steps see one snapshot
        return transaction(policy.id() + " eviction candidates", "BEGIN", () -> {
            List<IndexEntry> entries = new ArrayList<>(Math.min(limit, BATCH));
            long lastRowId = 0;
            for (int step = 0; step < steps.size() && entries.size() < limit; step++) {
                try (PreparedStatement select = connection.prepareStatement(steps.get(step))) {
                    int parameter = 1;
                    if (after != null) {
                        int equal = steps.size() - 1 - step;  // sort keys pinned to the cursor's values
                        for (int k = 0; k < equal; k++) {
                            select.setLong(parameter++, cursorKeys[k]);
                        }
                        select.setLong(parameter++, equal == steps.size() - 1 ? after.rowId() : cursorKeys[equal]);
                    }
                    select.setInt(parameter, limit - entries.size());
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            entries.add(entry(rows));
                            lastRowId = rows.getLong(1);
                        }
                    }
                }
            }
            EvictionCursor next = entries.size() < limit ? null : cursorAfter(policy, entries.getLast(), lastRowId);
            return new EvictionPage(entries, next);
        });
    }

    private record SortKey(String column, boolean descending) {
        String order() {
            return descending ? column + " DESC" : column;
        }

        String beyond() {
            return descending ? column + " < ?" : column + " > ?";
        }
    }

    /** The columns of each policy's order, before the row id; the cursor's key1 and key2, in that order. */
    private static List<SortKey> sortKeys(EvictionPolicy policy) {
        return switch (policy) {
            case LRU -> List.of(new SortKey("last_accessed", false));
            case LFU -> List.of(new SortKey("access_count", false), new SortKey("last_accessed", false));
            case FIFO -> List.of(new SortKey("created", false));
            case LARGEST_FIRST -> List.of(new SortKey("stored_size", true), new SortKey("last_accessed", false));
        };
    }

    /**
     * The statements behind {@link #evictionPage}, run in order until the page is full; each takes
     * its remaining limit as the last parameter. Without a cursor it is one ordered scan of the
     * policy's index. After a cursor {@code (k1, k2, rowid)} it is a ladder of index seeks: first the
     * rest of the cursor's tie group ({@code k1 = ? AND k2 = ? AND rowid > ?}), then
     * {@code k1 = ? AND k2 > ?}, then {@code k1 > ?}. A single row-value comparison
     * {@code (k1, k2, rowid) > (?, ?, ?)} would be simpler, but SQLite seeks only on the indexed
     * columns and then filters the row ids, so paging through a large tie group (one
     * {@link #recordAccess} batch stamps thousands of entries with the same time) would re-read the
     * group for every page.
     */
    static List<String> evictionQueries(EvictionPolicy policy, boolean seek) {
        List<SortKey> keys = sortKeys(policy);
        String select = "SELECT rowid, " + READ_COLUMNS + " FROM blobs";
        String fullOrder = String.join(", ", keys.stream().map(SortKey::order).toList()) + ", rowid";
        if (!seek) {
            return List.of(select + " ORDER BY " + fullOrder + " LIMIT ?");
        }
        List<String> steps = new ArrayList<>();
        for (int equal = keys.size(); equal >= 0; equal--) {
            List<String> where = new ArrayList<>();
            for (int k = 0; k < equal; k++) {
                where.add(keys.get(k).column() + " = ?");
            }
            List<String> order = new ArrayList<>();
            if (equal == keys.size()) {
                where.add("rowid > ?");
            } else {
                where.add(keys.get(equal).beyond());
                keys.subList(equal, keys.size()).forEach(key -> order.add(key.order()));
            }
            order.add("rowid");
            steps.add(select + " WHERE " + String.join(" AND ", where) + " ORDER BY " + String.join(", ", order)
                    + " LIMIT ?");
        }
        return steps;
    }

    /** Counts and sizes per kind and in all. Reads the whole table: fine for a status line, not per blob. */
    public IndexTotals totals() {
        return read("total the index", () -> {
            Map<BlobKind, KindTotals> perKind = new EnumMap<>(BlobKind.class);
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT kind, count(*), total(size), total(stored_size) FROM blobs GROUP BY kind")) {
                while (rows.next()) {
                    BlobKind kind = kindOf(rows.getString(1));
                    perKind.merge(kind, new KindTotals(rows.getLong(2), rows.getLong(3), rows.getLong(4)),
                            KindTotals::plus);
                }
            }
            return new IndexTotals(perKind.getOrDefault(BlobKind.BLOB, KindTotals.EMPTY),
                    perKind.getOrDefault(BlobKind.CHUNK, KindTotals.EMPTY));
        });
    }

    /**
     * Hands every entry to {@code action}, in row-id order, {@value #BATCH} rows per query. The
     * lock is taken per page and the action runs without it, so the action may call back into this
     * index (e.g. remove an orphan) and other threads are not held up. Not a snapshot: entries
     * added or removed meanwhile may or may not be seen; none is seen twice.
     */
    public void forEach(Consumer<IndexEntry> action) {
        Objects.requireNonNull(action, "action");
        long afterRowId = Long.MIN_VALUE;
        while (true) {
            long from = afterRowId;
            List<IndexEntry> page = new ArrayList<>(BATCH);
            long last = read("read entries after row " + from, () -> {
                long lastRowId = from;
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT rowid, " + READ_COLUMNS + " FROM blobs WHERE rowid > ? ORDER BY rowid LIMIT " + BATCH)) {
                    select.setLong(1, from);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            page.add(entry(rows));
                            lastRowId = rows.getLong(1);
                        }
                    }
                }
                return lastRowId;
            });
            page.forEach(action);
            if (page.size() < BATCH) {
                return;
            }
            afterRowId = last;
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

    @Override
    public String toString() {
        return "BlobIndex[" + file + "]";
    }

    // ------------------------------------------------------------------------------------------
    // transactions

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private synchronized <T> T read(String operation, SqlWork<T> work) {
        return run(operation, work);
    }

    private synchronized <T> T run(String operation, SqlWork<T> work) {
        ensureOpen();
        try {
            return work.run();
        } catch (SQLException e) {
            throw new IndexException(file, operation, e);
        }
    }

    /** A write transaction on the shared database: {@code BEGIN IMMEDIATE}, see the class comment. */
    private <T> T write(String operation, SqlWork<T> work) {
        return transaction(operation, "BEGIN IMMEDIATE", work);
    }

    private synchronized <T> T transaction(String operation, String begin, SqlWork<T> work) {
        ensureOpen();
        try {
            return inTransaction(connection, begin, work);
        } catch (SQLException e) {
            throw new IndexException(file, operation, e);
        }
    }

    /** Runs {@code work} between {@code begin} and {@code COMMIT}, rolling back if it fails. */
    private static <T> T inTransaction(Connection connection, String begin, SqlWork<T> work) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(begin);
            boolean committed = false;
            try {
                T result = work.run();
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

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("blob index " + file + " is closed");
        }
    }

    private void dropStagingTableQuietly() {
        synchronized (this) {
            if (closed) {
                return;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS temp.blobs_rebuild");
            } catch (SQLException ignored) {
                // a temp table dies with the connection anyway
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // rows

    private static void addInBatches(PreparedStatement insert, Iterator<IndexEntry> entries) throws SQLException {
        int pending = 0;
        while (entries.hasNext()) {
            IndexEntry entry = Objects.requireNonNull(entries.next(), "index entry");
            insert.setString(1, entry.kind().name());
            insert.setString(2, entry.hash());
            insert.setLong(3, entry.size());
            insert.setLong(4, entry.storedSize());
            insert.setString(5, entry.compression().name());
            insert.setLong(6, entry.created().toEpochMilli());
            insert.setLong(7, entry.lastAccessed().toEpochMilli());
            insert.setLong(8, entry.accessCount());
            insert.addBatch();
            if (++pending == BATCH) {
                insert.executeBatch();
                pending = 0;
            }
        }
        if (pending > 0) {
            insert.executeBatch();
        }
    }

    /** Reads a row selected as {@code rowid, READ_COLUMNS}. */
    private IndexEntry entry(ResultSet rows) throws SQLException {
        return new IndexEntry(
                kindOf(rows.getString(2)),
                rows.getString(3),
                rows.getLong(4),
                rows.getLong(5),
                formatOf(rows.getString(6)),
                Instant.ofEpochMilli(rows.getLong(7)),
                Instant.ofEpochMilli(rows.getLong(8)),
                rows.getLong(9),
                Instant.ofEpochMilli(rows.getLong(10)));
    }

    private BlobKind kindOf(String name) {
        try {
            return BlobKind.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IndexException(file, "read a row", "unknown blob kind '" + name + "'", e, false);
        }
    }

    private BlobFormat formatOf(String name) {
        try {
            return BlobFormat.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IndexException(file, "read a row", "unknown compression '" + name + "'", e, false);
        }
    }

    private static EvictionCursor cursorAfter(EvictionPolicy policy, IndexEntry last, long rowId) {
        long lastAccessed = last.lastAccessed().toEpochMilli();
        return switch (policy) {
            case LRU -> new EvictionCursor(policy, lastAccessed, 0, rowId);
            case LFU -> new EvictionCursor(policy, last.accessCount(), lastAccessed, rowId);
            case FIFO -> new EvictionCursor(policy, last.created().toEpochMilli(), 0, rowId);
            case LARGEST_FIRST -> new EvictionCursor(policy, last.storedSize(), lastAccessed, rowId);
        };
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static void bindKindAndHashes(PreparedStatement statement, BlobKind kind, List<String> hashes)
            throws SQLException {
        statement.setString(1, kind.name());
        for (int i = 0; i < hashes.size(); i++) {
            statement.setString(i + 2, Objects.requireNonNull(hashes.get(i), "hash"));
        }
    }

    private static int sum(int[] counts) {
        int total = 0;
        for (int count : counts) {
            total += Math.max(count, 0);
        }
        return total;
    }

    // ------------------------------------------------------------------------------------------
    // connecting, probing, recovering

    /**
     * Connects and applies the per-connection settings. With {@code createSchema}, a database
     * without tables gets the schema; otherwise the schema version must be ours.
     */
    private static Connection connectAndPrepare(Path path, boolean createSchema) {
        Connection connection = connect(path);
        try {
            configure(connection, path);
            int version = userVersion(connection);
            if (version == 0 && createSchema) {
                createSchema(connection, path);
            } else {
                requireOurSchema(connection, path, version);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e instanceof IndexException index ? index : new IndexException(path, "open", e);
        }
    }

    private static Connection connect(Path path) {
        try {
            return DriverManager.getConnection("jdbc:sqlite:" + path);
        } catch (SQLException e) {
            throw new IndexException(path, "open", e);
        }
    }

    private static void configure(Connection connection, Path path) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // first, before anything touches the file, so even the journal-mode switch waits its turn
            statement.execute("PRAGMA busy_timeout = " + DEFAULT_BUSY_TIMEOUT.toMillis());
            try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode = WAL")) {
                String actual = mode.next() ? mode.getString(1) : "?";
                if (!"wal".equalsIgnoreCase(actual)) {
                    throw new IndexException(path, "switch to WAL mode",
                            "SQLite kept journal mode '" + actual + "'; the index needs WAL (is the cache on a"
                                    + " network file system? keep cache.local.path on a local disk)",
                            null, false);
                }
            }
            statement.execute("PRAGMA synchronous = NORMAL");
        }
    }

    private static int userVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private static int tableCount(Connection connection, String where) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM sqlite_schema WHERE type = 'table'" + where)) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private static void createSchema(Connection connection, Path path) throws SQLException {
        inTransaction(connection, "BEGIN IMMEDIATE", () -> {
            int version = userVersion(connection);  // another process may have won the race
            if (version != 0) {
                requireOurSchema(connection, path, version);
                return null;
            }
            if (tableCount(connection, "") > 0) {
                throw notAnIndex(path, "has tables but no bake-cache schema version");
            }
            try (Statement statement = connection.createStatement()) {
                for (String ddl : SCHEMA) {
                    statement.execute(ddl);
                }
                statement.execute(startRemovals());
                statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
            }
            return null;
        });
    }

    private static void requireOurSchema(Connection connection, Path path, int version) throws SQLException {
        if (version > SCHEMA_VERSION) {
            throw new IndexException(path, "open", "schema version " + version + " is newer than this bake-cache"
                    + " understands (" + SCHEMA_VERSION + "); upgrade bake-cache or point it at another cache", null, false);
        }
        if (version == 0) {
            throw notAnIndex(path, tableCount(connection, "") == 0
                    ? "has no schema yet" : "has tables but no bake-cache schema version");
        }
        if (tableCount(connection, " AND name = 'blobs'") == 0) {
            throw notAnIndex(path, "has schema version " + version + " but no blobs table");
        }
        if (version < SCHEMA_VERSION) {
            migrate(connection);
        }
    }

    /**
     * Version 1 had no {@code claimed} column (claims were written to {@code last_accessed}, so 0
     * loses nothing); versions 1 and 2 had no removals table (a fresh random generation matches no
     * writer's memory, so every writer checks its blobs once more).
     */
    private static void migrate(Connection connection) throws SQLException {
        inTransaction(connection, "BEGIN IMMEDIATE", () -> {
            int version = userVersion(connection); // another process may have migrated it meanwhile
            try (Statement statement = connection.createStatement()) {
                if (version == 1) {
                    statement.execute("ALTER TABLE blobs ADD COLUMN claimed INTEGER NOT NULL DEFAULT 0");
                }
                if (version < SCHEMA_VERSION) {
                    statement.execute(REMOVALS_TABLE);
                    statement.execute(startRemovals());
                    statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
                }
            }
            return null;
        });
    }

    private static IndexException notAnIndex(Path path, String why) {
        return new IndexException(path, "open", "not a bake-cache blob index: the database " + why
                + "; openOrRecreate moves it aside and rebuilds it", null, false);
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
            connection = connect(path);
            configure(connection, path);
            int version = userVersion(connection);
            if (version == 0 && tableCount(connection, "") == 0) {
                closeQuietly(connection);
                return Probe.problem(IndexRebuild.Cause.EMPTY, "index database has no tables");
            }
            if (version > SCHEMA_VERSION) {
                requireOurSchema(connection, path, version);  // throws: a newer bake-cache's index is not ours to replace
            }
            if (version == 0 || tableCount(connection, " AND name = 'blobs'") == 0) {
                closeQuietly(connection);
                return Probe.problem(IndexRebuild.Cause.NOT_AN_INDEX, version == 0
                        ? "not a bake-cache index: tables but no schema version"
                        : "not a bake-cache index: schema version " + version + " but no blobs table");
            }
            String problems = integrityProblems(connection, check);
            if (problems != null) {
                closeQuietly(connection);
                return Probe.problem(IndexRebuild.Cause.CORRUPT, "integrity check failed: " + problems);
            }
            requireOurSchema(connection, path, version);
            return new Probe(connection, null, null);
        } catch (SQLException | RuntimeException e) {
            if (connection != null) {
                closeQuietly(connection);
            }
            if (IndexException.isCorruption(e)) {
                return Probe.problem(IndexRebuild.Cause.CORRUPT, "index file corrupt: " + e.getMessage());
            }
            // busy, locked, I/O, newer schema: not damage, and not ours to destroy
            throw e instanceof IndexException index ? index : new IndexException(path, "open", e);
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

    private static BlobIndex rebuildInPlace(Path path, Probe problem, Supplier<Iterator<IndexEntry>> source) {
        Path staging = path.resolveSibling(path.getFileName() + ".rebuild-" + UUID.randomUUID());
        long entries;
        try {
            try (BlobIndex fresh = new BlobIndex(staging, connectAndPrepare(staging, true), null)) {
                entries = fresh.replaceAll(Objects.requireNonNull(source.get(), "rebuild source iterator"));
                fresh.run("checkpoint the rebuilt index", () -> {
                    try (Statement statement = fresh.connection.createStatement()) {
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
        return new BlobIndex(path, connectAndPrepare(path, false), rebuild);
    }

    private static void deleteSidecars(Path path) {
        deleteQuietly(path.resolveSibling(path.getFileName() + "-wal"));
        deleteQuietly(path.resolveSibling(path.getFileName() + "-shm"));
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a stray temp file is harmless; the next rebuild uses a new name
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing to release that closing could not
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
