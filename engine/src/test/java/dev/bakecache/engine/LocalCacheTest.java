package dev.bakecache.engine;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.engine.index.IndexTotals;
import dev.bakecache.engine.ingest.IngestException;
import dev.bakecache.engine.ingest.IngestReport;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.manifest.InvalidManifestException;
import dev.bakecache.engine.manifest.MissingSecretException;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.restore.RestoreReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine end to end on real files: ingest a tree, restore it, change it, ingest again. */
class LocalCacheTest {


    @TempDir
    Path tmp;
    private CacheConfig config;
    private Path outputs;

    @BeforeEach
    void setUp() throws IOException {
        config = CacheFixtures.config(tmp.resolve("cache"));
        outputs = tmp.resolve("outputs");
        writeTree(outputs);
    }

    static void writeTree(Path root) throws IOException {
        Random random = new Random(42);
        Files.createDirectories(root.resolve("dist/assets"));
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("empty/dir"));
        for (int i = 0; i < 30; i++) {
            Files.writeString(root.resolve("dist/module" + i + ".js"), ("export const x" + i + " = 1;\n").repeat(200 + i));
        }
        byte[] image = new byte[40_000];
        random.nextBytes(image);
        Files.write(root.resolve("dist/assets/logo.png"), image);
        byte[] big = new byte[3 * 1024 * 1024];
        random.nextBytes(big);
        Files.write(root.resolve("dist/model.bin"), big);
        Files.writeString(root.resolve("bin/run"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(root.resolve("bin/run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("dist/copy-of-0.js"), Files.readString(root.resolve("dist/module0.js")));
        Files.createSymbolicLink(root.resolve("dist/latest.js"), Path.of("module29.js"));
    }


    @Test
    void restoredTreeIsIdenticalToTheIngestedOne() throws IOException {
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            IngestReport ingested = cache.ingester().ingest("web-app", outputs, ProgressListener.NONE);
            assertThat(ingested.files()).isEqualTo(34);
            assertThat(ingested.dedupBytes()).as("copy-of-0.js is stored once").isPositive();

            ActionResult manifest = cache.actions().get("web-app").orElseThrow();
            assertThat(manifest.outputFiles()).filteredOn(f -> f.path().equals("dist/model.bin"))
                    .singleElement().satisfies(f -> assertThat(f.chunks()).hasSizeGreaterThan(2));

            Path target = tmp.resolve("restored");
            RestoreReport restored = cache.restorer().restore(manifest, target, ProgressListener.NONE);
            cache.recordReads(restored);
            assertThat(restored.filesTotal()).isEqualTo(34);
            assertThat(CacheFixtures.describeTree(target)).isEqualTo(CacheFixtures.describeTree(outputs));
        }
    }

    @Test
    void reingestOfUnchangedTreeReadsNoFileAndChangedFileIsCaught() throws IOException {
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            cache.ingester().ingest("web-app", outputs, ProgressListener.NONE);
            IngestReport again = cache.ingester().ingest("web-app", outputs, ProgressListener.NONE);
            assertThat(again.hashedFiles()).isZero();
            assertThat(again.newBlobs()).isZero();

            // same size, different content: only mtime/ctime tell
            Path changed = outputs.resolve("dist/module7.js");
            String content = Files.readString(changed);
            Files.writeString(changed, content.replaceFirst("x7", "y7"));
            IngestReport third = cache.ingester().ingest("web-app", outputs, ProgressListener.NONE);
            assertThat(third.hashedFiles()).isEqualTo(1);
            assertThat(third.newBlobs()).isEqualTo(1);

            Path target = tmp.resolve("restored");
            cache.restorer().restore(cache.actions().get("web-app").orElseThrow(), target, ProgressListener.NONE);
            assertThat(Files.readString(target.resolve("dist/module7.js"))).contains("y7");
        }
    }

    @Test
    void reingestStoresAgainTheBlobsAndChunksRemovedSinceTheStatCacheVouchedForThem() throws IOException {
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            cache.ingester().ingest("web-app", outputs, ProgressListener.NONE);
            ActionResult first = cache.actions().get("web-app").orElseThrow();
            OutputFile module = first.outputFiles().stream().filter(f -> f.path().equals("dist/module3.js")).findFirst().orElseThrow();
            OutputFile model = first.outputFiles().stream().filter(f -> f.path().equals("dist/model.bin")).findFirst().orElseThrow();
            // as an evict or gc between two builds would: the files in the outputs did not change
            cache.blobs().delete(module.digest());
            cache.chunks().delete(model.chunks().get(1));

            IngestReport again = cache.ingester().ingest("web-app", outputs, ProgressListener.NONE);

            assertThat(again.newBlobs()).as("one blob and one chunk").isEqualTo(2);
            assertThat(cache.blobs().contains(module.digest())).isTrue();
            assertThat(cache.chunks().contains(model.chunks().get(1))).isTrue();
            Path target = tmp.resolve("restored");
            cache.restorer().restore(cache.actions().get("web-app").orElseThrow(), target, ProgressListener.NONE);
            assertThat(CacheFixtures.describeTree(target)).isEqualTo(CacheFixtures.describeTree(outputs));
        }
    }

