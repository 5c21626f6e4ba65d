package dev.bakecache.engine.replicate;

import java.util.ArrayList;
import java.util.List;

/**
 * What copying a page of manifests did.
 *
 * @param copied manifests the target lacked or held older bytes of, now copied
 * @param unchanged manifests the target already had byte for byte
 * @param waiting manifests not copied because the target lacks blobs they name: blobs still being
 *     copied by another partition, or missing at the source; a later run copies them once the
 *     blobs are there
 * @param rejected action keys whose source manifest is malformed, unsigned or wrongly signed
 */
public record ManifestCopy(long copied, long unchanged, List<String> waiting, List<String> rejected) {

    public static final ManifestCopy NONE = new ManifestCopy(0, 0, List.of(), List.of());

    public ManifestCopy {
        waiting = List.copyOf(waiting);
        rejected = List.copyOf(rejected);
    }

    public ManifestCopy plus(ManifestCopy other) {
        return new ManifestCopy(copied + other.copied, unchanged + other.unchanged,
                concat(waiting, other.waiting), concat(rejected, other.rejected));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }
}
