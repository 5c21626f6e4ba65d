package dev.bakecache.engine.bench;

import java.util.List;
import java.util.Locale;

/**
 * How big the generated datasets are and how often each measurement repeats.
 *
 * @param id             the name on the command line ({@code small}, {@code medium}, {@code large})
 * @param textFiles      small compressible text files in a recipe's tree (the incremental scenario changes one)
 * @param textFileBytes  their average size
 * @param binaries       medium semi-compressible binaries in the tree
 * @param binaryBytes    the size of each
 * @param blobs          large incompressible files in the tree
 * @param blobBytes      the size of each
 * @param largeFileBytes the single large file of the large-file scenario
 * @param sharedFiles    files of the node_modules-like tree the dedup recipes share
 * @param recipes        recipes in the dedup scenario
 * @param hashBufferBytes the in-memory buffer the hashing, compression and chunking speeds are measured on
 * @param repetitions    the fewest timed runs per measurement, after the warm-up runs (more follow while they are short: {@code timedSeconds})
 * @param warmUpSeconds  how long warm-up runs may go on before the timed ones (at least one, at most 1000 runs):
 *                       a run of a few milliseconds needs several hundred before the JIT has compiled its loops
 * @param timedSeconds   how long timed runs go on once {@code repetitions} are done (at most 200 runs): the median
 *                       of five runs of 10 ms moves by a third between benches on a shared machine
 */
public record BenchScale(String id, int textFiles, int textFileBytes, int binaries, int binaryBytes, int blobs,
                         int blobBytes, long largeFileBytes, int sharedFiles, int recipes, int hashBufferBytes,
                         int repetitions, int warmUpSeconds, int timedSeconds) {

    private static final int MIB = 1024 * 1024;

    public static final BenchScale SMALL = new BenchScale("small", 1000, 3 * 1024, 8, 256 * 1024, 2, 4 * MIB,
            64L * MIB, 1500, 10, 16 * MIB, 3, 1, 1);
    /** A recipe the size the plan describes (10 recipes of 500 MB in its dedup scenario): ~510 MB in 1046 files. */
    public static final BenchScale MEDIUM = new BenchScale("medium", 1000, 40 * 1024, 40, 4 * MIB, 6, 48 * MIB,
            256L * MIB, 4000, 10, 64 * MIB, 5, 10, 1);
    public static final BenchScale LARGE = new BenchScale("large", 1000, 64 * 1024, 100, 4 * MIB, 8, 64 * MIB,
            1280L * MIB, 10000, 10, 256 * MIB, 5, 10, 1);

    public static List<BenchScale> all() {
        return List.of(SMALL, MEDIUM, LARGE);
    }

    /** @throws IllegalArgumentException naming the valid scales */
    public static BenchScale fromId(String id) {
        return all().stream().filter(s -> s.id.equals(id.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scale '" + id + "'; use small, medium or large"));
    }

    /** Bytes of one recipe's tree, as generated. */
    public long treeBytes() {
        return (long) textFiles * textFileBytes + (long) binaries * binaryBytes + (long) blobs * blobBytes;
    }
}