    @Test
    void unchangedIngestKeepsTheManifestFileButRewritesOneThatWasReplaced() throws IOException {
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            cache.ingester().ingest("web-app", outputs, ProgressListener.NONE);
            Path manifestFile = cache.actions().pathOf("web-app");
            Object inode = Files.getAttribute(manifestFile, "unix:ino");
            cache.ingester().ingest("web-app", outputs, ProgressListener.NONE);
            assertThat(Files.getAttribute(manifestFile, "unix:ino")).as("not rewritten").isEqualTo(inode);

            Files.delete(manifestFile);
            Files.writeString(manifestFile, "{}");
            cache.ingester().ingest("web-app", outputs, ProgressListener.NONE);
            assertThat(cache.actions().get("web-app")).isPresent();
        }
    }

    @Test
    void blobsStoredByIngestAreInTheIndexAndRestoresCountAsAccesses() throws IOException {
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            cache.ingester().ingest("web-app", outputs, ProgressListener.NONE);
            IndexTotals totals = cache.index().totals();
            assertThat(totals.blobCount()).isEqualTo(32); // 34 files: one duplicate, model.bin chunked
            assertThat(totals.chunkCount()).isGreaterThan(2);
            ActionResult manifest = cache.actions().get("web-app").orElseThrow();
            cache.recordReads(cache.restorer().restore(manifest, tmp.resolve("r"), ProgressListener.NONE));
            cache.blobs().flush();
            var runScript = manifest.outputFiles().stream().filter(f -> f.path().equals("bin/run")).findFirst().orElseThrow();
            assertThat(cache.index().find(dev.bakecache.engine.store.BlobKind.BLOB, runScript.digest().hash()))
                    .hasValueSatisfying(e -> assertThat(e.accessCount()).isEqualTo(1));
        }
    }

    @Test
    void deletedIndexIsRebuiltFromTheBlobFiles() throws IOException {
        long before;
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            cache.ingester().ingest("web-app", outputs, ProgressListener.NONE);
            before = cache.index().totals().count();
        }
        Files.delete(tmp.resolve("cache/cas/index.sqlite"));
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            assertThat(cache.index().rebuilt()).isTrue();
            assertThat(cache.index().totals().count()).isEqualTo(before);
        }
    }

    @Test
    void memoryIndexIsBuiltFromTheBlobFilesAndLeavesNoFileBehind() throws IOException {
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            cache.ingester().ingest("web-app", outputs, ProgressListener.NONE);
        }
        CacheConfig memory = ConfigLoader.parse("""
                cache:
                  local:
                    index: memory
                """, "memory.yaml").withLocalPath(tmp.resolve("cache"));
        try (LocalCache cache = LocalCache.open(memory, CacheFixtures.ENV)) {
            assertThat(cache.index().rebuilt()).isTrue();
            assertThat(cache.index().totals().blobCount()).isEqualTo(32);
        }
        try (Stream<Path> tmpFiles = Files.list(tmp.resolve("cache/tmp"))) {
            assertThat(tmpFiles).isEmpty();
        }
    }

    @Test
    void tamperedManifestIsRejectedBeforeAnythingIsRestored() throws IOException {
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            cache.ingester().ingest("web-app", outputs, ProgressListener.NONE);
        }
        Path manifestFile = tmp.resolve("cache/ac/web-app.json");
        Files.writeString(manifestFile, Files.readString(manifestFile).replace("dist/module1.js", "dist/evil.js"));
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            assertThatThrownBy(() -> cache.actions().get("web-app")).isInstanceOf(InvalidManifestException.class);
        }
    }

    @Test
    void missingSecretIsReportedWhenTheCacheOpens() {
        assertThatThrownBy(() -> LocalCache.open(config, Map.of())).isInstanceOf(MissingSecretException.class)
                .hasMessageContaining("BAKE_CACHE_SECRET");
    }

    @Test
    void symlinkPointingOutsideTheOutputsIsRefusedAtIngest() throws IOException {
        Files.createSymbolicLink(outputs.resolve("dist/passwd"), Path.of("../../../etc/passwd"));
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            assertThatThrownBy(() -> cache.ingester().ingest("web-app", outputs, ProgressListener.NONE))
                    .isInstanceOf(IngestException.class).hasMessageContaining("dist/passwd");
            assertThat(cache.actions().contains("web-app")).isFalse();
        }
    }

    @Test
    void fifoInTheOutputsIsRefusedWithItsPath() throws Exception {
        Path fifo = outputs.resolve("dist/pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            assertThatThrownBy(() -> cache.ingester().ingest("web-app", outputs, ProgressListener.NONE))
                    .isInstanceOf(IngestException.class).hasMessageContaining("dist/pipe");
        }
    }
}
