package dev.bakecache.engine.clean;

import dev.bakecache.engine.config.ByteSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What one {@link CacheCleaner#clean} removed.
 *
 * @param storedBytes what the index counted on disk before the run
 */
public record CleanReport(Path root, long manifests, long blobs, long chunks, long storedBytes, Duration elapsed) {

    /** e.g. {@code cleaned /c: removed 3 manifests, 32 blobs, 12 chunks (4.1 MiB stored) in 0.05 s}. */
    public String summary() {
        return String.format(Locale.ROOT, "cleaned %s: removed %d manifests, %d blobs, %d chunks (%s stored) in %.2f s",
                root, manifests, blobs, chunks, ByteSize.format(storedBytes), elapsed.toNanos() / 1e9);
    }
}
