package dev.bakecache.engine.store;

import dev.bakecache.engine.compress.BlobFormat;
import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static dev.bakecache.engine.store.BlobStoreContract.random;
import static dev.bakecache.engine.store.BlobStoreContract.text;
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
        // below, at and above the size the compression policy samples (one trial frame, or a stream)
        for (int size : new int[] {20_000, CompressionPolicy.SAMPLE_BYTES, 300_000}) {
            byte[] data = text(size, 1);
            Digest digest = put(data);
            assertThat(store.isRaw(digest)).isFalse();
            assertThat(store.storedSize(digest).getAsLong()).isLessThan(data.length / 2);
            assertThat(get(digest)).isEqualTo(data);
        }
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
    void readOnlyBlobFilesHoldAgainstThisProcessUnlessItIsRoot() throws IOException {
        boolean asRoot = Files.getOwner(Files.createFile(root.resolve("mine"))).getName().equals("root");

        assertThat(store.writableThroughReadOnlyFiles()).isEqualTo(asRoot);
        assertThat(layout.tmpDir()).as("the probe is gone").isEmptyDirectory();
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
