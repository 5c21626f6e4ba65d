package dev.bakecache.engine.remote;

import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.BlobStore;
import dev.bakecache.engine.store.CasLayout;
import dev.bakecache.engine.store.LocalBlobStore;
import dev.bakecache.engine.tier.RequestCounter.Request;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.bakecache.engine.store.BlobStoreContract.random;
import static dev.bakecache.engine.store.BlobStoreContract.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a bucket tier adds to the BlobStore contract, whichever provider's bucket it is on: its
 * key layout, its request economy, its manifests and its checked uploads.
 */
abstract class BucketTierContract {

    @TempDir
    Path root;
    protected String bucket;
    protected RemoteConfig remote;

    protected abstract BucketServer server();

    /** Whether the server itself checks an upload's MD5, as S3 and GCS do and an in-memory fake does not. */
    protected boolean serverChecksUploads() {
        return true;
    }

    @BeforeEach
    void newBucket() throws IOException {
        bucket = server().createBucket();
        remote = server().remote(bucket, "bake/");
    }

    protected BucketTier openTier() {
        return server().openTier(remote, root.resolve("tmp"));
    }

    private static Digest put(BlobStore store, byte[] data) throws IOException {
        Digest digest = HashAlgorithm.BLAKE3.digest(data);
        store.put(digest, new ByteArrayInputStream(data));
        return digest;
    }

    private List<String> objectKeys() throws IOException {
        return server().keys(bucket);
    }

    @Test
    void blobsChunksAndManifestsLandUnderThePrefixInTheLocalTiersLayout() throws IOException {
        byte[] data = "hello".getBytes();
        try (BucketTier tier = openTier()) {
            Digest digest = put(tier.blobs(), data);
            put(tier.chunks(), data);
            tier.manifests().putBytes("linux-x86_64-abc", "{}".getBytes());
            String shard = digest.hash().substring(0, 2);
            assertThat(objectKeys()).containsExactlyInAnyOrder(
                    "bake/cas/blobs/blake3/" + shard + "/" + digest.hash(),
                    "bake/cas/blobs/chunks/" + shard + "/" + digest.hash(),
                    "bake/ac/linux-x86_64-abc.json");
        }
    }

    @Test
    void objectsHoldTheSameStoredBytesAsTheLocalTierSoReplicationCanCopyThem() throws IOException {
        LocalBlobStore local = LocalBlobStore.open(new CasLayout(root.resolve("local")), BlobKind.BLOB,
                HashAlgorithm.BLAKE3, CompressionPolicy.defaults());
        try (BucketTier tier = openTier()) {
            for (byte[] data : List.of(text(200_000, 1), random(30_000, 2))) {
                Digest digest = put(local, data);
                put(tier.blobs(), data);
                byte[] object = server().read(bucket, tier.blobs().keyOf(digest));
                assertThat(object).isEqualTo(Files.readAllBytes(local.pathOf(digest)));
            }
        }
    }

    @Test
    void putOfABlobTheBucketHasUploadsNothing() throws IOException {
        byte[] data = text(50_000, 3);
        try (BucketTier first = openTier()) {
            put(first.blobs(), data);
        }
        try (BucketTier second = openTier()) {
            Digest digest = HashAlgorithm.BLAKE3.digest(data);
            assertThat(second.blobs().put(digest, new ByteArrayInputStream(data))).isFalse();
            assertThat(second.blobs().put(digest, new ByteArrayInputStream(data))).isFalse();
            assertThat(second.requests().get(Request.PUT)).isZero();
            assertThat(second.requests().get(Request.HEAD)).as("the second put trusts the first HEAD").isEqualTo(1);
        }
    }

    @Test
    void largeContainsManyListsShardsInsteadOfSendingOneHeadPerBlob() throws IOException {
        List<Digest> stored = new ArrayList<>();
        List<Digest> asked = new ArrayList<>();
        try (BucketTier writer = openTier()) {
            for (int i = 0; i < 400; i++) {
                byte[] data = ("blob " + i).getBytes();
                if (i % 2 == 0) {
                    stored.add(put(writer.blobs(), data));
                }
                asked.add(HashAlgorithm.BLAKE3.digest(data));
            }
        }
        try (BucketTier reader = openTier()) {
            assertThat(reader.blobs().containsMany(asked)).containsExactlyInAnyOrderElementsOf(stored);
            assertThat(reader.requests().get(Request.HEAD)).isZero();
            long shards = asked.stream().map(Digest::shardPrefix).distinct().count();
            assertThat(reader.requests().get(Request.LIST)).isEqualTo(shards);

            assertThat(reader.blobs().containsMany(stored)).hasSameSizeAs(stored);
            assertThat(reader.requests().get(Request.LIST)).as("present blobs are remembered").isEqualTo(shards);
        }
    }

    @Test
    void putManyUploadsOnlyWhatTheBucketLacks() throws IOException {
        try (BucketTier tier = openTier()) {
            Map<Digest, BucketBlobStore.BlobSource> batch = new HashMap<>();
            for (int i = 0; i < 150; i++) {
                byte[] data = text(2_000 + i, i);
                batch.put(HashAlgorithm.BLAKE3.digest(data), () -> new ByteArrayInputStream(data));
            }
            assertThat(tier.blobs().putMany(batch)).hasSize(150);
            long puts = tier.requests().get(Request.PUT);
            long heads = tier.requests().get(Request.HEAD);
            assertThat(tier.blobs().putMany(batch)).isEmpty();
            assertThat(tier.requests().get(Request.PUT)).isEqualTo(puts);
            assertThat(tier.requests().get(Request.HEAD)).isEqualTo(heads);
        }
    }

    @Test
    void manifestsRoundTripAsTheirExactBytes() throws IOException {
        byte[] json = "{\"actionKey\":\"k1\"}".getBytes();
        try (BucketTier tier = openTier()) {
            BucketManifestStore manifests = tier.manifests();
            assertThat(manifests.getBytes("k1")).isEmpty();
            manifests.putBytes("k1", json);
            manifests.putBytes("k2", json);
            assertThat(manifests.getBytes("k1")).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(json));
            try (var keys = manifests.keys()) {
                assertThat(keys).containsExactlyInAnyOrder("k1", "k2");
            }
            assertThat(manifests.delete("k1")).isTrue();
            assertThat(manifests.delete("k1")).isFalse();
            assertThat(manifests.contains("k2")).isTrue();
        }
    }

    @Test
    void uploadWhoseBytesDoNotMatchTheirMd5IsRefusedAndLeavesNoObject() throws IOException {
        assumeTrue(serverChecksUploads(), "this server does not check uploads");
        Path staged = Files.createDirectories(root.resolve("staged")).resolve("blob");
        Files.write(staged, text(10_000, 4));
        String otherMd5 = Md5.base64(text(10_000, 5));
        try (BucketTier tier = openTier()) {
            assertThatThrownBy(() -> tier.bucket().put("bake/damaged", staged, otherMd5))
                    .isInstanceOf(ObjectRequestException.class)
                    .hasMessageContaining(tier.bucket().url("bake/damaged"));
            assertThat(tier.bucket().head("bake/damaged")).isEmpty();
        }
    }
}
