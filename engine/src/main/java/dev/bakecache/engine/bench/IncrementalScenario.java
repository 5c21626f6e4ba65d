package dev.bakecache.engine.bench;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.metrics.ProgressListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One file of the tree changed, then the tree is saved again: the CAS ingests (the stat cache
 * vouches for the unchanged files), the old system re-archives the whole recipe.
 */
final class IncrementalScenario extends Scenario {

    private static final String KEY = "bench-incremental";

    IncrementalScenario() {
        super("incremental", "Incremental save: one file changed");
    }

    @Override
    public Measured measure(BenchWorkspace workspace) throws IOException {
        BenchScale scale = workspace.scale();
        Path tree = workspace.freshDir("incremental/tree");
        List<Path> files = DatasetGenerator.writeTree(tree, scale, DatasetGenerator.SEED);
        Path archive = workspace.freshDir("incremental/archives").resolve("recipe.tar.zst");
        long[] edits = {0};
        BenchWorkspace.Step changeOneFile = () -> {
            edits[0]++;
            DatasetGenerator.rewriteText(files.get((int) (edits[0] * 7 % scale.textFiles())), edits[0]);
        };
        Stats cas;
        try (LocalCache cache = workspace.cache("incremental", 0)) {
            cache.ingester().ingest(KEY, tree, ProgressListener.NONE);
            cas = workspace.millis(changeOneFile, () -> cache.ingester().ingest(KEY, tree, ProgressListener.NONE));
        }
        Stats baseline = workspace.millis(changeOneFile, () -> TarZstBaseline.archive(tree, archive, 1));
        return new Measured(List.of(Comparison.of("ingest", "save after one of " + files.size() + " files changed",
                        Unit.MILLISECONDS, "CAS ingest", cas, "tar.zst re-archive", baseline)),
                files.size() + " files, " + dev.bakecache.engine.config.ByteSize.format(BenchWorkspace.treeBytes(tree))
                        + "; one text file rewritten before each save");
    }
}
