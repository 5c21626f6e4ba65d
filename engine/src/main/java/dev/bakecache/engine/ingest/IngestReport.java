package dev.bakecache.engine.ingest;

import dev.bakecache.engine.config.ByteSize;

import java.time.Duration;
import java.util.Locale;

/**
 * What one ingest did. {@code dedupBytes} are output bytes that needed no new storage because
 * an identical blob or chunk was already in the cache.
 *
 * @param hashedFiles files whose content was read; the rest were known from the stat cache
 */
public record IngestReport(String actionKey, long files, long bytes, long hashedFiles, long newBlobs,
                           long newBytes, Duration elapsed) {

    public long dedupBytes() {
        return Math.max(0, bytes - newBytes);
    }

    public String summary() {
        double seconds = elapsed.toNanos() / 1e9;
        return String.format(Locale.ROOT,
                "ingested %s: %d files, %s (%d hashed, %d unchanged), %d new blobs (%s), %s deduplicated, in %.3f s",
                actionKey, files, ByteSize.format(bytes), hashedFiles, files - hashedFiles, newBlobs,
                ByteSize.format(newBytes), ByteSize.format(dedupBytes()), seconds);
    }
}
