package dev.bakecache.engine.index;

import dev.bakecache.engine.compress.BlobFormat;
import dev.bakecache.engine.store.BlobKind;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Rows of the {@code blobs} table as {@link IndexEntry}s: the column lists, binding entries to
 * statements in batches, reading them back, and lists of hashes cut to fit one {@code IN (...)}.
 */
final class BlobRows {

    /** Hashes per {@code IN (...)} list; well under SQLite's limit on bound parameters. */
    static final int IN_CHUNK = 500;

    /** Rows per JDBC batch, per {@link BlobIndex#forEach} page and per {@link BlobIndex#replaceAll} staging transaction. */
    static final int BATCH = 1000;

    static final String COLUMNS =
            "kind, hash, size, stored_size, compression, created, last_accessed, access_count";
    /** What {@link #entry} reads after the row id: the written columns and {@code claimed}, which only {@link BlobIndex#recordUse} sets. */
    private static final String READ_COLUMNS = COLUMNS + ", claimed";
    /** The start of every query whose rows {@link #entry} reads. */
    static final String SELECT = "SELECT rowid, " + READ_COLUMNS + " FROM blobs";

    private static final String UPSERT = "INSERT INTO %s (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (kind, hash) DO UPDATE SET size = excluded.size, stored_size = excluded.stored_size,"
            + " compression = excluded.compression, last_accessed = max(last_accessed, excluded.last_accessed)";

    private BlobRows() {
    }

    /** The upsert of {@link BlobIndex#upsertAll} into {@code table} ({@code main.blobs} or the rebuild's staging table). */
    static String upsertInto(String table) {
        return UPSERT.formatted(table);
    }

    static void addInBatches(PreparedStatement insert, Iterator<IndexEntry> entries) throws SQLException {
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

    /** Reads a row selected by {@link #SELECT}; {@code file} names the index in the error if the row makes no sense. */
    static IndexEntry entry(ResultSet rows, Path file) throws SQLException {
        return new IndexEntry(
                kindOf(rows.getString(2), file),
                rows.getString(3),
                rows.getLong(4),
                rows.getLong(5),
                formatOf(rows.getString(6), file),
                Instant.ofEpochMilli(rows.getLong(7)),
                Instant.ofEpochMilli(rows.getLong(8)),
                rows.getLong(9),
                Instant.ofEpochMilli(rows.getLong(10)));
    }

    static BlobKind kindOf(String name, Path file) {
        return valueOf(BlobKind.class, name, "blob kind", file);
    }

    private static BlobFormat formatOf(String name, Path file) {
        return valueOf(BlobFormat.class, name, "compression", file);
    }

    /** An enum stored by name; a name this bake-cache does not know makes the row unreadable, not the index corrupt. */
    private static <E extends Enum<E>> E valueOf(Class<E> type, String name, String what, Path file) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IndexException(file, "read a row", "unknown " + what + " '" + name + "'", e, false);
        }
    }

    /** The distinct hashes, in their first order, {@value #IN_CHUNK} at most per list. */
    static List<List<String>> inChunks(Collection<String> hashes) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(hashes));
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < distinct.size(); from += IN_CHUNK) {
            chunks.add(distinct.subList(from, Math.min(from + IN_CHUNK, distinct.size())));
        }
        return chunks;
    }

    /** {@code kind = ? AND hash IN (?, ...)} for {@code hashes}; bind it with {@link #bindKindAndHashes}. */
    static String kindAndHashIn(List<String> hashes) {
        return "kind = ? AND hash IN (" + String.join(", ", Collections.nCopies(hashes.size(), "?")) + ")";
    }

    static void bindKindAndHashes(PreparedStatement statement, BlobKind kind, List<String> hashes)
            throws SQLException {
        statement.setString(1, kind.name());
        for (int i = 0; i < hashes.size(); i++) {
            statement.setString(i + 2, Objects.requireNonNull(hashes.get(i), "hash"));
        }
    }

    /** Rows changed by a batch; a driver may report a negative "unknown" count, which adds nothing. */
    static int sum(int[] counts) {
        int total = 0;
        for (int count : counts) {
            total += Math.max(count, 0);
        }
        return total;
    }
}
