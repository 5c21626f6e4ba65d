package dev.bakecache.engine.evict;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.EvictionPolicy;
import dev.bakecache.engine.config.LocalConfig;
import dev.bakecache.engine.index.IndexEntry;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.metrics.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class EvictorTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path tmp;

    private LocalCache open(long maxSize, double lowWaterMark, EvictionPolicy policy) throws IOException {
        CacheConfig base = CacheFixtures.config(tmp.resolve("cache"));
        LocalConfig local = base.local();
        return LocalCache.open(base.withLocal(new LocalConfig(local.path(), maxSize, lowWaterMark, policy,
                local.useHardLinks(), local.index())), CacheFixtures.ENV);
    }

    private static Evictor evictor(LocalCache cache, ProgressListener progress) {
        return new Evictor(cache, cache.config().local(), Duration.ZERO, Set.of(), progress);
    }

    private static long stored(LocalCache cache) {
        return cache.index().totals().totalStoredSize();
    }

    private static List<String> keys(LocalCache cache) throws IOException {
        try (Stream<String> keys = cache.actions().keys()) {
            return keys.sorted().toList();
        }
    }

    /**
     * Four one-file keys; a was written first, b is the largest, c the least recently used, d the
     * least often used: size, created, last used, uses (hours after T0).
     */
    private static final Map<String, int[]> FOUR_KEYS = new LinkedHashMap<>();
    static {
        FOUR_KEYS.put("a", new int[] {10_000, 0, 30, 5});
        FOUR_KEYS.put("b", new int[] {40_000, 1, 20, 6});
        FOUR_KEYS.put("c", new int[] {20_000, 2, 5, 7});
        FOUR_KEYS.put("d", new int[] {30_000, 3, 10, 1});
    }
    private static final long FOUR_KEYS_BYTES = 100_000;

    /** Ingests {@link #FOUR_KEYS} and sets their index entries' times and uses; returns each key's blob hash. */
    private Map<String, String> ingestFourKeys(LocalCache cache) throws IOException {
        Map<String, String> keyOf = new LinkedHashMap<>();
        for (var key : FOUR_KEYS.entrySet()) {
            CacheFixtures.ingest(cache, key.getKey(),
                    CacheFixtures.single(tmp.resolve(key.getKey()), key.getKey().hashCode(), key.getValue()[0]));
            keyOf.put(cache.actions().get(key.getKey()).orElseThrow().outputFiles().getFirst().digest().hash(),
                    key.getKey());
        }
        List<IndexEntry> rewritten = new ArrayList<>();
        cache.index().forEach(e -> {
            int[] k = FOUR_KEYS.get(keyOf.get(e.hash()));
            rewritten.add(new IndexEntry(e.kind(), e.hash(), e.size(), e.storedSize(), e.compression(),
                    T0.plus(Duration.ofHours(k[1])), T0.plus(Duration.ofHours(k[2])), k[3]));
        });
        cache.index().replaceAll(rewritten.iterator());
        Map<String, String> hashOf = new LinkedHashMap<>();
        keyOf.forEach((hash, key) -> hashOf.put(key, hash));
        return hashOf;
    }

    /** Just over the limit, so exactly one key must go. */
    @ParameterizedTest
    @CsvSource({"LRU, c", "LFU, d", "FIFO, a", "LARGEST_FIRST, b"})
    void eachPolicyEvictsItsOwnFirstChoice(EvictionPolicy policy, String victim) throws IOException {
        try (LocalCache cache = open(FOUR_KEYS_BYTES - 1, 1.0, policy)) {
            ingestFourKeys(cache);

            EvictionReport report = evictor(cache, ProgressListener.NONE).evictAll();

            assertThat(keys(cache)).doesNotContain(victim).hasSize(3);
            assertThat(report.manifestsDeleted()).isEqualTo(1);
            assertThat(report.blobsDeleted()).isEqualTo(1);
            assertThat(stored(cache)).isEqualTo(FOUR_KEYS_BYTES - FOUR_KEYS.get(victim)[0]);
        }
    }

    @Test
    void aBlobAnIngestClaimedSinceItWasLastReadIsEvictedInTheOrderOfThatClaim() throws IOException {
        try (LocalCache cache = open(FOUR_KEYS_BYTES - 1, 1.0, EvictionPolicy.LRU)) {
            Map<String, String> hashOf = ingestFourKeys(cache);
            // c was read least recently, but an ingest named it after d's last read (10 h)
            cache.index().recordUse(BlobKind.BLOB, List.of(hashOf.get("c")), T0.plus(Duration.ofHours(12)));

            evictor(cache, ProgressListener.NONE).evictAll();

            assertThat(keys(cache)).containsExactly("a", "b", "c");
            assertThat(cache.index().find(BlobKind.BLOB, hashOf.get("c")).orElseThrow().lastAccessed())
                    .as("the claim now orders it").isEqualTo(T0.plus(Duration.ofHours(12)));
        }
    }

    @Test
    void cacheOverMaxSizeComesDownToTheLowWaterMarkAndEveryRemainingManifestRestores() throws IOException {
        Map<String, Path> sources = new LinkedHashMap<>();
        long full;
        try (LocalCache cache = open(Long.MAX_VALUE, 0.9, EvictionPolicy.LRU)) {
            for (int n = 0; n < 10; n++) {
                sources.put("k" + n, CacheFixtures.tree(tmp.resolve("src/k" + n), n, n % 3 == 0));
                CacheFixtures.ingest(cache, "k" + n, sources.get("k" + n));
            }
            full = stored(cache);
        }
        long maxSize = full * 6 / 10;
        try (LocalCache cache = open(maxSize, 0.9, EvictionPolicy.LRU)) {
            EvictionReport report = evictor(cache, ProgressListener.NONE).evictAll();

            assertThat(stored(cache)).isLessThanOrEqualTo(cache.config().local().lowWaterBytes());
            assertThat(report.targetReached()).isTrue();
            assertThat(report.storedBefore()).isEqualTo(full);
            assertThat(report.bytesFreed()).isEqualTo(full - stored(cache));
            assertThat(report.summary()).startsWith("evicted " + report.manifestsDeleted() + " manifests and ");
            List<String> left = keys(cache);
            assertThat(left).isNotEmpty().hasSizeLessThan(10);
            for (String key : left) {
                assertThat(CacheFixtures.restoresIdentically(cache, key, sources.get(key), tmp)).as(key).isTrue();
            }
            assertThat(CacheFixtures.manifestsNamingMissingBlobs(cache)).isEmpty();
        }
    }

    @Test
    void noManifestEverNamesAMissingBlobBetweenTwoDeletions() throws IOException {
        try (LocalCache cache = open(Long.MAX_VALUE, 0.5, EvictionPolicy.LARGEST_FIRST)) {
            for (int n = 0; n < 6; n++) {
                CacheFixtures.ingest(cache, "k" + n, CacheFixtures.tree(tmp.resolve("src/k" + n), n, true));
            }
        }
        long full;
        try (LocalCache probe = open(Long.MAX_VALUE, 0.5, EvictionPolicy.LARGEST_FIRST)) {
            full = stored(probe);
        }
        try (LocalCache cache = open(full / 2, 0.5, EvictionPolicy.LARGEST_FIRST)) {
            List<List<String>> brokenAfterSomeStep = new ArrayList<>();
            int[] steps = {0};
            // called after every single deletion: a crash could happen right there
            ProgressListener check = (files, bytes) -> {
                steps[0]++;
                List<String> broken = CacheFixtures.manifestsNamingMissingBlobs(cache);
                if (!broken.isEmpty()) {
                    brokenAfterSomeStep.add(broken);
                }
            };
            evictor(cache, check).evictAll();
            assertThat(steps[0]).as("deletions observed").isGreaterThan(2);
            assertThat(brokenAfterSomeStep).isEmpty();
        }
    }

    @Test
    void aProtectedManifestAndWhatItNamesSurvive() throws IOException {
        try (LocalCache cache = open(Long.MAX_VALUE, 0.1, EvictionPolicy.FIFO)) {
            CacheFixtures.ingest(cache, "first", CacheFixtures.tree(tmp.resolve("first"), 1, false));
            CacheFixtures.ingest(cache, "second", CacheFixtures.tree(tmp.resolve("second"), 2, false));
            LocalConfig tiny = cache.config().local().withMaxSize(1);
            new Evictor(cache, tiny, Duration.ZERO, Set.of("first"), ProgressListener.NONE).evictAll();

            assertThat(keys(cache)).containsExactly("first");
            assertThat(CacheFixtures.restoresIdentically(cache, "first", tmp.resolve("first"), tmp)).isTrue();
        }
    }

    @Test
    void anIngestThatTakesTheCacheOverItsLimitEvictsOthersButNotWhatItWrote() throws IOException {
        try (LocalCache cache = open(30_000, 0.9, EvictionPolicy.LRU)) {
            CacheFixtures.ingest(cache, "yesterday", CacheFixtures.single(tmp.resolve("y"), 1, 20_000));
            CacheFixtures.age(cache, Instant.now().minus(Duration.ofDays(1)), List.of());
            CacheFixtures.ingest(cache, "today", CacheFixtures.single(tmp.resolve("t"), 2, 20_000));

            EvictionReport report = Evictor.afterIngest(cache, Set.of("today"));

            assertThat(keys(cache)).containsExactly("today");
            assertThat(report.bytesFreed()).isEqualTo(20_000);
            assertThat(Evictor.afterIngest(cache, Set.of("today")).summary()).startsWith("nothing to evict");
        }
    }

    @Test
    void blobsUsedJustBeforeTheRunAreKeptForIngestsInFlight() throws IOException {
        try (LocalCache cache = open(1, 0.9, EvictionPolicy.LRU)) {
            CacheFixtures.ingest(cache, "fresh", CacheFixtures.tree(tmp.resolve("fresh"), 1, false));
            long before = stored(cache);

            EvictionReport report = new Evictor(cache, cache.config().local(), Evictor.IN_FLIGHT_MARGIN, Set.of(),
                    ProgressListener.NONE).evictAll();

            assertThat(stored(cache)).isEqualTo(before);
            assertThat(keys(cache)).containsExactly("fresh");
            assertThat(report.targetReached()).isFalse();
            assertThat(report.summary()).contains("target not reached");
        }
    }

    @Test
    void aCacheWithinItsLimitIsLeftAlone() throws IOException {
        try (LocalCache cache = open(10L << 20, 0.9, EvictionPolicy.LRU)) {
            CacheFixtures.ingest(cache, "k", CacheFixtures.tree(tmp.resolve("k"), 1, false));
            EvictionReport report = evictor(cache, ProgressListener.NONE).evictAll();
            assertThat(report.blobsDeleted()).isZero();
            assertThat(report.summary()).startsWith("nothing to evict:");
            assertThat(keys(cache)).containsExactly("k");
        }
    }

    @Test
    void aRunResumedFromItsSavedProgressFinishesTheJobAndCountsTheWholeRun() throws IOException {
        try (LocalCache cache = open(Long.MAX_VALUE, 0.5, EvictionPolicy.FIFO)) {
            for (int n = 0; n < 4; n++) {
                CacheFixtures.ingest(cache, "k" + n, CacheFixtures.single(tmp.resolve("k" + n), n, 10_000));
            }
        }
        try (LocalCache cache = open(30_000, 0.7, EvictionPolicy.FIFO)) {  // down to 21 000 bytes: two keys go
            // a page of one candidate, then "killed": only the saved token survives
            EvictionProgress first = new Evictor(cache, cache.config().local(), Duration.ZERO, Set.of(),
                    ProgressListener.NONE, 1).evictPage(EvictionProgress.START);
            assertThat(first.finished()).isFalse();
            String saved = first.toToken();

            Evictor resumed = evictor(cache, ProgressListener.NONE);
            EvictionProgress at = EvictionProgress.fromToken(saved);
            while (!at.finished()) {
                at = resumed.evictPage(at);
            }
            EvictionReport report = resumed.report(at, Duration.ofSeconds(1));
            assertThat(keys(cache)).containsExactly("k2", "k3");
            assertThat(report.manifestsDeleted()).isEqualTo(2);
            assertThat(report.storedBefore()).isEqualTo(40_000);
            assertThat(report.storedAfter()).isEqualTo(20_000);
        }
    }
}
