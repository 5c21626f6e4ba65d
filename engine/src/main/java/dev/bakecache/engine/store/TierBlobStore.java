package dev.bakecache.engine.store;

import dev.bakecache.engine.hash.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;

/**
 * One tier's own store of one blob kind (the local disk or a bucket): a {@link BlobStore} that
 * also lists its blobs and hands them over and takes them in stored form, raw content or one
 * zstd frame. That is what copying between tiers needs ({@link BlobCopier}): every tier reads
 * every stored form, so nothing is decoded and re-encoded on the way.
 */
public interface TierBlobStore extends BlobStore {

    /**
     * Opens the blob exactly as this tier stores it, unchecked: for copying it to another tier as
     * it is, whose {@link #putStored} checks it.
     *
     * @throws BlobNotFoundException when the tier does not have the blob
     */
    InputStream openStored(String hash) throws IOException;

    /**
     * Stores a blob given in stored form, as another tier's {@link #openStored} yields it. The
     * bytes are decoded and hashed before they become visible; if they do not hash to
     * {@code hash}, a {@link BlobCorruptedException} is thrown and nothing is left behind.
     * Callers check presence first (replication lists the shard): a tier may write a blob it
     * already has again, with the same bytes.
     *
     * @return the content digest, which the stored form alone reveals (its size)
     */
    Digest putStored(String hash, InputStream stored) throws IOException;

    /** Every blob in the tier. Close the stream when done. */
    Stream<StoredBlob> list() throws IOException;

    /**
     * The blobs of one shard, {@code "00"} to {@code "ff"}: the unit that replication and
     * partitioned jobs split work by. Close the stream when done.
     */
    default Stream<StoredBlob> listShard(String shard) throws IOException {
        return list().filter(blob -> blob.hash().startsWith(shard));
    }
}
