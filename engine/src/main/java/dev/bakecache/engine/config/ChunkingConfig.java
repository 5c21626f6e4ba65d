package dev.bakecache.engine.config;

import dev.bakecache.engine.chunk.ChunkingParams;

/**
 * Cutting large files into chunks so that a small change re-uploads only the chunks around it
 * ({@code cache.cas.chunking}). Sizes are in bytes.
 *
 * @param enabled whether large files are chunked at all
 * @param threshold files larger than this are chunked; smaller ones are one blob
 * @param algorithm the chunker; see {@link ChunkingAlgorithm}
 * @param minChunk no cut before this many bytes
 * @param avgChunk the target chunk size (the only size {@link ChunkingAlgorithm#FIXED} uses)
 * @param maxChunk a cut is forced here
 */
public record ChunkingConfig(boolean enabled, long threshold, ChunkingAlgorithm algorithm,
                             int minChunk, int avgChunk, int maxChunk) {

    public static final long DEFAULT_THRESHOLD = 10L * 1024 * 1024;
    public static final int DEFAULT_MIN_CHUNK = 1024 * 1024;
    public static final int DEFAULT_AVG_CHUNK = 4 * 1024 * 1024;
    public static final int DEFAULT_MAX_CHUNK = 16 * 1024 * 1024;

    public ChunkingConfig {
        Checks checks = new Checks();
        checks.require(algorithm != null, "algorithm", "is required (gear, fastcdc or fixed)");
        checks.require(threshold >= 0, "threshold", "must not be negative, got " + threshold);
        boolean positive = checks.require(minChunk > 0, "minChunk", "must be positive, got " + minChunk)
                & checks.require(avgChunk > 0, "avgChunk", "must be positive, got " + avgChunk)
                & checks.require(maxChunk > 0, "maxChunk", "must be positive, got " + maxChunk);
        if (positive) {
            // Reported against the section: the mistake is in the relation, not in one key.
            checks.require(minChunk <= avgChunk, "", "minChunk (" + ByteSize.format(minChunk)
                    + ") must not exceed avgChunk (" + ByteSize.format(avgChunk) + ")");
            checks.require(avgChunk <= maxChunk, "", "avgChunk (" + ByteSize.format(avgChunk)
                    + ") must not exceed maxChunk (" + ByteSize.format(maxChunk) + ")");
        }
        if (checks.isEmpty() && algorithm != null) {
            try {
                paramsFor(algorithm, minChunk, avgChunk, maxChunk);
            } catch (IllegalArgumentException e) {
                checks.add("", e.getMessage());
            }
        }
        checks.throwIfAny();
    }

    /** Enabled above 10 MiB, gear (FastCDC), chunks of 1 / 4 / 16 MiB: the plan's values. */
    public static ChunkingConfig defaults() {
        return new ChunkingConfig(true, DEFAULT_THRESHOLD, ChunkingAlgorithm.GEAR,
                DEFAULT_MIN_CHUNK, DEFAULT_AVG_CHUNK, DEFAULT_MAX_CHUNK);
    }

    /** The chunker's sizes; fixed-size chunking is content-defined chunking with min = avg = max. */
    public ChunkingParams params() {
        return paramsFor(algorithm, minChunk, avgChunk, maxChunk);
    }

    private static ChunkingParams paramsFor(ChunkingAlgorithm algorithm, int min, int avg, int max) {
        return algorithm.contentDefined() ? new ChunkingParams(min, avg, max) : new ChunkingParams(avg, avg, avg);
    }

    /** Whether a file of {@code size} bytes is cut into chunks. */
    public boolean appliesTo(long size) {
        return enabled && size > threshold;
    }
}
