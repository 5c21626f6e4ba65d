package dev.bakecache.engine.compress;

import com.github.luben.zstd.Zstd;
import dev.bakecache.engine.config.CompressionConfig;

import java.util.Arrays;

/**
 * Decides, blob by blob, whether zstd is worth it. Small blobs and data that is already
 * compressed stay raw (raw blobs can be hard-linked on restore); for the rest a sample of the
 * first bytes is compressed and the blob is stored raw when the sample barely shrinks.
 */
public record CompressionPolicy(CompressionConfig config) {

    /** Compressing must save at least 10 % of the sample, otherwise decompressing on every restore is wasted work. */
    static final double MAX_RATIO = 0.9;

    /** How many leading bytes of a blob {@link #choose} wants to see. */
    public static final int SAMPLE_BYTES = 128 * 1024;

    public static CompressionPolicy defaults() {
        return new CompressionPolicy(CompressionConfig.defaults());
    }

    public static CompressionPolicy disabled() {
        return new CompressionPolicy(new CompressionConfig(false, 0, CompressionConfig.DEFAULT_LEVEL, false));
    }

    public int level() {
        return config.level();
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
        if (!config.appliesTo(size)) {
            return BlobFormat.RAW;
        }
        if (config.detectFormat() && PrecompressedFormats.matches(head, headLength)) {
            return BlobFormat.RAW;
        }
        byte[] compressedSample = Zstd.compress(Arrays.copyOf(head, headLength), config.level());
        return compressedSample.length > headLength * MAX_RATIO ? BlobFormat.RAW : BlobFormat.ZSTD;
    }
}
