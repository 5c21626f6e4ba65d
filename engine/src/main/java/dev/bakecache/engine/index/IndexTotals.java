package dev.bakecache.engine.index;

import dev.bakecache.engine.store.BlobKind;
import java.util.Objects;

/**
 * What the index holds, per kind and in all: counts, content bytes and bytes on disk. Eviction
 * compares {@link #totalStoredSize()} with the configured limit.
 */
public record IndexTotals(KindTotals blobs, KindTotals chunks) {

    public static final IndexTotals EMPTY = new IndexTotals(KindTotals.EMPTY, KindTotals.EMPTY);

    public IndexTotals {
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(chunks, "chunks");
    }

    public KindTotals of(BlobKind kind) {
        return switch (kind) {
            case BLOB -> blobs;
            case CHUNK -> chunks;
        };
    }

    public long blobCount() {
        return blobs.count();
    }

    public long chunkCount() {
        return chunks.count();
    }

    /** Blobs and chunks together. */
    public long count() {
        return blobs.count() + chunks.count();
    }

    /** Content bytes of every entry. */
    public long totalSize() {
        return blobs.size() + chunks.size();
    }

    /** Bytes on disk of every entry. */
    public long totalStoredSize() {
        return blobs.storedSize() + chunks.storedSize();
    }

    /** One line for logs, e.g. {@code 12 blobs + 40 chunks, 5000 bytes content, 3000 bytes stored}. */
    @Override
    public String toString() {
        return blobs.count() + " blobs + " + chunks.count() + " chunks, " + totalSize() + " bytes content, "
                + totalStoredSize() + " bytes stored";
    }
}
