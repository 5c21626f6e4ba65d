package dev.bakecache.engine.store;

import dev.bakecache.engine.compress.BlobFormat;
import dev.bakecache.engine.compress.CompressionPolicy;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

class LocalBlobStoreTest {

    @TempDir
    Path root;
    private CasLayout layout;
    private LocalBlobStore store;

    @BeforeEach
    void open() throws IOException {
        layout = new CasLayout(root);
        store = LocalBlobStore.open(layout, BlobKind.BLOB, HashAlgorithm.BLAKE3, CompressionPolicy.defaults());
    }

    static byte[] text(int size, long seed) {
        StringBuilder sb = new StringBuilder();
        Random random = new Random(seed);
        while (sb.length() < size) {
            sb.append("line ").append(random.nextInt(1000)).append(": the quick brown fox\n");
        }
        return sb.substring(0, size).getBytes();
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private Digest put(byte[] data) throws IOException {
        Digest digest = HashAlgorithm.BLAKE3.digest(data);
        store.put(digest, new ByteArrayInputStream(data));
        return digest;
    }

    private byte[] get(Digest digest) throws IOException {
        try (InputStream in = store.get(digest)) {
            return in.readAllBytes();
        }
    }

    @Test
    void blobsLandInThePlansShardedLayout() throws IOException {
        Digest digest = put("hello".getBytes());
        assertThat(store.pathOf(digest))
                .isEqualTo(root.resolve("cas/blobs/blake3/" + digest.hash().substring(0, 2) + "/" + digest.hash()))
                .exists();
        LocalBlobStore chunks = LocalBlobStore.open(layout, BlobKind.CHUNK, HashAlgorithm.BLAKE3, CompressionPolicy.defaults());
        chunks.put(digest, new ByteArrayInputStream("hello".getBytes()));
        assertThat(chunks.pathOf(digest)).startsWith(root.resolve("cas/blobs/chunks")).exists();
    }

    @Test
    void compressibleBlobIsStoredAsZstdAndReadsBackIdentical() throws IOException {
        byte[] data = text(300_000, 1);
        Digest digest = put(data);
        assertThat(store.isRaw(digest)).isFalse();
        assertThat(store.storedSize(digest).getAsLong()).isLessThan(data.length / 2);
        assertThat(get(digest)).isEqualTo(data);
    }

    @Test
    void incompressibleBlobIsStoredRawByteForByte() throws IOException {
        byte[] data = random(300_000, 2);
        Digest digest = put(data);
        assertThat(store.isRaw(digest)).isTrue();
        assertThat(Files.readAllBytes(store.pathOf(digest))).isEqualTo(data);
        assertThat(get(digest)).isEqualTo(data);
    }

    @Test
    void blobFilesAreReadOnly() throws IOException {
        Digest digest = put("hello".getBytes());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.pathOf(digest))))
                .isEqualTo("r--r--r--");
    }

    @Test
    void putRejectsContentThatDoesNotMatchItsDigestAndLeavesNothing() throws IOException {
        Digest claimed = HashAlgorithm.BLAKE3.digest("hello".getBytes());
        assertThatThrownBy(() -> store.put(claimed, new ByteArrayInputStream("jello".getBytes())))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining(claimed.hash());
        assertThat(store.contains(claimed)).isFalse();
        assertThat(layout.tmpDir()).isEmptyDirectory();
    }

    @Test
    void putThatFailsMidStreamLeavesNoBlobUnderItsFinalName() throws IOException {
        byte[] data = random(500_000, 3);
        Digest digest = HashAlgorithm.BLAKE3.digest(data);
        InputStream failing = new InputStream() {
            int served;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served > 200_000) {
                    throw new IOException("disk on fire");
                }
                int n = Math.min(len, data.length - served);
                System.arraycopy(data, served, b, off, n);
                served += n;
                return n;
            }
        };
        assertThatThrownBy(() -> store.put(digest, failing)).hasMessageContaining("disk on fire");
        assertThat(store.contains(digest)).isFalse();
        assertThat(layout.tmpDir()).isEmptyDirectory();
    }

    @Test
    void secondPutOfTheSameBlobDoesNotRewriteIt() throws IOException {
        byte[] data = "hello".getBytes();
        Digest digest = put(data);
        InputStream untouched = new ByteArrayInputStream(data);
        assertThat(store.put(digest, untouched)).isFalse();
        assertThat(untouched.available()).isEqualTo(data.length);
    }

    @Test
    void getOfMissingBlobNamesTheDigest() {
        Digest missing = HashAlgorithm.BLAKE3.digest("nope".getBytes());
        assertThatThrownBy(() -> store.get(missing))
                .isInstanceOf(BlobNotFoundException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void corruptedRawBlobIsDetectedWhenRead() throws IOException {
        Digest digest = put(random(50_000, 4));
        flipOneByte(store.pathOf(digest), 1000);
        try (InputStream in = store.get(digest)) {
            assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
                    .isInstanceOf(BlobCorruptedException.class).hasMessageContaining(digest.hash());
        }
    }

    @Test
    void corruptedZstdBlobIsDetectedWhenRead() throws IOException {
        Digest digest = put(text(300_000, 5));
        flipOneByte(store.pathOf(digest), 2000);
        try (InputStream in = store.get(digest)) {
            assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
                    .isInstanceOf(BlobCorruptedException.class);
        }
    }

    static void flipOneByte(Path file, int at) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        byte[] bytes = Files.readAllBytes(file);
        bytes[at] ^= 0x5A;
        Files.write(file, bytes);
    }

    @Test
    void listDescribeAndDeleteSeeWhatWasStored() throws IOException {
        byte[] compressible = text(100_000, 6);
        Digest a = put(compressible);
        Digest b = put(random(20_000, 7));
        try (var listing = store.list()) {
            assertThat(listing.map(StoredBlob::hash)).containsExactlyInAnyOrder(a.hash(), b.hash());
        }
        StoredBlob listedA = new StoredBlob(a.hash(), store.storedSize(a).getAsLong(), java.time.Instant.now());
        BlobFile described = store.describe(listedA);
        assertThat(described.size()).isEqualTo(compressible.length);
        assertThat(described.format()).isEqualTo(BlobFormat.ZSTD);
        assertThat(store.delete(a)).isTrue();
        assertThat(store.delete(a)).isFalse();
        assertThat(store.containsMany(List.of(a, b))).containsExactly(b);
    }

    @Test
    void batchPutOpensOnlyMissingBlobs() throws IOException {
        byte[] one = "one".getBytes();
        byte[] two = "two".getBytes();
        Digest first = put(one);
        Digest second = HashAlgorithm.BLAKE3.digest(two);
        Map<Digest, BlobStore.BlobSource> batch = new HashMap<>();
        batch.put(first, () -> {
            throw new AssertionError("a blob already stored must not be opened");
        });
        batch.put(second, () -> new ByteArrayInputStream(two));
        assertThat(store.putMany(batch)).containsExactly(second);
        List<Digest> seen = new ArrayList<>();
        store.getMany(List.of(first, second), (digest, in) -> {
            in.transferTo(OutputStream.nullOutputStream());
            seen.add(digest);
        });
        assertThat(seen).containsExactly(first, second);
    }

    @Test
    void concurrentPutsOfTheSameBlobsFromManyThreadsAreSafe() throws Exception {
        List<byte[]> blobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            blobs.add(i % 2 == 0 ? text(40_000 + i, i) : random(40_000 + i, i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
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
        } finally {
            pool.shutdown();
        }
        for (byte[] blob : blobs) {
            assertThat(get(HashAlgorithm.BLAKE3.digest(blob))).isEqualTo(blob);
        }
        assertThat(layout.tmpDir()).isEmptyDirectory();
    }

    @Test
    void concurrentPutsFromSeveralProcessesAreSafe() throws Exception {
        int processes = 3;
        List<Process> running = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            running.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"),
                    BlobPutterProcess.class.getName(), root.toString())
                    .redirectErrorStream(true).start());
        }
        BlobPutterProcess.putAll(root); // this JVM races them too
        for (Process process : running) {
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(output).isZero();
        }
        for (byte[] blob : BlobPutterProcess.blobs()) {
            assertThat(get(HashAlgorithm.BLAKE3.digest(blob))).isEqualTo(blob);
        }
        assertThat(layout.tmpDir()).isEmptyDirectory();
    }
}
