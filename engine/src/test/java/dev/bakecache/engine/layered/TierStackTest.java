package dev.bakecache.engine.layered;

import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.CacheStrategy;
import dev.bakecache.engine.config.WriteMode;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.BlobNotFoundException;
import dev.bakecache.engine.store.BlobStore;
import dev.bakecache.engine.store.CasLayout;
import dev.bakecache.engine.store.LocalBlobStore;
import dev.bakecache.engine.tier.RequestCounter.Request;
import dev.bakecache.engine.tier.Tier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.bakecache.engine.store.BlobStoreContract.random;
import static dev.bakecache.engine.store.BlobStoreContract.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the strategies and write modes spread blobs over a local tier and an S3 remote. */
class TierStackTest {

    @RegisterExtension
    static final S3ProxyRemote server = new S3ProxyRemote();

    @TempDir
    Path root;
    private String bucket;
    private LocalBlobStore local;
    private final List<Tier> opened = new ArrayList<>();
    private final TierWarnings warnings = new TierWarnings();

    @BeforeEach
    void emptyTiers() throws IOException {
        bucket = server.createBucket();
        local = LocalBlobStore.open(new CasLayout(root), BlobKind.BLOB, HashAlgorithm.BLAKE3, CompressionPolicy.defaults());
    }

    @AfterEach
    void closeRemotes() throws IOException {
        for (Tier tier : opened) {
            tier.close();
        }
    }

    private CacheConfig localFirstWriteThrough() {
        return server.config(root, bucket, CacheStrategy.LOCAL_FIRST, WriteMode.WRITE_THROUGH);
    }

    private Tier remote(CacheConfig config) throws IOException {
        Tier tier = Tiers.open(config, S3ProxyRemote.NAME, Map.of());
        opened.add(tier);
        return tier;
    }

    private TierStack layered(CacheConfig config, Tier remote) {
        return TierStack.compose(config, local, List.of(new TierStore(remote.name(), remote.store(BlobKind.BLOB))),
                warnings);
    }

    private static Digest put(BlobStore store, byte[] data) throws IOException {
        Digest digest = HashAlgorithm.BLAKE3.digest(data);
        store.put(digest, new ByteArrayInputStream(data));
        return digest;
    }

