package dev.bakecache.engine.migrate;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.migrate.LegacyArchiveWriter.Entry;
import dev.bakecache.engine.migrate.MigrationOutcome.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Legacy archives into the CAS, on real files: what comes back out, dedup, re-runs, deletion. */
class LegacyArchiveMigratorTest {


    @TempDir
    Path tmp;
    private CacheConfig config;
    private Path legacy;

    @BeforeEach
    void setUp() throws IOException {
        config = CacheFixtures.config(tmp.resolve("cache"));
        legacy = Files.createDirectories(tmp.resolve("legacy"));
    }

    static List<Entry> recipe(Random random) {
        byte[] model = new byte[3 * 1024 * 1024];
        random.nextBytes(model);
        return List.of(
                Entry.directory("./"),
                Entry.directory("./dist"),
                Entry.file("./dist/app.js", "console.log('app');\n".repeat(300)),
                Entry.file("./dist/model.bin", model),
                Entry.executable("./bin/run", "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8)),
                Entry.directory("./empty/dir"),
                Entry.symlink("./dist/latest.js", "app.js"),
                Entry.hardLink("./dist/copy.js", "./dist/app.js"));
    }

    @Test
    void migratedArchiveRestoresItsFilesExecBitsDirectoriesAndLinks() throws IOException {
        List<Entry> entries = recipe(new Random(1));
        LegacyArchiveWriter.write(legacy.resolve("web-app.tar.zst"), entries);
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            MigrationOutcome outcome = new LegacyArchiveMigrator(cache).migrate(legacy.resolve("web-app.tar.zst"), false);

            assertThat(outcome.status()).as(outcome.describe()).isEqualTo(Status.MIGRATED);
            assertThat(outcome.files()).isEqualTo(4);
            ActionResult manifest = cache.actions().get("web-app").orElseThrow();
            assertThat(manifest.outputFiles()).filteredOn(f -> f.path().equals("dist/model.bin"))
                    .singleElement().satisfies(f -> assertThat(f.chunks()).hasSizeGreaterThan(2));
            Path target = tmp.resolve("restored");
            cache.restorer().restore(manifest, target, ProgressListener.NONE);
            assertThat(CacheFixtures.describeTree(target)).isEqualTo(expected(entries));
        }
        assertThat(legacy.resolve("web-app.tar.zst")).as("kept without --delete-after-verify").exists();
    }

