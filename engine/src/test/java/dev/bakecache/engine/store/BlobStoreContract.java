package dev.bakecache.engine.store;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.DigestMismatchException;
import dev.bakecache.engine.hash.HashAlgorithm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link BlobStore} must do, a tier's own or tiers composed; {@link TierBlobStoreContract}
 * adds what a tier's own store does. Each implementation's test extends
 * this class and says how to open an empty store and how to reach behind it to its stored bytes;
 * layout details stay in the implementation's own test.
 */
public abstract class BlobStoreContract {

    protected static final HashAlgorithm ALGORITHM = HashAlgorithm.BLAKE3;

    @TempDir
    protected Path root;
    protected BlobStore store;

    /** An empty store (blake3, default compression) whose staging files go under {@code root}. */
    protected abstract BlobStore openEmptyStore(Path root) throws IOException;

    /** Where the store stages writes; it must be empty whenever no put is running. */
    protected abstract Path stagingDir();

    /** The blob's bytes as the tier keeps them, read behind the store's back. */
    protected abstract byte[] storedBytes(Digest digest) throws IOException;

    /** Replaces the blob's stored bytes behind the store's back, as disk rot or a bad copy would. */
    protected abstract void replaceStoredBytes(Digest digest, byte[] stored) throws IOException;

    @BeforeEach
    void openStore() throws IOException {
        store = openEmptyStore(root);
    }

    public static byte[] text(int size, long seed) {
        StringBuilder sb = new StringBuilder();
        Random random = new Random(seed);
        while (sb.length() < size) {
            sb.append("line ").append(random.nextInt(1000)).append(": the quick brown fox\n");
        }
        return sb.substring(0, size).getBytes();
    }

    public static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    protected Digest put(byte[] data) throws IOException {
        Digest digest = ALGORITHM.digest(data);
        store.put(digest, new ByteArrayInputStream(data));
        return digest;
    }

    protected byte[] get(Digest digest) throws IOException {
        try (InputStream in = store.get(digest)) {
            return in.readAllBytes();
        }
    }

    @Test
    void compressibleContentIsStoredSmallerAndReadsBackIdentical() throws IOException {
        byte[] data = text(300_000, 1);
        Digest digest = put(data);
        assertThat(storedBytes(digest).length).isLessThan(data.length / 2);
        assertThat(get(digest)).isEqualTo(data);
    }

    @Test
    void incompressibleContentIsStoredRawAndReadsBackIdentical() throws IOException {
        byte[] data = random(300_000, 2);
        Digest digest = put(data);
        assertThat(storedBytes(digest)).isEqualTo(data);
        assertThat(get(digest)).isEqualTo(data);
    }

    @Test
    void emptyContentIsABlobLikeAnyOther() throws IOException {
        Digest digest = put(new byte[0]);
        assertThat(store.contains(digest)).isTrue();
        assertThat(get(digest)).isEmpty();
    }

    @Test
    void putRejectsContentThatDoesNotMatchItsDigestAndStoresNothing() throws IOException {
        Digest claimed = ALGORITHM.digest("hello".getBytes());
        assertThatThrownBy(() -> store.put(claimed, new ByteArrayInputStream("jello".getBytes())))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining(claimed.hash());
        assertThat(store.contains(claimed)).isFalse();
        assertThat(stagingDir()).isEmptyDirectory();
    }

    @Test
    void secondPutOfTheSameBlobDoesNotReadTheContentAgain() throws IOException {
        byte[] data = "hello".getBytes();
        Digest digest = put(data);
        InputStream untouched = new ByteArrayInputStream(data);
        assertThat(store.put(digest, untouched)).isFalse();
        assertThat(untouched.available()).isEqualTo(data.length);
    }

    @Test
    void getOfAMissingBlobThrowsBlobNotFoundNamingTheDigest() {
        Digest missing = ALGORITHM.digest("nope".getBytes());
        assertThatThrownBy(() -> store.get(missing))
                .isInstanceOf(BlobNotFoundException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void containsSeesOnlyStoredBlobs() throws IOException {
        Digest stored = put("here".getBytes());
        Digest absent = ALGORITHM.digest("not here".getBytes());
        assertThat(store.contains(stored)).isTrue();
        assertThat(store.contains(absent)).isFalse();
    }

    @Test
    void containsManyFindsExactlyTheStoredBlobsInSmallAndLargeBatches() throws IOException {
        List<Digest> stored = new ArrayList<>();
        List<Digest> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] data = ("blob " + i).getBytes();
            if (i % 3 == 0) {
                stored.add(put(data));
            }
            all.add(ALGORITHM.digest(data));
        }
        assertThat(store.containsMany(all)).containsExactlyInAnyOrderElementsOf(stored);
        assertThat(store.containsMany(all.subList(0, 6))).containsExactlyInAnyOrder(stored.get(0), stored.get(1));
        assertThat(store.containsMany(List.of())).isEmpty();
    }

    @Test
    void deleteRemovesTheBlobAndSaysWhetherItWasThere() throws IOException {
        Digest digest = put("short-lived".getBytes());
        assertThat(store.delete(digest)).isTrue();
        assertThat(store.delete(digest)).isFalse();
        assertThat(store.contains(digest)).isFalse();
        assertThat(store.containsMany(List.of(digest))).isEmpty();
        assertThatThrownBy(() -> store.get(digest)).isInstanceOf(BlobNotFoundException.class);
    }

    @Test
    void corruptedRawBlobIsDetectedWhenRead() throws IOException {
        Digest digest = put(random(50_000, 4));
        flipOneByteOfStoredBlob(digest, 1000);
        assertReadFailsAsCorrupt(digest);
    }

    @Test
    void corruptedCompressedBlobIsDetectedWhenRead() throws IOException {
        Digest digest = put(text(300_000, 5));
        flipOneByteOfStoredBlob(digest, 2000);
        assertReadFailsAsCorrupt(digest);
    }

    private void flipOneByteOfStoredBlob(Digest digest, int at) throws IOException {
        byte[] stored = storedBytes(digest);
        stored[at] ^= 0x5A;
        replaceStoredBytes(digest, stored);
    }

    private void assertReadFailsAsCorrupt(Digest digest) throws IOException {
        try (InputStream in = store.get(digest)) {
            assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
                    .isInstanceOf(BlobCorruptedException.class)
                    .hasMessageContaining(digest.hash());
        }
    }

    @Test
    void concurrentPutsOfTheSameBlobsFromManyThreadsAreSafe() throws Exception {
        List<byte[]> blobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            blobs.add(i % 2 == 0 ? text(40_000 + i, i) : random(40_000 + i, i));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Callable<Void>> writers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                writers.add(() -> {
                    for (byte[] blob : blobs) {
                        put(blob);
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(writers)) {
                done.get();
            }
        }
        for (byte[] blob : blobs) {
            assertThat(get(ALGORITHM.digest(blob))).isEqualTo(blob);
        }
        assertThat(store.containsMany(blobs.stream().map(ALGORITHM::digest).toList())).hasSize(blobs.size());
        assertThat(stagingDir()).isEmptyDirectory();
    }
}
