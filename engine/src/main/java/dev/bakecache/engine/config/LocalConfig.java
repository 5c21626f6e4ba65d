package dev.bakecache.engine.config;

import java.nio.file.Path;

/**
 * The cache on local disk ({@code cache.local}).
 *
 * @param path the cache root; a relative path is relative to the working directory, not to the
 *     config file (the plan's {@code .bake/cache} sits in the project being built)
 * @param maxSize eviction starts when the stored blobs exceed this many bytes
 * @param lowWaterMark eviction stops once the cache is at or below {@code maxSize * lowWaterMark},
 *     a fraction in (0, 1]; stopping below the limit keeps every new build from evicting again
 * @param evictionPolicy what goes first
 * @param useHardLinks restore by hard-linking uncompressed blobs instead of copying them, each hashed
 *     before it is linked, and only where the process cannot write through the blobs' read-only
 *     mode (not as root); off by default, since the owner of the blobs can still change one through
 *     a link (ADR 0018)
 * @param index where the blob index lives
 */
public record LocalConfig(Path path, long maxSize, double lowWaterMark, EvictionPolicy evictionPolicy,
                          boolean useHardLinks, IndexType index) {

    public static final Path DEFAULT_PATH = Path.of(".bake", "cache");
    public static final long DEFAULT_MAX_SIZE = 20L * 1024 * 1024 * 1024;
    public static final double DEFAULT_LOW_WATER_MARK = 0.9;

    public LocalConfig {
        Checks checks = new Checks();
        checks.require(path != null && !path.toString().isEmpty(), "path", "must not be empty");
        checks.require(maxSize > 0, "maxSize", "must be more than 0, got " + maxSize);
        checks.require(lowWaterMark > 0 && lowWaterMark <= 1, "lowWaterMark",
                "must be a fraction above 0 and at most 1 (e.g. 0.9 or 90%), got " + lowWaterMark);
        checks.require(evictionPolicy != null, "evictionPolicy", "is required (lru, lfu, fifo or largestFirst)");
        checks.require(index != null, "index", "is required (sqlite or memory)");
        checks.throwIfAny();
    }

    /** {@code .bake/cache}, 20 GiB, low-water mark 0.9, LRU, restores copy (no hard links), SQLite index. */
    public static LocalConfig defaults() {
        return new LocalConfig(DEFAULT_PATH, DEFAULT_MAX_SIZE, DEFAULT_LOW_WATER_MARK, EvictionPolicy.LRU,
                false, IndexType.SQLITE);
    }

    /** The size eviction brings the cache down to: {@code maxSize * lowWaterMark}, in bytes. */
    public long lowWaterBytes() {
        return (long) Math.floor(maxSize * lowWaterMark);
    }

    public LocalConfig withPath(Path newPath) {
        return new LocalConfig(newPath, maxSize, lowWaterMark, evictionPolicy, useHardLinks, index);
    }

    /** For {@code evict --max-size}. */
    public LocalConfig withMaxSize(long newMaxSize) {
        return new LocalConfig(path, newMaxSize, lowWaterMark, evictionPolicy, useHardLinks, index);
    }
}
