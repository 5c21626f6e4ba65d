package dev.bakecache.engine.store;

import dev.bakecache.engine.hash.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Blobs kept by digest: what every store does, a single tier (the local disk, S3, GCS) or tiers
 * composed from the config (docs/adr/0012). Callers deal in content; how a store keeps it
 * (compressed or not, sharded how, in how many tiers) is its own business. Every read is verified
 * against the digest before it ends, every write is verified before it becomes visible.
 *
 * <p>Deliberately small, as bazel-remote's and Buildbarn's backends are: a tier's own store adds
 * the stored-form copy and listing ({@link TierBlobStore}); the local tier adds the claims of
 * writers of manifests ({@link ClaimableBlobStore}); behaviour across tiers is made of
 * decorators of this interface ({@code layered}).
 */
public interface BlobStore {

    boolean contains(Digest digest) throws IOException;

    /**
     * Those of {@code digests} the store has. Sequential by default; stores that can answer a batch
     * in fewer requests, or in parallel, override it.
     */
    default Set<Digest> containsMany(Collection<Digest> digests) throws IOException {
        Set<Digest> present = new HashSet<>();
        for (Digest digest : digests) {
            if (contains(digest)) {
                present.add(digest);
            }
        }
        return present;
    }

    /**
     * Opens the blob's content. The stream throws a {@link BlobCorruptedException} at end of
     * stream if the bytes did not match the digest, so consume it fully before trusting it.
     *
     * @throws BlobNotFoundException when the store does not have the blob
     */
    InputStream get(Digest digest) throws IOException;

    /**
     * Stores {@code content}, which must hash to {@code digest}; a mismatch throws a
     * {@link dev.bakecache.engine.hash.DigestMismatchException} and leaves nothing behind.
     *
     * @return true if the blob was written, false if the store already had it (then
     * {@code content} may not have been read at all)
     */
    boolean put(Digest digest, InputStream content) throws IOException;

    /** @return true if the blob existed and was removed */
    boolean delete(Digest digest) throws IOException;
}
