package dev.bakecache.engine.gc;

import dev.bakecache.engine.config.ByteSize;
import dev.bakecache.engine.config.HumanDuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a garbage collection run found and did; runs add up with {@link #plus}, so a resumed run
 * reports the whole of it.
 *
 * @param manifests           manifests read by the mark phase
 * @param unverifiedManifests of those, ones that fail verification: their blobs were kept all the same
 * @param unreadableManifests manifest files that do not parse, and so protect nothing
 * @param named               distinct blobs and chunks the manifests name (marked)
 * @param scanned             index entries the sweep looked at
 * @param scannedBytes        their stored bytes
 * @param swept               unreferenced blobs and chunks deleted
 * @param sweptBytes          their stored bytes
 * @param keptInGrace         unreferenced ones kept because they were used or written within the grace period
 * @param tmpFiles            stale files removed from {@code tmp/}
 * @param tmpBytes            their bytes
 * @param filesIndexed        blob files that had no index entry and got one
 * @param entriesDropped      index entries whose file was gone
 */
public record GcReport(long manifests, long unverifiedManifests, long unreadableManifests, long named,
                       long scanned, long scannedBytes, long swept, long sweptBytes, long keptInGrace,
                       long tmpFiles, long tmpBytes, long filesIndexed, long entriesDropped) {

    public static final GcReport NONE = new GcReport(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    static GcReport marked(long manifests, long unverified, long unreadable, long named) {
        return new GcReport(manifests, unverified, unreadable, named, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    static GcReport swept(long scanned, long scannedBytes, long swept, long sweptBytes, long keptInGrace) {
        return new GcReport(0, 0, 0, 0, scanned, scannedBytes, swept, sweptBytes, keptInGrace, 0, 0, 0, 0);
    }

    static GcReport tmpCleaned(long files, long bytes) {
        return new GcReport(0, 0, 0, 0, 0, 0, 0, 0, 0, files, bytes, 0, 0);
    }

    static GcReport reconciled(long indexed, long dropped) {
        return new GcReport(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, indexed, dropped);
    }

    public GcReport plus(GcReport o) {
        return new GcReport(manifests + o.manifests, unverifiedManifests + o.unverifiedManifests,
                unreadableManifests + o.unreadableManifests, named + o.named, scanned + o.scanned,
                scannedBytes + o.scannedBytes, swept + o.swept, sweptBytes + o.sweptBytes, keptInGrace + o.keptInGrace,
                tmpFiles + o.tmpFiles, tmpBytes + o.tmpBytes, filesIndexed + o.filesIndexed,
                entriesDropped + o.entriesDropped);
    }

    /** Bytes freed in all: swept blobs and stale temporary files. */
    public long bytesFreed() {
        return sweptBytes + tmpBytes;
    }

    /**
     * E.g. {@code gc: swept 12 of 1300 blobs, reclaimed 1.2 MiB of 40 MiB (3 unreferenced kept
     * within the 1h grace); 40 manifests name 1288; removed 2 stale tmp files (4 KiB); index: 0
     * files added, 1 entry dropped; in 0.31 s}, plus a warning about manifests that fail verification.
     */
    public String summary(Duration grace, Duration elapsed) {
        List<String> parts = new ArrayList<>();
        parts.add(String.format(Locale.ROOT, "gc: swept %d of %d blobs, reclaimed %s of %s (%d unreferenced kept"
                        + " within the %s grace)", swept, scanned, ByteSize.format(sweptBytes),
                ByteSize.format(scannedBytes), keptInGrace, HumanDuration.format(grace)));
        parts.add(manifests + " manifests name " + named);
        parts.add("removed " + tmpFiles + " stale tmp files (" + ByteSize.format(tmpBytes) + ")");
        parts.add("index: " + filesIndexed + " files added, " + entriesDropped + " entries dropped");
        parts.add(String.format(Locale.ROOT, "in %.2f s", elapsed.toNanos() / 1e9));
        String line = String.join("; ", parts);
        if (unverifiedManifests > 0 || unreadableManifests > 0) {
            line += " [" + unverifiedManifests + " manifests fail verification (their blobs were kept), "
                    + unreadableManifests + " do not parse; run verify]";
        }
        return line;
    }
}
