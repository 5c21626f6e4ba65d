package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.engine.index.IndexEntry;
import dev.bakecache.engine.store.BlobKind;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code evict} and {@code gc} through the CLI, in-process. */
class EvictAndGcCliTest {

    @TempDir
    Path tmp;

    private String cache() {
        return tmp.resolve("cache").toString();
    }

    private Path ingestRecipes(int count) throws IOException {
        Path recipes = tmp.resolve("recipes");
        for (int i = 0; i < count; i++) {
            Trees.large(recipes.resolve("r" + i), 4, 20_000 + i);
        }
        CliRun ingest = CliRun.of("ingest", "--cache", cache(), "--root", recipes.toString());
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        return recipes;
    }

    /** As if nobody had touched the cache for a day: index times and blob file mtimes. */
    private void idleForADay() throws IOException {
        Instant dayAgo = Instant.now().minus(Duration.ofDays(1));
        try (LocalCache opened = LocalCache.open(ConfigLoader.defaults().withLocalPath(tmp.resolve("cache")),
                System.getenv())) {
            List<IndexEntry> aged = new ArrayList<>();
            opened.index().forEach(e -> aged.add(new IndexEntry(e.kind(), e.hash(), e.size(), e.storedSize(),
                    e.compression(), dayAgo, dayAgo, e.accessCount())));
            for (IndexEntry e : aged) {
                var store = e.kind() == BlobKind.CHUNK ? opened.chunks() : opened.blobs();
                Files.setLastModifiedTime(store.files().pathOf(e.digest()), FileTime.from(dayAgo));
            }
            opened.index().replaceAll(aged.iterator());
        }
    }

    private List<String> keys() throws IOException {
        try (Stream<Path> files = Files.list(tmp.resolve("cache/ac"))) {
            return files.map(p -> p.getFileName().toString().replace(".json", "")).sorted().toList();
        }
    }

    @Test
    void evictBringsAnIdleCacheUnderTheLimitAndWhatIsLeftRestores() throws IOException {
        Path recipes = ingestRecipes(5); // 5 x 4 x ~20 KB, incompressible
        idleForADay();

        CliRun evict = CliRun.of("evict", "--cache", cache(), "--max-size", "200KB");
        assertThat(evict.exitCode()).as(evict.toString()).isZero();
        assertThat(evict.out()).startsWith("evicted ").contains("(lru)").contains("target 180 KiB")
                .doesNotContain("not reached");
        List<String> left = keys();
        assertThat(left).isNotEmpty().hasSizeLessThan(5);
        for (String key : left) {
            Path target = tmp.resolve("restored/" + key);
            CliRun restore = CliRun.of("restore", "--cache", cache(), "--key", key, "--dir", target.toString());
            assertThat(restore.exitCode()).as(restore.toString()).isZero();
            assertThat(CacheFixtures.describeTree(target)).isEqualTo(CacheFixtures.describeTree(recipes.resolve(key)));
        }
    }

    @Test
    void anIngestThatTakesTheCacheOverItsLimitEvictsWhatWasUsedLeastRecently() throws IOException {
        Path config = Files.writeString(tmp.resolve("bake.yaml"), """
                cache:
                  local:
                    maxSize: 150KB
                """);
        Path yesterday = Trees.large(tmp.resolve("yesterday"), 4, 20_000);
        Path today = Trees.large(tmp.resolve("today"), 4, 20_001);
        assertThat(CliRun.of("ingest", "--config", config.toString(), "--cache", cache(), "--key", "yesterday",
                "--dir", yesterday.toString()).exitCode()).isZero();
        idleForADay();

        CliRun ingest = CliRun.of("ingest", "--config", config.toString(), "--cache", cache(), "--key", "today",
                "--dir", today.toString());

        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).startsWith("ingested today: 4 files").contains("; evicted 1 manifests and 4 blobs");
        assertThat(keys()).containsExactly("today");
        assertThat(CliRun.of("stats", "--cache", cache(), "--format", "prometheus").out())
                .contains("bake_cache_evicted_manifests_total 1");
    }

    @Test
    void evictWithinTheLimitChangesNothing() throws IOException {
        ingestRecipes(1);
        CliRun evict = CliRun.of("evict", "--cache", cache());
        assertThat(evict.exitCode()).as(evict.toString()).isZero();
        assertThat(evict.out()).startsWith("nothing to evict:").contains("limit 20 GiB");
        assertThat(keys()).containsExactly("r0");
    }

    @Test
    void gcSweepsWhatNoManifestNamesAndKeepsTheRest() throws IOException {
        Path recipes = ingestRecipes(2);
        Files.delete(tmp.resolve("cache/ac/r1.json"));

        CliRun young = CliRun.of("gc", "--cache", cache());
        assertThat(young.exitCode()).as(young.toString()).isZero();
        assertThat(young.out()).startsWith("gc: swept 0 of 8 blobs").contains("(4 unreferenced kept within the 1h grace)");

        CliRun gc = CliRun.of("gc", "--cache", cache(), "--grace", "0");
        assertThat(gc.exitCode()).as(gc.toString()).isZero();
        assertThat(gc.out()).startsWith("gc: swept 4 of 8 blobs").contains("1 manifests name 4");
        assertThat(CliRun.of("stats", "--cache", cache(), "--format", "prometheus").out())
                .contains("bake_cache_gc_deleted_blobs_total 4");
        Path target = tmp.resolve("restored");
        CliRun restore = CliRun.of("restore", "--cache", cache(), "--key", "r0", "--dir", target.toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(CacheFixtures.describeTree(target)).isEqualTo(CacheFixtures.describeTree(recipes.resolve("r0")));
    }

    @Test
    void badSizeOrDurationExitsTwoNamingTheOption() {
        CliRun size = CliRun.of("evict", "--cache", cache(), "--max-size", "20XB");
        assertThat(size.exitCode()).isEqualTo(2);
        assertThat(size.err()).contains("--max-size: '20XB' is not a size");
        CliRun zero = CliRun.of("evict", "--cache", cache(), "--max-size", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("--max-size: must be more than 0");
        CliRun grace = CliRun.of("gc", "--cache", cache(), "--grace", "1 year");
        assertThat(grace.exitCode()).isEqualTo(2);
        assertThat(grace.err()).contains("--grace: '1 year' is not a duration");
        assertThat(tmp.resolve("cache")).doesNotExist();
    }
}
