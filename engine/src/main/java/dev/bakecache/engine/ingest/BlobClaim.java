package dev.bakecache.engine.ingest;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.store.BlobStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step before a manifest is written (docs/adr/0008): record a use of every blob and
 * chunk it names, then check that they are all still stored. A concurrent evict or gc either
 * sees the use and keeps them, or removed one before it, and then the check fails and no
 * manifest is written. Every writer of manifests that names blobs it did not write itself (an
 * ingest re-using stored content, a migration) must call it.
 */
public final class BlobClaim {

    private BlobClaim() {
    }

    /** @throws IngestException naming the key and a missing blob when one is gone; running the writer again stores it again */
    public static void claim(BlobStore blobs, BlobStore chunks, ActionResult manifest) throws IOException {
        blobs.recordUse(manifest.referencedBlobs());
        chunks.recordUse(manifest.referencedChunks());
        List<Digest> gone = new ArrayList<>(manifest.referencedBlobs());
        gone.removeAll(blobs.containsMany(manifest.referencedBlobs()));
        List<Digest> chunksGone = new ArrayList<>(manifest.referencedChunks());
        chunksGone.removeAll(chunks.containsMany(manifest.referencedChunks()));
        gone.addAll(chunksGone);
        if (!gone.isEmpty()) {
            throw new IngestException(manifest.actionKey() + ": " + gone.size() + " stored blobs or chunks (e.g. "
                    + gone.getFirst().hash() + ") were removed by a concurrent evict or gc while it was being"
                    + " written; run it again to store them again");
        }
    }
}
