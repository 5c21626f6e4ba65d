package dev.bakecache.engine.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * Copies one blob to a tier in stored form, as it is, and lets the target check it on arrival
 * ({@link TierBlobStore#putStored}): the one copy that promotion, pushes and pulls between the
 * local tier and the remotes, and replication use, so a damaged copy is stopped the same way
 * wherever it comes from.
 */
public final class BlobCopier {

    /** Opens the stored bytes to copy: a tier's {@link TierBlobStore#openStored}, or a staged file. */
    @FunctionalInterface
    public interface StoredSource {
        InputStream open() throws IOException;
    }

    private BlobCopier() {
    }

    /**
     * @return true if {@code to} now has the blob; false if the source no longer has it (evicted or
     *     collected since it was listed) or either side is a remote that is unavailable
     * @throws BlobCorruptedException when the source's copy fails the target's check: it is never
     *     spread, and the caller reports it
     */
    public static boolean copy(TierBlobStore from, TierBlobStore to, String hash) throws IOException {
        return copy(() -> from.openStored(hash), to, hash);
    }

    /** As {@link #copy(TierBlobStore, TierBlobStore, String)}, from stored bytes {@code source} opens. */
    public static boolean copy(StoredSource source, TierBlobStore to, String hash) throws IOException {
        try (InputStream stored = source.open()) {
            to.putStored(hash, stored);
            return true;
        } catch (BlobNotFoundException | TierUnavailableException notCopied) {
            return false;
        }
    }
}
