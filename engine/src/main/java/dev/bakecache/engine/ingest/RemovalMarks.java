package dev.bakecache.engine.ingest;

import dev.bakecache.engine.store.ClaimableBlobStore;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * The removal generations of the blob and chunk stores at one moment (docs/adr/0017): while they
 * are the same, nothing was removed from either, so what was found stored then is stored still.
 */
public record RemovalMarks(long blobs, long chunks) {

    /** The stores' marks now, or null when either keeps no removal generation. */
    static RemovalMarks of(ClaimableBlobStore blobStore, ClaimableBlobStore chunkStore) throws IOException {
        OptionalLong blobs = blobStore.removalGeneration();
        OptionalLong chunks = chunkStore.removalGeneration();
        return blobs.isPresent() && chunks.isPresent() ? new RemovalMarks(blobs.getAsLong(), chunks.getAsLong()) : null;
    }
}
