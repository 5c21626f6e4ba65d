package dev.bakecache.engine.bench;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.ByteSize;
import dev.bakecache.engine.metrics.ProgressListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Throughput of a cold save and of a restore into an empty directory at 1, 2, 4, ... threads (up
 * to twice the processors), on the tree's larger files, where the bytes are. The old system's zstd can compress with several workers; its
 * extraction is one stream and cannot use more threads.
 */
final class ParallelScenario extends Scenario {

    private static final String KEY = "bench-parallel";

    ParallelScenario() {
        super("parallel", "Parallel scalability: save and restore throughput by threads");
    }

    @Override
    public Measured measure(BenchWorkspace workspace) throws IOException {
        Path tree = workspace.freshDir("parallel/tree");
        DatasetGenerator.writeLargeFiles(tree, workspace.scale(), DatasetGenerator.SEED);
        long bytes = BenchWorkspace.treeBytes(tree);
        Path archive = workspace.freshDir("parallel/archives").resolve("recipe.tar.zst");
        Path target = workspace.freshDir("parallel/target");
        try (LocalCache cache = workspace.cache("parallel-source", 0)) {
            cache.ingester().ingest(KEY, tree, ProgressListener.NONE);
        }
        TarZstBaseline.archive(tree, archive, 1);
        BenchWorkspace.Step emptyTarget = () -> workspace.freshDir("parallel/target");

        List<Comparison> ingests = new ArrayList<>();
        List<Comparison> restores = new ArrayList<>();
        int most = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
        for (int threads = 1; threads <= most; threads *= 2) {
            int n = threads;
            String label = n + (n == 1 ? " thread" : " threads");
            Stats casIngest = workspace.megabytesPerSecond(bytes, () -> workspace.freshDir("caches/parallel-cold"), () -> {
                try (LocalCache cache = workspace.cache("parallel-cold", n)) {
                    cache.ingester().ingest(KEY, tree, ProgressListener.NONE);
                }
            });
            Stats tarIngest = workspace.megabytesPerSecond(bytes, BenchWorkspace.NOTHING,
                    () -> TarZstBaseline.archive(tree, archive, n));
            ingests.add(Comparison.of("ingest" + n, "cold save, " + label, Unit.MEGABYTES_PER_SECOND,
                    "CAS ingest", casIngest, "tar.zst archive (" + n + " zstd workers)", tarIngest));
            Stats casRestore = workspace.megabytesPerSecond(bytes, emptyTarget, () -> {
                try (LocalCache cache = workspace.cache("parallel-source", n)) {
                    cache.restorer().restore(cache.actions().get(KEY).orElseThrow(), target, ProgressListener.NONE);
                }
            });
            Stats tarRestore = workspace.megabytesPerSecond(bytes, emptyTarget, () -> TarZstBaseline.extract(archive, target));
            restores.add(Comparison.of("restore" + n, "restore into an empty directory, " + label,
                    Unit.MEGABYTES_PER_SECOND, "CAS restore", casRestore, "tar.zst extract", tarRestore));
        }
        List<Comparison> all = new ArrayList<>(ingests.reversed());
        all.addAll(restores.reversed());
        return new Measured(all, "the binaries and incompressible files of the incremental scenario's tree ("
                + ByteSize.format(bytes) + "; per-file costs are the incremental scenario's business) on "
                + Runtime.getRuntime().availableProcessors() + " processors; a cold save starts from an empty cache");
    }
}