    @Test
    void fiftyArchivesOfSharedOutputsTakeLessSpaceInTheCasAndRestoreIdentically() throws IOException {
        Random random = new Random(50);
        List<Entry> shared = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            shared.add(Entry.file("node_modules/pkg" + i % 10 + "/lib" + i + ".js", randomText(random, 2000)));
        }
        long archiveBytes = 0;
        Map<String, List<Entry>> recipes = new TreeMap<>();
        for (int r = 0; r < 50; r++) {
            List<Entry> entries = new ArrayList<>(shared);
            for (int u = 0; u < 5; u++) {
                entries.add(Entry.file("dist/out" + u + ".js", randomText(random, 3000)));
            }
            recipes.put("recipe-" + r, entries);
            archiveBytes += Files.size(LegacyArchiveWriter.write(legacy.resolve("recipe-" + r + ".tar.zst"), entries));
        }

        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            LegacyArchiveMigrator migrator = new LegacyArchiveMigrator(cache);
            for (Path archive : LegacyArchiveMigrator.archivesIn(legacy)) {
                assertThat(migrator.migrate(archive, false).status()).isEqualTo(Status.MIGRATED);
            }
            long casBytes = cache.index().totals().totalStoredSize();
            assertThat(casBytes).as("CAS bytes vs %d bytes of archives", archiveBytes).isLessThan(archiveBytes);
            for (Map.Entry<String, List<Entry>> recipe : recipes.entrySet()) {
                Path target = tmp.resolve("restored").resolve(recipe.getKey());
                cache.restorer().restore(cache.actions().get(recipe.getKey()).orElseThrow(), target, null);
                assertThat(CacheFixtures.describeTree(target)).as(recipe.getKey()).isEqualTo(expected(recipe.getValue()));
            }
        }
    }

    @Test
    void secondRunSkipsArchivesAlreadyMigratedAndAChangedArchiveIsMigratedAgain() throws IOException {
        LegacyArchiveWriter.write(legacy.resolve("a.tar.zst"), List.of(Entry.file("a.txt", "one")));
        LegacyArchiveWriter.write(legacy.resolve("b.tar.zst"), List.of(Entry.file("b.txt", "two")));
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            LegacyArchiveMigrator migrator = new LegacyArchiveMigrator(cache);
            for (Path archive : LegacyArchiveMigrator.archivesIn(legacy)) {
                migrator.migrate(archive, false);
            }
            byte[] manifestA = Files.readAllBytes(cache.actions().pathOf("a"));

            LegacyArchiveWriter.write(legacy.resolve("b.tar.zst"), List.of(Entry.file("b.txt", "three")));
            assertThat(migrator.migrate(legacy.resolve("a.tar.zst"), false).status()).isEqualTo(Status.SKIPPED);
            assertThat(migrator.migrate(legacy.resolve("b.tar.zst"), false).status()).isEqualTo(Status.MIGRATED);
            assertThat(Files.readAllBytes(cache.actions().pathOf("a"))).isEqualTo(manifestA);
            Path target = tmp.resolve("b");
            cache.restorer().restore(cache.actions().get("b").orElseThrow(), target, null);
            assertThat(target.resolve("b.txt")).hasContent("three");

            cache.actions().delete("a");
            assertThat(migrator.migrate(legacy.resolve("a.tar.zst"), false).status())
                    .as("a key whose manifest is gone is migrated again").isEqualTo(Status.MIGRATED);
        }
    }

    @Test
    void deleteAfterVerifyDeletesTheArchiveOnceItsManifestRestoresToTheSameBytes() throws IOException {
        Path archive = LegacyArchiveWriter.write(legacy.resolve("web-app.tar.zst"), recipe(new Random(2)));
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            MigrationOutcome outcome = new LegacyArchiveMigrator(cache).migrate(archive, true);

            assertThat(outcome.deleted()).as(outcome.describe()).isTrue();
            assertThat(archive).doesNotExist();
            assertThat(cache.actions().contains("web-app")).isTrue();
            assertThat(cache.layout().tmpDir()).isEmptyDirectory();
        }
    }

    @Test
    void archiveIsKeptWhenItsManifestDoesNotRestoreToTheArchiveContent() throws IOException {
        Path archive = LegacyArchiveWriter.write(legacy.resolve("web-app.tar.zst"),
                List.of(Entry.file("dist/app.js", "console.log('app');\n")));
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV)) {
            LegacyArchiveMigrator migrator = new LegacyArchiveMigrator(cache);
            migrator.migrate(archive, false);
            OutputFile app = cache.actions().get("web-app").orElseThrow().outputFiles().getFirst();
            Path blob = cache.blobs().files().pathOf(app.digest());
            Files.setPosixFilePermissions(blob, PosixFilePermissions.fromString("rw-r--r--"));
            Files.writeString(blob, "console.log('bad');\n"); // same size, rotten bytes

            MigrationOutcome outcome = migrator.migrate(archive, true);

            assertThat(outcome.status()).isEqualTo(Status.REJECTED);
            assertThat(outcome.detail()).contains("does not restore to the archive's content", "archive kept");
            assertThat(archive).exists();
            assertThat(cache.actions().contains("web-app")).isFalse();
            assertThat(cache.layout().tmpDir()).isEmptyDirectory();
        }
    }

    @Test
    void largeEntryBelowTheChunkingThresholdIsSpooledAndTheSpoolRemoved() throws IOException {
        CacheConfig unchunked = ConfigLoader.parse("""
                cache:
                  cas:
                    chunking:
                      enabled: false
                """, "test.yaml").withLocalPath(tmp.resolve("cache"));
        byte[] big = new byte[LegacyArchiveMigrator.IN_MEMORY_LIMIT + 1000];
        new Random(3).nextBytes(big);
        List<Entry> entries = List.of(Entry.file("big.bin", big));
        LegacyArchiveWriter.write(legacy.resolve("big.tar.zst"), entries);
        try (LocalCache cache = LocalCache.open(unchunked, CacheFixtures.ENV)) {
            MigrationOutcome outcome = new LegacyArchiveMigrator(cache).migrate(legacy.resolve("big.tar.zst"), false);

            assertThat(outcome.newBytes()).isEqualTo(big.length);
            assertThat(cache.layout().tmpDir()).isEmptyDirectory();
            Path target = tmp.resolve("restored");
            cache.restorer().restore(cache.actions().get("big").orElseThrow(), target, null);
            assertThat(CacheFixtures.describeTree(target)).isEqualTo(expected(entries));
        }
    }

    static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            text.append("export const v").append(random.nextInt(1000)).append(" = ").append(random.nextInt()).append(";\n");
        }
        return text.toString();
    }

    /** What a correct restore of {@code entries} holds: path → content hash and exec bit, link target or "dir". */
    static Map<String, String> expected(List<Entry> entries) {
        Map<String, String> tree = new TreeMap<>();
        for (Entry entry : entries) {
            String path = entry.name().replaceFirst("^(\\./)+", "").replaceFirst("/$", "");
            if (path.isEmpty()) {
                continue;
            }
            for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                tree.put(path.substring(0, slash), "dir");
            }
            tree.put(path, switch (entry.type()) {
                case '5' -> "dir";
                case '2' -> "-> " + entry.linkTarget();
                case '1' -> tree.get(entry.linkTarget().replaceFirst("^(\\./)+", ""));
                default -> HashAlgorithm.SHA256.digest(entry.content()).hash() + ((entry.mode() & 0100) != 0 ? " x" : " -");
            });
        }
        return tree;
    }

}
