package dev.bakecache.engine.store;

import dev.bakecache.engine.compress.BlobFormat;
import dev.bakecache.engine.compress.BlobStreams;
import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.DigestMismatchException;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.hash.Hasher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Turns offered content into a blob's stored form (raw or zstd, as the policy decides) while
 * hashing it, so every tier stores the same bytes and replication can copy them as they are.
 */
public record BlobEncoder(HashAlgorithm algorithm, CompressionPolicy compression) {

    private static final int BUFFER_BYTES = 64 * 1024;

    /**
     * Writes the stored form of {@code content} to {@code stored} and closes it. The caller must
     * not publish what was written unless this returns: a digest mismatch throws after the last
     * byte.
     *
     * @throws DigestMismatchException when the content does not hash to {@code digest}
     */
    public BlobFormat encode(Digest digest, InputStream content, OutputStream stored) throws IOException {
        byte[] head = content.readNBytes(CompressionPolicy.SAMPLE_BYTES);
        CompressionPolicy.Choice choice = compression.choose(digest.size(), head);
        Hasher hasher = algorithm.newHasher();
        hasher.update(head, 0, head.length);
        if (choice.compressedHead() != null && head.length < CompressionPolicy.SAMPLE_BYTES) {
            // the head was all of it: the policy's trial compression is the stored form, no need to compress twice
            try (stored) {
                stored.write(choice.compressedHead());
            }
        } else {
            try (OutputStream encoded = BlobStreams.encoding(choice.format(), compression.level(), stored)) {
                encoded.write(head);
                byte[] buffer = new byte[BUFFER_BYTES];
                for (int n; (n = content.read(buffer)) > 0; ) {
                    hasher.update(buffer, 0, n);
                    encoded.write(buffer, 0, n);
                }
            }
        }
        Digest actual = hasher.finish();
        if (!actual.equals(digest)) {
            throw new DigestMismatchException("content offered for blob " + digest.hash(), digest, actual);
        }
        return choice.format();
    }
}
