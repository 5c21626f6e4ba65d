package dev.bakecache.engine.restore;

import dev.bakecache.engine.config.ByteSize;
import dev.bakecache.engine.hash.Digest;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * What one {@link Restorer#restore} did.
 *
 * @param filesTotal   regular files in the manifest
 * @param filesWritten files copied or decompressed into place
 * @param filesSkipped files that were provably right already and were not touched
 * @param filesLinked  files hard-linked to their raw blob (zero bytes written)
 * @param bytesTotal   the manifest's total file size, what the target holds afterwards
 * @param bytesWritten bytes written into the target (linked and skipped files count zero)
 * @param blobsRead    whole-file blobs this restore read or hard-linked, so the caller can record
 *                     the accesses in the index (skipped files did not touch their blobs)
 * @param chunksRead   chunks read to reassemble large files
 * @param linksNotUsed why files were copied although hard links were asked for (the process can
 *                     write through the blobs' read-only mode, or linking failed); null otherwise
 * @param elapsed      wall-clock time of the restore
 */
public record RestoreReport(
        long filesTotal,
        long filesWritten,
        long filesSkipped,
        long filesLinked,
        long bytesTotal,
        long bytesWritten,
        Set<Digest> blobsRead,
        Set<Digest> chunksRead,
        String linksNotUsed,
        Duration elapsed) {

    public RestoreReport {
        blobsRead = Set.copyOf(blobsRead);
        chunksRead = Set.copyOf(chunksRead);
    }

    /**
     * One line for logs and the CLI, e.g. {@code restored 1000 files (1 written, 999 already right, 0 linked),
     * 512 MiB in 0.02 s}; when links were asked for but not made, why, after the link count.
     */
    public String summary() {
        return String.format(Locale.ROOT, "restored %d files (%d written, %d already right, %d linked%s), %s in %.2f s",
                filesTotal, filesWritten, filesSkipped, filesLinked,
                linksNotUsed == null ? "" : "; copied instead of linking: " + linksNotUsed,
                ByteSize.format(bytesTotal), elapsed.toNanos() / 1e9);
    }
}
