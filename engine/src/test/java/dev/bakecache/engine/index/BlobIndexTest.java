package dev.bakecache.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bakecache.engine.compress.BlobFormat;
import dev.bakecache.engine.config.EvictionPolicy;
import dev.bakecache.engine.hash.InvalidDigestException;
import dev.bakecache.engine.store.BlobKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BlobIndexTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path dir;

    private Path file;
    private BlobIndex index;

    @BeforeEach
    void openIndex() {
        file = dir.resolve("cas/index.sqlite");
        index = BlobIndex.open(file);
    }

    @AfterEach
    void closeIndex() {
        index.close();
    }

    // ---------------------------------------------------------------- entries and upserts

    @Test
    void entryReadBackEqualsEntryWritten() {
        IndexEntry written = new IndexEntry(BlobKind.BLOB, hash(1), 100, 40, BlobFormat.ZSTD,
                T0.plusNanos(123_456_789), T0.plusSeconds(5).plusNanos(999_999), 7);

        index.upsertAll(List.of(written));

        assertThat(written.created()).isEqualTo(T0.plusMillis(123));
        assertThat(index.find(BlobKind.BLOB, hash(1))).contains(written);
        assertThat(index.find(BlobKind.CHUNK, hash(1))).isEmpty();
    }

    @Test
    void entryRejectsMalformedHashAndNegativeSizes() {
        assertThatThrownBy(() -> new IndexEntry(BlobKind.BLOB, "ABC", 1, 1, BlobFormat.RAW, T0, T0, 0))
                .isInstanceOf(InvalidDigestException.class).hasMessageContaining("ABC");
        assertThatThrownBy(() -> new IndexEntry(BlobKind.BLOB, hash(1), -1, 1, BlobFormat.RAW, T0, T0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
        assertThatThrownBy(() -> new IndexEntry(BlobKind.BLOB, hash(1), 1, 1, BlobFormat.RAW, T0, T0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("access count");
    }

    @Test
    void upsertKeepsCreatedAndAccessCount() {
        index.upsertAll(List.of(entry(BlobKind.BLOB, 1, 100, 100, BlobFormat.RAW, T0, T0, 3)));

        Instant later = T0.plusSeconds(60);
        index.upsertAll(List.of(entry(BlobKind.BLOB, 1, 100, 30, BlobFormat.ZSTD, later, later, 0)));

        IndexEntry stored = index.find(BlobKind.BLOB, hash(1)).orElseThrow();
        assertThat(stored.created()).isEqualTo(T0);
        assertThat(stored.accessCount()).isEqualTo(3);
        assertThat(stored.storedSize()).isEqualTo(30);
        assertThat(stored.compression()).isEqualTo(BlobFormat.ZSTD);
        assertThat(stored.lastAccessed()).isEqualTo(later);
    }

    @Test
    void upsertNeverMovesLastAccessBackwards() {
        Instant later = T0.plusSeconds(60);
        index.upsertAll(List.of(entry(BlobKind.BLOB, 1, 10, 10, BlobFormat.RAW, T0, later, 0)));

        index.upsertAll(List.of(entry(BlobKind.BLOB, 1, 10, 10, BlobFormat.RAW, T0, T0, 0)));

        assertThat(index.find(BlobKind.BLOB, hash(1)).orElseThrow().lastAccessed()).isEqualTo(later);
    }

    @Test
    void batchUpsertOfTenThousandEntries() {
        List<IndexEntry> entries = IntStream.range(0, 10_000)
                .mapToObj(n -> entry(n % 2 == 0 ? BlobKind.BLOB : BlobKind.CHUNK, n, n, n / 2, BlobFormat.RAW, T0, T0, 0))
                .toList();

        index.upsertAll(entries);

        IndexTotals totals = index.totals();
        assertThat(totals.count()).isEqualTo(10_000);
        assertThat(totals.blobCount()).isEqualTo(5_000);
        assertThat(totals.chunkCount()).isEqualTo(5_000);
        assertThat(index.find(BlobKind.CHUNK, hash(9_999))).contains(entries.get(9_999));
    }

    // ---------------------------------------------------------------- access, lookups, removal

    @Test
    void recordAccessBumpsCountAndLastAccess() {
        index.upsertAll(List.of(blob(1, 10, T0), blob(2, 10, T0), blob(3, 10, T0)));
        Instant when = T0.plusSeconds(30);

        int updated = index.recordAccess(BlobKind.BLOB, List.of(hash(1), hash(2), hash(2), hash(99)), when);

        assertThat(updated).isEqualTo(3);
        assertThat(index.find(BlobKind.BLOB, hash(1)).orElseThrow().accessCount()).isEqualTo(1);
        assertThat(index.find(BlobKind.BLOB, hash(2)).orElseThrow().accessCount()).isEqualTo(2);
        assertThat(index.find(BlobKind.BLOB, hash(2)).orElseThrow().lastAccessed()).isEqualTo(when);
        assertThat(index.find(BlobKind.BLOB, hash(3)).orElseThrow().accessCount()).isZero();
        assertThat(index.find(BlobKind.BLOB, hash(99))).isEmpty();
    }

    @Test
    void recordAccessWithAnOlderTimeCountsButKeepsTheLaterTime() {
        Instant later = T0.plusSeconds(60);
        index.upsertAll(List.of(blob(1, 10, later)));

        index.recordAccess(BlobKind.BLOB, List.of(hash(1)), T0);

        IndexEntry stored = index.find(BlobKind.BLOB, hash(1)).orElseThrow();
        assertThat(stored.lastAccessed()).isEqualTo(later);
        assertThat(stored.accessCount()).isEqualTo(1);
    }

    @Test
    void recordUseMovesTheClaimForwardWithoutCountingAnAccessOrMovingTheEvictionOrder() {
        index.upsertAll(List.of(blob(1, 10, T0), blob(2, 10, T0.plusSeconds(90))));
        index.recordUse(BlobKind.BLOB, List.of(hash(2)), T0.plusSeconds(120));

        int updated = index.recordUse(BlobKind.BLOB, List.of(hash(1), hash(2), hash(99)), T0.plusSeconds(30));

        assertThat(updated).isEqualTo(2);
        assertThat(index.find(BlobKind.BLOB, hash(1)).orElseThrow())
                .satisfies(e -> assertThat(e.claimed()).isEqualTo(T0.plusSeconds(30)))
                .satisfies(e -> assertThat(e.lastUsed()).isEqualTo(T0.plusSeconds(30)))
                .satisfies(e -> assertThat(e.lastAccessed()).isEqualTo(T0))
                .satisfies(e -> assertThat(e.accessCount()).isZero());
        assertThat(index.find(BlobKind.BLOB, hash(2)).orElseThrow().claimed()).as("never moved back")
                .isEqualTo(T0.plusSeconds(120));
        assertThat(index.evictionCandidates(EvictionPolicy.LRU, 2)).extracting(IndexEntry::hash)
                .containsExactly(hash(1), hash(2));
    }

    @Test
    void removeUnusedSinceKeepsEntriesClaimedSinceTheCutoff() {
        index.upsertAll(List.of(blob(1, 10, T0), blob(2, 10, T0)));
        index.recordUse(BlobKind.BLOB, List.of(hash(2)), T0.plusSeconds(60));

        List<IndexEntry> removed = index.removeUnusedSince(BlobKind.BLOB, List.of(hash(1), hash(2)),
                T0.plusSeconds(30), entry -> true);

        assertThat(removed).extracting(IndexEntry::hash).containsExactly(hash(1));
        assertThat(index.contains(BlobKind.BLOB, hash(2))).isTrue();
    }

    @Test
    void foldClaimsMovesClaimedEntriesToTheirPlaceInTheEvictionOrder() {
        index.upsertAll(List.of(blob(1, 10, T0), blob(2, 10, T0.plusSeconds(10)), blob(3, 10, T0.plusSeconds(20))));
        index.recordUse(BlobKind.BLOB, List.of(hash(1)), T0.plusSeconds(15));
        index.recordUse(BlobKind.BLOB, List.of(hash(3)), T0.plusSeconds(5)); // older than its last access: no move

        assertThat(index.foldClaims()).isEqualTo(1);

        assertThat(index.evictionCandidates(EvictionPolicy.LRU, 3)).extracting(IndexEntry::hash)
                .containsExactly(hash(2), hash(1), hash(3));
        assertThat(index.find(BlobKind.BLOB, hash(1)).orElseThrow().lastAccessed()).isEqualTo(T0.plusSeconds(15));
    }

    @Test
    void aVersionOneIndexGainsTheClaimColumnAndTheRemovalsTableAndKeepsItsEntries() throws Exception {
        index.upsertAll(List.of(blob(1, 10, T0)));
        reopenAsVersion(1, "ALTER TABLE blobs DROP COLUMN claimed", "DROP TABLE removals");

        assertThat(index.find(BlobKind.BLOB, hash(1)).orElseThrow().claimed()).isEqualTo(Instant.EPOCH);
        index.recordUse(BlobKind.BLOB, List.of(hash(1)), T0.plusSeconds(1));
        assertThat(index.find(BlobKind.BLOB, hash(1)).orElseThrow().claimed()).isEqualTo(T0.plusSeconds(1));
        assertRemovalsMoveTheGeneration();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = raw.createStatement()) {
            assertThat(single(statement, "PRAGMA user_version")).isEqualTo("3");
        }
    }

    @Test
    void aVersionTwoIndexGainsTheRemovalsTable() throws Exception {
        index.upsertAll(List.of(blob(1, 10, T0)));
        reopenAsVersion(2, "DROP TABLE removals");

        assertThat(index.contains(BlobKind.BLOB, hash(1))).isTrue();
        assertRemovalsMoveTheGeneration();
    }

    /** Turns the index file into one an older bake-cache wrote, then opens it again. */
    private void reopenAsVersion(int version, String... downgrade) throws Exception {
        index.close();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = raw.createStatement()) {
            for (String sql : downgrade) {
                statement.execute(sql);
            }
            statement.execute("PRAGMA user_version = " + version);
        }
        index = BlobIndex.open(file);
    }

    private void assertRemovalsMoveTheGeneration() {
        long generation = index.removalGeneration();
        index.removeAll(BlobKind.BLOB, List.of(hash(1)));
        assertThat(index.removalGeneration()).isNotEqualTo(generation);
    }

    @Test
    void theRemovalGenerationMovesOnWithEveryRemovalAndWithNothingElse() {
        index.upsertAll(List.of(blob(1, 10, T0), blob(2, 10, T0), blob(3, 10, T0.plusSeconds(60))));
        long start = index.removalGeneration();
        index.recordUse(BlobKind.BLOB, List.of(hash(1)), T0.plusSeconds(1));
        index.recordAccess(BlobKind.BLOB, List.of(hash(2)), T0.plusSeconds(1));
        index.foldClaims();
        index.upsertAll(List.of(blob(4, 10, T0)));
        assertThat(index.removeUnusedSince(BlobKind.BLOB, List.of(hash(3)), T0.plusSeconds(30), entry -> true)).isEmpty();
        assertThat(index.removalGeneration()).as("nothing removed").isEqualTo(start);

        index.removeUnusedSince(BlobKind.BLOB, List.of(hash(4)), T0.plusSeconds(30), entry -> true);
        long afterSweep = index.removalGeneration();
        assertThat(afterSweep).isNotEqualTo(start);
        index.removeAll(BlobKind.BLOB, List.of(hash(99))); // not indexed, but its file may be going
        long afterRemoveAll = index.removalGeneration();
        assertThat(afterRemoveAll).isNotEqualTo(afterSweep);
        index.replaceAll(List.of(blob(1, 10, T0)).iterator());
        assertThat(index.removalGeneration()).isNotIn(start, afterSweep, afterRemoveAll);

        try (BlobIndex other = BlobIndex.open(dir.resolve("other/index.sqlite"))) {
            assertThat(other.removalGeneration()).as("another index file").isNotEqualTo(index.removalGeneration());
        }
    }

    @Test
    void removeUnusedSinceRemovesOnlyIdleEntriesWhoseFileRemovalAgrees() {
        index.upsertAll(List.of(blob(1, 10, T0), blob(2, 10, T0), blob(3, 10, T0.plusSeconds(60)), chunk(4, 10, T0)));
        List<String> asked = new ArrayList<>();

        List<IndexEntry> removed = index.removeUnusedSince(BlobKind.BLOB, List.of(hash(1), hash(2), hash(3), hash(4)),
                T0.plusSeconds(30), entry -> {
                    asked.add(entry.hash());
                    return !entry.hash().equals(hash(2)); // its file turned out to be in use
                });

        assertThat(asked).containsExactlyInAnyOrder(hash(1), hash(2));
        assertThat(removed).extracting(IndexEntry::hash).containsExactly(hash(1));
        assertThat(index.contains(BlobKind.BLOB, hash(1))).isFalse();
        assertThat(index.contains(BlobKind.BLOB, hash(2))).isTrue();
        assertThat(index.contains(BlobKind.BLOB, hash(3))).as("used after the cutoff").isTrue();
        assertThat(index.contains(BlobKind.CHUNK, hash(4))).as("other kind").isTrue();
    }

    @Test
    void aFailedFileRemovalRollsBackTheWholeBatch() {
        index.upsertAll(List.of(blob(1, 10, T0), blob(2, 10, T0)));

        assertThatThrownBy(() -> index.removeUnusedSince(BlobKind.BLOB, List.of(hash(1), hash(2)), T0.plusSeconds(1),
                entry -> {
                    if (entry.hash().equals(hash(2))) {
                        throw new java.io.IOException("permission denied");
                    }
                    return true;
                })).isInstanceOf(IndexException.class).hasStackTraceContaining("permission denied");
        assertThat(index.containing(BlobKind.BLOB, List.of(hash(1), hash(2)))).hasSize(2);
    }

    @Test
    void containsAndContainingAnswerPerKind() {
        index.upsertAll(List.of(blob(1, 10, T0), chunk(2, 10, T0)));

        assertThat(index.contains(BlobKind.BLOB, hash(1))).isTrue();
        assertThat(index.contains(BlobKind.CHUNK, hash(1))).isFalse();
        assertThat(index.containing(BlobKind.CHUNK, List.of(hash(1), hash(2), hash(3)))).containsExactly(hash(2));
        assertThat(index.containing(BlobKind.BLOB, List.of())).isEmpty();
    }

    @Test
    void containingAnswersForMoreHashesThanOneQueryTakes() {
        index.upsertAll(IntStream.range(0, 1_200).filter(n -> n % 3 == 0).mapToObj(n -> chunk(n, 1, T0)).toList());
        List<String> asked = IntStream.range(0, 1_300).mapToObj(BlobIndexTest::hash).toList();

        Set<String> found = index.containing(BlobKind.CHUNK, asked);

        assertThat(found).hasSize(400)
                .isEqualTo(new HashSet<>(IntStream.range(0, 1_200).filter(n -> n % 3 == 0).mapToObj(BlobIndexTest::hash).toList()));
    }

    @Test
    void removeAllDeletesOnlyTheListedKind() {
        index.upsertAll(List.of(blob(1, 10, T0), chunk(1, 10, T0), blob(2, 10, T0)));
        List<String> many = new ArrayList<>(IntStream.range(100, 1_300).mapToObj(BlobIndexTest::hash).toList());
        many.add(hash(1));

        int removed = index.removeAll(BlobKind.BLOB, many);

        assertThat(removed).isEqualTo(1);
        assertThat(index.contains(BlobKind.BLOB, hash(1))).isFalse();
        assertThat(index.contains(BlobKind.CHUNK, hash(1))).isTrue();
        assertThat(index.contains(BlobKind.BLOB, hash(2))).isTrue();
    }

    // ---------------------------------------------------------------- eviction order and paging

    @Test
    void lruOrdersByLastAccess() {
        index.upsertAll(List.of(blob(1, 10, T0.plusSeconds(30)), chunk(2, 10, T0.plusSeconds(10)), blob(3, 10, T0.plusSeconds(20))));

        assertThat(hashes(index.evictionCandidates(EvictionPolicy.LRU, 10))).containsExactly(hash(2), hash(3), hash(1));
        assertThat(hashes(index.evictionCandidates(EvictionPolicy.LRU, 2))).containsExactly(hash(2), hash(3));
    }

    @Test
    void lfuOrdersByAccessCountThenLastAccess() {
        index.upsertAll(List.of(
                entry(BlobKind.BLOB, 1, 10, 10, BlobFormat.RAW, T0, T0.plusSeconds(5), 2),
                entry(BlobKind.BLOB, 2, 10, 10, BlobFormat.RAW, T0, T0.plusSeconds(9), 1),
                entry(BlobKind.BLOB, 3, 10, 10, BlobFormat.RAW, T0, T0.plusSeconds(1), 2),
                entry(BlobKind.BLOB, 4, 10, 10, BlobFormat.RAW, T0, T0.plusSeconds(9), 0)));

        assertThat(hashes(index.evictionCandidates(EvictionPolicy.LFU, 10)))
                .containsExactly(hash(4), hash(2), hash(3), hash(1));
    }

    @Test
    void fifoOrdersByCreation() {
        index.upsertAll(List.of(
                entry(BlobKind.BLOB, 1, 10, 10, BlobFormat.RAW, T0.plusSeconds(2), T0, 0),
                entry(BlobKind.BLOB, 2, 10, 10, BlobFormat.RAW, T0.plusSeconds(3), T0, 0),
                entry(BlobKind.BLOB, 3, 10, 10, BlobFormat.RAW, T0.plusSeconds(1), T0.plusSeconds(50), 9)));

        assertThat(hashes(index.evictionCandidates(EvictionPolicy.FIFO, 10))).containsExactly(hash(3), hash(1), hash(2));
    }

    @Test
    void largestFirstOrdersByStoredSize() {
        index.upsertAll(List.of(
                entry(BlobKind.BLOB, 1, 1_000, 100, BlobFormat.ZSTD, T0, T0.plusSeconds(1), 0),
                entry(BlobKind.BLOB, 2, 500, 500, BlobFormat.RAW, T0, T0.plusSeconds(2), 0),
                entry(BlobKind.CHUNK, 3, 500, 500, BlobFormat.RAW, T0, T0.plusSeconds(1), 0),
                entry(BlobKind.BLOB, 4, 50, 50, BlobFormat.RAW, T0, T0, 0)));

        assertThat(hashes(index.evictionCandidates(EvictionPolicy.LARGEST_FIRST, 10)))
                .containsExactly(hash(3), hash(2), hash(1), hash(4));
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void pagingVisitsEveryEntryOnceInOrder(EvictionPolicy policy) {
        // few distinct values, so most of the order comes from the tie-breakers
        index.upsertAll(IntStream.range(0, 250)
                .mapToObj(n -> entry(BlobKind.BLOB, n, 100, 10 * (n % 4), BlobFormat.RAW,
                        T0.plusSeconds(n % 3), T0.plusSeconds(n % 5), n % 2))
                .toList());
        List<IndexEntry> all = index.evictionCandidates(policy, 1_000);

        List<IndexEntry> paged = new ArrayList<>();
        EvictionCursor after = null;
        int pages = 0;
        do {
            EvictionPage page = index.evictionPage(policy, 40, after);
            paged.addAll(page.entries());
            after = page.next();
            pages++;
        } while (after != null);

        assertThat(all).hasSize(250);
        assertThat(paged).isEqualTo(all);
        assertThat(pages).isEqualTo(7);
    }

    @Test
    void pagingContinuesAfterTheCursorWhenTheCallerDeletesAPage() {
        // one recordAccess batch gives every entry the same last access
        index.upsertAll(IntStream.range(0, 10).mapToObj(n -> blob(n, 10, T0)).toList());
        index.recordAccess(BlobKind.BLOB, IntStream.range(0, 10).mapToObj(BlobIndexTest::hash).toList(), T0.plusSeconds(1));

        EvictionPage first = index.evictionPage(EvictionPolicy.LRU, 4, null);
        index.removeAll(BlobKind.BLOB, hashes(first.entries()).subList(0, 3));  // keeps the 4th, e.g. in use
        EvictionPage second = index.evictionPage(EvictionPolicy.LRU, 4, first.next());
        EvictionPage third = index.evictionPage(EvictionPolicy.LRU, 4, EvictionCursor.fromToken(second.next().toToken()));

        assertThat(second.entries()).doesNotContainAnyElementsOf(first.entries()).hasSize(4);
        assertThat(third.entries()).hasSize(2);
        assertThat(third.hasMore()).isFalse();
    }

    @Test
    void cursorOfAnotherPolicyIsRefused() {
        index.upsertAll(List.of(blob(1, 10, T0)));
        EvictionCursor lru = index.evictionPage(EvictionPolicy.LRU, 1, null).next();

        assertThatThrownBy(() -> index.evictionPage(EvictionPolicy.FIFO, 1, lru))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lru");
        assertThatThrownBy(() -> EvictionCursor.fromToken("lru:x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lru:x");
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void evictionQueriesSeekInAnIndexInsteadOfSortingTheTable(EvictionPolicy policy) throws Exception {
        String first = queryPlan(EvictionQueries.steps(policy, false).getFirst());
        assertThat(first).contains("USING INDEX blobs_by_").doesNotContain("TEMP B-TREE");

        List<String> steps = EvictionQueries.steps(policy, true);
        assertThat(steps).hasSizeBetween(2, 3);
        for (String step : steps) {
            assertThat(queryPlan(step)).as(step)
                    .contains("SEARCH blobs USING INDEX blobs_by_").doesNotContain("TEMP B-TREE");
        }
    }

    // ---------------------------------------------------------------- totals, iteration, replacement

    @Test
    void totalsCountAndSumPerKind() {
        assertThat(index.totals()).isEqualTo(IndexTotals.EMPTY);
        index.upsertAll(List.of(
                entry(BlobKind.BLOB, 1, 100, 40, BlobFormat.ZSTD, T0, T0, 0),
                entry(BlobKind.BLOB, 2, 10, 10, BlobFormat.RAW, T0, T0, 0),
                entry(BlobKind.CHUNK, 3, 1_000, 900, BlobFormat.ZSTD, T0, T0, 0)));

        IndexTotals totals = index.totals();

        assertThat(totals.blobs()).isEqualTo(new KindTotals(2, 110, 50));
        assertThat(totals.of(BlobKind.CHUNK)).isEqualTo(new KindTotals(1, 1_000, 900));
        assertThat(totals.blobCount()).isEqualTo(2);
        assertThat(totals.chunkCount()).isEqualTo(1);
        assertThat(totals.totalSize()).isEqualTo(1_110);
        assertThat(totals.totalStoredSize()).isEqualTo(950);
    }

    @Test
    void forEachVisitsEveryEntryOnceAndLetsTheActionRemoveEntries() {
        index.upsertAll(IntStream.range(0, 2_500).mapToObj(n -> chunk(n, 1, T0)).toList());
        Set<String> seen = new HashSet<>();
        AtomicInteger visits = new AtomicInteger();

        index.forEach(entry -> {
            visits.incrementAndGet();
            seen.add(entry.hash());
            if (visits.get() % 2 == 0) {
                index.removeAll(BlobKind.CHUNK, List.of(entry.hash()));  // e.g. an orphan found by reconciliation
            }
        });

        assertThat(visits).hasValue(2_500);
        assertThat(seen).hasSize(2_500);
        assertThat(index.totals().chunkCount()).isEqualTo(1_250);
    }

    @Test
    void replaceAllMakesTheEntriesTheWholeContent() {
        index.upsertAll(List.of(blob(1, 10, T0), blob(2, 10, T0)));
        List<IndexEntry> scanned = IntStream.range(2, 2_502).mapToObj(n -> chunk(n, 5, T0)).toList();

        long count = index.replaceAll(scanned.iterator());

        assertThat(count).isEqualTo(2_500);
        assertThat(index.contains(BlobKind.BLOB, hash(1))).isFalse();
        assertThat(index.totals()).isEqualTo(new IndexTotals(KindTotals.EMPTY, new KindTotals(2_500, 12_500, 12_500)));
    }

    @Test
    void replaceAllIsInvisibleToOtherConnectionsUntilComplete() {
        index.upsertAll(List.of(blob(1, 10, T0)));
        try (BlobIndex other = BlobIndex.open(file)) {
            Iterator<IndexEntry> scan = IntStream.range(100, 3_100).mapToObj(n -> chunk(n, 1, T0)).peek(entry -> {
                if (entry.hash().equals(hash(3_000))) {  // most of the scan staged by now
                    assertThat(other.totals().count()).isEqualTo(1);
                    assertThat(other.contains(BlobKind.BLOB, hash(1))).isTrue();
                }
            }).iterator();

            index.replaceAll(scan);

            assertThat(other.totals().count()).isEqualTo(3_000);
            assertThat(other.contains(BlobKind.BLOB, hash(1))).isFalse();
        }
    }

    @Test
    void replaceAllLeavesTheIndexUnchangedWhenTheSourceFails() {
        index.upsertAll(List.of(blob(1, 10, T0)));
        Iterator<IndexEntry> failing = Stream.concat(
                IntStream.range(10, 2_010).mapToObj(n -> blob(n, 1, T0)),
                Stream.<IndexEntry>generate(() -> {
                    throw new IllegalStateException("disk went away");
                })).iterator();

        assertThatThrownBy(() -> index.replaceAll(failing)).hasMessage("disk went away");

        assertThat(index.totals().count()).isEqualTo(1);
        assertThat(index.replaceAll(List.of(blob(7, 1, T0)).iterator())).isEqualTo(1);
    }

    // ---------------------------------------------------------------- files, processes, recovery

    @Test
    void walModeIsOn() throws Exception {
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = raw.createStatement()) {
            assertThat(single(statement, "PRAGMA journal_mode")).isEqualTo("wal");
            assertThat(single(statement, "PRAGMA user_version")).isEqualTo(String.valueOf(BlobIndex.SCHEMA_VERSION));
        }
    }

    @Test
    void twoConnectionsSeeEachOthersWrites() {
        try (BlobIndex other = BlobIndex.open(file)) {
            index.upsertAll(List.of(blob(1, 10, T0)));
            assertThat(other.contains(BlobKind.BLOB, hash(1))).isTrue();

            other.recordAccess(BlobKind.BLOB, List.of(hash(1)), T0.plusSeconds(9));
            other.upsertAll(List.of(chunk(2, 10, T0)));

            assertThat(index.find(BlobKind.BLOB, hash(1)).orElseThrow().accessCount()).isEqualTo(1);
            assertThat(index.contains(BlobKind.CHUNK, hash(2))).isTrue();
        }
    }

    @Test
    void concurrentWritersOnTwoConnectionsWaitInsteadOfFailing() throws Exception {
        index.upsertAll(IntStream.range(0, 100).mapToObj(n -> blob(n, 1, T0)).toList());
        List<String> all = IntStream.range(0, 100).mapToObj(BlobIndexTest::hash).toList();
        try (BlobIndex other = BlobIndex.open(file)) {
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 40; i++) {
                    index.recordAccess(BlobKind.BLOB, all, T0.plusSeconds(i));
                }
            });
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 40; i++) {
                    other.recordAccess(BlobKind.BLOB, all, T0.plusSeconds(i));
                    other.upsertAll(List.of(chunk(1_000 + i, 1, T0)));
                }
            });
            CompletableFuture.allOf(a, b).get(60, TimeUnit.SECONDS);
        }

        assertThat(index.find(BlobKind.BLOB, hash(42)).orElseThrow().accessCount()).isEqualTo(80);
        assertThat(index.totals().chunkCount()).isEqualTo(40);
    }

    @Test
    void healthyFileIsOpenedWithoutRebuilding() {
        index.upsertAll(List.of(blob(1, 10, T0)));
        index.close();

        index = BlobIndex.openOrRecreate(file, () -> {
            throw new AssertionError("must not rebuild a healthy index");
        }, IntegrityCheck.FULL);

        assertThat(index.rebuilt()).isFalse();
        assertThat(index.rebuild()).isEmpty();
        assertThat(index.contains(BlobKind.BLOB, hash(1))).isTrue();
    }

    @Test
    void deletedFileIsRebuiltFromSource() throws Exception {
        index.upsertAll(List.of(blob(1, 10, T0)));
        index.close();
        Files.delete(file);

        index = BlobIndex.openOrRecreate(file, () -> List.of(blob(2, 10, T0), chunk(3, 20, T0)).iterator());

        assertThat(index.rebuild()).hasValueSatisfying(rebuild -> {
            assertThat(rebuild.cause()).isEqualTo(IndexRebuild.Cause.MISSING);
            assertThat(rebuild.entries()).isEqualTo(2);
            assertThat(rebuild.movedAsideTo()).isNull();
        });
        assertThat(index.contains(BlobKind.BLOB, hash(2))).isTrue();
        assertThat(index.contains(BlobKind.BLOB, hash(1))).isFalse();
        assertThat(leftovers()).containsExactlyInAnyOrder("index.sqlite", "index.sqlite.lock", "index.sqlite-wal", "index.sqlite-shm");
    }

    @Test
    void emptyFileIsRebuiltWithoutKeepingACopy() throws Exception {
        index.close();
        Files.delete(file);
        Files.createFile(file);

        index = BlobIndex.openOrRecreate(file, () -> List.of(blob(2, 10, T0)).iterator());

        assertThat(index.rebuild().orElseThrow().cause()).isEqualTo(IndexRebuild.Cause.EMPTY);
        assertThat(index.totals().count()).isEqualTo(1);
        assertThat(leftovers()).noneMatch(name -> name.contains("corrupt"));
    }

    @Test
    void corruptFileIsMovedAsideAndRebuilt() throws Exception {
        index.upsertAll(List.of(blob(1, 10, T0)));
        index.close();
        byte[] garbage = new byte[8_192];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(file, garbage);

        assertThatThrownBy(() -> BlobIndex.open(file))
                .isInstanceOfSatisfying(IndexException.class, e -> assertThat(e.corrupt()).isTrue())
                .hasMessageContaining(file.toString()).hasMessageContaining("open");

        index = BlobIndex.openOrRecreate(file, () -> List.of(blob(2, 10, T0)).iterator());

        IndexRebuild rebuild = index.rebuild().orElseThrow();
        assertThat(rebuild.cause()).isEqualTo(IndexRebuild.Cause.CORRUPT);
        assertThat(rebuild.toString()).contains("rebuilt blob index", "moved to");
        assertThat(rebuild.movedAsideTo().getFileName().toString()).startsWith("index.sqlite.corrupt-");
        assertThat(Files.readAllBytes(rebuild.movedAsideTo())).isEqualTo(garbage);
        assertThat(index.contains(BlobKind.BLOB, hash(2))).isTrue();
        assertThat(index.totals().count()).isEqualTo(1);
        assertThat(leftovers()).noneMatch(name -> name.contains(".rebuild-"));
    }

    @Test
    void damagedPagesFailTheIntegrityCheckAndAreRebuilt() throws Exception {
        index.upsertAll(IntStream.range(0, 3_000).mapToObj(n -> blob(n, 10, T0)).toList());
        index.close();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length).isGreaterThan(16 * 4_096);
        for (int i = 4 * 4_096; i < 12 * 4_096; i++) {  // leave the header page intact
            bytes[i] = (byte) (i * 31);
        }
        Files.write(file, bytes);

        index = BlobIndex.openOrRecreate(file, () -> List.of(blob(1, 10, T0)).iterator());

        assertThat(index.rebuild().orElseThrow().cause()).isEqualTo(IndexRebuild.Cause.CORRUPT);
        assertThat(index.totals().count()).isEqualTo(1);
    }

    @Test
    void foreignDatabaseIsMovedAsideAndRebuilt() throws Exception {
        index.close();
        Files.delete(file);
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = raw.createStatement()) {
            statement.execute("CREATE TABLE something_else (x INTEGER)");
        }

        assertThatThrownBy(() -> BlobIndex.open(file)).isInstanceOf(IndexException.class)
                .hasMessageContaining("not a bake-cache blob index");

        index = BlobIndex.openOrRecreate(file, Collections::emptyIterator);

        assertThat(index.rebuild().orElseThrow().cause()).isEqualTo(IndexRebuild.Cause.NOT_AN_INDEX);
        assertThat(index.rebuild().orElseThrow().movedAsideTo()).exists();
    }

    @Test
    void newerSchemaIsRefusedRatherThanRebuilt() throws Exception {
        index.close();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = raw.createStatement()) {
            statement.execute("PRAGMA user_version = " + (BlobIndex.SCHEMA_VERSION + 1));
        }

        assertThatThrownBy(() -> BlobIndex.openOrRecreate(file, () -> {
            throw new AssertionError("must not rebuild a newer bake-cache's index");
        })).isInstanceOf(IndexException.class).hasMessageContaining("newer");
        index = BlobIndex.open(dir.resolve("other.sqlite"));  // for @AfterEach
    }

    @Test
    void failedRebuildLeavesTheDamagedFileInPlace() throws Exception {
        index.close();
        Files.write(file, "not a database, not at all".repeat(200).getBytes());

        assertThatThrownBy(() -> BlobIndex.openOrRecreate(file, () -> {
            throw new IllegalStateException("scan failed");
        })).hasMessage("scan failed");

        assertThat(leftovers()).containsExactlyInAnyOrder("index.sqlite", "index.sqlite.lock");
        index = BlobIndex.openOrRecreate(file, Collections::emptyIterator);
        assertThat(index.rebuilt()).isTrue();
    }

    @Test
    void closedIndexRefusesWork() {
        index.close();
        index.close();

        assertThatThrownBy(() -> index.contains(BlobKind.BLOB, hash(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    // ---------------------------------------------------------------- helpers

    static String hash(int n) {
        return "%064x".formatted(n);
    }

    private static IndexEntry entry(BlobKind kind, int n, long size, long storedSize, BlobFormat format,
            Instant created, Instant lastAccessed, long accessCount) {
        return new IndexEntry(kind, hash(n), size, storedSize, format, created, lastAccessed, accessCount);
    }

    private static IndexEntry blob(int n, long size, Instant lastAccessed) {
        return entry(BlobKind.BLOB, n, size, size, BlobFormat.RAW, T0, lastAccessed, 0);
    }

    private static IndexEntry chunk(int n, long size, Instant lastAccessed) {
        return entry(BlobKind.CHUNK, n, size, size, BlobFormat.RAW, T0, lastAccessed, 0);
    }

    private static List<String> hashes(List<IndexEntry> entries) {
        return entries.stream().map(IndexEntry::hash).toList();
    }

    private List<String> leftovers() throws Exception {
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private String queryPlan(String sql) throws Exception {
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = raw.createStatement();
                ResultSet rows = statement.executeQuery("EXPLAIN QUERY PLAN " + sql.replace("?", "1"))) {
            StringBuilder plan = new StringBuilder();
            while (rows.next()) {
                plan.append(rows.getString("detail")).append('\n');
            }
            return plan.toString();
        }
    }

    private static String single(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
