package dev.bakecache.engine.bench;

import dev.bakecache.engine.files.FileTrees;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.engine.config.ParallelismConfig;
import dev.bakecache.engine.config.VerificationConfig;
import dev.bakecache.engine.manifest.ManifestSigner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where scenarios run: a scratch directory for their trees, caches and archives, the scale, and
 * the timing loop. Caches are the real engine with its default configuration, signed with a
 * secret generated for the run, so the bench needs neither the user's cache nor their secret.
 */
public final class BenchWorkspace {

    private static final String SECRET_ENV = "BAKE_CACHE_BENCH_SECRET";

    private final Path dir;
    private final BenchScale scale;
    private final Map<String, String> environment;

    public BenchWorkspace(Path dir, BenchScale scale) {
        this.dir = dir;
        this.scale = scale;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.environment = Map.of(SECRET_ENV, HexFormat.of().formatHex(secret));
    }

    public BenchScale scale() {
        return scale;
    }

    /** A fresh, empty directory {@code name} in the workspace. */
    public Path freshDir(String name) throws IOException {
        Path fresh = dir.resolve(name);
        FileTrees.deleteTree(fresh);
        return Files.createDirectories(fresh);
    }

    /** Opens (creating it if needed) the cache {@code name} with {@code threads} hashing threads (0: one per CPU). */
    public LocalCache cache(String name, int threads) throws IOException {
        CacheConfig defaults = ConfigLoader.defaults();
        CacheConfig config = new CacheConfig(defaults.cas(), defaults.local().withPath(dir.resolve("caches").resolve(name)),
                List.of(), new ParallelismConfig(ParallelismConfig.DEFAULT_UPLOAD, ParallelismConfig.DEFAULT_DOWNLOAD,
                threads), new VerificationConfig(true,
                defaults.verification().algorithm(), SECRET_ENV), defaults.strategy(), Map.of());
        return LocalCache.open(config, environment);
    }

    /** The signer of this run's caches. */
    public ManifestSigner signer() {
        return ManifestSigner.fromEnvironment(SECRET_ENV, environment);
    }

    /**
     * Runs {@code scenario} in an emptied workspace, watching its memory and time. Emptied because
     * a killed run leaves caches signed with its own secret and stat caches that would vouch for
     * files the rerun rewrites.
     */
    public ScenarioResult run(Scenario scenario) throws IOException {
        FileTrees.deleteTree(dir);
        long started = System.nanoTime();
        Scenario.Measured measured;
        MemoryUse memory;
        try (MemoryProbe probe = MemoryProbe.start()) {
            measured = scenario.measure(this);
            memory = probe.finish();
        }
        List<Comparison> comparisons = measured.comparisons();
        return new ScenarioResult(scenario.id(), scenario.title(), comparisons.getFirst().ratio(), comparisons,
                measured.notes(), memory, (System.nanoTime() - started) / 1e9);
    }

    /** Something timed, with an untimed set-up before each run. */
    public interface Step {
        void run() throws IOException;
    }

    /**
     * Milliseconds of {@code action}, each run after {@code setup} (not timed). Warm-up runs come
     * first: at least one, then more until {@link BenchScale#warmUpSeconds} are spent or
     * {@link #WARM_UP_MAX_RUNS} are done, since a run of a few milliseconds needs several hundred
     * runs before the JIT has compiled its loops and a run of a second is warm after one. Then at
     * least {@link BenchScale#repetitions} timed runs, and more until {@link BenchScale#timedSeconds}
     * of them or {@link #TIMED_MAX_RUNS}. Both sides of a comparison are measured this same way.
     */
    public Stats millis(Step setup, Step action) throws IOException {
        long warmingSince = System.nanoTime();
        long warmUpNanos = TimeUnit.SECONDS.toNanos(scale.warmUpSeconds());
        for (int run = 0; run == 0 || run < WARM_UP_MAX_RUNS && System.nanoTime() - warmingSince < warmUpNanos; run++) {
            setup.run();
            action.run();
        }
        List<Double> samples = new ArrayList<>();
        long timedNanos = 0;
        while (samples.size() < scale.repetitions()
                || samples.size() < TIMED_MAX_RUNS && timedNanos < TimeUnit.SECONDS.toNanos(scale.timedSeconds())) {
            setup.run();
            long start = System.nanoTime();
            action.run();
            long took = System.nanoTime() - start;
            timedNanos += took;
            samples.add(took / 1e6);
        }
        return Stats.of(samples);
    }

    /** Throughput in MB/s (10^6 bytes) of {@code action} over {@code bytes}, measured as {@link #millis}. */
    public Stats megabytesPerSecond(long bytes, Step setup, Step action) throws IOException {
        Stats ms = millis(setup, action);
        return new Stats(bytes / 1e3 / ms.median(), bytes / 1e3 / ms.max(), bytes / 1e3 / ms.min(), ms.spreadPct(),
                ms.repetitions());
    }

    public static final Step NOTHING = () -> { };

    /** Warm-up runs stop after this many, or after the scale's warm-up time (public: the reports state it). */
    public static final int WARM_UP_MAX_RUNS = 1000;
    /** Timed runs stop after this many, or after the scale's timed seconds. */
    public static final int TIMED_MAX_RUNS = 200;


    /** Total size of the regular files under {@code root}. */
    public static long treeBytes(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }
}
