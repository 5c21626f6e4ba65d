package dev.bakecache.engine.bench;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.ByteSize;
import dev.bakecache.engine.metrics.ProgressListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Restoring a recipe twice over: into a target that already holds it (the CAS skips what its
 * restore records vouch for; the old system extracts again) and into an empty directory.
 * The CAS side reads and verifies the manifest inside the timing, as a real restore does.
 */
final class RestoreScenario extends Scenario {

    private static final String KEY = "bench-restore";

    RestoreScenario() {
        super("restore", "Full restore: all cached, and into an empty directory");
    }

    @Override
    public Measured measure(BenchWorkspace workspace) throws IOException {
        Path tree = workspace.freshDir("restore/tree");
        int files = DatasetGenerator.writeTree(tree, workspace.scale(), DatasetGenerator.SEED).size();
        Path archive = workspace.freshDir("restore/archives").resolve("recipe.tar.zst");
        TarZstBaseline.archive(tree, archive, 1);
        Path casTarget = workspace.freshDir("restore/cas-target");
        Path baselineTarget = workspace.freshDir("restore/tar-target");
        Path[] empty = new Path[1];
        Stats casCached;
        Stats casEmpty;
        try (LocalCache cache = workspace.cache("restore", 0)) {
            cache.ingester().ingest(KEY, tree, ProgressListener.NONE);
            BenchWorkspace.Step restore = () -> cache.restorer()
                    .restore(cache.actions().get(KEY).orElseThrow(), casTarget, ProgressListener.NONE);
            restore.run();
            casCached = workspace.millis(BenchWorkspace.NOTHING, restore);
            casEmpty = workspace.millis(() -> empty[0] = workspace.freshDir("restore/cas-empty"),
                    () -> cache.restorer().restore(cache.actions().get(KEY).orElseThrow(), empty[0],
                            ProgressListener.NONE));
        }
        TarZstBaseline.extract(archive, baselineTarget);
        Stats baselineCached = workspace.millis(BenchWorkspace.NOTHING,
                () -> TarZstBaseline.extract(archive, baselineTarget));
        Stats baselineEmpty = workspace.millis(() -> empty[0] = workspace.freshDir("restore/tar-empty"),
                () -> TarZstBaseline.extract(archive, empty[0]));
        return new Measured(List.of(
                Comparison.of("allCached", "restore over a target that already holds the recipe", Unit.MILLISECONDS,
                        "CAS restore (skips)", casCached, "tar.zst extract", baselineCached),
                Comparison.of("emptyTarget", "restore into an empty directory", Unit.MILLISECONDS,
                        "CAS restore", casEmpty, "tar.zst extract", baselineEmpty)),
                files + " files, " + ByteSize.format(BenchWorkspace.treeBytes(tree))
                        + "; default configuration (files copied and verified, no hard links)");
    }
}
