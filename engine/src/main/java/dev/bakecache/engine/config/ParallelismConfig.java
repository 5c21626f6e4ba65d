package dev.bakecache.engine.config;

/**
 * How many transfers and hashes run at once ({@code cache.parallelism}).
 *
 * @param upload concurrent uploads to a remote
 * @param download concurrent downloads from a remote
 * @param hashing threads hashing files; 0 means one per available processor, see
 *     {@link #effectiveHashing()}
 */
public record ParallelismConfig(int upload, int download, int hashing) {

    public static final int DEFAULT_UPLOAD = 8;
    public static final int DEFAULT_DOWNLOAD = 16;
    /** Zero: as many hashing threads as processors. */
    public static final int DEFAULT_HASHING = 0;

    public ParallelismConfig {
        Checks checks = new Checks();
        checks.require(upload >= 1, "upload", "must be at least 1, got " + upload);
        checks.require(download >= 1, "download", "must be at least 1, got " + download);
        checks.require(hashing >= 0, "hashing", "must be 0 (one per CPU) or more, got " + hashing);
        checks.throwIfAny();
    }

    /** 8 uploads, 16 downloads, one hashing thread per CPU. */
    public static ParallelismConfig defaults() {
        return new ParallelismConfig(DEFAULT_UPLOAD, DEFAULT_DOWNLOAD, DEFAULT_HASHING);
    }

    /** The number of hashing threads to start: {@code hashing}, or the processor count when it is 0. */
    public int effectiveHashing() {
        return hashing == 0 ? Runtime.getRuntime().availableProcessors() : hashing;
    }
}
