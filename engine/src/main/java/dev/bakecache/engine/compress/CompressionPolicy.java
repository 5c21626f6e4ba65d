package dev.bakecache.engine.compress;

import com.github.luben.zstd.Zstd;
import dev.bakecache.engine.config.CompressionConfig;


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
     * What {@link #choose} decided.
     *
     * @param compressedHead the head as one zstd frame, when zstd was chosen by compressing it;
     *                       for a blob no longer than its head, that is its whole stored form
     */
    public record Choice(BlobFormat format, byte[] compressedHead) {
    }

    /**
     * @param size the blob's full content size
     * @param head the first {@code min(size, SAMPLE_BYTES)} bytes of the content
     */
    public Choice choose(long size, byte[] head) {
        if (BlobFormat.startsWithZstdMagic(head, head.length)) {
            return new Choice(BlobFormat.ZSTD, null); // keeps the leading bytes an unambiguous format marker
        }
        if (!config.appliesTo(size)) {
            return new Choice(BlobFormat.RAW, null);
        }
        if (config.detectFormat() && PrecompressedFormats.matches(head, head.length)) {
            return new Choice(BlobFormat.RAW, null);
        }
        byte[] compressedHead = Zstd.compress(head, config.level());
        return compressedHead.length > head.length * MAX_RATIO ? new Choice(BlobFormat.RAW, null)
                : new Choice(BlobFormat.ZSTD, compressedHead);
    }
}
