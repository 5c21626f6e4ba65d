package dev.bakecache.engine.bench;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.ByteSize;
import dev.bakecache.engine.metrics.ProgressListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Recipes that share a node_modules-like tree, each with files of its own: what the CAS stores
 * for all of them (blobs, chunks and manifests, as stored on disk after compression) against the
 * sum of one archive per recipe.
 */
final class DedupScenario extends Scenario {

    DedupScenario() {
        super("dedup", "Deduplication: recipes sharing a node_modules tree");
    }

    @Override
    public Measured measure(BenchWorkspace workspace) throws IOException {
        BenchScale scale = workspace.scale();
        List<Path> recipes = new ArrayList<>();
        for (int r = 0; r < scale.recipes(); r++) {
            Path recipe = workspace.freshDir("dedup/recipe-" + r);
            DatasetGenerator.writeSharedModules(recipe, scale.sharedFiles(), DatasetGenerator.SEED);
            DatasetGenerator.writeOwnFiles(recipe, r, DatasetGenerator.SEED);
            recipes.add(recipe);
        }
        Path archives = workspace.freshDir("dedup/archives");
        long archiveBytes = 0;
        long baselineStart = System.nanoTime();
        for (int r = 0; r < recipes.size(); r++) {
            archiveBytes += TarZstBaseline.archive(recipes.get(r), archives.resolve("recipe-" + r + ".tar.zst"), 1);
        }
        double baselineMillis = (System.nanoTime() - baselineStart) / 1e6;
        long casBytes;
        long manifestBytes;
        double casMillis;
        try (LocalCache cache = workspace.cache("dedup", 0)) {
            long casStart = System.nanoTime();
            for (int r = 0; r < recipes.size(); r++) {
                cache.ingester().ingest("bench-dedup-" + r, recipes.get(r), ProgressListener.NONE);
            }
            casMillis = (System.nanoTime() - casStart) / 1e6;
            manifestBytes = manifestBytes(cache);
            casBytes = cache.index().totals().totalStoredSize() + manifestBytes;
        }
        long treeBytes = BenchWorkspace.treeBytes(recipes.getFirst());
        return new Measured(List.of(
                Comparison.of("storedBytes", "bytes stored for all recipes", Unit.BYTES,
                        "CAS (blobs + chunks + manifests)", Stats.exactly(casBytes),
                        "tar.zst (sum of archives)", Stats.exactly(archiveBytes)),
                Comparison.of("saveAll", "time to save all recipes once", Unit.MILLISECONDS,
                        "CAS ingest", Stats.exactly(casMillis), "tar.zst archive", Stats.exactly(baselineMillis))),
                scale.recipes() + " recipes of " + ByteSize.format(treeBytes) + " each: " + scale.sharedFiles()
                        + " shared node_modules files plus 21 own files; CAS saves "
                        + String.format(java.util.Locale.ROOT, "%.1f %%", 100.0 * (1 - (double) casBytes / archiveBytes))
                        + " of the archives' bytes (its manifests are " + ByteSize.format(manifestBytes) + " of it)");
    }

    private static long manifestBytes(LocalCache cache) throws IOException {
        try (Stream<Path> manifests = Files.list(cache.layout().actionCacheDir())) {
            return manifests.mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
