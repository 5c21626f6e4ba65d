package dev.bakecache.engine.gc;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.ingest.IngestException;
import dev.bakecache.engine.ingest.IngestReport;
import dev.bakecache.engine.ingest.Ingester;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.ShardRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class GarbageCollectorTest {

    private static final Duration GRACE = Duration.ofHours(1);
    private static final Instant LONG_AGO = Instant.now().minus(Duration.ofDays(2));

    @TempDir
    Path tmp;

    private LocalCache open() throws IOException {
        return LocalCache.open(CacheFixtures.config(tmp.resolve("cache")), CacheFixtures.ENV);
    }

    private static GcReport gc(LocalCache cache) throws IOException {
        return new GarbageCollector(cache, GRACE, ProgressListener.NONE).collect();
    }

    private static List<String> hashesOf(ActionResult manifest) {
        List<String> hashes = new ArrayList<>();
        manifest.referencedBlobs().forEach(d -> hashes.add(d.hash()));
        manifest.referencedChunks().forEach(d -> hashes.add(d.hash()));
        return hashes;
    }

    @Test
    void keepsWhatManifestsNameAndYoungGarbageSweepsOldGarbage() throws IOException {
        try (LocalCache cache = open()) {
            Path live = CacheFixtures.tree(tmp.resolve("live"), 1, true);
            CacheFixtures.ingest(cache, "live", live);
            CacheFixtures.ingest(cache, "dropped", CacheFixtures.tree(tmp.resolve("dropped"), 2, true));
            ActionResult dropped = cache.actions().get("dropped").orElseThrow();
            cache.actions().delete("dropped");
            CacheFixtures.age(cache, LONG_AGO, List.of());

            GcReport report = gc(cache);

            List<String> onlyDropped = new ArrayList<>(hashesOf(dropped));
            onlyDropped.removeAll(hashesOf(cache.actions().get("live").orElseThrow()));
            assertThat(onlyDropped).isNotEmpty();
            assertThat(report.swept()).isEqualTo(onlyDropped.size());
            assertThat(report.sweptBytes()).isPositive();
            for (String hash : onlyDropped) {
                assertThat(cache.index().contains(BlobKind.BLOB, hash) || cache.index().contains(BlobKind.CHUNK, hash))
                        .as(hash).isFalse();
            }
            assertThat(CacheFixtures.manifestsNamingMissingBlobs(cache)).isEmpty();
            assertThat(CacheFixtures.restoresIdentically(cache, "live", live, tmp)).isTrue();
            assertThat(report.summary(GRACE, Duration.ofMillis(5)))
                    .startsWith("gc: swept " + onlyDropped.size() + " of ").contains("within the 1h grace");
        }
    }

    @Test
    void partitionsTogetherSweepWhatOneWholeRunSweepsAndEachOnlyItsShards() throws IOException {
        try (LocalCache cache = open()) {
            CacheFixtures.ingest(cache, "live", CacheFixtures.tree(tmp.resolve("live"), 1, true));
            CacheFixtures.ingest(cache, "dropped", CacheFixtures.tree(tmp.resolve("dropped"), 2, true));
            List<String> onlyDropped = new ArrayList<>(hashesOf(cache.actions().get("dropped").orElseThrow()));
            onlyDropped.removeAll(hashesOf(cache.actions().get("live").orElseThrow()));
            cache.actions().delete("dropped");
            CacheFixtures.age(cache, LONG_AGO, List.of());
            long total = cache.index().totals().count();

            long swept = 0;
            long scanned = 0;
            for (int index = 0; index < 3; index++) {
                ShardRange share = ShardRange.partition(index, 3);
                long before = cache.index().totals().count();
                GcReport report = new GarbageCollector(cache, GRACE, share, ProgressListener.NONE).collect();
                long inShare = onlyDropped.stream().filter(h -> share.contains(ShardRange.shardOf(h))).count();
                assertThat(report.swept()).as(share.toString()).isEqualTo(inShare);
                assertThat(before - cache.index().totals().count()).isEqualTo(inShare);
                swept += report.swept();
                scanned += report.scanned();
            }
            assertThat(swept).isEqualTo(onlyDropped.size()).isPositive();
            assertThat(scanned).isEqualTo(total);
            assertThat(CacheFixtures.manifestsNamingMissingBlobs(cache)).isEmpty();
        }
    }

    @Test
    void unreferencedBlobsWithinTheGracePeriodSurvive() throws IOException {
        try (LocalCache cache = open()) {
            CacheFixtures.ingest(cache, "in-flight", CacheFixtures.tree(tmp.resolve("t"), 1, true));
            cache.actions().delete("in-flight"); // as if its ingest had not written the manifest yet
            long before = cache.index().totals().count();

            GcReport report = gc(cache);

            assertThat(report.swept()).isZero();
            assertThat(report.keptInGrace()).isEqualTo(before);
            assertThat(cache.index().totals().count()).isEqualTo(before);
        }
    }

    @Test
    void removesOnlyStaleStagingFilesFromTmp() throws IOException {
        try (LocalCache cache = open()) {
            Path stale = Files.writeString(cache.layout().tmpDir().resolve("abc-1.part"), "killed write");
            Files.setLastModifiedTime(stale, FileTime.from(LONG_AGO));
            Path live = Files.writeString(cache.layout().tmpDir().resolve("ac-2.part"), "write in progress");
            Path notStaging = Files.writeString(cache.layout().tmpDir().resolve("index-3.sqlite"), "someone's index");
            Files.setLastModifiedTime(notStaging, FileTime.from(LONG_AGO));

            GcReport report = gc(cache);

            assertThat(stale).doesNotExist();
            assertThat(live).exists();
            assertThat(notStaging).exists();
            assertThat(report.tmpFiles()).isEqualTo(1);
            assertThat(report.tmpBytes()).isEqualTo("killed write".length());
        }
    }

    @Test
    void reconcilesTheIndexWithTheFilesBothWays() throws IOException {
        try (LocalCache cache = open()) {
            CacheFixtures.ingest(cache, "k", CacheFixtures.tree(tmp.resolve("k"), 1, false));
            List<OutputFile> files = cache.actions().get("k").orElseThrow().outputFiles();
            Digest unindexed = files.get(0).digest();
            Digest lost = files.get(1).digest();
            cache.index().removeAll(BlobKind.BLOB, List.of(unindexed.hash()));
            Files.delete(cache.blobs().files().pathOf(lost));

            GcReport report = gc(cache);

            assertThat(report.filesIndexed()).isEqualTo(1);
            assertThat(report.entriesDropped()).isEqualTo(1);
            assertThat(cache.index().find(BlobKind.BLOB, unindexed.hash())).get()
                    .satisfies(e -> assertThat(e.size()).isEqualTo(unindexed.size()));
            assertThat(cache.index().contains(BlobKind.BLOB, lost.hash())).isFalse();
        }
    }

    @Test
    void blobsOfAManifestThatFailsVerificationAreKeptAndReported() throws IOException {
        try (LocalCache cache = open()) {
            CacheFixtures.ingest(cache, "tampered", CacheFixtures.tree(tmp.resolve("t"), 1, false));
            Path manifest = cache.actions().pathOf("tampered");
            String json = Files.readString(manifest);
            Files.writeString(manifest, json.replace("\"executable\":false", "\"executable\":true"));
            Files.writeString(cache.layout().actionCacheDir().resolve("garbled.json"), "{not json");
            long before = cache.index().totals().count();
            CacheFixtures.age(cache, LONG_AGO, List.of());

            GcReport report = gc(cache);

            assertThat(report.unverifiedManifests()).isEqualTo(1);
            assertThat(report.unreadableManifests()).isEqualTo(1);
            assertThat(report.swept()).isZero();
            assertThat(cache.index().totals().count()).isEqualTo(before);
            assertThat(report.summary(GRACE, Duration.ZERO)).contains("1 manifests fail verification");
        }
    }

    @Test
    void aRunResumedFromItsSavedProgressFinishesEveryPhaseAndCountsTheWholeRun() throws IOException {
        try (LocalCache cache = open()) {
            CacheFixtures.ingest(cache, "live", CacheFixtures.tree(tmp.resolve("live"), 1, false));
            CacheFixtures.ingest(cache, "garbage", CacheFixtures.tree(tmp.resolve("garbage"), 2, true));
            cache.actions().delete("garbage");
            CacheFixtures.age(cache, LONG_AGO, List.of());
            GcProgress first = new GarbageCollector(cache, GRACE, ShardRange.ALL, ProgressListener.NONE, 3).collectSome(GcProgress.START);
            assertThat(first.phase()).isEqualTo(GcProgress.Phase.SWEEP);
            assertThat(first.cursor()).isNotNull();
            String saved = first.toToken(); // then killed: only the token survives

            GarbageCollector resumed = new GarbageCollector(cache, GRACE, ShardRange.ALL, ProgressListener.NONE, 3);
            GcProgress at = GcProgress.fromToken(saved);
            while (!at.done()) {
                at = resumed.collectSome(at);
            }

            assertThat(at.soFar().manifests()).isEqualTo(1);
            assertThat(at.soFar().scanned()).isEqualTo(at.soFar().swept() + cache.index().totals().count());
            assertThat(at.soFar().swept()).isPositive();
            assertThat(gc(cache).swept()).as("nothing left behind").isZero();
        }
    }

    @Test
    void anIngestReusingOldUnreferencedBlobsThatGcSweepsMeanwhileStoresThemAgainInsteadOfWritingABrokenManifest()
            throws IOException {
        try (LocalCache cache = open()) {
            CacheFixtures.ingest(cache, "old", CacheFixtures.tree(tmp.resolve("old"), 1, true));
            cache.actions().delete("old");
            CacheFixtures.age(cache, LONG_AGO, List.of());
            // the same content in another directory: no stat cache, so no use is recorded before the claim
            Path outputs = CacheFixtures.tree(tmp.resolve("t"), 1, true);

            Ingester.Session session = cache.ingester().begin("new", outputs);
            List<OutputFile> stored = session.store(session.tree().files(), ProgressListener.NONE); // all present: nothing put
            GcReport report = gc(cache);  // sweeps them: no manifest names them, they are old
            assertThat(report.swept()).isPositive();

            IngestReport ingested = session.finish(stored);
            session.close();

            assertThat(ingested.newBlobs()).isEqualTo(report.swept());
            assertThat(CacheFixtures.restoresIdentically(cache, "new", outputs, tmp)).isTrue();
        }
    }

    @Test
    void blobsAnIngestHasRecordedAsUsedAreKeptByAGcBeforeTheirManifestIsWritten() throws IOException {
        try (LocalCache cache = open()) {
            CacheFixtures.ingest(cache, "old", CacheFixtures.tree(tmp.resolve("t"), 1, true));
            ActionResult old = cache.actions().get("old").orElseThrow();
            cache.actions().delete("old");
            CacheFixtures.age(cache, LONG_AGO, List.of());
            // what an ingest re-using them does right before it checks them and writes its manifest
            cache.blobs().recordUse(old.referencedBlobs());
            cache.chunks().recordUse(old.referencedChunks());

            GcReport report = gc(cache);

            assertThat(report.swept()).isZero();
            assertThat(report.keptInGrace()).isEqualTo(hashesOf(old).size());
        }
    }

    @Test
    void gcWhileSeveralThreadsIngestLeavesEveryManifestRestorable() throws Exception {
        Map<String, Path> sources = new ConcurrentHashMap<>();
        try (LocalCache cache = open()) {
            // old garbage that shares content with the new ingests: the case a grace period alone does not cover
            for (int n = 0; n < 4; n++) {
                CacheFixtures.ingest(cache, "old" + n, CacheFixtures.tree(tmp.resolve("old/" + n), n, n % 2 == 0));
                cache.actions().delete("old" + n);
            }
            CacheFixtures.age(cache, LONG_AGO, List.of());

            AtomicBoolean ingesting = new AtomicBoolean(true);
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<Integer>> ingesters = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int thread = t;
                ingesters.add(threads.submit(() -> {
                    int retries = 0;
                    for (int i = 0; i < 6; i++) {
                        int n = thread * 6 + i;
                        Path source = CacheFixtures.tree(tmp.resolve("new/" + n), n % 5, n % 3 == 0);
                        sources.put("new" + n, source);
                        while (true) {
                            try {
                                CacheFixtures.ingest(cache, "new" + n, source);
                                break;
                            } catch (IngestException sweptUnderneath) {
                                retries++; // the documented outcome of losing the race: run the ingest again
                            }
                        }
                    }
                    return retries;
                }));
            }
            Future<Long> collector = threads.submit(() -> {
                long swept = 0;
                do {
                    swept += gc(cache).swept();
                } while (ingesting.get());
                return swept;
            });
            for (Future<Integer> ingester : ingesters) {
                ingester.get();
            }
            ingesting.set(false);
            collector.get();
            threads.shutdown();
            gc(cache);

            assertThat(CacheFixtures.manifestsNamingMissingBlobs(cache)).isEmpty();
            try (Stream<String> keys = cache.actions().keys()) {
                assertThat(keys.toList()).hasSize(18);
            }
            for (Map.Entry<String, Path> source : sources.entrySet()) {
                assertThat(CacheFixtures.restoresIdentically(cache, source.getKey(), source.getValue(), tmp))
                        .as(source.getKey()).isTrue();
            }
        }
    }
}
