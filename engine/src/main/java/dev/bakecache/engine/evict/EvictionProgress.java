package dev.bakecache.engine.evict;

/**
 * Where an eviction run stands and what it did so far, so that a killed run resumes where it
 * stopped and still reports the whole run: a job keeps it in its step state.
 *
 * @param cursor           the {@link dev.bakecache.engine.index.EvictionCursor} token of the next
 *                         page of candidates; null before the first page
 * @param storedBefore     bytes stored when the run started; -1 before it looked
 * @param manifestsDeleted manifests removed because a blob they named was evicted
 * @param blobsDeleted     blobs and chunks removed
 * @param bytesFreed       their stored bytes
 * @param keptInUse        candidates kept because they were used during the run or by a protected manifest
 * @param finished         the cache is at or below the target, or there is nothing left to evict
 */
public record EvictionProgress(String cursor, long storedBefore, long manifestsDeleted, long blobsDeleted,
                               long bytesFreed, long keptInUse, boolean finished) {

    /** A run that has not started. */
    public static final EvictionProgress START = new EvictionProgress(null, -1, 0, 0, 0, 0, false);

    boolean started() {
        return storedBefore >= 0;
    }

    /** A string for a job's execution context; {@link #fromToken} reads it back. */
    public String toToken() {
        return String.join("|", cursor == null ? "-" : cursor, Long.toString(storedBefore),
                Long.toString(manifestsDeleted), Long.toString(blobsDeleted), Long.toString(bytesFreed),
                Long.toString(keptInUse), Boolean.toString(finished));
    }

    public static EvictionProgress fromToken(String token) {
        String[] parts = token.split("\\|", -1);
        if (parts.length != 7) {
            throw new IllegalArgumentException("eviction progress '" + token + "' has " + parts.length
                    + " parts, expected 7; was it saved by another bake-cache version?");
        }
        return new EvictionProgress(parts[0].equals("-") ? null : parts[0], Long.parseLong(parts[1]),
                Long.parseLong(parts[2]), Long.parseLong(parts[3]), Long.parseLong(parts[4]), Long.parseLong(parts[5]),
                Boolean.parseBoolean(parts[6]));
    }
}
