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
import dev.bakecache.engine.tier.RequestCounter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

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

/** What the S3 tier adds to the BlobStore contract: its key layout, its request economy, manifests. */
class S3BlobStoreTest {

    @RegisterExtension
    static final S3ProxyServer server = new S3ProxyServer();

    @TempDir
    Path root;
    private String bucket;
    private RemoteConfig remote;

    @BeforeEach
    void newBucket() {
        bucket = server.createBucket();
        remote = server.remote(bucket, "bake/");
    }

    private S3Tier openTier() {
        return server.openTier(remote, root.resolve("tmp"));
    }

    private static Digest put(BlobStore store, byte[] data) throws IOException {
        Digest digest = HashAlgorithm.BLAKE3.digest(data);
        store.put(digest, new ByteArrayInputStream(data));
        return digest;
    }

    private List<String> objectKeys() {
        return server.admin().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key).toList();
    }

    @Test
    void blobsChunksAndManifestsLandUnderThePrefixInTheLocalTiersLayout() throws IOException {
        byte[] data = "hello".getBytes();
        try (S3Tier tier = openTier()) {
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
        try (S3Tier tier = openTier()) {
            for (byte[] data : List.of(text(200_000, 1), random(30_000, 2))) {
                Digest digest = put(local, data);
                put(tier.blobs(), data);
                byte[] object = server.admin()
                        .getObjectAsBytes(b -> b.bucket(bucket).key(tier.blobs().keyOf(digest))).asByteArray();
                assertThat(object).isEqualTo(Files.readAllBytes(local.pathOf(digest)));
            }
        }
    }

    @Test
    void putOfABlobTheBucketHasUploadsNothing() throws IOException {
        byte[] data = text(50_000, 3);
        try (S3Tier first = openTier()) {
            put(first.blobs(), data);
        }
        try (S3Tier second = openTier()) {
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
        try (S3Tier writer = openTier()) {
            for (int i = 0; i < 400; i++) {
                byte[] data = ("blob " + i).getBytes();
                if (i % 2 == 0) {
                    stored.add(put(writer.blobs(), data));
                }
                asked.add(HashAlgorithm.BLAKE3.digest(data));
            }
        }
        try (S3Tier reader = openTier()) {
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
        try (S3Tier tier = openTier()) {
            Map<Digest, BlobStore.BlobSource> batch = new HashMap<>();
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
        try (S3Tier tier = openTier()) {
            S3ActionStore manifests = tier.manifests();
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
    void failureNamesTheBucketTheKeyAndTheHttpStatus() {
        RemoteConfig missingBucket = server.remote("no-such-bucket", "bake/");
        try (S3Tier tier = server.openTier(missingBucket, root.resolve("tmp"))) {
            // A PUT's error names bucket and key; whether its status arrives depends on whether the
            // server answers before or after reading the body, so the status is checked on a GET.
            assertThatThrownBy(() -> tier.manifests().putBytes("k1", "{}".getBytes()))
                    .isInstanceOf(S3RequestException.class)
                    .hasMessageContaining("PUT s3://no-such-bucket/bake/ac/k1.json");
            Digest digest = HashAlgorithm.BLAKE3.digest("hello".getBytes());
            assertThatThrownBy(() -> tier.blobs().get(digest))
                    .as("a missing bucket is not a missing blob")
                    .isInstanceOf(S3RequestException.class)
                    .hasMessageContaining("GET s3://no-such-bucket/" + tier.blobs().keyOf(digest))
                    .hasMessageContaining("HTTP 404")
                    .hasMessageContaining("cache.remotes[].bucket");
        }
    }
}
