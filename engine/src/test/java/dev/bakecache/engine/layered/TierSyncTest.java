package dev.bakecache.engine.layered;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.CacheStrategy;
import dev.bakecache.engine.config.WriteMode;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.store.BlobNotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ingests reaching the remotes, and restores on a machine whose local tier has never seen them. */
class TierSyncTest {

    @RegisterExtension
    static final S3ProxyRemote server = new S3ProxyRemote();

    @TempDir
    Path tmp;
    private String bucket;
    private Path outputs;

    @BeforeEach
    void bucketAndOutputs() throws IOException {
        bucket = server.createBucket();
        outputs = CacheFixtures.outputs(tmp.resolve("outputs"));
    }

    private CacheConfig config(String machine, CacheStrategy strategy, WriteMode writeMode) {
        return server.config(tmp.resolve(machine), bucket, strategy, writeMode);
    }

    /** Ingests the outputs as {@code web} on one machine and pushes them. */
    private String ingestAndPush(CacheConfig config) throws IOException {
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV);
             TierSync sync = TierSync.open(cache, CacheFixtures.ENV)) {
            CacheFixtures.ingest(cache, "web", outputs);
            String pushed = sync.push(List.of("web")).orElse("");
            assertThat(sync.warnings()).isEmpty();
            return pushed;
        }
    }

    @Test
    void aPushedIngestRestoresOnAnotherMachineFromTheRemote() throws IOException {
        String pushed = ingestAndPush(config("builder", CacheStrategy.LOCAL_FIRST, WriteMode.WRITE_THROUGH));
        assertThat(pushed).matches("pushed 1 manifests, \\d+ blobs and \\d+ chunks to teamS3");
        assertThat(server.keys(bucket)).contains("bake/ac/web.json");

        try (LocalCache cache = LocalCache.open(config("laptop", CacheStrategy.LOCAL_FIRST, WriteMode.WRITE_THROUGH),
                CacheFixtures.ENV);
             TierSync sync = TierSync.open(cache, CacheFixtures.ENV)) {
            assertThat(sync.pull("web")).get().asString().startsWith("fetched the manifest and ");
            assertThat(CacheFixtures.manifestsNamingMissingBlobs(cache)).isEmpty();
            assertThat(CacheFixtures.restoresIdentically(cache, "web", outputs, tmp)).isTrue();
            assertThat(sync.pull("web")).as("the second time everything is local").isEmpty();
        }
    }

    @Test
    void aSecondPushOfTheSameIngestSendsNoBlobs() throws IOException {
        CacheConfig config = config("builder", CacheStrategy.LOCAL_FIRST, WriteMode.WRITE_THROUGH);
        ingestAndPush(config);

        assertThat(ingestAndPush(config)).isEqualTo("pushed 1 manifests, 0 blobs and 0 chunks to teamS3");
    }

    @Test
    void writeLocalAndLocalOnlyPushNothing() throws IOException {
        assertThat(ingestAndPush(config("a", CacheStrategy.LOCAL_FIRST, WriteMode.WRITE_LOCAL))).isEmpty();
        assertThat(ingestAndPush(config("b", CacheStrategy.LOCAL_ONLY, WriteMode.WRITE_THROUGH))).isEmpty();
        assertThat(server.keys(bucket)).isEmpty();
    }

    @Test
    void remoteFirstPrefersTheRemotesManifestToADifferentLocalOne() throws IOException {
        ingestAndPush(config("builder", CacheStrategy.LOCAL_FIRST, WriteMode.WRITE_THROUGH));
        CacheConfig laptop = config("laptop", CacheStrategy.REMOTE_FIRST, WriteMode.WRITE_THROUGH);
        Path older = CacheFixtures.single(tmp.resolve("older"), 3, 1000);
        try (LocalCache cache = LocalCache.open(laptop, CacheFixtures.ENV);
             TierSync sync = TierSync.open(cache, CacheFixtures.ENV)) {
            CacheFixtures.ingest(cache, "web", older);

            assertThat(sync.pull("web")).get().asString().startsWith("fetched the manifest and ");
            assertThat(CacheFixtures.restoresIdentically(cache, "web", outputs, tmp)).isTrue();
        }
    }

    @Test
    void aRemoteManifestThatFailsVerificationIsSkippedWithAWarning() throws IOException {
        ingestAndPush(config("builder", CacheStrategy.LOCAL_FIRST, WriteMode.WRITE_THROUGH));
        byte[] forged = new String(server.object(bucket, "bake/ac/web.json")).replace("src/f1.txt", "src/evil.txt")
                .getBytes();
        server.replaceObject(bucket, "bake/ac/web.json", forged);

        try (LocalCache cache = LocalCache.open(config("laptop", CacheStrategy.LOCAL_FIRST, WriteMode.WRITE_THROUGH),
                CacheFixtures.ENV);
             TierSync sync = TierSync.open(cache, CacheFixtures.ENV)) {
            assertThat(sync.pull("web")).isEmpty();
            assertThat(cache.actions().getBytes("web")).isEmpty();
            assertThat(sync.warnings()).singleElement().asString()
                    .startsWith("skipped the manifest of 'web' in teamS3: ").contains("wrong signature");
        }
    }

    @Test
    void aManifestWhoseBlobsAreInNoTierIsNotStagedLocally() throws IOException {
        ingestAndPush(config("builder", CacheStrategy.LOCAL_FIRST, WriteMode.WRITE_THROUGH));
        server.keys(bucket).stream().filter(key -> key.contains("/blake3/")).findFirst()
                .ifPresent(key -> server.deleteObject(bucket, key));

        try (LocalCache cache = LocalCache.open(config("laptop", CacheStrategy.REMOTE_ONLY, WriteMode.WRITE_THROUGH),
                CacheFixtures.ENV);
             TierSync sync = TierSync.open(cache, CacheFixtures.ENV)) {
            assertThatThrownBy(() -> sync.pull("web")).isInstanceOf(BlobNotFoundException.class)
                    .hasMessageContaining("1 of the blobs and chunks the manifest of 'web' names are missing");
            assertThat(cache.actions().getBytes("web")).isEmpty();
        }
    }

    @Test
    void aRemoteThatIsDownLeavesIngestAndRestoreLocalWithOneWarning() throws IOException {
        CacheConfig config = S3ProxyRemote.config(tmp.resolve("builder"), S3ProxyRemote.closedPort(), bucket,
                CacheStrategy.LOCAL_FIRST, WriteMode.WRITE_THROUGH);
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV);
             TierSync sync = TierSync.open(cache, CacheFixtures.ENV)) {
            CacheFixtures.ingest(cache, "web", outputs);

            assertThat(sync.push(List.of("web"))).isEmpty();
            assertThat(sync.pull("web")).isEmpty();
            assertThat(sync.pull("never-ingested")).isEmpty();
            assertThat(sync.warnings()).singleElement().asString().startsWith("remote teamS3 is unavailable");
            ActionResult manifest = cache.actions().get("web").orElseThrow();
            assertThat(manifest.outputFiles()).isNotEmpty();
        }
    }
}
