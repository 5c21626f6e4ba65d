package dev.bakecache.engine.compress;

import com.github.luben.zstd.Zstd;

/**
 * Decides, blob by blob, whether zstd is worth it. Small blobs and data that is already
 * compressed stay raw (raw blobs can be hard-linked on restore); for the rest a sample of the
 * first bytes is compressed and the blob is stored raw when the sample barely shrinks.
 *
 * @param threshold blobs smaller than this many bytes are never compressed
 * @param level     zstd level, 1 (fast) to 22 (small)
 */
public record CompressionPolicy(boolean enabled, long threshold, int level, boolean detectFormat) {

    /** Compressing must save at least 10 % of the sample, otherwise decompressing on every restore is wasted work. */
    static final double MAX_RATIO = 0.9;

    /** How many leading bytes of a blob {@link #choose} wants to see. */
    public static final int SAMPLE_BYTES = 128 * 1024;

    public CompressionPolicy {
        if (level < 1 || level > 22) {
            throw new IllegalArgumentException("zstd level must be between 1 and 22, got " + level);
        }
        if (threshold < 0) {
            throw new IllegalArgumentException("compression threshold must not be negative, got " + threshold);
        }
    }

    public static CompressionPolicy defaults() {
        return new CompressionPolicy(true, 10 * 1024, 3, true);
    }

    public static CompressionPolicy disabled() {
        return new CompressionPolicy(false, 0, 3, false);
    }

    /**
     * @param size       the blob's full content size
     * @param head       the first bytes of the content ({@code min(size, SAMPLE_BYTES)} of them)
     * @param headLength how many bytes of {@code head} are valid
     */
    public BlobFormat choose(long size, byte[] head, int headLength) {
        if (BlobFormat.startsWithZstdMagic(head, headLength)) {
            return BlobFormat.ZSTD; // keeps the leading bytes an unambiguous format marker
        }
        if (!enabled || size < threshold) {
            return BlobFormat.RAW;
        }
        if (detectFormat && PrecompressedFormats.matches(head, headLength)) {
            return BlobFormat.RAW;
        }
        byte[] compressedSample = Zstd.compress(java.util.Arrays.copyOf(head, headLength), level);
        return compressedSample.length > headLength * MAX_RATIO ? BlobFormat.RAW : BlobFormat.ZSTD;
    }
}
