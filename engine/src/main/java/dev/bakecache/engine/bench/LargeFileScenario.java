package dev.bakecache.engine.bench;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.ByteSize;
import dev.bakecache.engine.metrics.ProgressListener;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One large incompressible file, saved, then edited in place (a few KiB overwritten) and saved
 * again: FastCDC cuts it into content-defined chunks, so only the chunks around the edit are new,
 * while the old system writes the whole archive again.
 */
final class LargeFileScenario extends Scenario {

    private static final String KEY = "bench-largefile";
    private static final int EDIT_BYTES = 4096;

    LargeFileScenario() {
        super("largefile", "Large file: first save, and a small edit inside it");
    }

    @Override
    public Measured measure(BenchWorkspace workspace) throws IOException {
        long size = workspace.scale().largeFileBytes();
        Path tree = workspace.freshDir("largefile/tree");
        Path file = DatasetGenerator.writeRandom(tree.resolve("large.bin"), size, DatasetGenerator.SEED + 5);
        Path archive = workspace.freshDir("largefile/archives").resolve("recipe.tar.zst");
        SplittableRandom edits = new SplittableRandom(DatasetGenerator.SEED);
        BenchWorkspace.Step editInside = () -> {
            byte[] patch = new byte[EDIT_BYTES];
            edits.nextBytes(patch);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(edits.nextLong(size - EDIT_BYTES));
                raf.write(patch);
            }
        };
        List<Double> newBytes = new ArrayList<>();
        Stats casFirst;
        Stats casEdit;
        try (LocalCache cache = workspace.cache("largefile", 0)) {
            long start = System.nanoTime();
            cache.ingester().ingest(KEY, tree, ProgressListener.NONE);
            casFirst = Stats.exactly((System.nanoTime() - start) / 1e6);
            casEdit = workspace.millis(editInside,
                    () -> newBytes.add((double) cache.ingester().ingest(KEY, tree, ProgressListener.NONE).newBytes()));
        }
        List<Double> timedNewBytes = newBytes.subList(newBytes.size() - casEdit.repetitions(), newBytes.size());
        long start = System.nanoTime();
        long archiveBytes = TarZstBaseline.archive(tree, archive, 1);
        Stats baselineFirst = Stats.exactly((System.nanoTime() - start) / 1e6);
        Stats baselineEdit = workspace.millis(editInside, () -> TarZstBaseline.archive(tree, archive, 1));
        return new Measured(List.of(
                Comparison.of("editStoredBytes", "bytes newly stored after a " + EDIT_BYTES / 1024 + " KiB edit",
                        Unit.BYTES, "CAS (new chunks)", Stats.of(timedNewBytes), "tar.zst (whole archive)",
                        Stats.exactly(archiveBytes)),
                Comparison.of("editSave", "save after the edit", Unit.MILLISECONDS,
                        "CAS ingest", casEdit, "tar.zst re-archive", baselineEdit),
                Comparison.of("firstSave", "first save of the file", Unit.MILLISECONDS,
                        "CAS ingest", casFirst, "tar.zst archive", baselineFirst)),
                "one incompressible file of " + ByteSize.format(size) + "; default FastCDC chunks (1/4/16 MiB)");
    }
}
