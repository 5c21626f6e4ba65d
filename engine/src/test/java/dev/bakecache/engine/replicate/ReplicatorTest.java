package dev.bakecache.engine.replicate;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.manifest.ManifestSigner;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.TierBlobStore;
import dev.bakecache.engine.store.ShardRange;
import dev.bakecache.engine.tier.LocalTier;
import dev.bakecache.engine.manifest.ManifestStore;
import dev.bakecache.engine.tier.RequestCounter;
import dev.bakecache.engine.tier.Tier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Replication between two real local caches; the S3 and GCS tiers are exercised by the replicate job's tests. */
class ReplicatorTest {

    @TempDir
    Path dir;

    private LocalCache source;
    private LocalCache target;
    private Replicator replicator;

    @BeforeEach
    void openCaches() throws IOException {
        source = LocalCache.open(CacheFixtures.config(dir.resolve("source")), CacheFixtures.ENV);
        target = LocalCache.open(CacheFixtures.config(dir.resolve("target")), CacheFixtures.ENV);
        replicator = new Replicator(new LocalTier(source), new Mirror(target), signer());
    }

    @AfterEach
    void closeCaches() throws IOException {
        source.close();
        target.close();
    }

    private static ManifestSigner signer() {
        return ManifestSigner.fromEnvironment("BAKE_CACHE_SECRET", CacheFixtures.ENV);
    }

    @Test
    void copiesEveryBlobChunkAndManifestAndASecondRunCopiesNothing() throws IOException {
        Path outputs = CacheFixtures.outputs(dir.resolve("outputs"));
        CacheFixtures.ingest(source, "app", outputs);

        ShardCopy first = copyAllShards();
        ManifestCopy manifests = replicator.copyManifestPage(ManifestProgress.START).soFar();

        assertThat(first.copied()).isEqualTo(first.listed()).isPositive();
        assertThat(first.corrupt()).isEmpty();
        assertThat(manifests.copied()).isEqualTo(1);
        assertThat(CacheFixtures.restoresIdentically(target, "app", outputs, dir)).isTrue();
        assertThat(target.chunks().list().count()).isEqualTo(source.chunks().list().count()).isPositive();

        ShardCopy second = copyAllShards();
        ManifestCopy again = replicator.copyManifestPage(ManifestProgress.START).soFar();
        assertThat(second.copied()).isZero();
        assertThat(second.copiedBytes()).isZero();
        assertThat(again.copied()).isZero();
        assertThat(again.unchanged()).isEqualTo(1);
    }

    @Test
    void aManifestWaitsUntilEveryBlobItNamesIsInTheTarget() throws IOException {
        CacheFixtures.ingest(source, "app", CacheFixtures.outputs(dir.resolve("outputs")));

        ManifestCopy early = replicator.copyManifestPage(ManifestProgress.START).soFar();
        assertThat(early.copied()).isZero();
        assertThat(early.waiting()).containsExactly("app");
        assertThat(target.actions().contains("app")).isFalse();

        copyAllShards();
        assertThat(replicator.copyManifestPage(ManifestProgress.START).soFar().copied()).isEqualTo(1);
    }

    @Test
    void aCorruptSourceBlobIsReportedAndNeverCopied() throws IOException {
        CacheFixtures.ingest(source, "app", CacheFixtures.outputs(dir.resolve("outputs")));
        var victim = source.blobs().list().findFirst().orElseThrow();
        Path file = source.blobs().files().pathOf(victim.hash());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);

        ShardCopy copy = copyAllShards();

        assertThat(copy.corrupt()).containsExactly("blob " + victim.hash());
        assertThat(target.blobs().files().pathOf(victim.hash())).doesNotExist();
        assertThat(copy.copied()).isEqualTo(copy.listed() - 1);
        assertThat(replicator.copyManifestPage(ManifestProgress.START).soFar().waiting()).containsExactly("app");
    }

    @Test
    void aTamperedSourceManifestIsRejectedAndNotCopied() throws IOException {
        CacheFixtures.ingest(source, "app", CacheFixtures.outputs(dir.resolve("outputs")));
        copyAllShards();
        Path manifest = source.actions().pathOf("app");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"executable\":false", "\"executable\":true"));

        ManifestCopy copy = replicator.copyManifestPage(ManifestProgress.START).soFar();

        assertThat(copy.rejected()).singleElement().asString().startsWith("app: ");
        assertThat(target.actions().contains("app")).isFalse();
    }

    @Test
    void aManifestIngestedAgainWithOtherOutputsIsCopiedAgain() throws IOException {
        CacheFixtures.ingest(source, "app", CacheFixtures.single(dir.resolve("v1"), 1, 5_000));
        copyAllShards();
        replicator.copyManifestPage(ManifestProgress.START).soFar();

        Path v2 = CacheFixtures.single(dir.resolve("v2"), 2, 6_000);
        CacheFixtures.ingest(source, "app", v2);
        copyAllShards();
        ManifestCopy copy = replicator.copyManifestPage(ManifestProgress.START).soFar();

        assertThat(copy.copied()).isEqualTo(1);
        assertThat(CacheFixtures.restoresIdentically(target, "app", v2, dir)).isTrue();
    }

    private ShardCopy copyAllShards() {
        return IntStream.range(0, ShardRange.SHARDS).mapToObj(shard -> {
            try {
                return replicator.copyShard(shard, ProgressListener.NONE);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).reduce(ShardCopy.NONE, ShardCopy::plus);
    }

    /** A second local cache under another tier name, as a stand-in for a remote that needs no server. */
    private record Mirror(LocalCache cache) implements Tier {
        @Override
        public String name() {
            return "mirror";
        }

        @Override
        public TierBlobStore store(BlobKind kind) {
            return cache.store(kind);
        }

        @Override
        public ManifestStore manifests() {
            return cache.actions();
        }

        @Override
        public RequestCounter requests() {
            return new RequestCounter();
        }

        @Override
        public void close() {
        }
    }

}
