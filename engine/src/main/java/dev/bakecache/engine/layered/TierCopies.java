package dev.bakecache.engine.layered;

import dev.bakecache.engine.concurrent.BoundedParallel;
import dev.bakecache.engine.config.ParallelismConfig;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.store.BlobCopier;
import dev.bakecache.engine.store.BlobCorruptedException;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies many blobs between the tiers of a run with the {@link BlobCopier}, on bounded pools:
 * copies to remotes on up to {@code cache.parallelism.upload} threads, copies from them on up to
 * {@code download}. A corrupt source copy is warned about and never spread; a remote that is down
 * copies nothing, and the copy says it is incomplete rather than failing.
 */
record TierCopies(TierWarnings warnings, ParallelismConfig parallelism) {

    /** The blobs a copy delivered, and whether the target now has all it was asked to hold. */
    record Copied(Set<Digest> digests, boolean complete) {
    }

    /** Copies in stored form the blobs {@code to} lacks from {@code from}, on the upload threads. */
    Copied copyMissing(TierStore from, TierStore to, Collection<Digest> digests) throws IOException {
        Set<Digest> present = to.store().containsMany(digests);
        if (warnings.isUnavailable(to.name())) {
            return new Copied(Set.of(), false);
        }
        List<Digest> missing = Set.copyOf(digests).stream().filter(digest -> !present.contains(digest)).toList();
        Set<Digest> copied = ConcurrentHashMap.newKeySet();
        BoundedParallel.forEach(missing, parallelism.upload(), digest -> {
            if (copyOne(from, to, digest.hash())) {
                copied.add(digest);
            }
        });
        return new Copied(Set.copyOf(copied), copied.size() == missing.size() && !warnings.isUnavailable(to.name()));
    }

    /**
     * Brings into {@code into} those of {@code digests} it lacks, each from the first of
     * {@code sources} with a sound copy, on the download threads.
     *
     * @return the digests no source could supply
     */
    Set<Digest> fetch(TierStore into, List<TierStore> sources, Collection<Digest> digests) throws IOException {
        Set<Digest> present = into.store().containsMany(digests);
        List<Digest> missing = Set.copyOf(digests).stream().filter(digest -> !present.contains(digest)).toList();
        Set<Digest> unavailable = ConcurrentHashMap.newKeySet();
        BoundedParallel.forEach(missing, parallelism.download(), digest -> {
            if (!fromFirstSound(into, sources, digest.hash())) {
                unavailable.add(digest);
            }
        });
        return Set.copyOf(unavailable);
    }

    private boolean fromFirstSound(TierStore into, List<TierStore> sources, String hash) throws IOException {
        for (TierStore source : sources) {
            if (copyOne(source, into, hash)) {
                return true;
            }
        }
        return false;
    }

    private boolean copyOne(TierStore from, TierStore to, String hash) throws IOException {
        if (warnings.isUnavailable(to.name()) || warnings.isUnavailable(from.name())) {
            return false;
        }
        try {
            return BlobCopier.copy(from.store(), to.store(), hash);
        } catch (BlobCorruptedException e) {
            warnings.corrupt(from.name(), hash, e); // never spread a damaged copy
            return false;
        }
    }
}
