package dev.bakecache.engine.index;

import dev.bakecache.engine.config.EvictionPolicy;
import dev.bakecache.engine.sqlite.SqliteFile;
import dev.bakecache.engine.sqlite.SqliteTransaction;
import dev.bakecache.engine.store.BlobKind;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * with its own connection to the file, set up by {@link SqliteFile}: WAL mode, a
 * {@linkplain #DEFAULT_BUSY_TIMEOUT busy timeout}, and {@code synchronous=NORMAL} (a power cut may
 * lose the last commits, never corrupt the file; a lost row is re-added by reconciliation). Every
 * write transaction starts with {@code BEGIN IMMEDIATE} ({@link SqliteTransaction#immediate}).
 *
 * <p><b>Threads.</b> An instance holds one connection and is safe to share between threads: every
 * operation holds the connection's monitor for its duration ({@link IndexConnection}), so operations
 * run one at a time. {@link #forEach} and {@link #replaceAll} take it per batch and call out to the
 * caller's consumer or iterator without it, so a long reconciliation does not stall other threads.
 *
 * <p>The tables are described in {@link IndexSchema}, the files beside the index in {@link IndexFile},
 * the eviction orders in {@link EvictionQueries}.
 */
public final class BlobIndex implements AutoCloseable {

    /** Written to {@code PRAGMA user_version}; bump it with a migration when the schema changes. */
    public static final int SCHEMA_VERSION = IndexSchema.VERSION;

    /** How long an operation waits for another process's write transaction before failing. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = SqliteFile.BUSY_TIMEOUT;

    private static final String BUMP_REMOVALS = "UPDATE removals SET generation = generation + 1";

    private final IndexConnection db;
    private final IndexRebuild rebuild;
    /** One {@link #replaceAll} at a time per instance: they share the connection's staging table. */
    private final ReentrantLock replaceLock = new ReentrantLock();

    BlobIndex(IndexConnection db, IndexRebuild rebuild) {
        this.db = db;
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
        return IndexFile.open(file);
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
        return IndexFile.openOrRecreate(file, rebuildSource, check);
    }

    /** The index file this instance works on. */
    public Path file() {
        return db.file();
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
        db.write("upsert " + entries.size() + " entries", connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(BlobRows.upsertInto("main.blobs"))) {
                BlobRows.addInBatches(upsert, entries.iterator());
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
        return db.write("fold claims into the times of last use", connection -> {
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
        return db.write(what + " " + hashes.size() + " " + kind + " entries", connection -> {
            int updated = 0;
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                int pending = 0;
                for (String hash : hashes) {
                    update.setLong(1, millis);
                    update.setString(2, kind.name());
                    update.setString(3, Objects.requireNonNull(hash, "hash"));
                    update.addBatch();
                    if (++pending == BlobRows.BATCH) {
                        updated += BlobRows.sum(update.executeBatch());
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    updated += BlobRows.sum(update.executeBatch());
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
        List<List<String>> chunks = BlobRows.inChunks(hashes);
        if (chunks.isEmpty()) {
            return 0;
        }
        int distinct = chunks.stream().mapToInt(List::size).sum();
        return db.write("remove " + distinct + " " + kind + " entries", connection -> {
            int removed = 0;
            for (List<String> chunk : chunks) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM blobs WHERE " + BlobRows.kindAndHashIn(chunk))) {
                    BlobRows.bindKindAndHashes(delete, kind, chunk);
                    removed += delete.executeUpdate();
                }
            }
            bumpRemovals(connection); // even for rows that were not there: callers remove the files too
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
        List<IndexEntry> removed = new ArrayList<>();
        for (List<String> chunk : BlobRows.inChunks(hashes)) {
            removed.addAll(db.write("remove " + chunk.size() + " unused " + kind + " entries", connection -> {
                List<IndexEntry> idle = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement(BlobRows.SELECT
                        + " WHERE " + BlobRows.kindAndHashIn(chunk) + " AND last_accessed < ? AND claimed < ?")) {
                    BlobRows.bindKindAndHashes(select, kind, chunk);
                    select.setLong(chunk.size() + 2, cutoff.toEpochMilli());
                    select.setLong(chunk.size() + 3, cutoff.toEpochMilli());
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            idle.add(BlobRows.entry(rows, file()));
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
                        bumpRemovals(connection);
                    }
                }
                return gone;
            }));
        }
        return removed;
    }

    private static boolean removeFile(FileRemoval removal, IndexEntry entry) throws SQLException {
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
     * {@value BlobRows#BATCH} that lock nothing shared, so a slow scan holds up neither other processes
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
            db.run("create the rebuild staging table", connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(IndexSchema.CREATE_STAGING_TABLE);
                    statement.execute("DELETE FROM " + IndexSchema.STAGING_TABLE);
                }
                return null;
            });
            try {
                long staged = 0;
                while (entries.hasNext()) {
                    List<IndexEntry> batch = new ArrayList<>(BlobRows.BATCH);
                    while (batch.size() < BlobRows.BATCH && entries.hasNext()) {
                        batch.add(Objects.requireNonNull(entries.next(), "rebuild entry"));
                    }
                    staged += batch.size();
                    db.deferred("stage rebuild entries " + (staged - batch.size() + 1) + ".." + staged, connection -> {
                        try (PreparedStatement insert =
                                connection.prepareStatement(BlobRows.upsertInto(IndexSchema.STAGING_TABLE))) {
                            BlobRows.addInBatches(insert, batch.iterator());
                        }
                        return null;
                    });
                }
                return db.write("replace the index with " + staged + " rebuilt entries", connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.executeUpdate("DELETE FROM main.blobs");
                        statement.executeUpdate("DELETE FROM main.removals");
                        statement.executeUpdate(IndexSchema.startRemovals()); // another index now: nothing found before counts
                        statement.executeUpdate("INSERT INTO main.blobs (" + BlobRows.COLUMNS + ") SELECT "
                                + BlobRows.COLUMNS + " FROM " + IndexSchema.STAGING_TABLE);
                        try (ResultSet count = statement.executeQuery("SELECT count(*) FROM main.blobs")) {
                            count.next();
                            return count.getLong(1);
                        }
                    }
                });
            } finally {
                db.executeQuietly("DROP TABLE IF EXISTS " + IndexSchema.STAGING_TABLE);
            }
        } finally {
            replaceLock.unlock();
        }
    }

    private static void bumpRemovals(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(BUMP_REMOVALS);
        }
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
        return db.run("read the removal generation", connection -> {
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
        return lookUp("find", BlobRows.SELECT, kind, hash,
                rows -> rows.next() ? Optional.of(BlobRows.entry(rows, file())) : Optional.<IndexEntry>empty());
    }

    public boolean contains(BlobKind kind, String hash) {
        return lookUp("look up", "SELECT 1 FROM blobs", kind, hash, ResultSet::next);
    }

    @FunctionalInterface
    private interface RowsReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** Runs {@code select} for the one row of {@code kind} and {@code hash} and reads the answer from it. */
    private <T> T lookUp(String verb, String select, BlobKind kind, String hash, RowsReader<T> reader) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hash, "hash");
        return db.run(verb + " " + kind + " " + hash, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(select + " WHERE kind = ? AND hash = ?")) {
                statement.setString(1, kind.name());
                statement.setString(2, hash);
                try (ResultSet rows = statement.executeQuery()) {
                    return reader.read(rows);
                }
            }
        });
    }

    /**
     * Which of {@code hashes} the index holds for {@code kind}, looked up {@value BlobRows#IN_CHUNK} at a
     * time. The answer of one call is not a snapshot: another process may add or remove entries
     * between chunks.
     */
    public Set<String> containing(BlobKind kind, Collection<String> hashes) {
        Objects.requireNonNull(kind, "kind");
        Set<String> found = new HashSet<>();
        for (List<String> chunk : BlobRows.inChunks(hashes)) {
            db.run("look up " + chunk.size() + " " + kind + " entries", connection -> {
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT hash FROM blobs WHERE " + BlobRows.kindAndHashIn(chunk))) {
                    BlobRows.bindKindAndHashes(select, kind, chunk);
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
        // a read transaction, so that the steps see one snapshot
        return db.deferred(policy.id() + " eviction candidates",
                connection -> EvictionQueries.page(connection, file(), policy, limit, after));
    }

    /** Counts and sizes per kind and in all. Reads the whole table: fine for a status line, not per blob. */
    public IndexTotals totals() {
        return db.run("total the index", connection -> {
            Map<BlobKind, KindTotals> perKind = new EnumMap<>(BlobKind.class);
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT kind, count(*), total(size), total(stored_size) FROM blobs GROUP BY kind")) {
                while (rows.next()) {
                    BlobKind kind = BlobRows.kindOf(rows.getString(1), file());
                    perKind.merge(kind, new KindTotals(rows.getLong(2), rows.getLong(3), rows.getLong(4)),
                            KindTotals::plus);
                }
            }
            return new IndexTotals(perKind.getOrDefault(BlobKind.BLOB, KindTotals.EMPTY),
                    perKind.getOrDefault(BlobKind.CHUNK, KindTotals.EMPTY));
        });
    }

    /**
     * Hands every entry to {@code action}, in row-id order, {@value BlobRows#BATCH} rows per query. The
     * lock is taken per page and the action runs without it, so the action may call back into this
     * index (e.g. remove an orphan) and other threads are not held up. Not a snapshot: entries
     * added or removed meanwhile may or may not be seen; none is seen twice.
     */
    public void forEach(Consumer<IndexEntry> action) {
        Objects.requireNonNull(action, "action");
        long afterRowId = Long.MIN_VALUE;
        while (true) {
            long from = afterRowId;
            List<IndexEntry> page = new ArrayList<>(BlobRows.BATCH);
            long last = db.run("read entries after row " + from, connection -> {
                long lastRowId = from;
                try (PreparedStatement select = connection.prepareStatement(
                        BlobRows.SELECT + " WHERE rowid > ? ORDER BY rowid LIMIT " + BlobRows.BATCH)) {
                    select.setLong(1, from);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            page.add(BlobRows.entry(rows, file()));
                            lastRowId = rows.getLong(1);
                        }
                    }
                }
                return lastRowId;
            });
            page.forEach(action);
            if (page.size() < BlobRows.BATCH) {
                return;
            }
            afterRowId = last;
        }
    }

    /** Closes the connection. Idempotent; any later operation throws {@link IllegalStateException}. */
    @Override
    public void close() {
        db.close();
    }

    @Override
    public String toString() {
        return "BlobIndex[" + file() + "]";
    }
}
