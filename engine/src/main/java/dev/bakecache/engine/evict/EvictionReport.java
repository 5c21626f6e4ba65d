package dev.bakecache.engine.evict;

import dev.bakecache.engine.config.ByteSize;

import dev.bakecache.engine.config.EvictionPolicy;
import java.time.Duration;
import java.util.Locale;

/**
 * What an eviction run did, for its one-line summary.
 *
 * @param storedBefore bytes of blobs and chunks stored when the run started (manifests are not counted)
 * @param storedAfter  the same when it ended
 * @param maxSize      the limit that triggers eviction
 * @param target       the low-water mark the run evicts down to
 */
public record EvictionReport(EvictionPolicy policy, long storedBefore, long storedAfter, long maxSize, long target,
                             long manifestsDeleted, long blobsDeleted, long bytesFreed, long keptInUse,
                             Duration elapsed) {

    public boolean targetReached() {
        return storedAfter <= target;
    }

    /**
     * E.g. {@code evicted 3 manifests and 120 blobs (lru), freed 1.2 GiB: 20.5 GiB -> 17.9 GiB,
     * target 18 GiB, in 0.42 s}; says so when nothing had to go or the target was not reached.
     */
    public String summary() {
        if (manifestsDeleted == 0 && blobsDeleted == 0 && storedBefore <= maxSize) {
            return String.format(Locale.ROOT, "nothing to evict: %s stored, limit %s",
                    ByteSize.format(storedAfter), ByteSize.format(maxSize));
        }
        String line = String.format(Locale.ROOT, "evicted %d manifests and %d blobs (%s), freed %s: %s -> %s,"
                        + " target %s, in %.2f s",
                manifestsDeleted, blobsDeleted, policy.id(), ByteSize.format(bytesFreed),
                ByteSize.format(storedBefore), ByteSize.format(storedAfter), ByteSize.format(target),
                elapsed.toNanos() / 1e9);
        if (!targetReached()) {
            line += " (target not reached: " + keptInUse + " blobs in use were kept)";
        }
        return line;
    }
}
