package dev.bakecache.engine.chunk;

/**
 * Chunk size bounds for content-defined chunking, in bytes.
 *
 * <ul>
 *   <li>{@code minChunk}: no cut is ever considered before this many bytes (except for the last
 *       chunk of the input, which may be shorter);</li>
 *   <li>{@code avgChunk}: the target (normal) size; it must be a power of two because the cut
 *       masks are derived from its base-2 logarithm;</li>
 *   <li>{@code maxChunk}: a chunk is cut here unconditionally when no content-defined cut was
 *       found earlier.</li>
 * </ul>
 *
 * <p>These values decide where chunks are cut, and so which chunks two versions of a file share:
 * changing them for an existing cache makes every chunk new. Keep them fixed per cache.
 */
public record ChunkingParams(int minChunk, int avgChunk, int maxChunk) {

    /** Smallest allowed {@code minChunk}: the Gear hash needs a few dozen bytes of context. */
    public static final int MIN_MIN_CHUNK = 64;

    /**
     * Largest allowed {@code maxChunk} (1 GiB), so that a streaming buffer of twice the maximum
     * still fits in a Java array.
     */
    public static final int MAX_MAX_CHUNK = 1 << 30;

    public ChunkingParams {
        if (minChunk < MIN_MIN_CHUNK) {
            throw new IllegalArgumentException(
                    "minChunk (" + minChunk + ") must be at least " + MIN_MIN_CHUNK);
        }
        if (minChunk > avgChunk) {
            throw new IllegalArgumentException(
                    "minChunk (" + minChunk + ") must not exceed avgChunk (" + avgChunk + ")");
        }
        if (avgChunk > maxChunk) {
            throw new IllegalArgumentException(
                    "avgChunk (" + avgChunk + ") must not exceed maxChunk (" + maxChunk + ")");
        }
        if (maxChunk > MAX_MAX_CHUNK) {
            throw new IllegalArgumentException(
                    "maxChunk (" + maxChunk + ") must not exceed " + MAX_MAX_CHUNK + " (1 GiB)");
        }
        if (Integer.bitCount(avgChunk) != 1) {
            int below = Integer.highestOneBit(avgChunk);
            throw new IllegalArgumentException("avgChunk (" + avgChunk
                    + ") must be a power of two, e.g. " + below + " or " + (below << 1));
        }
    }

    /** The plan's defaults: 1 MiB minimum, 4 MiB average, 16 MiB maximum. */
    public static ChunkingParams defaults() {
        return new ChunkingParams(1 << 20, 4 << 20, 16 << 20);
    }

    /** {@code log2(avgChunk)}, the number of mask bits a cut at the average size would need. */
    public int avgBits() {
        return Integer.numberOfTrailingZeros(avgChunk);
    }
}