    private static byte[] read(BlobStore store, Digest digest) throws IOException {
        try (InputStream in = store.get(digest)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aHitInS3WithLocalFirstIsPromotedToLocal() throws IOException {
        CacheConfig config = localFirstWriteThrough();
        Tier remote = remote(config);
        byte[] data = text(100_000, 1);
        Digest digest = put(remote.store(BlobKind.BLOB), data);

        assertThat(read(layered(config, remote).store(), digest)).isEqualTo(data);

        assertThat(local.contains(digest)).isTrue();
        assertThat(read(local, digest)).isEqualTo(data);
        assertThat(root.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void writeThroughReachesBothTiersAndWriteLocalLeavesTheRemoteUntouchedUntilReplicated() throws IOException {
        CacheConfig through = localFirstWriteThrough();
        Tier remote = remote(through);
        Digest first = put(layered(through, remote).store(), "through".getBytes());
        assertThat(server.keys(bucket)).containsExactly(S3ProxyRemote.blobKey(first));

        TierStack writeLocal = layered(through.withWriteMode(WriteMode.WRITE_LOCAL), remote);
        Digest second = put(writeLocal.store(), "local only".getBytes());
        assertThat(local.contains(second)).isTrue();
        assertThat(server.keys(bucket)).containsExactly(S3ProxyRemote.blobKey(first));
        long putsBefore = remote.requests().get(Request.PUT);

        assertThat(writeLocal.replicate(List.of(first, second))).containsExactly(Map.entry(S3ProxyRemote.NAME, 1));
        assertThat(server.keys(bucket))
                .containsExactlyInAnyOrder(S3ProxyRemote.blobKey(first), S3ProxyRemote.blobKey(second));
        assertThat(remote.requests().get(Request.PUT) - putsBefore).as("only the missing blob is uploaded").isEqualTo(1);
    }

    @Test
    void remoteFirstReadsFromTheRemoteFirst() throws IOException {
        CacheConfig localFirst = localFirstWriteThrough();
        Tier remote = remote(localFirst);
        byte[] data = random(20_000, 2);
        Digest digest = put(layered(localFirst, remote).store(), data);

        read(layered(localFirst, remote).store(), digest);
        assertThat(remote.requests().get(Request.GET)).as("local-first finds it locally").isZero();

        assertThat(read(layered(localFirst.withStrategy(CacheStrategy.REMOTE_FIRST), remote).store(), digest)).isEqualTo(data);
        assertThat(remote.requests().get(Request.GET)).as("remote-first asks the remote").isEqualTo(1);
    }

    @Test
    void aRemoteFirstHitFillsTheLocalTierButWriteLocalDoesNotFillTheRemote() throws IOException {
        CacheConfig remoteFirst = localFirstWriteThrough().withStrategy(CacheStrategy.REMOTE_FIRST);
        Tier remote = remote(remoteFirst);
        byte[] fromRemote = text(30_000, 6);
        Digest remoteHit = put(remote.store(BlobKind.BLOB), fromRemote);
        Digest localHit = put(local, "only local".getBytes());
        TierStack stack = layered(remoteFirst.withWriteMode(WriteMode.WRITE_LOCAL), remote);

        assertThat(read(stack.store(), remoteHit)).isEqualTo(fromRemote);
        assertThat(read(stack.store(), localHit)).isEqualTo("only local".getBytes());

        assertThat(local.contains(remoteHit)).isTrue();
        assertThat(server.keys(bucket)).containsExactly(S3ProxyRemote.blobKey(remoteHit));
    }

    @Test
    void aRemoteThatIsDownGivesOneWarningAndLocalResultsWithinSeconds() throws IOException {
        URI down = S3ProxyRemote.closedPort();
        CacheConfig config = S3ProxyRemote.config(root, down, bucket, CacheStrategy.LOCAL_FIRST, WriteMode.WRITE_THROUGH);
        TierStack stack = layered(config, remote(config));
        long started = System.nanoTime();

        byte[] data = text(50_000, 3);
        Digest stored = put(stack.store(), data);
        Digest absent = HashAlgorithm.BLAKE3.digest("never stored".getBytes());
        assertThat(stack.store().contains(stored)).isTrue();
        assertThat(stack.store().containsMany(List.of(stored, absent))).containsExactly(stored);
        assertThat(read(stack.store(), stored)).isEqualTo(data);
        assertThatThrownBy(() -> stack.store().get(absent)).isInstanceOf(BlobNotFoundException.class);
        assertThat(stack.replicate(List.of(stored))).isEmpty();

        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        assertThat(elapsed).as("one round of client retries, not one per call").isLessThan(Duration.ofSeconds(15));
        assertThat(warnings.messages()).singleElement().asString()
                .startsWith("remote teamS3 is unavailable, carrying on without it for this run: ")
                .contains("Connection refused");
        assertThat(local.contains(stored)).isTrue();
    }

    @Test
    void aCorruptCopyInOneTierFallsThroughToTheNextAndIsRepaired() throws IOException {
        CacheConfig config = localFirstWriteThrough();
        TierStack stack = layered(config, remote(config));
        byte[] data = random(40_000, 4);
        Digest digest = put(stack.store(), data);
        Path file = local.pathOf(digest);
        byte[] damaged = Files.readAllBytes(file);
        damaged[1000] ^= 0x5A;
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.write(file, damaged);

        assertThat(read(stack.store(), digest)).isEqualTo(data);

        assertThat(warnings.messages()).singleElement().asString()
                .startsWith("skipped a corrupt copy of " + digest.hash() + " in local");
        assertThat(read(local, digest)).as("the remote's copy was promoted over the damaged one").isEqualTo(data);
    }

    @Test
    void aCorruptRemoteCopyIsNeitherReturnedNorPromoted() throws IOException {
        CacheConfig config = localFirstWriteThrough();
        Tier remote = remote(config);
        byte[] data = random(40_000, 5);
        Digest digest = put(remote.store(BlobKind.BLOB), data);
        byte[] damaged = server.object(bucket, S3ProxyRemote.blobKey(digest));
        damaged[10] ^= 0x5A;
        server.replaceObject(bucket, S3ProxyRemote.blobKey(digest), damaged);
        TierStack stack = layered(config, remote);

        assertThat(stack.fetch(List.of(digest))).containsExactly(digest);
        assertThat(local.contains(digest)).isFalse();
        try (InputStream in = stack.store().get(digest)) {
            assertThatThrownBy(in::readAllBytes).hasMessageContaining(digest.hash());
        }
        assertThat(local.contains(digest)).isFalse();
    }

    @Test
    void containsManyMergesWhatEachTierHasAndFetchBringsRemoteBlobsHome() throws IOException {
        CacheConfig config = localFirstWriteThrough();
        Tier remote = remote(config);
        List<Digest> localOnes = new ArrayList<>();
        List<Digest> remoteOnes = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            localOnes.add(put(local, ("local " + i).getBytes()));
            remoteOnes.add(put(remote.store(BlobKind.BLOB), ("remote " + i).getBytes()));
        }
        Digest nowhere = HashAlgorithm.BLAKE3.digest("nowhere".getBytes());
        TierStack stack = layered(config, remote);
        List<Digest> asked = new ArrayList<>(localOnes);
        asked.addAll(remoteOnes);
        asked.add(nowhere);

        assertThat(stack.store().containsMany(asked)).hasSize(300).doesNotContain(nowhere);
        assertThat(stack.fetch(asked)).containsExactly(nowhere);
        assertThat(local.containsMany(asked)).hasSize(300);
    }

    @Test
    void disabledStoresNothingAndFindsNothing() throws IOException {
        CacheConfig config = server.config(root, bucket, CacheStrategy.DISABLED, WriteMode.WRITE_THROUGH);
        Tier remote = remote(config);
        Digest inLocal = put(local, "already here".getBytes());
        TierStack stack = layered(config, remote);

        InputStream unread = new ByteArrayInputStream("new".getBytes());
        assertThat(stack.store().put(HashAlgorithm.BLAKE3.digest("new".getBytes()), unread)).isFalse();
        assertThat(unread.available()).as("content not even read").isEqualTo(3);
        assertThat(stack.store().contains(inLocal)).isFalse();
        assertThat(stack.store().containsMany(List.of(inLocal))).isEmpty();
        assertThatThrownBy(() -> stack.store().get(inLocal)).isInstanceOf(BlobNotFoundException.class);
        try (var listing = local.list()) {
            assertThat(listing).hasSize(1);
        }
        assertThat(server.keys(bucket)).isEmpty();
    }
}
