package dev.bakecache.engine.remote;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers for a short while which blobs a remote tier was seen to have, so repeated checks
 * within a run cost no requests. Only presence is remembered: an absent blob may be uploaded by
 * someone else at any moment, while a present one goes away only through eviction or gc, whose
 * runs are rare and for which a few minutes of a stale "present" are the accepted risk (a reader
 * then gets a BlobNotFoundException, never wrong bytes).
 */
final class ExistenceCache {

    private final ConcurrentHashMap<String, Long> seenUntil = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier nanoTime;

    ExistenceCache(Duration ttl, LongSupplier nanoTime) {
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    void markPresent(String hash) {
        seenUntil.put(hash, nanoTime.getAsLong() + ttlNanos);
    }

    void forget(String hash) {
        seenUntil.remove(hash);
    }

    boolean knownPresent(String hash) {
        Long until = seenUntil.get(hash);
        if (until == null) {
            return false;
        }
        if (until - nanoTime.getAsLong() > 0) {
            return true;
        }
        seenUntil.remove(hash, until);
        return false;
    }
}
