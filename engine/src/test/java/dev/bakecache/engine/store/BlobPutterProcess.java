package dev.bakecache.engine.store;

import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.hash.HashAlgorithm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Run as a separate JVM by {@link LocalBlobStoreTest} to race puts across processes. */
public final class BlobPutterProcess {

    static List<byte[]> blobs() {
        List<byte[]> blobs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            blobs.add(i % 2 == 0 ? BlobStoreContract.text(30_000 + i, i) : BlobStoreContract.random(30_000 + i, i));
        }
        return blobs;
    }

    static void putAll(Path root) throws IOException {
        LocalBlobStore store = LocalBlobStore.open(new CasLayout(root), BlobKind.BLOB, HashAlgorithm.BLAKE3,
                CompressionPolicy.defaults());
        for (byte[] blob : blobs()) {
            store.put(HashAlgorithm.BLAKE3.digest(blob), new ByteArrayInputStream(blob));
        }
    }

    public static void main(String[] args) throws IOException {
        putAll(Path.of(args[0]));
    }
}
