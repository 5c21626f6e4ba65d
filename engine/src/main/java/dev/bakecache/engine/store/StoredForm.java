package dev.bakecache.engine.store;

import com.github.luben.zstd.ZstdIOException;
import dev.bakecache.engine.compress.BlobStreams;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.hash.Hasher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a blob received in stored form (raw or zstd) before a tier publishes it: decodes it,
 * hashes the content and compares with the hash it was offered under. Copying between tiers
 * moves stored bytes as they are, so this is where a corrupt copy is caught.
 */
public final class StoredForm {

    private StoredForm() {
    }

    /**
     * @param where the file's origin, for the error message
     * @return the content digest (hash and content size)
     * @throws BlobCorruptedException when the bytes do not decode or do not hash to {@code hash}
     */
    public static Digest verify(Path storedFile, HashAlgorithm algorithm, String hash, String where)
            throws IOException {
        Hasher hasher = algorithm.newHasher();
        try (InputStream content = BlobStreams.decoding(Files.newInputStream(storedFile))) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = content.read(buffer)) > 0; ) {
                hasher.update(buffer, 0, n);
            }
        } catch (ZstdIOException e) {
            throw new BlobCorruptedException(where, e);
        }
        Digest actual = hasher.finish();
        if (!actual.hash().equals(hash)) {
            throw new BlobCorruptedException(where, new IOException("content hashes to " + actual.hash()
                    + ", not to " + hash));
        }
        return actual;
    }
}
