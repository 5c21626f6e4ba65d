package dev.bakecache.engine.index;

import dev.bakecache.engine.config.EvictionPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL behind {@link BlobIndex#evictionPage}: each policy's order as index seeks, and the
 * {@link EvictionCursor} after a page. Every order ends in the row id, so it is total and paging
 * never repeats or skips an entry; {@link IndexSchema} has one index per order to seek in.
 */
final class EvictionQueries {

    private EvictionQueries() {
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
     * The statements behind {@link BlobIndex#evictionPage}, run in order until the page is full; each takes
     * its remaining limit as the last parameter. Without a cursor it is one ordered scan of the
     * policy's index. After a cursor {@code (k1, k2, rowid)} it is a ladder of index seeks: first the
     * rest of the cursor's tie group ({@code k1 = ? AND k2 = ? AND rowid > ?}), then
     * {@code k1 = ? AND k2 > ?}, then {@code k1 > ?}. A single row-value comparison
     * {@code (k1, k2, rowid) > (?, ?, ?)} would be simpler, but SQLite seeks only on the indexed
     * columns and then filters the row ids, so paging through a large tie group (one
     * {@link BlobIndex#recordAccess} batch stamps thousands of entries with the same time) would re-read the
     * group for every page.
     */
    static List<String> steps(EvictionPolicy policy, boolean seek) {
        List<SortKey> keys = sortKeys(policy);
        String fullOrder = String.join(", ", keys.stream().map(SortKey::order).toList()) + ", rowid";
        if (!seek) {
            return List.of(BlobRows.SELECT + " ORDER BY " + fullOrder + " LIMIT ?");
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
            steps.add(BlobRows.SELECT + " WHERE " + String.join(" AND ", where) + " ORDER BY " + String.join(", ", order)
                    + " LIMIT ?");
        }
        return steps;
    }

    /**
     * Runs the {@link #steps} for the page after {@code after} (null: the first page). Call it in a
     * read transaction, so that the steps see one snapshot.
     */
    static EvictionPage page(Connection connection, Path file, EvictionPolicy policy, int limit, EvictionCursor after)
            throws SQLException {
        List<String> steps = steps(policy, after != null);
        long[] cursorKeys = after == null ? new long[0] : new long[] {after.key1(), after.key2()};
        List<IndexEntry> entries = new ArrayList<>(Math.min(limit, BlobRows.BATCH));
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
                        entries.add(BlobRows.entry(rows, file));
                        lastRowId = rows.getLong(1);
                    }
                }
            }
        }
        EvictionCursor next = entries.size() < limit ? null : cursorAfter(policy, entries.getLast(), lastRowId);
        return new EvictionPage(entries, next);
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
}
