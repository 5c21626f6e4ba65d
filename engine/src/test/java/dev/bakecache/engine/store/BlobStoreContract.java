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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link BlobStore} must do, whatever tier it is. Each implementation's test extends
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
        assertThat(store.storedSize(digest).getAsLong()).isLessThan(data.length / 2);
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
    void containsAndStoredSizeSeeOnlyStoredBlobs() throws IOException {
        Digest stored = put("here".getBytes());
        Digest absent = ALGORITHM.digest("not here".getBytes());
        assertThat(store.contains(stored)).isTrue();
        assertThat(store.contains(absent)).isFalse();
        assertThat(store.storedSize(stored)).hasValue(storedBytes(stored).length);
        assertThat(store.storedSize(absent)).isEmpty();
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
    void listSeesEveryStoredBlobWithItsStoredSize() throws IOException {
        Digest a = put(text(100_000, 6));
        Digest b = put(random(20_000, 7));
        try (var listing = store.list()) {
            assertThat(listing.toList())
                    .extracting(StoredBlob::hash, StoredBlob::storedSize)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(a.hash(), store.storedSize(a).getAsLong()),
                            org.assertj.core.groups.Tuple.tuple(b.hash(), store.storedSize(b).getAsLong()));
        }
    }

    @Test
    void putManyOpensOnlyMissingBlobsAndGetManyHandsOverVerifiedContent() throws IOException {
        byte[] one = "one".getBytes();
        byte[] two = text(50_000, 8);
        Digest first = put(one);
        Digest second = ALGORITHM.digest(two);
        Map<Digest, BlobStore.BlobSource> batch = new HashMap<>();
        batch.put(first, () -> {
            throw new AssertionError("a blob already stored must not be opened");
        });
        batch.put(second, () -> new ByteArrayInputStream(two));
        assertThat(store.putMany(batch)).containsExactly(second);
        Map<Digest, byte[]> seen = new HashMap<>();
        store.getMany(List.of(first, second), (digest, in) -> seen.put(digest, in.readAllBytes()));
        assertThat(seen).containsOnlyKeys(first, second);
        assertThat(seen.get(second)).isEqualTo(two);
    }

    @Test
    void listShardSeesOnlyTheBlobsOfThatShard() throws IOException {
        List<Digest> stored = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            stored.add(put(("shard blob " + i).getBytes()));
        }
        String shard = stored.getFirst().shardPrefix();
        try (var listing = store.listShard(shard)) {
            assertThat(listing.map(StoredBlob::hash).toList()).containsExactlyInAnyOrderElementsOf(
                    stored.stream().filter(d -> d.shardPrefix().equals(shard)).map(Digest::hash).toList());
        }
        String emptyShard = java.util.stream.IntStream.range(0, 256).mapToObj(i -> "%02x".formatted(i))
                .filter(s -> stored.stream().noneMatch(d -> d.shardPrefix().equals(s))).findFirst().orElseThrow();
        try (var listing = store.listShard(emptyShard)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void storedFormCopiedIntoAnotherStoreReadsBackAsTheSameBlob() throws IOException {
        byte[] compressible = text(200_000, 11);
        byte[] incompressible = random(30_000, 12);
        BlobStore copy = openEmptyStore(root.resolve("copy"));
        for (byte[] data : List.of(compressible, incompressible)) {
            Digest digest = put(data);
            try (InputStream stored = store.openStored(digest.hash())) {
                assertThat(copy.putStored(digest.hash(), stored)).isEqualTo(digest);
            }
            try (InputStream in = copy.get(digest)) {
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
            try (InputStream original = store.openStored(digest.hash());
                 InputStream copied = copy.openStored(digest.hash())) {
                assertThat(copied.readAllBytes()).isEqualTo(original.readAllBytes());
            }
        }
    }

    @Test
    void putStoredRefusesBytesThatDoNotHashToTheirNameAndStoresNothing() throws IOException {
        Digest digest = ALGORITHM.digest("the real content".getBytes());
        assertThatThrownBy(() -> store.putStored(digest.hash(), new ByteArrayInputStream("forged".getBytes())))
                .isInstanceOf(BlobCorruptedException.class)
                .hasMessageContaining(digest.hash());
        assertThat(store.contains(digest)).isFalse();
        assertThat(stagingDir()).isEmptyDirectory();
    }

    @Test
    void openStoredOfAMissingBlobThrowsBlobNotFound() {
        String missing = ALGORITHM.digest("nope".getBytes()).hash();
        assertThatThrownBy(() -> store.openStored(missing))
                .isInstanceOf(BlobNotFoundException.class)
                .hasMessageContaining(missing);
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
        try (var listing = store.list()) {
            assertThat(listing.count()).isEqualTo(blobs.size());
        }
        assertThat(stagingDir()).isEmptyDirectory();
    }
}
